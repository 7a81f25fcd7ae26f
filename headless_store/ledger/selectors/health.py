"""Reconciliation: every ledger invariant checked in SQL, as data.

Used by `manage.py ledger_reconcile` and by the staff API's `ledgerHealth`. Each check is one
query over the whole ledger that returns the offending rows (at most `EXAMPLES` of them shown).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum

from .. import names
from ..models import Account, AccountType, Hold, Leg, Lot, LotEntry, Transfer
from ..money import rounded, stored_amount

EXAMPLES = 10

A = Account._meta.db_table
T = Transfer._meta.db_table
L = Leg._meta.db_table
H = Hold._meta.db_table
LOT = Lot._meta.db_table
LE = LotEntry._meta.db_table


@dataclass(frozen=True)
class CheckResult:
    code: str
    description: str
    violations: int
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.violations == 0


@dataclass(frozen=True)
class CurrencySummary:
    currency: str
    accounts: int
    transfers: int
    balance_total: Decimal
    customer_balances: Decimal


@dataclass(frozen=True)
class LedgerHealth:
    checks: list[CheckResult]
    currencies: list[CurrencySummary]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


CHECKS = (
    (
        "two_legs",
        "Every transfer has exactly two legs: -amount on the source, +amount on the destination.",
        f"""SELECT t.reference FROM {T} t
            LEFT JOIN {L} s ON s.transfer_id = t.id AND s.account_id = t.source_id
                           AND s.amount = -t.amount
            LEFT JOIN {L} d ON d.transfer_id = t.id AND d.account_id = t.destination_id
                           AND d.amount = t.amount
            WHERE s.id IS NULL OR d.id IS NULL
               OR (SELECT COUNT(*) FROM {L} x WHERE x.transfer_id = t.id) <> 2
            ORDER BY t.id""",
    ),
    (
        "zero_sum",
        "Account balances sum to zero in every currency.",
        lambda: f"""SELECT currency || ' sums to ' || CAST({rounded('SUM(balance)')} AS TEXT)
            FROM {A} GROUP BY currency HAVING {rounded('SUM(balance)')} <> 0 ORDER BY currency""",
    ),
    (
        "balance_matches_legs",
        "Every account's balance equals the sum of its legs.",
        lambda: f"""SELECT '#' || CAST(a.id AS TEXT) || ' balance ' || CAST(a.balance AS TEXT)
                   || ' legs ' || CAST({rounded('COALESCE(SUM(l.amount), 0)')} AS TEXT)
            FROM {A} a LEFT JOIN {L} l ON l.account_id = a.id
            GROUP BY a.id, a.balance
            HAVING a.balance <> {rounded('COALESCE(SUM(l.amount), 0)')} ORDER BY a.id""",
    ),
    (
        "balance_after",
        "Every leg's balance_after is the running total of its account's legs.",
        lambda: f"""SELECT '#' || CAST(id AS TEXT) FROM (
                SELECT l.id, l.balance_after,
                       {rounded('SUM(l.amount) OVER (PARTITION BY l.account_id ORDER BY l.id)')} AS running
                FROM {L} l) legs
            WHERE balance_after <> running ORDER BY id""",
    ),
    (
        "credit_limit",
        "No balance is below minus its credit limit.",
        f"""SELECT '#' || CAST(id AS TEXT) FROM {A}
            WHERE credit_limit IS NOT NULL AND balance < -credit_limit ORDER BY id""",
    ),
    (
        "reversals",
        "A transfer's reversals go back the other way and never exceed its amount in total.",
        lambda: f"""SELECT p.reference FROM {T} p JOIN {T} c ON c.parent_id = p.id
            GROUP BY p.id, p.reference, p.amount
            HAVING {rounded('SUM(c.amount)')} > p.amount
                OR SUM(CASE WHEN c.source_id = p.destination_id AND c.destination_id = p.source_id
                            THEN 0 ELSE 1 END) > 0
            ORDER BY p.id""",
    ),
    (
        "held_matches_holds",
        "Every account's held amount equals the sum of its pending holds, and holds stay within one currency.",
        lambda: f"""SELECT '#' || CAST(a.id AS TEXT) || ' held ' || CAST(a.held AS TEXT)
                   || ' pending ' || CAST({rounded('COALESCE(SUM(h.amount), 0)')} AS TEXT)
            FROM {A} a LEFT JOIN {H} h ON h.source_id = a.id AND h.status = 'PENDING'
            GROUP BY a.id, a.held
            HAVING a.held <> {rounded('COALESCE(SUM(h.amount), 0)')}
                OR SUM(CASE WHEN h.currency <> a.currency THEN 1 ELSE 0 END) > 0
            ORDER BY a.id""",
    ),
    (
        "holds_within_limit",
        "What holds reserve never takes an account's spendable money below minus its credit limit.",
        f"""SELECT '#' || CAST(id AS TEXT) FROM {A}
            WHERE credit_limit IS NOT NULL AND balance - held < -credit_limit ORDER BY id""",
    ),
    (
        "one_currency",
        "Transfers and their legs stay within one currency.",
        f"""SELECT t.reference FROM {T} t
            JOIN {A} s ON s.id = t.source_id JOIN {A} d ON d.id = t.destination_id
            WHERE s.currency <> t.currency OR d.currency <> t.currency
               OR EXISTS (SELECT 1 FROM {L} l JOIN {A} la ON la.id = l.account_id
                          WHERE l.transfer_id = t.id AND la.currency <> t.currency)
            ORDER BY t.id""",
    ),
    (
        "lots_sum_to_balance",
        "The credit lots of a customer-owned account sum to its balance (zero below zero); other accounts have none.",
        lambda: f"""SELECT '#' || CAST(a.id AS TEXT) || ' balance ' || CAST(a.balance AS TEXT)
                   || ' lots ' || CAST({rounded('COALESCE(SUM(l.remaining), 0)')} AS TEXT)
            FROM {A} a LEFT JOIN {LOT} l ON l.account_id = a.id
            GROUP BY a.id, a.balance, a.lot_type
            HAVING (a.lot_type IS NULL AND COUNT(l.id) > 0)
                OR (a.lot_type IS NOT NULL AND {rounded('COALESCE(SUM(l.remaining), 0)')}
                    <> CASE WHEN a.balance > 0 THEN a.balance ELSE 0 END)
            ORDER BY a.id""",
    ),
    (
        "lots_within_bounds",
        "No lot is below zero or above its amount, and holds reserve no more of a lot than is left.",
        f"""SELECT 'lot #' || CAST(id AS TEXT) FROM {LOT}
            WHERE remaining < 0 OR held < 0 OR held > remaining OR remaining > amount ORDER BY id""",
    ),
    (
        "lot_entries_add_up",
        "Every lot's remaining amount is its amount plus its entries (spent, given back, lapsed).",
        lambda: f"""SELECT 'lot #' || CAST(l.id AS TEXT) FROM {LOT} l
            LEFT JOIN {LE} e ON e.lot_id = l.id AND e.kind <> 'RESERVE'
            GROUP BY l.id, l.amount, l.remaining
            HAVING l.remaining <> {rounded('l.amount + COALESCE(SUM(e.amount), 0)')} ORDER BY l.id""",
    ),
    (
        "lot_held_matches_holds",
        "What a lot holds back is what pending holds reserved of it.",
        lambda: f"""SELECT 'lot #' || CAST(l.id AS TEXT) FROM {LOT} l
            LEFT JOIN {LE} e ON e.lot_id = l.id AND e.kind = 'RESERVE'
                AND EXISTS (SELECT 1 FROM {H} h WHERE h.id = e.hold_id AND h.status = 'PENDING')
            GROUP BY l.id, l.held
            HAVING l.held <> {rounded('COALESCE(SUM(e.amount), 0)')} ORDER BY l.id""",
    ),
    (
        "lot_window",
        "Nothing was spent or reserved from a lot before it was effective or once it had expired.",
        f"""SELECT 'entry #' || CAST(e.id AS TEXT) FROM {LE} e JOIN {LOT} l ON l.id = e.lot_id
            WHERE (e.kind = 'SPEND' OR (e.kind = 'RESERVE' AND e.amount > 0))
              AND ((l.effective_from IS NOT NULL AND e.chosen_at < l.effective_from)
                   OR (l.expires_at IS NOT NULL AND e.chosen_at >= l.expires_at))
            ORDER BY e.id""",
    ),
    (
        "lot_entries_on_their_leg",
        "A lot entry belongs to its transfer's leg on the lot's account (debits on the source, give-backs on the destination); "
        "a hold's reservation of a lot never goes below zero.",
        f"""SELECT 'entry #' || CAST(e.id AS TEXT) FROM {LE} e JOIN {LOT} l ON l.id = e.lot_id
            LEFT JOIN {T} t ON t.id = e.transfer_id LEFT JOIN {H} h ON h.id = e.hold_id
            WHERE (e.kind IN ('SPEND', 'LAPSE') AND (t.source_id <> l.account_id OR e.amount > 0))
               OR (e.kind = 'RESTORE' AND (t.destination_id <> l.account_id OR e.amount < 0))
               OR (e.kind = 'RESERVE' AND (h.source_id <> l.account_id OR (SELECT SUM(r.amount) FROM {LE} r
                   WHERE r.hold_id = e.hold_id AND r.lot_id = e.lot_id AND r.kind = 'RESERVE' AND r.id <= e.id) < 0))
            ORDER BY e.id""",
    ),
)


#: Checks other apps add for what they build on the ledger (the checkout: no order got back more
#: than it paid), each (code, description, SQL or a callable making it) like those above.
EXTRA_CHECKS: dict[str, tuple] = {}


def register_check(code: str, description: str, sql) -> None:
    """Add an app's check to reconciliation (idempotent per code)."""
    EXTRA_CHECKS[code] = (code, description, sql)


