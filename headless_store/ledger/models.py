"""Ledger models: a chart of account types, accounts, transfers and their two legs.

Balances live in the account row and change only through `facade.transfer()`, in the same
statement that checks the credit limit. Transfers and legs are write-once: the models refuse
updates and deletes, and on PostgreSQL a trigger refuses them too (migration 0002).
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from . import codes, ownership
from .money import STORED_DECIMAL_PLACES, STORED_MAX_DIGITS, quantize


def money_field(**kwargs):
    return models.DecimalField(
        max_digits=STORED_MAX_DIGITS, decimal_places=STORED_DECIMAL_PLACES, **kwargs
    )


class AccountType(MP_Node):
    """A node of the chart of accounts (Assets, Liabilities / Deferred income / Gift cards...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        verbose_name = _("account type")
        verbose_name_plural = _("account types")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        """Ancestor names joined with " / ", e.g. "Liabilities / Deferred income / Gift cards"."""
        return " / ".join([a.name for a in AccountType.objects.get_ancestors(self)] + [self.name])


class AccountQuerySet(models.QuerySet):
    def active(self, at=None):
        """Accounts inside their validity window at `at` (start inclusive, end exclusive)."""
        at = at or timezone.now()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=at)).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=at)
        )

    def expired(self, at=None):
        """Accounts whose end date has passed at `at` (the end instant itself is expired)."""
        return self.filter(end_date__lte=at or timezone.now())

    def with_code(self, code: str):
        return self.filter(code_hash=codes.code_hash(code))

    def with_usable_lot_credit(self, at=None):
        """Each account with what its credit lots usable now have free, in the same query, so
        `amount_available` needs no query of its own (a page of accounts)."""
        from .lots import USABLE_ANNOTATION, usable_credit_expression

        return self.annotate(**{USABLE_ANNOTATION: usable_credit_expression(at)})

    def visible_to(self, user):
        """Accounts of which `user` is the primary or a secondary user (ownership.py)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(ownership.owned_by(user.pk))

    def usable_by(self, user):
        """Accounts `user` may move money out of: theirs, or nobody's (ownership.py)."""
        if user is None:
            return self
        return self.filter(ownership.usable_by(user.pk))


class ActiveAccountManager(models.Manager.from_queryset(AccountQuerySet)):
    def get_queryset(self):
        return super().get_queryset().active()


class ExpiredAccountManager(models.Manager.from_queryset(AccountQuerySet)):
    def get_queryset(self):
        return super().get_queryset().expired()


