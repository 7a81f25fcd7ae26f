"""Oscar's checkout app, forked the way Oscar documents (`oscar_fork_app checkout`), so that its
PaymentDetailsView takes payment from ledger accounts, gift cards and a card."""
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "headless_store.shop_checkout"