def _run_check(code, description, sql) -> CheckResult:
    sql = sql() if callable(sql) else sql
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) v")
        violations = cursor.fetchone()[0]
        examples = []
        if violations:
            cursor.execute(f"{sql} LIMIT {EXAMPLES}")
            examples = [str(row[0]) for row in cursor.fetchall()]
    return CheckResult(code, description, violations, examples)


def currency_summaries() -> list[CurrencySummary]:
    deferred = AccountType.objects.filter(code=names.DEFERRED_INCOME).first()
    accounts = {
        row["currency"]: row
        for row in Account.objects.values("currency").annotate(n=Count("id"), total=Sum("balance"))
    }
    customer = {}
    if deferred is not None:
        customer = dict(
            Account.objects.filter(account_type__path__startswith=deferred.path)
            .values("currency").annotate(total=Sum("balance")).values_list("currency", "total")
        )
    transfers = dict(Transfer.objects.values("currency").annotate(n=Count("id")).values_list("currency", "n"))
    return [
        CurrencySummary(
            currency=currency,
            accounts=row["n"],
            transfers=transfers.get(currency, 0),
            balance_total=stored_amount(row["total"] or 0),
            customer_balances=stored_amount(customer.get(currency) or 0),
        )
        for currency, row in sorted(accounts.items())
    ]


def ledger_health() -> LedgerHealth:
    """Run every invariant check; `ok` is True when none has a violation."""
    return LedgerHealth(
        checks=[_run_check(*check) for check in (*CHECKS, *EXTRA_CHECKS.values())],
        currencies=currency_summaries(),
    )
