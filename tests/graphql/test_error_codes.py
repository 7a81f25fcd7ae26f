"""The error contract in the schema: every code described, each mutation listing the codes it may
return (from one table), and the list enforced where refusals become payloads."""
import re

import pytest

from accounts_graphql.errors import DESCRIPTIONS, MUTATION_CODES, declared_codes
from accounts_graphql.schema import schema

GRAPHQL = schema._schema


def test_every_error_code_is_described_in_the_schema():
    enum = GRAPHQL.type_map["AccountErrorCode"]
    assert set(enum.values) == set(DESCRIPTIONS)
    assert all(value.description for value in enum.values.values())


def test_every_mutation_lists_exactly_its_declared_codes():
    mutations = GRAPHQL.mutation_type.fields
    snake = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): field for name, field in mutations.items()}
    assert set(snake) == set(MUTATION_CODES)
    for operation, field in snake.items():
        listed = re.search(r"Error codes: (.*)\.$", field.description).group(1)
        assert [code.strip("` ") for code in listed.split(",")] == list(declared_codes(operation)), operation


def test_a_mutation_answering_a_code_it_does_not_list_fails_loudly(api, chart, monkeypatch, settings):
    """The suite's guard (CHECK_DECLARED_CODES): redeeming an unknown code answers INVALID_CODE;
    with INVALID_CODE taken off redeemGiftCard's list, the same call is a masked bug."""
    assert settings.GRAPHQL_API["CHECK_DECLARED_CODES"]
    query = 'mutation { redeemGiftCard(input: {code: "AAAA-BBBB-CCCC-DDDD"}) { errors { code } } }'
    assert api.data(query)["redeemGiftCard"]["errors"] == [{"code": "INVALID_CODE"}]
    field = next(f for f in schema.mutation.__strawberry_definition__.fields if f.python_name == "redeem_gift_card")
    refusals = next(e for e in field.extensions if hasattr(e, "declared"))
    monkeypatch.setattr(refusals, "declared", refusals.declared - {"INVALID_CODE"})
    body = api.gql(query)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


@pytest.mark.parametrize("operation", sorted(MUTATION_CODES))
def test_every_declared_code_exists(operation):
    assert set(declared_codes(operation)) <= set(DESCRIPTIONS)
