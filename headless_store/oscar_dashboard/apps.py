from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    name = "headless_store.oscar_dashboard"
