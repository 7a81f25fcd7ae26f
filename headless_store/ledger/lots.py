"""Credit lots: every credit into a customer-owned account is a lot with its own clock.

Which accounts: those whose type lies under Deferred income (store credit, gift cards, loyalty
points, refund wallets and a shop's own types there), B2B prepaid excepted; `Account.lot_type`
says so, set when the account is made. For them, always: the lots' `remaining` sum to the
balance (to zero while a credit account is below zero), and no lot is below zero.

**Spending order** (debits, holds, captures): lots usable now (`effective_from <= now <
expires_at`) that expire soonest first (never-expiring last), then promotional before points
before paid before refund credit, then the oldest. A reversal of a credit takes back from that
credit's own lot first. If the lots usable now cannot cover what the balance allows (a lot not
yet effective, or expired and not yet swept), the debit is refused with InsufficientFunds.
What may be spent now is `amount_available()`: the one rule the API, the checkout and the
dashboard read, and the one the debit's own check keeps (tests/ledger/test_amount_available.py
proves the two agree for every shape of lots, holds and credit limit).

**Reversals give back** to the lots the reversed debit took from, the last taken first (the
longest-lived money first); the share of a lot that has expired meanwhile goes on to Lapsed in
the same transaction. What the original did not take from lots (a debit from before lots
existed) becomes a new lot.

**Money moved between two customer accounts** (a gift card redeemed into a wallet) keeps its
category and clock: the destination gets one lot per lot the source spent.

**Expiry**: `expire_lots()` writes one transfer to Lapsed per expired lot, for just that lot's
free part (what pending holds reserve of it lapses once they end). An account's own `end_date`
still lapses everything (`services/expiry.py`).

The bookkeeping is a few statements per posting, run by the facade under the account's row lock
(taken by its conditional UPDATE, so no other lock is needed): one INSERT per credit; per debit
one INSERT ... SELECT choosing the lots (a running sum in spending order), recording them in
LotEntry and, on PostgreSQL in the same statement, applying them to the lots (and carrying them to
a customer destination); elsewhere one UPDATE (and one INSERT) more.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import exceptions, names
from .conf import settings
from .models import Account, AccountType, Hold, Lot, LotEntry, Transfer
from .money import STORED_DECIMAL_PLACES, STORED_MAX_DIGITS, Money
from .money import rounded as _r  # short: it wraps most of this module's SQL
from .money import stored_amount as _dec

LOT = Lot._meta.db_table
ENTRY = LotEntry._meta.db_table
TRANSFER = Transfer._meta.db_table
HOLD = Hold._meta.db_table

CATEGORIES = tuple(Lot.Category.values)
#: Spending order among lots that expire at the same time.
PRIORITY = {
    Lot.Category.PROMOTIONAL: 0, Lot.Category.POINTS: 1, Lot.Category.PAID: 2, Lot.Category.REFUND: 3,
}


# -- what a caller may say about a posting ----------------------------------------------------
@dataclass(frozen=True)
class Credit:
    """The terms of the lot a credit makes: `facade.transfer(..., lot=Credit(...))`. Unset
    category: by account type and source (see `default_category`)."""

    category: str | None = None
    effective_from: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class FromHold:
    """A capture: spend what the hold reserved (holds.capture passes it)."""

    hold_id: int


@dataclass(frozen=True)
class Lapse:
    """An expiry: take from this lot only (`lot_id`), or from every lot whatever its window
    (None: the account itself expired)."""

    lot_id: int | None = None


def check_terms(terms):
    """Refuse malformed lot terms before anything is written."""
    if terms is None or isinstance(terms, (FromHold, Lapse)):
        return terms
    if not isinstance(terms, Credit):
        raise exceptions.InvalidInput("Lot terms must be a lots.Credit.", field="lot")
    if terms.category is not None and terms.category not in CATEGORIES:
        raise exceptions.InvalidInput(
            f"A lot's category is one of {', '.join(CATEGORIES)}.", field="lot.category")
    for name in ("effective_from", "expires_at"):
        value = getattr(terms, name)
        if value is not None and (not isinstance(value, datetime) or timezone.is_naive(value)):
            raise exceptions.InvalidInput("Lot dates are timezone-aware datetimes.", field=f"lot.{name}")
    if terms.effective_from and terms.expires_at and terms.effective_from >= terms.expires_at:
        raise exceptions.InvalidInput("A lot must become effective before it expires.", field="lot.expires_at")
    return terms


# -- which accounts, which policy ----------------------------------------------------------------
def lot_type_for(account_type) -> str | None:
    """The type code whose lot policy applies to accounts of `account_type`, or None if such
    accounts keep no lots (anything outside Deferred income, and B2B prepaid)."""
    if account_type is None:
        return None
    paths = dict(AccountType.objects.filter(code__in=[names.DEFERRED_INCOME, names.B2B_PREPAID])
                 .values_list("code", "path"))
    deferred, b2b = paths.get(names.DEFERRED_INCOME), paths.get(names.B2B_PREPAID)
    if deferred is None or account_type.path == deferred or not account_type.path.startswith(deferred):
        return None
    if b2b is not None and account_type.path.startswith(b2b):
        return None
    return account_type.code


@dataclass(frozen=True)
class LotPolicy:
    min_life: timedelta | None = None
    extend_on_load: bool = False


def lot_policy(lot_type: str | None) -> LotPolicy:
    """ACCOUNTS_LOT_POLICIES[type code]: `min_life_days` (a lot's expiry is never sooner than that
    after it becomes effective) and `extend_on_load` (a new lot pushes the expiry of earlier lots
    of its category with money left out to its own)."""
    spec = (settings.ACCOUNTS_LOT_POLICIES or {}).get(lot_type) or {}
    days = spec.get("min_life_days")
    return LotPolicy(timedelta(days=days) if days else None, bool(spec.get("extend_on_load")))


def default_category(destination, source) -> str:
    """Loyalty points -> points; refund wallets -> refund; from Promotions -> promotional; from
    Redemptions (money back from an order) -> refund; anything else (gift cards, top-ups) -> paid."""
    if destination.lot_type == names.LOYALTY_POINTS:
        return Lot.Category.POINTS
    if destination.lot_type == names.REFUND_WALLETS:
        return Lot.Category.REFUND
    if names.is_core(source, "ACCOUNTS_PROMOTIONS_NAME"):
        return Lot.Category.PROMOTIONAL
    if names.is_core(source, "ACCOUNTS_REDEMPTIONS_NAME"):
        return Lot.Category.REFUND
    return Lot.Category.PAID


# -- SQL helpers -------------------------------------------------------------------------------
_N = "CAST(%s AS NUMERIC)"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


_ORDER = "k0, k1, k2, k3, k4"


#: The window rule in SQL: a lot is usable at a moment from `effective_from` (inclusive) until
#: `expires_at` (exclusive). `usable_at()` is the same rule as a Q.
_USABLE_SQL = "(effective_from IS NULL OR effective_from <= %s) AND (expires_at IS NULL OR expires_at > %s)"


def _spendable(account_id, now, prefer_transfer_id=None, *, window=True):
    """Candidate lots in spending order: (sql, params) with columns lot_id, cap, chosen_at, k0..k4."""
    condition = f"account_id = %s AND {_r('remaining - held')} > 0"
    params = [_dt(now), prefer_transfer_id or 0, account_id]
    if window:
        condition += f" AND {_USABLE_SQL}"
        params += [_dt(now), _dt(now)]
    sql = (f"SELECT id AS lot_id, {_r('remaining - held')} AS cap, %s AS chosen_at,"
           " CASE WHEN transfer_id = %s THEN 0 ELSE 1 END AS k0,"
           " CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END AS k1, expires_at AS k2, priority AS k3, id AS k4"
           f" FROM {LOT} WHERE {condition}")
    return sql, params


def _one_lot(account_id, lot_id, now):
    return (f"SELECT id AS lot_id, {_r('remaining - held')} AS cap, %s AS chosen_at, 0 AS k0, 0 AS k1,"
            f" 0 AS k2, 0 AS k3, id AS k4 FROM {LOT} WHERE id = %s AND account_id = %s"
            f" AND {_r('remaining - held')} > 0", [_dt(now), lot_id, account_id])


def _reserved(hold_id):
    """What the hold still reserves, per lot (a capture of another hold may have shrunk it)."""
    return (f"SELECT lot_id, {_r('SUM(amount)')} AS cap, MIN(chosen_at) AS chosen_at, MIN(id) AS k0, 0 AS k1,"
            f" 0 AS k2, 0 AS k3, 0 AS k4 FROM {ENTRY} WHERE hold_id = %s AND kind = 'RESERVE'"
            f" GROUP BY lot_id HAVING {_r('SUM(amount)')} > 0", [hold_id])


def _taken_by(parent_id, account_id, now):
    """What the reversed transfer took from this account's lots and reversals have not given
    back yet, the last taken first."""
    return (f"SELECT e.lot_id, {_r('-SUM(e.amount)')} AS cap, %s AS chosen_at, -MIN(e.id) AS k0, 0 AS k1,"
            f" 0 AS k2, 0 AS k3, 0 AS k4 FROM {ENTRY} e JOIN {LOT} l ON l.id = e.lot_id"
            f" WHERE l.account_id = %s AND e.kind IN ('SPEND', 'RESTORE')"
            f" AND e.transfer_id IN (SELECT id FROM {TRANSFER} WHERE id = %s OR parent_id = %s)"
            f" GROUP BY e.lot_id HAVING {_r('-SUM(e.amount)')} > 0",
            [_dt(now), account_id, parent_id, parent_id])


def _take(cursor, candidates, need: Decimal, *, kind, now, transfer_id=None, hold_id=None, sign=-1,
          column="remaining", carry_to=None):
    """Record entries taking up to `need` from the candidates in their order and apply them to
    the lots' `column` (`remaining`; `held` for a reservation); what was taken, as
    [(lot_id, amount)] with positive amounts, and what `carry_to` (an account id, with
    `transfer_id`) got as lots of the same category and clock, one per lot taken from.

    On PostgreSQL one statement does it all (data-modifying CTEs), so the account row locked by
    the posting is held for one round trip, not three; elsewhere the entries are applied (and
    carried) by the statements that follow, which read back exactly the entries just recorded."""
    sql, params = candidates
    take = _r(f"CASE WHEN cap < {_N} - before THEN cap ELSE {_N} - before END")
    signed = take if sign > 0 else f"-({take})"
    n = str(need)
    insert = (
        f"INSERT INTO {ENTRY} (lot_id, transfer_id, hold_id, kind, amount, chosen_at, date_created)"
        f" SELECT lot_id, %s, %s, %s, {signed}, chosen_at, %s FROM ("
        f"  SELECT lot_id, cap, chosen_at,"
        f"   {_r(f'SUM(cap) OVER (ORDER BY {_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - cap')} AS before"
        f"  FROM ({sql}) c) r"
        f" WHERE before < {_N} ORDER BY before RETURNING id, lot_id, amount"
    )
    insert_params = [transfer_id, hold_id, kind, n, n, _dt(now), *params, n]
    if connection.vendor == "postgresql":
        carry, carry_params, carried = "", [], "0"
        if carry_to is not None:
            carry = (f", carried AS (INSERT INTO {LOT} (account_id, transfer_id, category, priority, amount,"
                     " remaining, held, effective_from, expires_at, date_created)"
                     " SELECT %s, %s, l.category, l.priority, -t.amount, -t.amount, 0, l.effective_from,"
                     f" l.expires_at, %s FROM taken t JOIN {LOT} l ON l.id = t.lot_id WHERE l.account_id <> %s"
                     " ORDER BY t.id RETURNING amount)")
            carry_params = [carry_to, transfer_id, _dt(now), carry_to]
            carried = "(SELECT COALESCE(SUM(amount), 0) FROM carried)"
        cursor.execute(
            f"WITH taken AS ({insert}),"
            f" applied AS (UPDATE {LOT} SET {column} = {LOT}.{column} + t.amount"
            f"  FROM (SELECT lot_id, SUM(amount) AS amount FROM taken GROUP BY lot_id) t WHERE {LOT}.id = t.lot_id)"
            f"{carry} SELECT lot_id, amount, {carried} FROM taken ORDER BY id",
            [*insert_params, *carry_params],
        )
        rows = cursor.fetchall()
        taken = [(lot_id, abs(_dec(amount))) for lot_id, amount, _carried in rows]
        return taken, (_dec(rows[0][2]) if rows else Decimal(0))
    cursor.execute(insert, insert_params)
    rows = cursor.fetchall()
    taken = [(lot_id, abs(_dec(amount))) for _id, lot_id, amount in rows]
    if rows:
        cursor.execute(
            f"UPDATE {LOT} SET {column} = {_r(f'{LOT}.{column} + e.amount')}"
            f" FROM (SELECT lot_id, SUM(amount) AS amount FROM {ENTRY} WHERE id IN ({', '.join(['%s'] * len(rows))})"
            f" GROUP BY lot_id) e WHERE {LOT}.id = e.lot_id",
            [row[0] for row in rows],
        )
    carried = _carry(cursor, carry_to, transfer_id, now) if carry_to is not None and rows else Decimal(0)
    return taken, carried


def _short(account, wanted, got):
    raise exceptions.InsufficientFunds(
        f"Not enough credit usable now: {Money(wanted, account.currency)} asked, "
        f"{Money(got, account.currency)} usable (the rest is not yet effective or "
        "has expired).", field="amount")


# -- the facade's hooks ------------------------------------------------------------------------
class Bookkeeping:
    """The lot bookkeeping of one posting, in the steps the posting calls as it locks each
    account (posting.py's `_move`): `debit()` right after the source's UPDATE, `credit()` right
    after the destination's. Whichever account is locked first has its lots done before the
    second is locked, so the second (the shop's own, busy account, as the posting orders them)
    is held for as few statements as possible; on PostgreSQL a plain credit's lots are written by
    the destination's own UPDATE statement (`credit_sql()`)."""

    def __init__(self, posting, transfer_id, now):
        self.posting, self.transfer_id, self.now = posting, transfer_id, now
        source, destination, terms, parent = posting.source, posting.destination, posting.lot, posting.parent
        # A reversal gives back to the lots the reversed debit took from before anything else.
        self.restoring = (destination.lot_type is not None and parent is not None
                          and parent.source_id == destination.pk and not isinstance(terms, Credit))
        # Money moved between two customer accounts keeps its lots (when all of it is credit).
        self.may_carry = destination.lot_type is not None and terms is None and not self.restoring
        self.takes = source.lot_type is not None
        self.taken, self.carried = [], Decimal(0)
        self.debited = not self.takes  # nothing to take: the credit need not wait for the debit
        self.carried_with_debit = False  # the debit's statement carried its lots to the destination
        self.credited = False  # the destination's lots are done
        self.lapses = []  # (lot, share) given back to expired lots: finish() lapses them

    def debit(self, cursor, source_balance, destination_balance=None):
        """Take from the source's lots (under its lock); with the destination's new balance known
        (it was locked first), carry them across in the same statement."""
        self.debited = True
        if not self.takes:
            return
        posting = self.posting
        need = min(posting.amount, max(source_balance + posting.amount, Decimal(0)))
        if need <= 0:
            return
        carry_to = None
        if destination_balance is not None and self.may_carry and destination_balance >= posting.amount:
            carry_to = posting.destination.pk
        self.taken, self.carried = _debit(cursor, posting.source, need, posting.lot, posting.parent,
                                          self.transfer_id, self.now, carry_to)
        self.carried_with_debit = carry_to is not None

    def credit_sql(self, moved: str, destination_balance=None):
        """On PostgreSQL, the credit's lots as CTEs of the statement whose CTE `moved` is an
        account's UPDATE (RETURNING balance): (sql, params, select), `select` the two sums
        (carried, new lot) to read back. The destination's statement (`destination_balance`
        None), once the debit is done: it carries what the debit took and makes a lot of the
        rest. The source's statement when the destination was locked first (its new balance
        given): the new lot is what the debit will not carry, known from the source's new balance.
        None when the credit needs statements of its own (a reversal giving back to lots, a lot
        policy that extends earlier lots, an account without lots) or must wait for the debit."""
        posting, destination = self.posting, self.posting.destination
        if (connection.vendor != "postgresql" or destination.lot_type is None or self.restoring
                or lot_policy(destination.lot_type).extend_on_load):
            return None
        amount, now = connection.ops.adapt_decimalfield_value(posting.amount), _dt(self.now)
        sql, params, carried_sum = "", [], "0"
        if destination_balance is None:
            if not self.debited:
                return None
            fresh, fresh_params = "LEAST(CAST(%s AS NUMERIC), GREATEST(balance, 0))", [amount]
            if self.may_carry and self.taken:
                sql += (f", carried AS (INSERT INTO {LOT} (account_id, transfer_id, category, priority, amount,"
                        " remaining, held, effective_from, expires_at, date_created)"
                        " SELECT %s, %s, l.category, l.priority, -e.amount, -e.amount, 0, l.effective_from,"
                        f" l.expires_at, %s FROM {ENTRY} e JOIN {LOT} l ON l.id = e.lot_id WHERE e.transfer_id = %s"
                        f" AND e.kind = 'SPEND' AND l.account_id <> %s AND (SELECT balance FROM {moved})"
                        " >= CAST(%s AS NUMERIC) ORDER BY e.id RETURNING amount)")
                params += [destination.pk, self.transfer_id, now, self.transfer_id, destination.pk, amount]
                carried_sum = "(SELECT COALESCE(SUM(amount), 0) FROM carried)"
                fresh += f" - {carried_sum}"
        else:
            credit = min(posting.amount, max(destination_balance, Decimal(0)))
            if self.debited or credit <= 0:
                return None
            fresh, fresh_params = "CAST(%s AS NUMERIC)", [connection.ops.adapt_decimalfield_value(credit)]
            if self.may_carry and credit == posting.amount:  # the debit carries what it takes
                fresh += " - LEAST(CAST(%s AS NUMERIC), GREATEST(balance + CAST(%s AS NUMERIC), 0))"
                fresh_params += [amount, amount]
        category, priority, effective_from, expires_at = self._new_lot_terms()
        sql += (f", fresh AS (INSERT INTO {LOT} (account_id, transfer_id, category, priority, amount, remaining, held,"
                " effective_from, expires_at, date_created)"
                f" SELECT %s, %s, %s, %s, x, x, 0, %s, %s, %s FROM (SELECT {fresh} AS x FROM {moved}) c"
                " WHERE x > 0 RETURNING amount)")
        params += [destination.pk, self.transfer_id, category, priority, effective_from, expires_at, now, *fresh_params]
        return sql, params, f"{carried_sum}, (SELECT COALESCE(SUM(amount), 0) FROM fresh)"

    def credit(self, cursor, destination_balance, fused=None):
        """Credit the destination's lots (under its lock) once the debit is done: `fused`, the
        sums credit_sql()'s CTEs wrote (carried, new lot), when a posting statement did it."""
        if self.credited or not self.debited:
            return
        self.credited = True
        posting, destination = self.posting, self.posting.destination
        credit = (min(posting.amount, max(destination_balance, Decimal(0)))
                  if destination.lot_type is not None else Decimal(0))
        if fused is not None:
            carried, fresh = (_dec(value) for value in fused)
            carried += self.carried
            if carried + fresh != credit:  # cannot happen: a bug, not a refusal
                raise RuntimeError(f"Lot bookkeeping out of step: {carried} carried and {fresh} new for a "
                                   f"credit of {credit}.")
            return
        carried = self.carried
        if self.may_carry and self.taken and not self.carried_with_debit and credit == posting.amount:
            carried = _carry(cursor, destination.pk, self.transfer_id, self.now)
        if carried > credit:  # cannot happen: the credit is the amount the source gave
            raise exceptions.AccountException("Lot bookkeeping out of step.")
        if credit - carried > 0:
            self.lapses = _credit(cursor, posting, credit - carried, self.restoring and credit > 0, bool(self.taken),
                                  self.transfer_id, self.now)

    def finish(self):
        """After both legs are in: what a reversal gave back to lots that have expired goes on to
        Lapsed (transfers of their own, whose legs must follow this one's)."""
        for lot_id, share in self.lapses:
            _lapse_restored(self.posting.destination, lot_id, share, self.posting.parent)

    def _new_lot_terms(self):
        """A new lot's (category, priority, effective_from, expires_at), adapted for SQL."""
        posting = self.posting
        terms = posting.lot if isinstance(posting.lot, Credit) else Credit()
        category = terms.category or default_category(posting.destination, posting.source)
        expires_at = _expiry(terms, posting.destination, self.now)
        return (category, PRIORITY[category], _dt(terms.effective_from) if terms.effective_from else None,
                _dt(expires_at) if expires_at else None)


def _expiry(terms, destination, now):
    """A new lot's expiry: the terms', never sooner than the account type's minimum life."""
    expires_at, policy = terms.expires_at, lot_policy(destination.lot_type)
    if expires_at is not None and policy.min_life is not None:
        expires_at = max(expires_at, max(terms.effective_from or now, now) + policy.min_life)
    return expires_at


def _debit(cursor, source, need, terms, parent, transfer_id, now, carry_to):
    """Take `need` from the source's lots; (what was taken, what `carry_to` got of it)."""
    taken, carried = [], Decimal(0)
    if isinstance(terms, FromHold):
        taken, _ = _take(cursor, _reserved(terms.hold_id), need, kind="SPEND", now=now, transfer_id=transfer_id)
    got = sum((a for _, a in taken), Decimal(0))
    if got < need:
        if isinstance(terms, Lapse):
            candidates = (_one_lot(source.pk, terms.lot_id, now) if terms.lot_id is not None
                          else _spendable(source.pk, now, window=False))
            kind = "LAPSE"
        else:
            prefer = parent.pk if parent is not None and parent.destination_id == source.pk else None
            candidates, kind = _spendable(source.pk, now, prefer), "SPEND"
        more, carried = _take(cursor, candidates, need - got, kind=kind, now=now, transfer_id=transfer_id,
                              carry_to=carry_to if not taken else None)
        taken += more
        got = sum((a for _, a in taken), Decimal(0))
    if got < need and isinstance(terms, FromHold) and _unreserve_for(cursor, source, need - got, terms.hold_id, now):
        more, _ = _take(cursor, _spendable(source.pk, now), need - got, kind="SPEND", now=now, transfer_id=transfer_id)
        taken += more
        got = sum((a for _, a in taken), Decimal(0))
    if got < need:
        _short(source, need, got)
    return taken, carried


def _unreserve_for(cursor, source, short, hold_id, now) -> bool:
    """A capture must take more of the positive balance than its hold could reserve: on an account
    with a credit limit a hold placed while others reserved the lots rests partly on the limit,
    and captured first it spends the balance those others reserved. Their reservations shrink by
    `short` (the newest hold first; each now rests that much on the limit, as the account's `held`
    already allows), so the lots are free for this capture. A hold's capture is never refused
    for want of lots. False when nothing could be freed."""
    cursor.execute(
        f"SELECT e.hold_id, e.lot_id, {_r('SUM(e.amount)')} FROM {ENTRY} e JOIN {HOLD} h ON h.id = e.hold_id"
        f" WHERE h.source_id = %s AND h.status = %s AND e.hold_id <> %s AND e.kind = 'RESERVE'"
        f" AND e.lot_id IN (SELECT id FROM {LOT} WHERE {_USABLE_SQL})"
        f" GROUP BY e.hold_id, e.lot_id HAVING {_r('SUM(e.amount)')} > 0 ORDER BY e.hold_id DESC, e.lot_id",
        [source.pk, Hold.Status.PENDING, hold_id, _dt(now), _dt(now)],
    )
    freed = Decimal(0)
    for other, lot_id, reserved in cursor.fetchall():
        share = min(_dec(reserved), short - freed)
        cursor.execute(
            f"INSERT INTO {ENTRY} (lot_id, transfer_id, hold_id, kind, amount, chosen_at, date_created)"
            " VALUES (%s, NULL, %s, 'RESERVE', %s, %s, %s)",
            [lot_id, other, connection.ops.adapt_decimalfield_value(-share), _dt(now), _dt(now)],
        )
        cursor.execute(f"UPDATE {LOT} SET held = {_r('held - %s')} WHERE id = %s",
                       [connection.ops.adapt_decimalfield_value(share), lot_id])
        freed += share
        if freed >= short:
            break
    return freed > 0


def _credit(cursor, posting, credit, restoring, source_spent_lots, transfer_id, now):
    """Give back to the reversed debit's lots, carry the source's lots across, or make a lot.
    Returns the (lot, share) given back to lots that have expired (they lapse)."""
    destination, parent, terms = posting.destination, posting.parent, posting.lot
    lapses = []
    if restoring:
        restored, _ = _take(cursor, _taken_by(parent.pk, destination.pk, now), credit, kind="RESTORE", now=now,
                            transfer_id=transfer_id, sign=1)
        credit -= sum((a for _, a in restored), Decimal(0))
        if restored:
            cursor.execute(
                f"SELECT id FROM {LOT} WHERE id IN ({', '.join(['%s'] * len(restored))})"
                " AND expires_at IS NOT NULL AND expires_at <= %s", [*(lot for lot, _ in restored), _dt(now)])
            expired = {row[0] for row in cursor.fetchall()}
            lapses = [(lot, share) for lot, share in restored if lot in expired]
        elif credit == posting.amount and source_spent_lots and terms is None:
            # The reversed debit took nothing from these lots (it predates them): carry instead.
            credit -= _carry(cursor, destination.pk, transfer_id, now)
            if credit < 0:  # cannot happen (the source gave the amount carried): a bug, not a refusal
                raise RuntimeError(f"Lot bookkeeping out of step: {posting.amount - credit} carried for a credit "
                                   f"of {posting.amount}.")
    if credit > 0:
        _insert_lot(cursor, destination, posting.source, transfer_id, credit, terms, now)
    return lapses


def _carry(cursor, destination_id, transfer_id, now) -> Decimal:
    """One lot on the destination per lot the source spent in this transfer, same category and
    clock (the entries recorded already). Returns what was carried."""
    cursor.execute(
        f"INSERT INTO {LOT} (account_id, transfer_id, category, priority, amount, remaining, held,"
        " effective_from, expires_at, date_created)"
        f" SELECT %s, %s, l.category, l.priority, -e.amount, -e.amount, 0, l.effective_from, l.expires_at, %s"
        f" FROM {ENTRY} e JOIN {LOT} l ON l.id = e.lot_id WHERE e.transfer_id = %s AND e.kind = 'SPEND'"
        f" AND l.account_id <> %s ORDER BY e.id RETURNING amount",
        [destination_id, transfer_id, _dt(now), transfer_id, destination_id],
    )
    return sum((_dec(row[0]) for row in cursor.fetchall()), Decimal(0))


def _insert_lot(cursor, destination, source, transfer_id, amount, terms, now):
    terms = terms if isinstance(terms, Credit) else Credit()
    category = terms.category or default_category(destination, source)
    effective_from, expires_at = terms.effective_from, _expiry(terms, destination, now)
    if lot_policy(destination.lot_type).extend_on_load:
        if expires_at is None:
            cursor.execute(
                f"UPDATE {LOT} SET expires_at = NULL WHERE account_id = %s AND category = %s AND remaining > 0"
                " AND expires_at IS NOT NULL AND expires_at > %s", [destination.pk, category, _dt(now)])
        else:
            cursor.execute(
                f"UPDATE {LOT} SET expires_at = %s WHERE account_id = %s AND category = %s AND remaining > 0"
                " AND expires_at > %s AND expires_at < %s",
                [_dt(expires_at), destination.pk, category, _dt(now), _dt(expires_at)])
    value = connection.ops.adapt_decimalfield_value(amount)
    cursor.execute(
        f"INSERT INTO {LOT} (account_id, transfer_id, category, priority, amount, remaining, held,"
        " effective_from, expires_at, date_created) VALUES (%s, %s, %s, %s, %s, %s, 0, %s, %s, %s)",
        [destination.pk, transfer_id, category, PRIORITY[category], value, value,
         _dt(effective_from) if effective_from else None, _dt(expires_at) if expires_at else None, _dt(now)],
    )


def _lapse_restored(destination, lot_id, share, parent):
    """A reversal gave `share` back to a lot that has expired: it goes on to Lapsed."""
    from . import core, facade

    account = Account.objects.get(pk=destination.pk)
    facade.transfer(account, core.lapsed_account(account.currency), share, check_authorisation=False,
                    merchant_reference=parent.merchant_reference if parent else None,
                    description=f"Credit lapsed: lot #{lot_id} had expired when it was given back",
                    lot=Lapse(lot_id))


# -- holds ---------------------------------------------------------------------------------------
def reserve(cursor, hold, source, balance, held_after, now):
    """A hold on a lot-keeping account reserves lots in spending order (called by holds.hold)."""
    if source.lot_type is None:
        return
    need = min(hold.amount, max(balance - (held_after - hold.amount), Decimal(0)))
    if need <= 0:
        return
    taken, _ = _take(cursor, _spendable(source.pk, now), need, kind="RESERVE", now=now, hold_id=hold.pk, sign=1,
                     column="held")
    got = sum((a for _, a in taken), Decimal(0))
    if got < need:
        _short(source, need, got)


def release(cursor, hold_id):
    """A hold ended (captured, voided, expired): its lots are no longer reserved."""
    cursor.execute(*release_sql(hold_id))


def release_sql(hold_id) -> tuple[str, list]:
    """release() as (sql, params), for a caller that sends it inside a statement of its own."""
    return (f"UPDATE {LOT} SET held = {_r(f'{LOT}.held - e.amount')}"
            f" FROM (SELECT lot_id, SUM(amount) AS amount FROM {ENTRY} WHERE hold_id = %s AND kind = 'RESERVE'"
            " GROUP BY lot_id) e"
            f" WHERE {LOT}.id = e.lot_id", [hold_id])


# -- balances that arrived without postings ------------------------------------------------------
def carry_balances(account_ids, *, now=None) -> int:
    """Bring the lots of accounts whose balances were written without the facade (the OA import)
    in line with them: what the balance has above its lots becomes one lot (category by account
    type, no clock of its own); what it has below is taken from its lots in spending order,
    recorded against the latest transfer out of the account. How many accounts changed."""
    now = now or timezone.now()
    changed = 0
    accounts = Account.objects.filter(pk__in=list(account_ids), lot_type__isnull=False)
    for account in accounts:
        lots_total = sum(account.lots.values_list("remaining", flat=True), Decimal(0))
        delta = max(account.balance, Decimal(0)) - lots_total
        if delta == 0:
            continue
        changed += 1
        with connection.cursor() as cursor:
            if delta > 0:
                category = {names.LOYALTY_POINTS: Lot.Category.POINTS,
                            names.REFUND_WALLETS: Lot.Category.REFUND}.get(account.lot_type, Lot.Category.PAID)
                Lot.objects.create(account=account, category=category, priority=PRIORITY[category], amount=delta,
                                   remaining=delta, date_created=now)
                continue
            latest = Transfer.objects.filter(source=account).order_by("-date_created", "-id").first()
            _take(cursor, _spendable(account.pk, now, window=False), -delta, kind="SPEND", now=now,
                  transfer_id=latest.pk)
    return changed


# -- what may be spent now -----------------------------------------------------------------------
#: The annotation (`Account.objects.with_usable_lot_credit()`) amount_available() reads instead of
#: a query; a posting or hold that moves the account drops it (`forget_usable`).
USABLE_ANNOTATION = "usable_lot_credit"


def usable_at(at) -> Q:
    """Lots usable at `at` (the window rule of _USABLE_SQL, as a Q)."""
    return ((Q(effective_from__isnull=True) | Q(effective_from__lte=at))
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=at)))


