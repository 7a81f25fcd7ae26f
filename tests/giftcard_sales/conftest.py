"""Gift cards sold in the shop, driven over HTTP as a front end would (REST basket, GraphQL money)."""
import json
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model

from headless_store.giftcard_sales import catalogue
from tests.graphql.conftest import (  # noqa: F401
    ADDRESS,
    Api,
    anonymous_api,
    api,
    country,
    customer,
    guest_api,
    other_customer,
    products,
)

Partner = get_model("partner", "Partner")
Option = get_model("catalogue", "Option")


@pytest.fixture
def gift_cards(db, chart):
    """The gift-card product: a parent with 25.00 and 50.00 variants."""
    partner, _ = Partner.objects.get_or_create(name="Gift shop")
    parent, children = catalogue.create_gift_card_product(title="Gift card", amounts=(D("25.00"), D("50.00")),
                                                          partner=partner, currency="GBP", sku_prefix="GIFT")
    return {"parent": parent, "25": children[0], "50": children[1]}


def option_url(code: str) -> str:
    return f"http://testserver/api/options/{Option.objects.get(code=code).pk}/"


def add_gift_card(client_api: Api, product, *, quantity=1, expect=200, **options):
    """POST /api/basket/add-product/ with gift-card options given by short name (recipient_email=...)."""
    codes = {"recipient_name": catalogue.RECIPIENT_NAME, "recipient_email": catalogue.RECIPIENT_EMAIL,
             "message": catalogue.MESSAGE, "deliver_on": catalogue.DELIVER_ON}
    body = {"url": f"http://testserver/api/products/{product.pk}/", "quantity": quantity,
            "options": [{"option": option_url(codes[name]), "value": value} for name, value in options.items()]}
    response = client_api.client.post("/api/basket/add-product/", data=json.dumps(body),
                                      content_type="application/json", headers=client_api.headers)
    assert response.status_code == expect, response.content
    return response.json()
