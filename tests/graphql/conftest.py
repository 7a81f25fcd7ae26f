"""Helpers for API tests: GraphQL over HTTP with Django's test client, and REST baskets."""
import json
from decimal import Decimal as D

import pytest
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from tests.factories import UserFactory

Country = get_model("address", "Country")


class Api:
    """A client that speaks to /graphql/ and django-oscar-api like a front end would."""

    def __init__(self, client: Client, headers=None):
        self.client = client
        self.headers = headers or {}

    def gql(self, query, variables=None, **extra):
        response = self.client.post(
            "/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json", headers=self.headers, **extra,
        )
        assert response.status_code == 200, response.content
        return response.json()

    def data(self, query, variables=None):
        body = self.gql(query, variables)
        assert "errors" not in body, body
        return body["data"]

    def add_product(self, product, quantity=1):
        response = self.client.post(
            "/api/basket/add-product/",
            data=json.dumps({"url": f"http://testserver/api/products/{product.pk}/", "quantity": quantity}),
            content_type="application/json", headers=self.headers,
        )
        assert response.status_code == 200, response.content
        return response.json()

    def basket(self):
        return self.client.get("/api/basket/", headers=self.headers).json()


@pytest.fixture
def country(db):
    return Country.objects.get_or_create(
        iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "printable_name": "United Kingdom",
                                      "is_shipping_country": True},
    )[0]


@pytest.fixture
def products(db):
    return {
        "kettle": create_product(title="Kettle", price=D("45.00"), num_in_stock=50),
        "filters": create_product(title="Filters", price=D("4.99"), num_in_stock=50),
    }


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def other_customer(db):
    return UserFactory()


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return Api(client)


@pytest.fixture
def guest_api(db):
    return Api(Client())


@pytest.fixture
def anonymous_api(db):
    return Api(Client())


def error_codes(payload):
    return [e["code"] for e in payload["errors"]]


ADDRESS = {
    "firstName": "Ada", "lastName": "Lovelace", "line1": "12 Analytical Row", "line4": "London",
    "postcode": "N1 9GU", "country": "GB",
}
