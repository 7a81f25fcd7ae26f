"""Factories for ledger data. Money always arrives through the facade, never by assignment."""
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from headless_store.ledger import core, facade, names
from headless_store.ledger.models import Account
from headless_store.ledger.services.accounts import account_type


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


class AccountFactory(factory.django.DjangoModelFactory):
    """An open account; `funded=Decimal(...)` loads it from the Bank through the facade."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    class Params:
        type_code = names.STORE_CREDIT

    name = factory.Sequence(lambda n: f"Account {n}")
    account_type = factory.LazyAttribute(lambda o: account_type(o.type_code))
    currency = "GBP"

    @factory.post_generation
    def funded(obj, create, extracted, **kwargs):
        if create and extracted:
            facade.transfer(core.bank_account(obj.currency), obj, Decimal(extracted))


def device_token(user) -> str:
    """A device token for `user`, as POST /api/token/ issues one (django-rest-knox)."""
    from headless_store.devicetokens import issue_token

    return issue_token(user)[1]
