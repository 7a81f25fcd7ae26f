"""Bring a django-oscar-accounts (OA) 3.0.1 ledger across: account types, accounts, transfers and
their legs, read with plain SQL from OA's tables (in this database or another) and written here
in one transaction.

What OA's own code leaves behind is taken as it is: account types without codes (OA's
`oscar_accounts_init` never sets them), accounts without a name or a type (code-only gift cards),
OA's core accounts (Bank, Redemptions, Lapsed accounts, Unpaid source: merged into ours of the same
name), the generic "Dashboard created accounts" type, and its IP address records (not imported: our
throttle keeps its own). OA's default types map onto our chart; a shop's own types are created
under the mapped parent. Accounts of OA's generic types are typed by what they are: a code makes a
gift card, an owner a store-credit wallet (the owner's default wallet, so redeeming a gift card
credits it rather than opening a second one).

Balances and every leg's `balance_after` are recomputed from OA's legs, which are the record; OA's
stored balances are only compared with them. OA could overdraw accounts under concurrency, so an
account whose legs take it below its credit limit is imported FROZEN with its credit limit widened
to the overdraft (our CHECK constraint holds every account to its limit) and reported, for staff to
settle. Plain-text codes become keyed hashes plus their last 4 characters. Each imported row is
remembered (LegacyImport), so a second run adds only what is new.

From another database (`same_database=False`), users are matched by username, then by email
(case-insensitive, one match only); an account owner matched by neither refuses the import
(UnmatchedOwners) unless `allow_unowned`, and is listed either way.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils.text import slugify

from .. import codes, lots, names
from ..models import Account, AccountType, Leg, LegacyImport, Transfer
from ..money import Money

STATUSES = {"Open": Account.Status.OPEN, "Frozen": Account.Status.FROZEN, "Closed": Account.Status.CLOSED}

#: OA's default chart (oscar_accounts.setup.create_default_accounts), by full name, onto ours.
OA_DEFAULT_TYPES = {
    ("Assets",): names.ASSETS,
    ("Assets", "Sales"): names.INCOME,
    ("Assets", "Cash"): names.BANK,
    ("Assets", "Unpaid accounts"): names.UNPAID_SOURCES,
    ("Liabilities",): names.LIABILITIES,
    ("Liabilities", "Deferred income"): names.DEFERRED_INCOME,
}
#: OA's generic types: accounts of these (or of none) are typed by what they hold (_account_type).
OA_DEFERRED_INCOME = ("Liabilities", "Deferred income")
OA_GENERIC_TYPES = {OA_DEFERRED_INCOME, (*OA_DEFERRED_INCOME, "Dashboard created accounts")}


class UnmatchedOwners(Exception):
    """Account owners in the other database with no user here (by username or email)."""

    def __init__(self, unmatched: list[str]):
        super().__init__(f"{len(unmatched)} account owner(s) have no user here: " + "; ".join(unmatched))
        self.unmatched = unmatched


@dataclass
class ImportReport:
    types: int = 0
    accounts: int = 0
    transfers: int = 0
    legs: int = 0
    problems: list[str] = field(default_factory=list)
    unmatched_owners: list[str] = field(default_factory=list)


def read_oa(connection, *, user_table: str = "auth_user") -> dict:
    """OA's rows, as dicts, from a database connection that has OA's tables (and, for matching
    owners, the users they refer to)."""
    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            names_ = [c[0] for c in cursor.description]
            return [dict(zip(names_, row, strict=True)) for row in cursor.fetchall()]

    data = {
        "types": rows("SELECT id, path, depth, code, name FROM oscar_accounts_accounttype ORDER BY path"),
        "accounts": rows("SELECT * FROM oscar_accounts_account ORDER BY id"),
        "secondary": rows("SELECT account_id, user_id FROM oscar_accounts_account_secondary_users ORDER BY id"),
        "transfers": rows("SELECT * FROM oscar_accounts_transfer ORDER BY id"),
        "legs": rows("SELECT * FROM oscar_accounts_transaction ORDER BY date_created, id"),
    }
    referenced = ({row["primary_user_id"] for row in data["accounts"]} | {row["user_id"] for row in data["secondary"]}
                  | {row["user_id"] for row in data["transfers"]}) - {None}
    table = connection.ops.quote_name(user_table)
    data["users"] = rows(f"SELECT id, username, email FROM {table} WHERE id IN ({', '.join(map(str, sorted(referenced)))})"
                         ) if referenced else []
    return data


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def match_users(oa_users: list[dict]) -> dict[int, int | None]:
    """{OA user id: our user id or None}: by username, then by email (one match only)."""
    User = get_user_model()
    email_field = User.get_email_field_name()
    matched = {}
    for row in oa_users:
        user = User._default_manager.filter(**{User.USERNAME_FIELD: row["username"]}).first()
        if user is None and row.get("email"):
            by_email = list(User._default_manager.filter(**{f"{email_field}__iexact": row["email"]})[:2])
            user = by_email[0] if len(by_email) == 1 else None
        matched[row["id"]] = user.pk if user else None
    return matched


def import_oa(data: dict, *, dry_run: bool = False, same_database: bool = True, allow_unowned: bool = False,
              progress=None) -> ImportReport:
    """Import OA's rows (see read_oa); with `dry_run`, only report. All or nothing.

    Raises UnmatchedOwners (before writing anything) when importing from another database and an
    account owner has no user here, unless `allow_unowned` or `dry_run` (which lists them)."""
    report = ImportReport()
    progress = progress or (lambda message: None)
    currency = django_settings.OSCAR_DEFAULT_CURRENCY
    users = _users(data, same_database, report)
    if report.unmatched_owners and not (allow_unowned or dry_run):
        raise UnmatchedOwners(report.unmatched_owners)
    legs_by_account = defaultdict(list)
    for leg in data["legs"]:
        legs_by_account[leg["account_id"]].append(leg)
    for row in data["accounts"]:
        total = sum((_decimal(leg["amount"]) for leg in legs_by_account[row["id"]]), Decimal("0"))
        stored, limit = _decimal(row["balance"]), _decimal(row["credit_limit"])
        label = f"Account #{row['id']} {_label(row)}"
        if stored is not None and total != stored:
            report.problems.append(f"{label}: its legs sum to {Money(total, currency)}, "
                                   f"its stored balance says {Money(stored, currency)}; the legs are imported.")
        if limit is not None and total < -limit:
            report.problems.append(f"{label}: overdrawn to {Money(total, currency)} "
                                   f"(credit limit {Money(limit, currency)}); imported frozen with its limit "
                                   "widened to the overdraft.")
        if row["product_range_id"] is not None and not same_database:
            report.problems.append(f"{label}: limited to product range #{row['product_range_id']} of the other "
                                   "database; imported without a range (set one in the dashboard).")
    with transaction.atomic():
        done = {(m.kind, m.legacy_id): m.new_id for m in LegacyImport.objects.all()}
        types = _import_types(data["types"], done, report)
        accounts, merged = _import_accounts(data, legs_by_account, types, users, done, report, currency,
                                           same_database)
        progress(f"{report.accounts} accounts")
        _import_transfers(data, accounts, merged, users, done, report, currency, progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _label(row) -> str:
    if row["name"]:
        return repr(row["name"])
    return f"(no name, code …{codes.last4(row['code'])})" if row["code"] else "(no name)"


def _users(data, same_database, report) -> dict[int, int | None]:
    """{OA user id: our user id or None}; lists the account owners that have no user here."""
    if same_database:  # the same users table
        return {row["id"]: row["id"] for row in data["users"]}
    matched = match_users(data["users"])
    owned = defaultdict(list)
    for row in data["accounts"]:
        if row["primary_user_id"] is not None:
            owned[row["primary_user_id"]].append(f"owner of {_label(row)}")
    labels = {row["id"]: _label(row) for row in data["accounts"]}
    for row in data["secondary"]:
        owned[row["user_id"]].append(f"user of {labels[row['account_id']]}")
    for row in data["users"]:
        if row["id"] in owned and matched[row["id"]] is None:
            report.unmatched_owners.append(f"user #{row['id']} {row['username']!r} <{row['email'] or ''}> "
                                           f"({', '.join(owned[row['id']])})")
    return matched


def _remember(kind, legacy_id, new_id):
    LegacyImport.objects.create(kind=kind, legacy_id=legacy_id, new_id=new_id)


def _import_types(rows, done, report) -> dict[int, tuple[AccountType, tuple]]:
    """{OA type id: (our type, OA's full name)}."""
    mapped, by_path = {}, {}
    for row in rows:
        parent = by_path.get(row["path"][:-4]) if row["depth"] > 1 else None
        full_name = (*(parent[1] if parent else ()), row["name"] or "")
        if ("type", row["id"]) in done:
            node = AccountType.objects.get(pk=done[("type", row["id"])])
        else:
            node = AccountType.objects.filter(code=row["code"]).first() if row["code"] else None
            if node is None and full_name in OA_DEFAULT_TYPES:
                node = AccountType.objects.filter(code=OA_DEFAULT_TYPES[full_name]).first()
            if node is None:
                siblings = (AccountType.objects.get_children(parent[0]) if parent
                            else AccountType.objects.get_root_nodes())
                node = siblings.filter(name=row["name"] or "").first()
            if node is None and full_name in OA_GENERIC_TYPES:
                node = AccountType.objects.filter(code=names.DEFERRED_INCOME).first()
            if node is None:
                node = AccountType(name=row["name"] or f"Imported type #{row['id']}", code=_new_type_code(row))
                if parent:
                    parent[0].refresh_from_db()  # treebeard keeps numchild on the instance
                    node = AccountType.objects.add_child(parent[0], instance=node)
                else:
                    node = AccountType.objects.add_root(instance=node)
                report.types += 1
            _remember("type", row["id"], node.pk)
        mapped[row["id"]] = by_path[row["path"]] = (node, full_name)
    return mapped


def _new_type_code(row) -> str:
    base = slugify(row["code"] or row["name"] or "")[:50].replace("-", "_") or "imported"
    code, n = base, 1
    while AccountType.objects.filter(code=code).exists():
        n += 1
        code = f"{base}_{n}"
    return code


def _account_type(row, types, owned: bool) -> AccountType:
    """OA's type, except for OA's generic ones (none, or a "Deferred income" type): a code makes a
    gift card, an owner a store-credit wallet."""
    kind, full_name = types.get(row["account_type_id"], (None, ()))
    if kind is not None and full_name not in OA_GENERIC_TYPES:
        return kind
    if row["code"]:
        code = names.GIFT_CARDS
    elif owned:
        code = names.STORE_CREDIT
    else:
        code = names.DEFERRED_INCOME
    return AccountType.objects.get(code=code)


def _import_accounts(data, legs_by_account, types, users, done, report, currency, same_database):
    """({OA id: our id}, our ids of the accounts merged into existing ones)."""
    mapped, merged = {}, set()
    secondary = defaultdict(list)
    for row in data["secondary"]:
        if users.get(row["user_id"]) is not None:
            secondary[row["account_id"]].append(users[row["user_id"]])
    core_names = {name for name, _code, _unlimited in names.core_accounts()}
    store_credit = AccountType.objects.get(code=names.STORE_CREDIT)
    for row in data["accounts"]:
        if ("account", row["id"]) in done:
            mapped[row["id"]] = done[("account", row["id"])]
            merged.add(mapped[row["id"]])  # may hold legs of its own: start from them
            if row["name"] not in core_names:  # OA's core accounts became ours, with our limits
                _report_changed_since(row, mapped[row["id"]], report)
            continue
        owner = users.get(row["primary_user_id"]) if row["primary_user_id"] is not None else None
        code = codes.normalise(row["code"] or "")
        kind = _account_type(row, types, owned=owner is not None or bool(secondary[row["id"]]))
        name = row["name"] or (f"Gift card {codes.mask(codes.last4(code))}" if code else f"{kind.name} ({currency})")
        if owner is None and not code:  # one unowned account per name and currency
            existing = Account.objects.filter(**names.core_lookup(name, currency)).first()
            if existing is not None and name in core_names:  # OA's core accounts are ours
                _remember("account", row["id"], existing.pk)
                mapped[row["id"]] = existing.pk
                merged.add(existing.pk)
                continue
            if existing is not None:
                suffix = f" (OA #{row['id']})"
                renamed = name[:Account._meta.get_field("name").max_length - len(suffix)] + suffix
                report.problems.append(f"Account #{row['id']} {name!r}: an account of that name exists here "
                                       f"(#{existing.pk}); imported as {renamed}.")
                name = renamed
        if code and Account.objects.filter(code_hash=codes.code_hash(code)).exists():
            clash = Account.objects.filter(code_hash=codes.code_hash(code)).values_list("pk", flat=True).first()
            report.problems.append(
                f"Account #{row['id']} {name!r}: its code is the same as account #{clash}'s here once case, spaces "
                "and dashes are ignored (codes are entered that way); imported without a code: give it a new one "
                "from the dashboard.")
            code = ""
        balance = sum((_decimal(leg["amount"]) for leg in legs_by_account[row["id"]]), Decimal("0"))
        limit, status = _decimal(row["credit_limit"]), STATUSES.get(row["status"], Account.Status.OPEN)
        if limit is not None and balance < -limit:
            limit, status = -balance, Account.Status.FROZEN
        start, end = row["start_date"], row["end_date"]
        if start and end and start >= end:
            report.problems.append(f"Account #{row['id']} {name!r}: starts ({start}) after it ends ({end}); "
                                   "imported without a start date.")
            start = None
        default_wallet = (kind == store_credit and owner is not None and status != Account.Status.CLOSED
                          and not Account.objects.filter(primary_user_id=owner, account_type=kind, currency=currency,
                                                         is_default_wallet=True)
                          .exclude(status=Account.Status.CLOSED).exists())
        account = Account.objects.create(
            name=name, description=row["description"] or "", account_type=kind,
            currency=currency, code_hash=codes.code_hash(code) if code else None,
            code_last4=codes.last4(code) if code else "", status=status, credit_limit=limit,
            start_date=start, end_date=end,
            product_range_id=row["product_range_id"] if same_database else None,
            can_be_used_for_non_products=bool(row["can_be_used_for_non_products"]),
            primary_user_id=owner, is_default_wallet=default_wallet,
        )
        Account.objects.filter(pk=account.pk).update(balance=balance, date_created=row["date_created"])
        if secondary[row["id"]]:
            account.secondary_users.set(secondary[row["id"]])
        _remember("account", row["id"], account.pk)
        mapped[row["id"]] = account.pk
        report.accounts += 1
    return mapped, merged


def _report_changed_since(row, account_id: int, report) -> None:
    """A run after the first: what OA changed on an account already imported (its status, its
    credit limit) is reported for staff to carry over by hand; the import never overwrites an
    account here, which may have been changed here since."""
    ours = Account.objects.filter(pk=account_id).values("status", "credit_limit").first()
    if ours is None:
        return
    status = STATUSES.get(row["status"], Account.Status.OPEN)
    limit = _decimal(row["credit_limit"])
    if status != ours["status"]:
        report.problems.append(f"Account #{row['id']} {row['name']!r}: {row['status']} in OA since it was imported, "
                               f"{ours['status']} here; not changed: set it here if it should follow.")
    if limit != ours["credit_limit"] and not (limit is not None and ours["credit_limit"] is not None
                                                  and ours["credit_limit"] > limit):
        report.problems.append(f"Account #{row['id']} {row['name']!r}: credit limit {limit} in OA, "
                               f"{ours['credit_limit']} here; not changed: set it here if it should follow.")


def _import_transfers(data, accounts, merged, users, done, report, currency, progress):
    transfers = {}
    new = [row for row in data["transfers"] if ("transfer", row["id"]) not in done]
    for row in data["transfers"]:
        if ("transfer", row["id"]) in done:
            transfers[row["id"]] = done[("transfer", row["id"])]
    amounts = {row["id"]: _decimal(row["amount"]) for row in data["transfers"]}
    reversed_ = defaultdict(lambda: Decimal("0"))  # OA id -> what its children take back, in id order
    for row in data["transfers"]:
        if row["parent_id"] is not None and ("transfer", row["id"]) in done:
            reversed_[row["parent_id"]] += amounts[row["id"]]
    for index, row in enumerate(new, 1):  # by id: a reversal comes after what it reverses
        parent = row["parent_id"]
        if parent is not None:
            if reversed_[parent] + amounts[row["id"]] > amounts.get(parent, Decimal("0")):
                report.problems.append(
                    f"Transfer {row['reference']}: OA refunded transfer #{parent} past its amount "
                    f"({reversed_[parent] + amounts[row['id']]} of {amounts.get(parent)}); imported as a transfer of "
                    "its own, not as its refund (a ledger's refunds never exceed what they refund).")
                parent = None
            else:
                reversed_[parent] += amounts[row["id"]]
        posted = Transfer.objects.bulk_create([Transfer(
            reference=row["reference"], source_id=accounts[row["source_id"]],
            destination_id=accounts[row["destination_id"]], amount=_decimal(row["amount"]), currency=currency,
            parent_id=transfers.get(parent), merchant_reference=row["merchant_reference"] or None,
            description=row["description"] or None, user_id=users.get(row["user_id"]),
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
    starts = dict(Leg.objects.filter(account_id__in=merged).exclude(Exists(own_legs))
                  .values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total"))
    running = defaultdict(lambda: Decimal("0"), starts)
    legs = []
    for leg in data["legs"]:
        account_id = accounts[leg["account_id"]]
        running[account_id] += _decimal(leg["amount"])
        if ("leg", leg["id"]) in done:
            continue
        legs.append((leg["id"], Leg(transfer_id=transfers[leg["transfer_id"]], account_id=account_id,
                                            amount=_decimal(leg["amount"]), balance_after=running[account_id],
                                            date_created=leg["date_created"])))
    for start in range(0, len(legs), 1000):
        chunk = legs[start:start + 1000]
        saved = Leg.objects.bulk_create([leg for _id, leg in chunk])
        LegacyImport.objects.bulk_create([LegacyImport(kind="leg", legacy_id=legacy, new_id=leg.pk)
                                          for (legacy, _leg), leg in zip(chunk, saved, strict=True)])
        report.legs += len(chunk)
        progress(f"{start + len(chunk)} of {len(legs)} legs")
    limits = dict(Account.objects.filter(pk__in=running.keys()).values_list("pk", "credit_limit"))
    for account_id, balance in running.items():
        limit = limits.get(account_id)
        if limit is not None and balance < -limit:  # spent past its limit here since an earlier run
            report.problems.append(f"Account {account_id} here: its balance {Money(balance, currency)} is below its "
                                   f"credit limit {Money(limit, currency)}; the limit is raised to match and the "
                                   "account frozen, as OA overdrafts are.")
            Account.objects.filter(pk=account_id).update(credit_limit=-balance, status=Account.Status.FROZEN)
        Account.objects.filter(pk=account_id).update(balance=balance)
    lots.carry_balances(running.keys())  # customer-owned accounts keep their balances in lots
