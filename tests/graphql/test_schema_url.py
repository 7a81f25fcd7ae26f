"""The SDL at a stable URL (GET /graphql/schema.graphql): staff and holders of
accounts_graphql.view_schema (by session or device token), introspection off or not."""
import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from frontend_contract.contract import exported_sdl
from tests.factories import UserFactory, device_token

pytestmark = pytest.mark.django_db
URL = "/graphql/schema.graphql"


def holder():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_schema", content_type__app_label="accounts_graphql"))
    return user


def test_staff_download_the_committed_schema(settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == exported_sdl()


def test_a_device_token_with_the_permission_downloads_it_and_gets_no_cookie(settings):
    settings.DEBUG = False
    response = Client().get(URL, headers={"Authorization": f"Bearer {device_token(holder())}"})
    assert response.status_code == 200 and "type Query" in response.content.decode() and not response.cookies


def test_a_customer_is_refused_and_an_anonymous_caller_must_sign_in(settings):
    settings.DEBUG = False
    refused = Client().get(URL, headers={"Authorization": f"Token {device_token(UserFactory())}"})
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    anonymous = Client().get(URL)
    assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert Client().get(URL, headers={"Authorization": "Token nope"}).status_code == 401
