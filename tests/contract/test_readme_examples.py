"""Every GraphQL example in the README pastes into GraphiQL as it is: it parses and validates
against the schema."""
import re
from pathlib import Path

import pytest
from graphql import parse, validate

from accounts_graphql.schema import schema

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.S)


def test_the_readme_has_graphql_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_example_validates_against_the_schema(index):
    errors = validate(schema._schema, parse(BLOCKS[index]))
    assert errors == [], [e.message for e in errors]
