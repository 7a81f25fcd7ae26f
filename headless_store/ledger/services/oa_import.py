"""Bring a django-oscar-accounts (OA) 3.0.1 ledger across: account types, accounts, transfers and
their legs, read with plain SQL from OA's tables (in this database or another) and written here
in one transaction.

Balances and every leg's `balance_after` are recomputed from OA's legs, which are the record; OA's
stored balances are only compared with them. OA could overdraw accounts under concurrency, so an
account whose legs take it below its credit limit is imported FROZEN with its credit limit widened
to the overdraft (our CHECK constraint holds every account to its limit) and reported, for staff to
settle. Plain-text codes become keyed hashes plus their last 4 characters. Each imported row is
remembered (LegacyImport), so a second run adds only what is new.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum

from .. import codes
from ..models import Account, AccountType, LegacyImport, Transaction, Transfer
from ..money import quantize

STATUSES = {"Open": Account.Status.OPEN, "Frozen": Account.Status.FROZEN, "Closed": Account.Status.CLOSED}


@dataclass
class ImportReport:
    types: int = 0
    accounts: int = 0
    transfers: int = 0
    legs: int = 0
    problems: list[str] = field(default_factory=list)


def read_oa(connection) -> dict:
    """OA's rows, as dicts, from a database connection that has OA's tables."""
    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return {
        "types": rows("SELECT id, path, depth, code, name FROM oscar_accounts_accounttype ORDER BY path"),
        "accounts": rows("SELECT * FROM oscar_accounts_account ORDER BY id"),
        "secondary": rows("SELECT account_id, user_id FROM oscar_accounts_account_secondary_users ORDER BY id"),
        "transfers": rows("SELECT * FROM oscar_accounts_transfer ORDER BY id"),
        "legs": rows("SELECT * FROM oscar_accounts_transaction ORDER BY date_created, id"),
    }


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def import_oa(data: dict, *, dry_run: bool = False, same_database: bool = True, progress=None) -> ImportReport:
    """Import OA's rows (see read_oa); with `dry_run`, only report. All or nothing."""
    report = ImportReport()
    progress = progress or (lambda message: None)
    currency = django_settings.OSCAR_DEFAULT_CURRENCY
    legs_by_account = defaultdict(list)
    for leg in data["legs"]:
        legs_by_account[leg["account_id"]].append(leg)
    for row in data["accounts"]:
        total = sum((_decimal(leg["amount"]) for leg in legs_by_account[row["id"]]), Decimal("0"))
        stored, limit = _decimal(row["balance"]), _decimal(row["credit_limit"])
        if stored is not None and total != stored:
            report.problems.append(f"Account #{row['id']} {row['name']!r}: its legs sum to {quantize(total, currency)}, "
                                   f"its stored balance says {quantize(stored, currency)}; the legs are imported.")
        if limit is not None and total < -limit:
            report.problems.append(f"Account #{row['id']} {row['name']!r}: overdrawn to {quantize(total, currency)} "
                                   f"(credit limit {quantize(limit, currency)}); imported frozen with its limit "
                                   "widened to the overdraft.")
    with transaction.atomic():
        done = {(m.kind, m.legacy_id): m.new_id for m in LegacyImport.objects.all()}
        types = _import_types(data["types"], done, report)
        accounts, merged = _import_accounts(data, legs_by_account, types, done, report, currency, same_database)
        progress(f"{report.accounts} accounts")
        _import_transfers(data, accounts, merged, done, report, currency, same_database, progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _remember(kind, legacy_id, new_id):
    LegacyImport.objects.create(kind=kind, legacy_id=legacy_id, new_id=new_id)


def _import_types(rows, done, report) -> dict[int, AccountType]:
    mapped, by_path = {}, {}
    for row in rows:
        parent = by_path.get(row["path"][:-4]) if row["depth"] > 1 else None
        if ("type", row["id"]) in done:
            node = AccountType.objects.get(pk=done[("type", row["id"])])
        else:
            node = AccountType.objects.filter(code=row["code"]).first() if row["code"] else None
            if node is None:
                siblings = parent.get_children() if parent else AccountType.get_root_nodes()
                node = siblings.filter(name=row["name"]).first()
            if node is None:
                fields = {"name": row["name"], "code": row["code"] or None}
                node = parent.add_child(**fields) if parent else AccountType.add_root(**fields)
                report.types += 1
            _remember("type", row["id"], node.pk)
        mapped[row["id"]] = by_path[row["path"]] = node
    return mapped


def _import_accounts(data, legs_by_account, types, done, report, currency, same_database):
    """({OA id: our id}, our ids of the accounts merged into existing ones)."""
    mapped, merged = {}, set()
    secondary = defaultdict(list)
    for row in data["secondary"]:
        secondary[row["account_id"]].append(row["user_id"])
    for row in data["accounts"]:
        if ("account", row["id"]) in done:
            mapped[row["id"]] = done[("account", row["id"])]
            if row["primary_user_id"] is None or not same_database:
                merged.add(mapped[row["id"]])  # may hold legs of its own: start from them
            continue
        owner = row["primary_user_id"] if same_database else None
        if owner is None:  # the shop's own accounts (Bank, Redemptions...): one per name and currency
            existing = Account.objects.filter(primary_user=None, name=row["name"], currency=currency).first()
            if existing is not None:
                report.problems.append(f"Account #{row['id']} {row['name']!r} is merged into the existing account "
                                       f"of that name (#{existing.pk}).")
                _remember("account", row["id"], existing.pk)
                mapped[row["id"]] = existing.pk
                merged.add(existing.pk)
                continue
        balance = sum((_decimal(leg["amount"]) for leg in legs_by_account[row["id"]]), Decimal("0"))
        limit, status = _decimal(row["credit_limit"]), STATUSES.get(row["status"], Account.Status.OPEN)
        if limit is not None and balance < -limit:
            limit, status = -balance, Account.Status.FROZEN
        code = (row["code"] or "").strip()
        account = Account.objects.create(
            name=row["name"], description=row["description"] or "", account_type=types.get(row["account_type_id"]),
            currency=currency, code_hash=codes.code_hash(code) if code else None,
            code_last4=codes.last4(code) if code else "", status=status, credit_limit=limit,
            start_date=row["start_date"], end_date=row["end_date"],
            product_range_id=row["product_range_id"] if same_database else None,
            can_be_used_for_non_products=bool(row["can_be_used_for_non_products"]),
            primary_user_id=owner,
        )
        Account.objects.filter(pk=account.pk).update(balance=balance, date_created=row["date_created"])
        if same_database and secondary[row["id"]]:
            account.secondary_users.set(secondary[row["id"]])
        _remember("account", row["id"], account.pk)
        mapped[row["id"]] = account.pk
        report.accounts += 1
    return mapped, merged


def _import_transfers(data, accounts, merged, done, report, currency, same_database, progress):
    transfers = {}
    new = [row for row in data["transfers"] if ("transfer", row["id"]) not in done]
    for row in data["transfers"]:
        if ("transfer", row["id"]) in done:
            transfers[row["id"]] = done[("transfer", row["id"])]
    for index, row in enumerate(new, 1):  # by id: a reversal comes after what it reverses
        posted = Transfer.objects.bulk_create([Transfer(
            reference=row["reference"], source_id=accounts[row["source_id"]],
            destination_id=accounts[row["destination_id"]], amount=_decimal(row["amount"]), currency=currency,
            parent_id=transfers.get(row["parent_id"]), merchant_reference=row["merchant_reference"] or None,
            description=row["description"] or None, user_id=row["user_id"] if same_database else None,
            username=row["username"] or "", date_created=row["date_created"],
        )])[0]
        transfers[row["id"]] = posted.pk
        _remember("transfer", row["id"], posted.pk)
        report.transfers += 1
        if index % 1000 == 0:
            progress(f"{index} of {len(new)} transfers")
    # Legs, with each account's running balance recomputed in OA's order (date, id), on top of
    # what a merged account held before any of this import's legs.
    own_legs = LegacyImport.objects.filter(kind="leg", new_id=OuterRef("pk"))
    starts = dict(Transaction.objects.filter(account_id__in=merged).exclude(Exists(own_legs))
                  .values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total"))
    running = defaultdict(lambda: Decimal("0"), starts)
    legs = []
    for leg in data["legs"]:
        account_id = accounts[leg["account_id"]]
        running[account_id] += _decimal(leg["amount"])
        if ("leg", leg["id"]) in done:
            continue
        legs.append((leg["id"], Transaction(transfer_id=transfers[leg["transfer_id"]], account_id=account_id,
                                            amount=_decimal(leg["amount"]), balance_after=running[account_id],
                                            date_created=leg["date_created"])))
    for start in range(0, len(legs), 1000):
        chunk = legs[start:start + 1000]
        saved = Transaction.objects.bulk_create([leg for _id, leg in chunk])
        LegacyImport.objects.bulk_create([LegacyImport(kind="leg", legacy_id=legacy, new_id=leg.pk)
                                          for (legacy, _leg), leg in zip(chunk, saved, strict=True)])
        report.legs += len(chunk)
        progress(f"{start + len(chunk)} of {len(legs)} legs")
    for account_id, balance in running.items():
        Account.objects.filter(pk=account_id).update(balance=balance)
