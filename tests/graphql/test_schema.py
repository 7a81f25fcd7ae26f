"""The schema documents itself: every type, field, argument and enum value has a description."""
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLScalarType

from accounts_graphql.schema import schema


def test_every_type_field_and_argument_has_a_description():
    graphql_schema = schema._schema
    missing = []
    for name, kind in graphql_schema.type_map.items():
        if name.startswith("__") or name in ("String", "Boolean", "Int", "Float", "ID"):
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            assert kind.values
        if isinstance(kind, GraphQLScalarType):
            assert kind.description, name
    assert missing == []
