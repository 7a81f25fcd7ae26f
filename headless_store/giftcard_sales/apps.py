"""Gift cards sold in the shop (see __init__.py); its receivers are connected here."""
from django.apps import AppConfig


class GiftCardSalesConfig(AppConfig):
    name = "headless_store.giftcard_sales"
    label = "giftcard_sales"
    verbose_name = "Gift card sales"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from headless_store.checkout.signals import order_paid, order_refunding, payment_sources_chosen

        from . import receivers

        order_paid.connect(receivers.order_paid, dispatch_uid="giftcard_sales.order_paid")
        order_refunding.connect(receivers.order_refunding, dispatch_uid="giftcard_sales.order_refunding")
        payment_sources_chosen.connect(receivers.payment_sources_chosen,
                                       dispatch_uid="giftcard_sales.payment_sources_chosen")
