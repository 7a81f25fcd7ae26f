"""Oscar's dashboard app, forked (Oscar's documented override pattern: this app replaces
oscar.apps.dashboard in INSTALLED_APPS, and Oscar's class loader prefers a module here over its
own, e.g. `catalogue/tables.py` for get_class("dashboard.catalogue.tables", ...)). Only what must
change is here; everything else is Oscar's."""
