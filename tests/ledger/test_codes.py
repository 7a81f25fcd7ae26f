"""Gift-card codes: random, normalised on entry, stored only as a keyed hash plus last 4."""
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from headless_store.ledger import codes
from headless_store.ledger.models import Account
from headless_store.ledger.services.giftcards import issue_gift_card

LOOKALIKES = set("0O1IL")


def test_generated_codes_have_16_characters_from_the_alphabet():
    generated = {codes.generate() for _ in range(200)}
    assert len(generated) == 200
    for code in generated:
        assert len(code) == 16
        assert set(code) <= set(codes.ALPHABET)
    assert not LOOKALIKES & set(codes.ALPHABET)


def test_custom_length_and_alphabet_are_respected():
    assert set(codes.generate(30, alphabet="AB")) <= {"A", "B"}
    assert len(codes.generate(30, alphabet="AB")) == 30


def test_codes_are_displayed_in_groups_of_four():
    assert codes.display("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


@given(st.text(alphabet=codes.ALPHABET, min_size=16, max_size=16), st.data())
def test_case_spaces_and_dashes_do_not_change_the_hash(code, data):
    typed = "".join(
        data.draw(st.sampled_from([ch, ch.lower()])) + data.draw(st.sampled_from(["", " ", "-"]))
        for ch in code
    )
    assert codes.normalise(typed) == code
    assert codes.code_hash(typed) == codes.code_hash(code)
    assert codes.code_hash(code) != codes.code_hash(code[::-1]) or code == code[::-1]


def test_the_hash_is_keyed():
    code = codes.generate()
    with override_settings(ACCOUNTS_CODE_HASH_KEY="one key"):
        first = codes.code_hash(code)
    with override_settings(ACCOUNTS_CODE_HASH_KEY="another key"):
        assert codes.code_hash(code) != first


@pytest.mark.django_db
def test_the_database_never_holds_the_code(chart):
    issued = issue_gift_card(amount=D("25"), currency="GBP")
    plain = codes.normalise(issued.code)
    account = Account.objects.get(pk=issued.account.pk)
    assert account.code_last4 == plain[-4:]
    assert account.code_hash == codes.code_hash(plain) and plain not in account.code_hash
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Account._meta.db_table} WHERE id = %s", [account.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert plain not in row and issued.code not in row
    assert Account.objects.with_code(issued.code.lower()).get() == account