class Account(models.Model):
    """An account holding money in one currency: a wallet, a gift card, a core account."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        FROZEN = "FROZEN", _("Frozen")
        CLOSED = "CLOSED", _("Closed")

    # django-oscar-accounts' constants, kept for code written against it.
    OPEN, FROZEN, CLOSED = Status.OPEN, Status.FROZEN, Status.CLOSED

    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True, default="")
    account_type = models.ForeignKey(
        AccountType, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("type")
    )
    currency = models.CharField(_("currency"), max_length=3)
    # Gift cards: the keyed hash of the code and its last 4 characters; never the code itself.
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    code_last4 = models.CharField(_("code (last 4)"), max_length=4, blank=True, default="")
    primary_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("primary user"),
    )
    secondary_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_ledger_accounts",
        verbose_name=_("secondary users"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )
    # 0: may not go below zero. NULL: unlimited (source accounts such as Bank).
    credit_limit = money_field(verbose_name=_("credit limit"), default=Decimal("0"), null=True, blank=True)
    # Kept in the row; changed only by the facade's UPDATE statements (never by save()).
    balance = money_field(verbose_name=_("balance"), default=Decimal("0"), editable=False)
    # What pending holds reserve of it (kept in the row like the balance, by facade.hold/capture/void).
    held = money_field(verbose_name=_("held"), default=Decimal("0"), editable=False)
    start_date = models.DateTimeField(_("start date"), null=True, blank=True)
    end_date = models.DateTimeField(_("end date"), null=True, blank=True)
    product_range = models.ForeignKey(
        "offer.Range",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product range"),
    )
    can_be_used_for_non_products = models.BooleanField(
        _("can be used for shipping and other non-product charges"), default=True
    )
    # The wallet get_or_create_wallet() opens on first use: one per user, type and currency.
    is_default_wallet = models.BooleanField(default=False, editable=False)
    # Customer-owned accounts (types under Deferred income, B2B prepaid excepted) keep their money
    # in credit lots (lots.py): this is their type's code, whose lot policy applies; NULL for
    # accounts without lots (core accounts, B2B). Set when the account is made, never changed.
    lot_type = models.CharField(max_length=64, null=True, blank=True, editable=False)
    date_created = models.DateTimeField(_("created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = models.Manager.from_queryset(AccountQuerySet)()
    active = ActiveAccountManager()
    expired = ExpiredAccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["-date_created", "-id"]
        permissions = [
            ("manage_accounts", "Can create, edit, freeze, thaw and close accounts"),
            ("issue_gift_cards", "Can issue gift cards"),
            ("move_money", "Can top up and withdraw from accounts"),
            ("view_reports", "Can view ledger reports"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(balance__gte=-F("credit_limit")),
                name="ledger_account_balance_within_credit_limit",
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="ledger_account_credit_limit_not_negative",
            ),
            models.CheckConstraint(condition=Q(held__gte=0), name="ledger_account_held_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["OPEN", "FROZEN", "CLOSED"]),
                name="ledger_account_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lt=F("end_date")),
                name="ledger_account_start_before_end",
            ),
            # Core and other unowned named accounts: one per name and currency (unnamed accounts,
            # which django-oscar-accounts allows, are not core accounts).
            models.UniqueConstraint(
                fields=["name", "currency"],
                condition=Q(primary_user__isnull=True, code_hash__isnull=True) & ~Q(name=""),
                name="ledger_account_unique_unowned_name",
            ),
            # A user has at most one open or frozen default wallet per type and currency.
            models.UniqueConstraint(
                fields=["primary_user", "account_type", "currency"],
                condition=Q(is_default_wallet=True) & ~Q(status="CLOSED"),
                name="ledger_account_one_default_wallet",
            ),
        ]
        indexes = [models.Index(fields=["end_date", "status"], name="ledger_account_expiry_idx")]

    def __str__(self):
        if self.code_last4:
            return f"{self.name} ({codes.mask(self.code_last4)})"
        return self.name

    def save(self, *args, **kwargs):
        # A stale instance must never write its balance or status back over the row.
        if self._state.adding:
            if self.balance:
                raise ValueError("A new account starts at zero; fund it with facade.transfer().")
        else:
            protected = {"balance", "status", "held"}
            update_fields = kwargs.get("update_fields")
            if update_fields is None:
                kwargs["update_fields"] = [
                    f.name
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.name not in protected
                ]
            elif protected & set(update_fields):
                raise ValueError("balance and status change only through the ledger services.")
        if self._state.adding and self.lot_type is None:
            from .lots import lot_type_for

            self.lot_type = lot_type_for(self.account_type)
        super().save(*args, **kwargs)

    # -- state ------------------------------------------------------------------------------
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_frozen(self) -> bool:
        return self.status == self.Status.FROZEN

    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_active(self, at=None) -> bool:
        """Inside the validity window (start inclusive, end exclusive), as `Account.active`."""
        at = at or timezone.now()
        if self.start_date and at < self.start_date:
            return False
        if self.end_date and at >= self.end_date:
            return False
        return True

    def is_expired(self, at=None) -> bool:
        return bool(self.end_date and (at or timezone.now()) >= self.end_date)

    def days_remaining(self, from_date=None):
        """Whole days until the end date; None without one, 0 once it has passed."""
        if self.end_date is None:
            return None
        from_date = from_date or timezone.now()
        if from_date >= self.end_date:
            return 0
        return (self.end_date - from_date).days

    @property
    def is_gift_card(self) -> bool:
        return self.code_hash is not None

    @property
    def masked_code(self) -> str:
        return codes.mask(self.code_last4)

    # -- money ------------------------------------------------------------------------------
    @property
    def has_credit_limit(self) -> bool:
        return self.credit_limit is not None

    @property
    def amount_available(self):
        """What may still be debited now: balance, less what holds reserve, plus credit limit, and
        no more than the credit lots usable now have free; None when unlimited (lots.amount_available,
        the rule the debit keeps)."""
        from .lots import amount_available

        return amount_available(self)

    def is_debit_permitted(self, amount) -> bool:
        available = self.amount_available
        return available is None or Decimal(amount) <= available

    def can_be_authorised_by(self, user=None) -> bool:
        """May `user` move money out of this account?

        No user: yes (system postings). Otherwise the rule of ownership.py: the primary user and
        any secondary user may; an account with neither belongs to nobody and anyone may.
        """
        if user is None:
            return True
        if self.primary_user_id is not None and self.primary_user_id == user.pk:
            return True  # the rule's first case, known without a query
        return type(self).objects.filter(pk=self.pk).usable_by(user).exists()

    def can_pay_for(self, product=None) -> bool:
        """May this account pay for `product` (an order line's), or, with None, for shipping and
        other non-product charges? The checkout applies this per line of an order."""
        if product is None:
            return self.can_be_used_for_non_products
        return self.product_range_id is None or self.product_range.contains_product(product)

    def permitted_allocation(self, amount_due) -> Decimal:
        """How much of `amount_due` (what is due of the parts this account may pay for, see
        `can_pay_for`) the account may pay: at most what it can spend, never below zero."""
        amount = Decimal(amount_due)
        available = self.amount_available
        if available is not None:
            amount = min(amount, available)
        return max(quantize(amount, self.currency), Decimal("0"))

    def close(self):
        """Close the account (it must be empty). Raises AccountNotEmpty otherwise."""
        from .services.accounts import close_account

        close_account(self)

    def freeze(self):
        from .services.accounts import freeze_account

        freeze_account(self)

    def thaw(self):
        from .services.accounts import thaw_account

        thaw_account(self)

    def num_transactions(self) -> int:
        return self.transactions.count() if self.pk else 0


class ImmutableQuerySet(models.QuerySet):
    """Ledger history is write-once: no bulk update or delete through the ORM."""

    mutable_fields: frozenset = frozenset()

    def delete(self):
        raise RuntimeError(f"{self.model.__name__} records cannot be deleted")

    delete.queryset_only = True

    def update(self, **kwargs):
        if not set(kwargs) <= self.mutable_fields:
            raise RuntimeError(f"{self.model.__name__} records cannot be changed")
        return super().update(**kwargs)


class TransferQuerySet(ImmutableQuerySet):
    # Deleting a user sets Transfer.user to NULL; the username snapshot keeps the audit trail.
    mutable_fields = frozenset({"user", "user_id"})


class Transfer(models.Model):
    """Money moved from one account to another: the business event behind two legs."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    source = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="source_transfers"
    )
    destination = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="destination_transfers"
    )
    amount = money_field(verbose_name=_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    # The transfer this one reverses or refunds (in part or in full).
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="related_transfers"
    )
    merchant_reference = models.CharField(max_length=128, null=True, blank=True, db_index=True)
    description = models.CharField(max_length=256, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_transfers",
    )
    # Snapshot of the acting user's username: the audit trail survives the user's deletion.
    username = models.CharField(max_length=150, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    date_created = models.DateTimeField(_("created"), db_index=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-date_created", "-id"]
        permissions = [("reverse_transfer", "Can reverse or refund transfers")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(source=F("destination")), name="ledger_transfer_distinct_accounts"
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Transfers cannot be changed")
        raise RuntimeError("Transfers are created by facade.transfer()")

    def delete(self, *args, **kwargs):
        raise RuntimeError("Transfers cannot be deleted")

    @property
    def authorisor_username(self) -> str:
        return self.user.get_username() if self.user_id and self.user else self.username

    def reversed_amount(self) -> Decimal:
        """Total of the reversals and refunds made against this transfer so far."""
        total = self.related_transfers.aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0")

    def max_refund(self) -> Decimal:
        """What is still left to reverse or refund."""
        return self.amount - self.reversed_amount()


class Transaction(models.Model):
    """One leg of a transfer: the signed change to one account, and its balance afterwards.

    The code calls it `Leg` (the alias below). The model keeps django-oscar-accounts' class name
    `Transaction` because its migrations, its table and the compatibility package's proxy models
    (oscar_accounts) name it so."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="transactions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="transactions")
    amount = money_field(verbose_name=_("amount"))
    balance_after = money_field(verbose_name=_("balance after"))
    date_created = models.DateTimeField(_("created"))

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date_created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "account"], name="ledger_leg_one_per_account"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_leg_amount_not_zero"),
        ]
        indexes = [
            models.Index(fields=["account", "-id"], name="ledger_leg_account_history_idx"),
            # A balance at any moment: the account's last leg at or before it (its balance_after).
            # (balance_after in the index on PostgreSQL: an index-only read.)
            models.Index(fields=["account", "date_created", "id"], include=["balance_after"],
                         name="ledger_leg_account_time_idx"),
        ]

    def __str__(self):
        return f"{self.amount} on {self.account_id} (transfer {self.transfer_id})"

    def save(self, *args, **kwargs):
        raise RuntimeError("Transactions are created by facade.transfer() and cannot be changed")

    def delete(self, *args, **kwargs):
        raise RuntimeError("Transactions cannot be deleted")


#: One account's side of a transfer: the name the code uses for the `Transaction` model.
Leg = Transaction



class Hold(models.Model):
    """Money reserved on a source account for a destination, to be captured (posted as a
    transfer, in full or in part) or voided; it expires at `expires_at` if neither happens.

    While PENDING its amount counts in the source's `held`, so what the source may still spend is
    `balance - held + credit_limit`. Rows change only through the facade's state transitions."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        CAPTURED = "CAPTURED", _("Captured")
        VOIDED = "VOIDED", _("Voided")
        EXPIRED = "EXPIRED", _("Expired")

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    source = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holds")
    destination = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = money_field(verbose_name=_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("expires at"))
    merchant_reference = models.CharField(max_length=128, null=True, blank=True)
    description = models.CharField(max_length=256, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="ledger_holds")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # The capture: the transfer that posted it (partial captures release the rest).
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="hold")
    date_created = models.DateTimeField(_("created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_hold_amount_positive"),
            models.CheckConstraint(condition=~Q(source=F("destination")), name="ledger_hold_distinct_accounts"),
            models.CheckConstraint(condition=Q(status__in=["PENDING", "CAPTURED", "VOIDED", "EXPIRED"]),
                                   name="ledger_hold_status_valid"),
            models.CheckConstraint(condition=Q(transfer__isnull=True) | Q(status="CAPTURED"),
                                   name="ledger_hold_transfer_only_when_captured"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="ledger_hold_expiry_idx")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        raise RuntimeError("Holds change only through facade.hold(), capture() and void()")

    def delete(self, *args, **kwargs):
        raise RuntimeError("Holds cannot be deleted")

    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def has_expired(self, at=None) -> bool:
        return self.expires_at <= (at or timezone.now())


class IdempotencyRecord(models.Model):
    """The outcome of an operation made with an idempotency key (redeem, pay...), kept so a
    retry returns the first result instead of running again.

    The row is inserted at the start of the operation's transaction: a concurrent retry waits
    on the unique index until the first call commits (then replays it) or rolls back (then
    runs itself). A failed operation leaves no record, so its key can be used again.
    """

    scope = models.CharField(max_length=80)  # whose key: "user:12", "session:ab12..."
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # sha256 of the operation's input
    result = models.JSONField(null=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="ledger_idempotency_scope_key"),
        ]

    def __str__(self):
        return f"{self.operation} {self.scope}/{self.key}"


class LegacyImport(models.Model):
    """A row brought across from django-oscar-accounts, so that importing again adds only what
    is new (services/oa_import.py)."""

    kind = models.CharField(max_length=16)  # type, account, transfer, leg
    legacy_id = models.BigIntegerField()
    new_id = models.BigIntegerField()
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "legacy_id"], name="ledger_legacy_import_once")]

    def __str__(self):
        return f"OA {self.kind} #{self.legacy_id} -> #{self.new_id}"