def usable_credit_expression(at=None, account_ref: str = "pk"):
    """Per account (an outer query's `account_ref`): what its lots usable at `at` have free
    (remaining less what holds reserve), as one subquery."""
    free = (Lot.objects.filter(account_id=OuterRef(account_ref), remaining__gt=0).filter(usable_at(at or timezone.now()))
            .order_by().values("account_id").annotate(free=Sum(F("remaining") - F("held"))).values("free"))
    field = DecimalField(max_digits=STORED_MAX_DIGITS, decimal_places=STORED_DECIMAL_PLACES)
    return Coalesce(Subquery(free, output_field=field), Decimal(0), output_field=field)


def usable_credit(account, at=None) -> Decimal:
    """What the account's lots usable at `at` have free (one query, or the annotation)."""
    cached = vars(account).get(USABLE_ANNOTATION)
    if cached is not None and at is None:
        return _dec(cached)
    value = Account.objects.filter(pk=account.pk).annotate(free=usable_credit_expression(at)).values_list(
        "free", flat=True).first()
    return _dec(value or 0)


def amount_available(account, *, usable: Decimal | None = None, at=None) -> Decimal | None:
    """What may be debited from the account now: None when unlimited; otherwise the balance, less
    what holds reserve, plus the credit limit, and for an account with lots never more than its
    lots usable now have free, when part of its money sits in lots it cannot spend now (not yet
    effective, expired and not yet swept, or reserved by a hold).

    This is the rule the debit keeps (`_debit`: the lots usable now must cover what the debit
    takes from the positive balance), so an amount up to it is accepted and a cent more refused.
    `usable`: the account's usable lot credit if the caller has it (a page of accounts)."""
    if account.credit_limit is None:
        return None
    available = account.balance - account.held + account.credit_limit
    if account.lot_type is not None:
        usable = usable_credit(account, at) if usable is None else usable
        if max(account.balance, Decimal(0)) > usable:
            available = min(available, usable)
    return max(available, Decimal(0))


def forget_usable(*accounts) -> None:
    """The accounts' balances or holds moved: their usable lot credit must be read again."""
    for account in accounts:
        vars(account).pop(USABLE_ANNOTATION, None)
