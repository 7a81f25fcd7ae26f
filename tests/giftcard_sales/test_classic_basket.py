"""Oscar's own add-to-basket form (the server-rendered shop) checks gift-card options the same way."""
import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from headless_store.giftcard_sales import catalogue

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


def add(client, gift_cards, child, **fields):
    """Oscar lists a parent's variants; each variant's page has the form."""
    return client.post(reverse("basket:add", kwargs={"pk": child.pk}), {"quantity": 1, **fields})


def test_the_product_page_shows_the_gift_card_options(client, gift_cards):
    assert gift_cards["50"].get_absolute_url() in client.get(gift_cards["parent"].get_absolute_url()).text
    page = client.get(gift_cards["50"].get_absolute_url())
    assert page.status_code == 200
    for code, *_ in catalogue.OPTIONS:
        assert f'for="id_{code}"' in page.text


def test_a_gift_card_is_added_with_its_options(client, customer, gift_cards):
    client.force_login(customer)
    day = timezone.localdate() + dt.timedelta(days=2)
    add(client, gift_cards, gift_cards["50"], **{catalogue.RECIPIENT_EMAIL: "bob@example.com",
                                                 catalogue.MESSAGE: "Cheers", catalogue.DELIVER_ON: day.isoformat()})
    line = Basket.objects.get(owner=customer).all_lines()[0]
    assert line.product == gift_cards["50"]
    assert catalogue.line_options(line) == {catalogue.RECIPIENT_EMAIL: "bob@example.com", catalogue.MESSAGE: "Cheers",
                                            catalogue.DELIVER_ON: day.isoformat()}


def test_bad_options_are_refused_with_their_messages(client, customer, gift_cards):
    client.force_login(customer)
    response = add(client, gift_cards, gift_cards["25"], **{catalogue.RECIPIENT_EMAIL: "nobody",
                                                            catalogue.DELIVER_ON: "2001-01-01"})
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "valid e-mail address" in said and "in the past" in said
    assert not Basket.objects.filter(owner=customer, lines__isnull=False).exists()
