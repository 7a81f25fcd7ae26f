"""How one transfer is posted (facade.py's steps 1-3) and the SQL pieces holds.py shares with it:
the conditional UPDATEs' owner condition and the replay check (rounding on SQLite and balances read
back are money.py's `rounded` and `stored_amount`).

Internal to the ledger: other code moves money through facade.py.
"""
import functools
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import events, exceptions, lots
from .conf import settings
from .events import transfer_data  # noqa: F401  (public here too)
from .models import Account, Leg, Transfer
from .money import Money, parse_amount, rounded, stored_amount
from .ownership import owner_condition  # noqa: F401  (holds.py and facade.py take it from here)
from .services.idempotency import amount_value, first_use, replay, stored_key
from .signals import transfer_completed

ACCOUNT_TABLE = Account._meta.db_table
_TRANSFER = Transfer._meta.db_table
_LEG = Leg._meta.db_table


def posting_cursor():
    """The cursor a posting's statements go through. On PostgreSQL (ACCOUNTS_PREPARED_STATEMENTS,
    the default) one that binds its parameters on the server and has each statement prepared the
    first time this connection runs it: a posting's statements come in a few fixed shapes, so
    they are parsed and planned once per connection, not on every transfer (on PostgreSQL the
    planning of the posting's CTEs cost more than running them). Only these cursors prepare:
    Django's own bind on the client. Django's cursor elsewhere, and when the setting is off."""
    if connection.vendor != "postgresql" or not settings.ACCOUNTS_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # Django's default: nothing is ever prepared
        connection.connection.prepare_threshold = 0  # only server-binding cursors prepare: these
    return connection._prepare_cursor(_preparing_cursor_class()(connection.connection))


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-binding cursor that keeps its last statement for Django's query log
        (connection.queries, CaptureQueriesContext): psycopg forgets it once it is sent."""

        def execute(self, query, params=None, **kwargs):
            try:
                return super().execute(query, params, **kwargs)
            finally:
                self._query = _Shown(query, params)

    return PreparingCursor


class _Shown:
    """The statement as Django's query log shows it, its parameters in place (composed only if read)."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, params

    @property
    def query(self) -> bytes:
        return connection.ops.compose_sql(self.sql, self.params).encode()


def check_replay(earlier, source_id, destination_id, amount, parent_id, user, merchant_reference) -> Transfer:
    """A repeated idempotency key must carry the same arguments as the first call (the one
    replay check, services/idempotency.py); the first transfer when it does."""
    return replay(earlier, {
        "source_id": source_id, "destination_id": destination_id, "amount": amount_value(amount),
        "parent_id": parent_id, "user_id": user_id_of(user), "merchant_reference": merchant_reference or None,
    }, "transfer")


def user_id_of(user):
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


