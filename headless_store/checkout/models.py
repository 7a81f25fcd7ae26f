"""A checkout paid partly from ledger accounts (held) and the rest by card, and the sandbox
card processor's charges."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from headless_store.ledger.models import money_field


class CardCheckout(models.Model):
    """One attempt to pay an order by ledger holds plus a card.

    PENDING: the ledger sources are held and the order waits in "Pending payment" for the card.
    AUTHORISING: a card authorisation is under way (one at a time; `attempt` numbers them).
    PAID: the holds are captured and the card authorised; `card_captured` follows the capture.
    FAILED (declined, no answer), CANCELLED (by the shopper), EXPIRED (walked away): the holds
    are voided, the order is cancelled and the basket is open again; nothing stays taken.
    """

    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        AUTHORISING = "AUTHORISING", "Authorising"
        PAID = "PAID", "Paid"
        FAILED = "FAILED", "Failed"
        CANCELLED = "CANCELLED", "Cancelled"
        EXPIRED = "EXPIRED", "Expired"

    ENDED = (Status.FAILED, Status.CANCELLED, Status.EXPIRED)

    token = models.CharField(max_length=64, unique=True)  # the shopper's handle on it; secret
    order = models.OneToOneField("order.Order", on_delete=models.PROTECT, related_name="card_checkout")
    basket_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    currency = models.CharField(max_length=3)
    ledger_amount = money_field()
    card_amount = money_field()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    attempt = models.PositiveIntegerField(default=0)
    gateway = models.CharField(max_length=128)  # Oscar source type name of the gateway used
    authorisation = models.CharField(max_length=128, blank=True)
    card_label = models.CharField(max_length=64, blank=True)
    # The order's payment source for the card, once authorised.
    card_source = models.OneToOneField("payment.Source", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    card_captured = money_field(default=0)
    card_refunded = money_field(default=0)
    # Of what the card captured, what a refund to store credit gave back in its place (from Bank).
    card_credited = money_field(default=0)
    failure = models.CharField(max_length=256, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(card_amount__gte=0) & Q(ledger_amount__gte=0),
                                   name="card_checkout_amounts_not_negative"),
            models.CheckConstraint(condition=Q(card_captured__lte=models.F("card_amount")),
                                   name="card_checkout_capture_within_amount"),
            models.CheckConstraint(condition=Q(card_refunded__gte=0) & Q(card_credited__gte=0)
                                   & Q(card_refunded__lte=models.F("card_captured") - models.F("card_credited")),
                                   name="card_checkout_refund_within_capture"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="card_checkout_sweep_idx")]

    def __str__(self):
        return f"Checkout for order {self.order_id} ({self.status})"

    @property
    def authorisation_key(self) -> str:
        """The idempotency key of the current card attempt (what `Gateway.find` looks up)."""
        return f"{self.token}-{self.attempt}"

    def has_expired(self, at=None) -> bool:
        return self.expires_at <= (at or timezone.now())


class SandboxCharge(models.Model):
    """A card authorisation in the sandbox processor (headless_store/checkout/gateways/sandbox.py)."""

    class Status(models.TextChoices):
        AUTHORISED = "AUTHORISED", "Authorised"
        CAPTURED = "CAPTURED", "Captured"
        VOIDED = "VOIDED", "Voided"

    reference = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    order_reference = models.CharField(max_length=128)
    amount = money_field()
    currency = models.CharField(max_length=3)
    brand = models.CharField(max_length=32)
    last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AUTHORISED)
    captured = money_field(default=0)
    refunded = money_field(default=0)
    refunds = models.JSONField(default=dict)  # idempotency key -> refund reference
    fail_capture = models.BooleanField(default=False)
    date_created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.reference} ({self.status})"
