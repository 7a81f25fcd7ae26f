"""Fuzzing every root field with documents drawn from the schema itself (hypothesis-graphql):
whatever the values (NUL, lone surrogates, huge and over-precise numbers, far dates, long lists),
the API answers 200 with data or typed errors, never 5xx and never "Unexpected error"."""
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from accounts_graphql.ids import global_id
from accounts_graphql.schema import schema
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SDL = str(schema)
HOSTILE_TEXT = st.sampled_from(["", "\x00", "a\x00b", "\ud800", "x" * 300, "٣", "0" * 120, "<script>", "' OR 1=1 --"])
NUMBERS = st.sampled_from(["0", "-1", "1e-9999999", "1e9999999", "NaN", "-Infinity", "1.005", "0.001", "abc",
                           "99999999999999999999999", "4.990", "1E+3", " 5 "])
SCALARS = {
    "Decimal": st.one_of(NUMBERS, st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str)).map(nodes.String),
    "Date": st.one_of(st.dates().map(str), st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30"])).map(nodes.String),
    "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["9999-12-31T23:59:59", "nope"]))
    .map(nodes.String),
    "ID": st.one_of(HOSTILE_TEXT, st.integers(-5, 10**20).map(str),
                    st.integers(1, 10**20).map(lambda n: global_id("Account", n)),
                    st.integers(1, 50).map(lambda n: global_id("Transfer", n))).map(nodes.String),
    "String": st.one_of(HOSTILE_TEXT, st.text(max_size=40)).map(nodes.String),
}
GRAPHQL_SCHEMA = schema._schema
ROOT_FIELDS = sorted([*GRAPHQL_SCHEMA.query_type.fields, *GRAPHQL_SCHEMA.mutation_type.fields])


@pytest.fixture
def clients(chart):
    staff, customer = Client(), Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    customer.force_login(UserFactory())
    return {"staff": staff, "customer": customer, "anonymous": Client()}


@pytest.mark.parametrize("name", ROOT_FIELDS)
def test_no_document_makes_the_api_fail(clients, name, caplog):
    @settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
    @given(document=from_schema(SDL, fields=[name], custom_scalars=SCALARS),
           who=st.sampled_from(["staff", "customer", "anonymous"]))
    def check(document, who):
        response = clients[who].post("/graphql/", data=json.dumps({"query": document}), content_type="application/json")
        text = response.content.decode()
        assert response.status_code < 500, text
        assert "Unexpected error" not in text and "INTERNAL_SERVER_ERROR" not in text, (document, text)

    check()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