@dataclass
class Posting:
    source: Account
    destination: Account
    amount: Decimal
    currency: str
    parent: Transfer | None
    user: object
    user_id: int | None
    merchant_reference: str | None
    description: str | None
    idempotency_key: str | None
    check_authorisation: bool
    lot: object = None  # lots.Credit / FromHold / Lapse

    @classmethod
    def build(cls, source, destination, amount, parent, user, merchant_reference, description,
              idempotency_key, check_authorisation, lot=None):
        if source.pk is None or destination.pk is None:
            raise exceptions.InvalidTransfer("Both accounts must be saved before a transfer.")
        if source.pk == destination.pk:
            raise exceptions.InvalidTransfer(
                "The source and destination accounts for a transfer must be different."
            )
        currency = source.currency
        with exceptions.blame("amount", exceptions.InvalidAmount):
            amount = parse_amount(amount, currency)
        if destination.currency != currency:
            raise exceptions.CurrencyMismatch(
                f"Cannot move {currency} into a {destination.currency} account."
            )
        return cls(
            source, destination, amount, currency, parent, user, user_id_of(user),
            merchant_reference or None, description or None, stored_key(idempotency_key), check_authorisation,
            lots.check_terms(lot),
        )

    # -- posting ------------------------------------------------------------------------------
    def post(self, *, savepoint: bool = True) -> Transfer:
        """Post it in a transaction of its own, or a savepoint of the caller's; with `savepoint`
        False (a caller whose transaction ends on any error from here, such as capture()) in the
        caller's, an error then rolling all of it back. A repeated idempotency key always gets
        its savepoint: the first call's transfer is read back after the collision."""
        now = timezone.now()
        reference = secrets.token_hex(16).upper()
        try:
            with transaction.atomic(savepoint=savepoint or self.idempotency_key is not None):
                posted = self._transfer_instance(reference, now)
                with posting_cursor() as cursor:
                    posted.id = self._insert_transfer(cursor, reference, now, events.transfer_posted(posted))
                    balances = self._move(cursor, posted.id, now)
                transaction.on_commit(
                    partial(transfer_completed.send, sender=Transfer, transfer=posted)
                )
        except IntegrityError:
            earlier = first_use(Transfer, self.idempotency_key)
            if earlier is None:
                raise
            return self._replay(earlier)
        self.source.balance = balances[self.source.pk]
        self.destination.balance = balances[self.destination.pk]
        lots.forget_usable(self.source, self.destination)
        return posted

    def _replay(self, earlier: Transfer) -> Transfer:
        check_replay(
            earlier, self.source.pk, self.destination.pk, self.amount,
            self.parent.pk if self.parent else None, self.user, self.merchant_reference,
        )
        fresh = dict(Account.objects.filter(pk__in=[self.source.pk, self.destination.pk])
                     .values_list("pk", "balance"))
        self.source.balance = fresh[self.source.pk]
        self.destination.balance = fresh[self.destination.pk]
        lots.forget_usable(self.source, self.destination)
        return earlier

    def _insert_transfer(self, cursor, reference, now, event) -> int:
        """Insert the transfer row and its event (the outbox's row, `event`: (sql, params)); on
        PostgreSQL in one statement. Both before any account row is locked."""
        ops = connection.ops
        sql = (f"INSERT INTO {_TRANSFER} (reference, source_id, destination_id, amount, currency, "
               "parent_id, merchant_reference, description, user_id, username, idempotency_key, "
               "date_created) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id")
        params = [
            reference,
            self.source.pk,
            self.destination.pk,
            ops.adapt_decimalfield_value(self.amount),
            self.currency,
            self.parent.pk if self.parent else None,
            self.merchant_reference,
            self.description,
            self.user_id,
            self.user.get_username() if self.user_id else "",
            self.idempotency_key,
            ops.adapt_datetimefield_value(now),
        ]
        event_sql, event_params = event
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH transfer AS ({sql}), event AS ({event_sql}) SELECT id FROM transfer",
                           [*params, *event_params])
            return cursor.fetchone()[0]
        cursor.execute(sql, params)
        transfer_id = cursor.fetchone()[0]
        cursor.execute(event_sql, event_params)
        return transfer_id

    def _move(self, cursor, transfer_id, now) -> dict:
        """Change both balances, insert both legs and keep the lots (lots.Bookkeeping); the new
        balances by account id.

        The rows are locked in descending primary-key order (one order for every posting, so
        crossing transfers cannot deadlock), each by its conditional UPDATE. Descending: the
        oldest accounts, the shop's own (Redemptions, Bank, Lapsed: made first, and the ones every
        checkout pays into or takes from), are locked second and held the shortest; a customer's
        account is locked first, as the services that lock it before a transfer (expiry, top-up,
        withdrawal) do. The first account's lots are kept before the second is locked.

        On PostgreSQL each UPDATE is one statement with what goes with it: the second's with the
        legs' INSERT (the legs inserted from its RETURNING, so a refused UPDATE inserts none), the
        destination's with a plain credit's lots; the second row is held for that one statement
        and the commit."""
        source, destination = self.source.pk, self.destination.pk
        postgres = connection.vendor == "postgresql"
        book = lots.Bookkeeping(self, transfer_id, now)
        balances = {}
        for account in sorted((source, destination), reverse=True):
            sql, params = self._update(account)
            with_legs = postgres and balances  # the second UPDATE: the legs go with it
            ctes, columns = [], []
            if with_legs:
                ctes.append(self._legs_sql(transfer_id, balances, now))
            credit = None  # the credit's lots go with the destination's statement, or with the source's after it
            if postgres and account == destination:
                credit = book.credit_sql("moved")
            elif postgres and destination in balances:
                credit = book.credit_sql("moved", balances[destination])
            if credit:
                ctes.append(credit[:2])
                columns.append(credit[2])
            if ctes:
                cursor.execute(
                    f"WITH moved AS ({sql}){''.join(cte for cte, _ in ctes)} SELECT balance{''.join(', ' + c for c in columns)}"
                    " FROM moved", [*params, *(p for _, cte_params in ctes for p in cte_params)])
            else:
                cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                self._explain_refusal(cursor, account, debit=account == source)
            balances[account] = stored_amount(row[0])
            if len(balances) == 2 and not postgres:
                self._insert_legs(cursor, transfer_id, balances, now)
            if account == source:
                book.debit(cursor, balances[source], balances.get(destination))
            if destination in balances:
                book.credit(cursor, balances[destination], row[1:] if credit else None)
        book.finish()
        return balances

    def _legs_sql(self, transfer_id, balances, now) -> tuple[str, list]:
        """The legs' INSERT as a CTE of the second UPDATE's statement (`moved`): in the order
        source, destination (as elsewhere), the second's balance from its RETURNING."""
        ops = connection.ops
        (first, first_balance), = balances.items()
        created = ops.adapt_datetimefield_value(now)
        legs = []
        for account, amount in ((self.source.pk, -self.amount), (self.destination.pk, self.amount)):
            known = account == first
            legs.append((f"SELECT %s, %s, %s, {'%s' if known else 'balance'}, %s FROM moved", [
                transfer_id, account, ops.adapt_decimalfield_value(amount),
                *([ops.adapt_decimalfield_value(first_balance)] if known else []), created]))
        return (f", legs AS (INSERT INTO {_LEG} (transfer_id, account_id, amount, balance_after, date_created)"
                f" {legs[0][0]} UNION ALL {legs[1][0]})", [*legs[0][1], *legs[1][1]])

    def _update(self, account_id) -> tuple[str, list]:
        """The conditional UPDATE of one side, returning its new balance: (sql, params)."""
        amount = connection.ops.adapt_decimalfield_value(self.amount)
        if account_id == self.destination.pk:
            return (f"UPDATE {ACCOUNT_TABLE} SET balance = {rounded('balance + %s')}"
                    " WHERE id = %s AND status = 'OPEN' AND currency = %s RETURNING balance",
                    [amount, self.destination.pk, self.currency])
        owner_check, owner_params = owner_condition(self.user_id if self.check_authorisation else None)
        return (f"UPDATE {ACCOUNT_TABLE} SET balance = {rounded('balance - %s')} WHERE id = %s AND status = 'OPEN'"
                f" AND currency = %s AND (credit_limit IS NULL OR {rounded('balance - held - %s')}"
                f" >= -credit_limit){owner_check} RETURNING balance",
                [amount, self.source.pk, self.currency, amount, *owner_params])

    def _insert_legs(self, cursor, transfer_id, balances, now):
        ops = connection.ops
        created = ops.adapt_datetimefield_value(now)
        cursor.execute(
            f"INSERT INTO {_LEG} (transfer_id, account_id, amount, balance_after, date_created)"
            " VALUES (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)",
            [
                transfer_id, self.source.pk, ops.adapt_decimalfield_value(-self.amount),
                ops.adapt_decimalfield_value(balances[self.source.pk]), created,
                transfer_id, self.destination.pk, ops.adapt_decimalfield_value(self.amount),
                ops.adapt_decimalfield_value(balances[self.destination.pk]), created,
            ],
        )

    def _explain_refusal(self, cursor, account_id, *, debit: bool):
        """The conditional UPDATE matched no row: read the row once and say why."""
        role = "Source" if debit else "Destination"
        try:
            account = Account.objects.get(pk=account_id)
        except Account.DoesNotExist:
            raise exceptions.AccountNotFound(f"{role} account does not exist.") from None
        if account.is_closed():
            raise exceptions.ClosedAccount(f"{role} account has been closed.")
        if account.is_frozen():
            raise exceptions.FrozenAccount(f"{role} account is frozen.")
        if account.currency != self.currency:
            raise exceptions.CurrencyMismatch(
                f"{role} account holds {account.currency}, not {self.currency}."
            )
        if debit and self.check_authorisation and not account.can_be_authorised_by(self.user):
            raise exceptions.NotAuthorised(
                "This user is not authorised to make transfers from this account."
            )
        if debit:
            raise exceptions.InsufficientFunds(
                f"Not enough money: {Money(self.amount, self.currency)} asked, "
                f"{Money(account.amount_available, self.currency)} available."
            )
        raise exceptions.AccountException(f"{role} account refused the transfer.")

    def _transfer_instance(self, reference, now) -> Transfer:
        """The transfer as it will be posted (its id set once inserted)."""
        posted = Transfer(
            reference=reference,
            source=self.source,
            destination=self.destination,
            amount=self.amount,
            currency=self.currency,
            parent=self.parent,
            merchant_reference=self.merchant_reference,
            description=self.description,
            user=self.user if self.user_id else None,
            username=self.user.get_username() if self.user_id else "",
            idempotency_key=self.idempotency_key,
            date_created=now,
        )
        posted._state.adding = False
        posted._state.db = connection.alias
        return posted
