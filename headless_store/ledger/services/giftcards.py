"""Gift cards: issuing them (one, or a batch by staff; the code is returned once), finding one by
code (throttled) and redeeming one into a wallet."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from headless_store.kernel.compiled import CompiledQuery

from .. import codes, core, events, exceptions, facade, names, throttle
from ..conf import settings
from ..models import Account
from ..money import parse_amount
from .accounts import account_type, aware_dates, check_limits, check_window, create_account


@dataclass(frozen=True)
class IssuedGiftCard:
    account: Account
    code: str  # shown once, in groups of four; only its hash is stored


def _with_new_code(write):
    """(code, what `write(code)` returned) for a freshly generated code, `write` run in a savepoint
    and tried again with another code if the code's hash is taken already."""
    for _attempt in range(5):
        code = codes.generate()
        try:
            with transaction.atomic():
                return code, write(code)
        except IntegrityError:  # a code collision: 80 bits make this all but impossible
            continue
    raise RuntimeError("Could not generate a unique gift-card code.")  # a bug, not a refusal


def issue_gift_card(*, amount, currency: str, source: Account | None = None, user=None,
                    name: str | None = None, merchant_reference: str | None = None,
                    description: str = "Gift card issued", **fields) -> IssuedGiftCard:
    """Open a gift-card account, fund it from `source` (default: the Unpaid source account)."""
    source = source or core.unpaid_source_account(currency)
    kind = account_type(names.GIFT_CARDS)
    with transaction.atomic():
        code, account = _with_new_code(lambda code: create_account(
            name=name or f"Gift card {codes.mask(codes.last4(code))}", account_type=kind, currency=currency,
            code_hash=codes.code_hash(code), code_last4=codes.last4(code), **fields,
        ))
        posted = facade.transfer(
            source, account, amount, user=user, description=description,
            merchant_reference=merchant_reference, check_authorisation=False,
        )
        events.giftcard_issued(account, posted)
    return IssuedGiftCard(account=account, code=codes.display(code))


def rekey_gift_card(account: Account) -> str:
    """Give a card a new code and return it (shown once, as at issue); the old code stops working.
    Inside the caller's transaction: if it rolls back, the old code stays the card's."""
    code, _updated = _with_new_code(lambda code: Account.objects.filter(pk=account.pk).update(
        code_hash=codes.code_hash(code), code_last4=codes.last4(code)))
    account.code_hash, account.code_last4 = codes.code_hash(code), codes.last4(code)
    return codes.display(code)


def find_by_code(code: str, *, ip: str | None, user=None, require_balance: bool = True) -> Account:
    """The open, active gift card with this code, or InvalidCode; every failure is counted (see
    throttle.py: the attempt is counted before the lookup, so concurrent guesses cannot overrun
    the limit).

    Unknown, closed, frozen, expired, not yet valid and (with `require_balance`) empty cards
    all raise the same InvalidCode, so the answer reveals nothing about which codes exist.
    A card assigned to a user can only be used by that user.
    """
    throttle.reserve(ip, user)
    normalised = codes.normalise(code)
    account = None
    if 4 <= len(normalised) <= 64:
        account = _BY_CODE.first(code_hash=codes.code_hash(normalised), at=timezone.now())
    if account is None or not _usable(account, user, require_balance):
        throttle.record_failure(ip, user, reserved=True)
        raise exceptions.InvalidCode("This code is not valid.", field="code")
    throttle.release(ip, user)
    return account


#: `Account.objects.with_code(code).with_usable_lot_credit().first()`, compiled once.
_BY_CODE = CompiledQuery(
    lambda code_hash, at: Account.objects.filter(code_hash=code_hash).with_usable_lot_credit(at=at).order_by("pk")[:1],
    code_hash=str, at=datetime,
)


def _usable(account: Account, user, require_balance: bool) -> bool:
    if not account.is_open() or not account.is_active():
        return False
    if require_balance and account.balance <= 0:
        return False
    if account.primary_user_id is not None:
        return user is not None and account.can_be_authorised_by(user)
    return True


@dataclass(frozen=True)
class Redemption:
    transfer: object
    wallet: Account
    replayed: bool = False


def redeem_gift_card(*, code: str, user, ip: str | None, idempotency_key: str | None = None) -> Redemption:
    """Move a gift card's whole balance into the user's store-credit wallet of its currency.

    The wallet is opened on first use. The card is left empty; redeeming it again answers
    InvalidCode, like an unknown code. With an idempotency key, a retry returns the first
    redemption and moves nothing.
    """
    from ..models import Transfer
    from .accounts import get_or_create_wallet
    from .idempotency import Scope, run_idempotent

    def action():
        card = find_by_code(code, ip=ip, user=user)
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=card.pk)
            if locked.balance <= 0 or not locked.is_open():  # emptied by a concurrent redeem
                throttle.record_failure(ip, user)
                raise exceptions.InvalidCode("This code is not valid.", field="code")
            if locked.held > 0:  # part of it is held by a checkout that has not finished
                raise exceptions.InsufficientFunds(
                    "This gift card is paying for a checkout that has not finished yet; redeem it once that checkout "
                    "is paid or released (a held payment is released within minutes if it is not completed).",
                    field="code")
            wallet = get_or_create_wallet(user=user, currency=locked.currency)
            posted = facade.transfer(
                locked, wallet, locked.balance, user=user, description="Gift card redeemed"
            )
            events.giftcard_redeemed(locked, wallet, user, posted)
        return {"transfer": posted.pk, "wallet": wallet.pk}

    result, replayed = run_idempotent(
        scope=Scope.customer(user), key=idempotency_key, operation="redeem_gift_card",
        payload=codes.code_hash(code), action=action,
    )
    return Redemption(
        transfer=Transfer.objects.get(pk=result["transfer"]),
        wallet=Account.objects.select_related("account_type", "product_range").get(pk=result["wallet"]),
        replayed=replayed,
    )


@dataclass(frozen=True)
class GiftCardBatch:
    cards: list[IssuedGiftCard]

    @property
    def total(self) -> Decimal:
        return sum((card.account.balance for card in self.cards), Decimal("0"))


def issue_gift_cards(*, staff, count: int, amount, currency: str, source: Account | None = None,
                     **fields) -> GiftCardBatch:
    """Issue `count` gift cards of `amount` each in one transaction; their codes are returned
    once, here, and never again."""
    limit = settings.ACCOUNTS_MAX_GIFT_CARDS_PER_BATCH
    if not isinstance(count, int) or not 1 <= count <= limit:
        raise exceptions.InvalidInput(f"Issue between 1 and {limit} gift cards at a time.", field="count")
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, currency)
    aware_dates(fields)
    check_window(fields.get("start_date"), fields.get("end_date"))
    check_limits(amount, Account(currency=currency), currency)
    source = source or core.unpaid_source_account(currency)
    with transaction.atomic():
        cards = [
            issue_gift_card(amount=amount, currency=currency, source=source, user=staff, **fields)
            for _ in range(count)
        ]
    return GiftCardBatch(cards)
