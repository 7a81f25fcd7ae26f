"""One rule of who may use an account (ledger/ownership.py): the Python forms (visible_to,
usable_by, can_be_authorised_by) and the SQL the facade runs agree for every shape of ownership:
no owner, a primary user, secondary users, both; asked by each user, an owner or not."""
from itertools import chain, combinations

import pytest
from django.db import connection

from headless_store.ledger.models import Account
from headless_store.ledger.ownership import owner_condition
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def _subsets(items):
    return chain.from_iterable(combinations(items, n) for n in range(len(items) + 1))


def _sql_allows(account, user) -> bool:
    sql, params = owner_condition(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Account._meta.db_table} WHERE id = %s{sql}", [account.pk, *params])
        return cursor.fetchone() is not None


def test_every_form_of_the_rule_agrees_for_every_shape_of_ownership(chart):
    users = [UserFactory() for _ in range(3)]
    accounts = []
    for primary in [None, *users[:2]]:
        for secondary in _subsets(users):
            account = AccountFactory(primary_user=primary)
            account.secondary_users.set(secondary)
            accounts.append((account, primary, set(secondary)))
    for account, primary, secondary in accounts:
        for user in users:
            owns = user == primary or user in secondary
            nobodys = primary is None and not secondary
            fresh = Account.objects.get(pk=account.pk)
            assert fresh.can_be_authorised_by(user) == (owns or nobodys)
            assert _sql_allows(account, user) == (owns or nobodys)
            assert Account.objects.usable_by(user).filter(pk=account.pk).exists() == (owns or nobodys)
            assert Account.objects.visible_to(user).filter(pk=account.pk).exists() == owns
    assert Account.objects.visible_to(users[2]).count() == len({a.pk for a, p, s in accounts if users[2] in s})


def test_a_shared_account_is_listed_once(chart):
    owner, friend = UserFactory(), UserFactory()
    account = AccountFactory(primary_user=owner)
    account.secondary_users.set([owner, friend])
    assert list(Account.objects.visible_to(owner)) == [account]