class Lot(models.Model):
    """One credit into a customer-owned account, spent on its own clock (lots.py).

    `remaining` is what is left of `amount`; `held` what pending holds reserve of it. A lot may
    be spent from `effective_from` (inclusive) until `expires_at` (exclusive); its money then
    lapses. Rows change only through the ledger's own statements (lots.py), under the account's
    row lock."""

    class Category(models.TextChoices):
        PROMOTIONAL = "promotional", _("Promotional")
        POINTS = "points", _("Points")
        PAID = "paid", _("Paid")
        REFUND = "refund", _("Refund")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lots")
    # The credit that made it; NULL for a balance carried over (migration 0006, the OA import).
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="lots")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    # Spending order among lots expiring together: promotional 0, points 1, paid 2, refund 3.
    priority = models.PositiveSmallIntegerField()
    amount = money_field(verbose_name=_("amount"))
    remaining = money_field(verbose_name=_("remaining"))
    held = money_field(verbose_name=_("held"), default=Decimal("0"))
    effective_from = models.DateTimeField(_("effective from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    date_created = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("credit lot")
        verbose_name_plural = _("credit lots")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_lot_amount_positive"),
            models.CheckConstraint(condition=Q(remaining__gte=0) & Q(remaining__lte=F("amount")),
                                   name="ledger_lot_remaining_within_amount"),
            models.CheckConstraint(condition=Q(held__gte=0) & Q(held__lte=F("remaining")),
                                   name="ledger_lot_held_within_remaining"),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True) | Q(expires_at__isnull=True)
                | Q(effective_from__lt=F("expires_at")),
                name="ledger_lot_starts_before_it_expires",
            ),
        ]
        indexes = [
            # What a debit reads: the account's lots with money left, in spending order.
            models.Index(fields=["account", "expires_at", "priority", "id"], condition=Q(remaining__gt=0),
                         name="ledger_lot_spendable_idx"),
            models.Index(fields=["expires_at"], condition=Q(remaining__gt=0), name="ledger_lot_expiry_idx"),
        ]

    def __str__(self):
        return f"lot #{self.pk} of account #{self.account_id}: {self.remaining} of {self.amount} {self.category}"

    def is_spendable(self, at=None) -> bool:
        at = at or timezone.now()
        return (self.effective_from is None or self.effective_from <= at) and (
            self.expires_at is None or at < self.expires_at)


