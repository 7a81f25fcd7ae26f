"""The classic checkout's payment step, paid from the ledger (headless_store/checkout/classic.py)."""
from oscar.apps.checkout import views

from headless_store.checkout.classic import LedgerPaymentMixin


class PaymentDetailsView(LedgerPaymentMixin, views.PaymentDetailsView):
    pass
