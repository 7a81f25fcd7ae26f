"""Who may use an account: the one rule, as a Django `Q`, and its SQL form compiled from that Q.

- `owned_by(user)`: the account's primary user, or one of its secondary users ("my accounts");
  `owned_by_email(email)` the same for staff's search by owner.
- `usable_by(user)`: owned by `user`, or an account that belongs to nobody (no primary and no
  secondary user: a gift card found by its code, a core account). This is django-oscar-accounts'
  `can_be_authorised_by`, and what a transfer from the account checks.

Every form of the rule comes from these two functions: `AccountQuerySet.visible_to` and
`.usable_by` filter with them, `Account.can_be_authorised_by` asks the database with them, and
`owner_condition()` is the SQL Django compiles for `usable_by` (the facade puts it in the
conditional UPDATE that moves the money). tests/ledger/test_ownership.py checks that all of them
agree for every shape of ownership. A card checkout (one owner column) follows the same rule
through `single_owner_usable_by`.
"""
from django.db.models import Exists, OuterRef, Q

from headless_store.kernel.compiled import CompiledCondition


def _secondary(**lookup):
    from .models import Account

    through = Account.secondary_users.through
    return Exists(through.objects.filter(account_id=OuterRef("pk"), **lookup))


def _owned(user_lookup: str, value) -> Q:
    """Accounts whose primary or a secondary user matches `user<user_lookup>=value`."""
    return Q(**{f"primary_user{user_lookup}": value}) | Q(_secondary(**{f"user{user_lookup}": value}))


def owned_by(user_id) -> Q:
    """Accounts of which `user_id` is the primary or a secondary user."""
    return _owned("_id", user_id)


def owned_by_email(email: str) -> Q:
    """Accounts of which a user with this e-mail address (any case) is the primary or a secondary
    user: staff's search by owner."""
    return _owned("__email__iexact", email)


def belongs_to_nobody() -> Q:
    return Q(primary_user_id__isnull=True) & ~Q(_secondary())


def usable_by(user_id) -> Q:
    """Accounts `user_id` may move money out of."""
    return owned_by(user_id) | belongs_to_nobody()


def single_owner_usable_by(user_id, field: str = "user") -> Q:
    """The same rule for a thing with one owner column (a card checkout): its owner's, or nobody's
    (a guest's, whose secret token is the proof)."""
    return Q(**{f"{field}__isnull": True}) | (Q(**{f"{field}_id": user_id}) if user_id is not None else Q(pk__in=[]))


def owner_condition(user_id, using: str = "default") -> tuple[str, list]:
    """SQL (" AND (...)") for "this user may spend from the account" on the accounts table, and
    its parameters; nothing to check without a user."""
    if user_id is None:
        return "", []
    sql, params = _USABLE_BY.sql(using=using, user=user_id)
    return f" AND ({sql})", params


def _usable_by_accounts(user):
    from .models import Account

    return Account.objects.filter(usable_by(user))


_USABLE_BY = CompiledCondition(_usable_by_accounts, user=int)