class LotEntry(models.Model):
    """Which lots a leg or a hold used, and how much: the per-leg record of lot bookkeeping.

    The leg is the transfer's leg on the lot's account. SPEND (a debit or a capture: negative),
    RESTORE (a reversal giving back: positive), LAPSE (expiry: negative) change the lot's
    `remaining`; RESERVE (a hold: positive) changes its `held` while the hold is pending (negative
    when another hold's capture on a credit-limited account spent the lot first: lots.py).
    `chosen_at` is when the lot was picked (a capture's: its hold's reservation)."""

    class Kind(models.TextChoices):
        SPEND = "SPEND", _("Spent")
        RESTORE = "RESTORE", _("Given back")
        LAPSE = "LAPSE", _("Lapsed")
        RESERVE = "RESERVE", _("Reserved by a hold")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="entries")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="lot_entries")
    hold = models.ForeignKey(Hold, on_delete=models.PROTECT, null=True, blank=True, related_name="lot_entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = money_field(verbose_name=_("amount"))
    chosen_at = models.DateTimeField()
    date_created = models.DateTimeField()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot entry")
        verbose_name_plural = _("lot entries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_lot_entry_amount_not_zero"),
            models.CheckConstraint(
                condition=(Q(kind="RESERVE") & Q(hold__isnull=False) & Q(transfer__isnull=True))
                | (~Q(kind="RESERVE") & Q(transfer__isnull=False) & Q(hold__isnull=True)),
                name="ledger_lot_entry_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} on lot #{self.lot_id}"


class LotNotice(models.Model):
    """A notice to a lot's owner, recorded once: `expiring_soon` once per lot and expiry date (a
    load that pushes the expiry out makes a new one due), `expired` once per lapse transfer and
    lot. The row is written with its event (`credit.expiring_soon` / `credit.expired`) in one
    transaction; the unique constraints make a second sweep, or a concurrent one, a no-op. Its
    e-mail is sent afterwards (services/notices.py), and `email_status` says what became of it."""

    class Kind(models.TextChoices):
        EXPIRING_SOON = "expiring_soon", _("Expiring soon")
        EXPIRED = "expired", _("Expired")

    class EmailStatus(models.TextChoices):
        PENDING = "PENDING", _("To send")
        SENT = "SENT", _("Sent")
        OPTED_OUT = "OPTED_OUT", _("Not sent: the customer opted out")
        NO_ADDRESS = "NO_ADDRESS", _("Not sent: no owner with an e-mail address")
        FAILED = "FAILED", _("Given up after failed sends")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The expiry announced (expiring_soon) or passed (expired).
    expires_at = models.DateTimeField()
    # What was left to expire (expiring_soon) or what lapsed (expired).
    amount = money_field()
    # expired: the transfer to Lapsed.
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    email_status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=200, blank=True, default="")
    emailed_at = models.DateTimeField(null=True, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credit lot notice")
        verbose_name_plural = _("credit lot notices")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "expires_at"], condition=Q(kind="expiring_soon"),
                                    name="ledger_lot_notice_expiring_once"),
            models.UniqueConstraint(fields=["lot", "transfer"], condition=Q(kind="expired"),
                                    name="ledger_lot_notice_expired_once"),
            models.CheckConstraint(condition=Q(kind="expiring_soon", transfer__isnull=True)
                                   | Q(kind="expired", transfer__isnull=False), name="ledger_lot_notice_kind"),
        ]
        indexes = [models.Index(fields=["email_status", "id"], name="ledger_lot_notice_email_idx",
                                condition=Q(email_status="PENDING"))]

    def __str__(self):
        return f"{self.kind} notice for lot #{self.lot_id}"


class CreditEmailPreference(models.Model):
    """A customer's choice about e-mails on their store credit (expiring soon, expired). No row:
    they get them. The customer changes it on their account page (/accounts/credit-emails/)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="credit_email_preference")
    expiry_emails = models.BooleanField(_("e-mail me before my store credit expires, and when it has"), default=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credit e-mail preference")

    def __str__(self):
        return f"credit e-mails for user #{self.user_id}: {'on' if self.expiry_emails else 'off'}"
