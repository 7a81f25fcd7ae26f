"""Oscar's basket app, forked the way Oscar documents (`oscar_fork_app basket`), for one change: its
add-to-basket form checks gift-card options (headless_store/giftcard_sales/catalogue.py) as
django-oscar-api's add-product does. Models and migrations stay Oscar's own (MIGRATION_MODULES)."""
