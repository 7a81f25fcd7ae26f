"""A gift card sold in the shop (one per unit of a gift-card order line) and its delivery log.

No column holds a card's code: the card (a ledger account) keeps only the code's keyed hash, and
the code itself exists only in the e-mail that delivers it (services.deliver: the card is re-keyed
at each sending, see the README)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from headless_store.ledger.models import money_field
from headless_store.ledger.money import Money


class GiftCardSale(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "SCHEDULED", "Scheduled"  # paid; the e-mail waits for its date (or a worker)
        SENT = "SENT", "Sent"
        FAILED = "FAILED", "Delivery failed"  # given up after retries; staff can resend
        VOIDED = "VOIDED", "Voided"  # refunded or cancelled: the card is closed, its money gone back

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="gift_card_sales")
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="gift_card_sales")
    account = models.OneToOneField("ledger.Account", on_delete=models.PROTECT, related_name="gift_card_sale")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="gift_cards_bought")
    amount = money_field()
    currency = models.CharField(max_length=3)
    recipient_name = models.CharField(max_length=200, blank=True, default="")
    recipient_email = models.EmailField()  # the buyer's own address when they gave none
    message = models.TextField(blank=True, default="")
    deliver_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"Gift card {Money(self.amount, self.currency)} for {self.recipient_email} (order {self.order_id})"


class GiftCardDelivery(models.Model):
    """One attempt to e-mail a card: the scheduled sending, a retry, or a resend by staff."""

    class Status(models.TextChoices):
        SENT = "SENT", "Sent"
        FAILED = "FAILED", "Failed"

    sale = models.ForeignKey(GiftCardSale, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices)
    to_email = models.EmailField()
    resent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    error = models.CharField(max_length=200, blank=True, default="")  # a category, never a message body
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name_plural = "gift card deliveries"

    def __str__(self):
        return f"{self.get_status_display()} to {self.to_email} at {self.created_at:%Y-%m-%d %H:%M}"
