"""The checkout's tests drive it over HTTP as the API tests do: the same clients and shop."""
from tests.graphql.conftest import anonymous_api, api, country, customer, guest_api, other_customer, products  # noqa: F401
