"""The loyalty rule (one, editable by staff) and what each order earned."""
from decimal import Decimal

from django.conf import settings
from django.db import models

from headless_store.ledger.models import money_field

from . import defaults
from .conf import settings as loyalty_settings


class LoyaltyRule(models.Model):
    """How points are earned. One row; its defaults come from the LOYALTY_* settings."""

    class Spendable(models.TextChoices):
        PLACEMENT = "PLACEMENT", "When the order is paid"
        DISPATCH = "DISPATCH", "When the order is dispatched"
        DAYS = "DAYS", "A number of days after payment"

    is_active = models.BooleanField(default=defaults.LOYALTY_ACTIVE)
    rate = models.DecimalField(max_digits=8, decimal_places=4, help_text=(
        "Points per currency unit paid (not counting what gift cards and points paid). Points are worth one "
        "currency unit each: 0.05 gives 5% back."))
    account_type_code = models.CharField(max_length=128, default=defaults.LOYALTY_ACCOUNT_TYPE)
    spendable = models.CharField(max_length=10, choices=Spendable.choices, default=defaults.LOYALTY_SPENDABLE)
    days = models.PositiveIntegerField(default=defaults.LOYALTY_SPENDABLE_DAYS,
                                       help_text="With 'a number of days after payment'.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        permissions = [("manage_loyalty", "Can change the loyalty rule")]
        constraints = [models.CheckConstraint(condition=models.Q(rate__gte=0), name="loyalty_rate_not_negative")]

    def __str__(self):
        return f"{self.rate} points per unit, spendable {self.get_spendable_display().lower()}"

    @classmethod
    def current(cls) -> "LoyaltyRule":
        rule = cls.objects.order_by("pk").first()
        if rule is None:
            rule = cls.objects.create(
                is_active=loyalty_settings.LOYALTY_ACTIVE,
                rate=Decimal(str(loyalty_settings.LOYALTY_RATE)),
                account_type_code=loyalty_settings.LOYALTY_ACCOUNT_TYPE,
                spendable=loyalty_settings.LOYALTY_SPENDABLE,
                days=loyalty_settings.LOYALTY_SPENDABLE_DAYS,
            )
        return rule


class LoyaltyAccrual(models.Model):
    """The points one order earned, and what became of them."""

    order = models.OneToOneField("order.Order", on_delete=models.PROTECT, related_name="loyalty_accrual")
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+")
    basis = money_field()  # what counted towards points
    earned = money_field()
    taken_back = money_field(default=0)
    #: Points that should have been taken back but were spent already (never taken below zero).
    shortfall = money_field(default=0)
    hold = models.ForeignKey("ledger.Hold", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    spendable_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.earned} points for order {self.order_id}"

    @property
    def remaining(self) -> Decimal:
        return self.earned - self.taken_back - self.shortfall
