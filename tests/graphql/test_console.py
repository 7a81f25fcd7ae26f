"""The GraphiQL console: staff only (without DEBUG), with its assets served by the project."""
import base64
import hashlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def console(client):
    return client.get("/graphql/", headers={"Accept": "text/html"})


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_get_the_console_with_local_assets_only(staff_client):
    response = console(staff_client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "GraphQL console" in html and "ledgerHealth" in html
    assert not re.search(r'(src|href)="https?://', html), "the console must not load anything from a CDN"
    assert "csrftoken" in response.cookies


def test_every_asset_is_served_and_matches_its_integrity_hash(staff_client):
    html = console(staff_client).content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"\s+integrity="sha384-([^"]+)"', html)
    assert len(assets) == 7
    for path, expected in assets:
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as fh:
            digest = base64.b64encode(hashlib.sha384(fh.read()).digest()).decode()
        assert digest == expected, path


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_no_console_for_others_without_debug(who):
    client = Client()
    if who == "customer":
        client.force_login(UserFactory())
    assert console(client).status_code == 404


def test_the_console_is_there_for_everyone_with_debug(settings):
    settings.DEBUG = True
    assert console(Client()).status_code == 200
