"""Oscar 4.2's offer list annotates a count, which drops the model's ordering (Django leaves
Meta.ordering out of GROUP BY queries), so its pages were unordered: offers could repeat or go
missing across pages (and Django warns). Ordered here as the model is, unless sorted."""
from oscar.apps.dashboard.offers import views
from oscar.apps.dashboard.offers.views import *  # noqa: F403 - Oscar's other views, unchanged


class OfferListView(views.OfferListView):
    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if queryset.ordered else queryset.order_by(*self.model._meta.ordering)
