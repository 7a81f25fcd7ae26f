"""Oscar's own pages work: a crawler follows every link from the shop's front page, the catalogue,
a product page, the basket, each checkout step, the customer's account pages and the dashboard
(every entry of its navigation, and from the lists the detail pages of existing objects), as
anonymous, customer and staff, with DEBUG on and with DEBUG off (static files collected with
production's hashed, compressed storage and served by WhiteNoise, so a template naming a missing
file fails as it would in production). No page may answer 500 and nothing may be logged at ERROR
(sorl-thumbnail and Django's template engine log what they swallow); followed links must not 404,
and with DEBUG off every static file a page names must be served.

Each URL pattern (view and query keys) is fetched at most PER_PATTERN times, so lists are followed
to a few detail pages of each kind, not to all of them."""
import logging
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from oscar.core.loading import get_model
from oscar.test import factories

from headless_store.demo import load_demo_data
from headless_store.events.models import WebhookEndpoint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PER_PATTERN = 2
LIMIT = 800
# Not the shop's or the dashboard's pages: Django's admin, the APIs, metrics, the SPA demo, media
# (served by the web server in production); logging out would end the crawl's session.
SKIP = re.compile(r"^/(admin|api|graphql|metrics|health|i18n|media|demo)/|logout|^/prometheus")

Product = get_model("catalogue", "Product")
Notification = get_model("communication", "Notification")
CommunicationEventType = get_model("communication", "CommunicationEventType")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.pages.append(attrs["href"])
        elif tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.assets.append(attrs.get("href") or attrs.get("src"))


class ErrorLog(logging.Handler):
    """Every record at ERROR or above, from any logger (non-propagating ones included)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def __enter__(self):
        self.loggers = [logging.getLogger()] + [logging.getLogger(name) for name, logger in
                                                 logging.Logger.manager.loggerDict.items()
                                                 if isinstance(logger, logging.Logger) and not logger.propagate]
        for logger in self.loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        for logger in self.loggers:
            logger.removeHandler(self)


def local(base: str, href: str) -> str | None:
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, seeds):
    """Fetch pages breadth-first from the seeds; return ({url: status}, [problems], {asset urls})."""
    statuses, problems, assets = {}, [], set()
    shapes, queue = Counter(), deque(seeds)
    while queue and len(statuses) < LIMIT:
        url = queue.popleft()
        path, _, query = url.partition("?")
        if url in statuses or SKIP.search(path):
            continue
        try:
            shape = (resolve(path).view_name, tuple(sorted(parse_qs(query))))
        except Resolver404:
            shape = (path, ())
        if shapes[shape] >= PER_PATTERN and url not in seeds:
            continue
        shapes[shape] += 1
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code >= 500 or response.status_code == 404:
            problems.append(f"{response.status_code} {url}")
        if response.status_code in (301, 302, 303, 307, 308):
            target = local(url, response["Location"])
            if target:
                queue.appendleft(target)
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            links = Links()
            links.feed(response.content.decode())
            queue.extend(target for href in links.pages if (target := local(url, href)))
            assets.update(target for href in links.assets if (target := local(url, href)))
    return statuses, problems, assets


def navigation_urls(entries=None):
    urls = []
    for entry in entries if entries is not None else django_settings.OSCAR_DASHBOARD_NAVIGATION:
        if entry.get("url_name"):
            urls.append(reverse(entry["url_name"], kwargs=entry.get("url_kwargs")))
        urls += navigation_urls(entry.get("children", []))
    return urls


@pytest.fixture
def shop(chart):
    """The demo shop (products with images, customers, wallets, gift cards) and one of everything
    the dashboard lists: an order, a range, an offer, a voucher, a review, a page, a category, a
    shipping method, an email template, a wish list, an address, an alert and a notification."""
    load_demo_data()
    alice = get_user_model().objects.get(email="alice@example.com")
    product = Product.objects.filter(images__isnull=False).first()
    factories.create_order(user=alice)
    category = factories.CategoryFactory(name="Coffee")
    factories.ProductCategoryFactory(product=product, category=category)
    factories.create_offer(name="Demo offer")
    factories.create_voucher(name="Demo voucher", code="DEMO10")
    factories.ProductReviewFactory(product=product, user=alice)
    factories.WishListFactory(owner=alice)
    factories.UserAddressFactory(user=alice, country=get_model("address", "Country").objects.get(pk="GB"))
    factories.ProductAlertFactory(product=product, user=alice)
    factories.create_shipping_weight_based()
    Notification.objects.create(recipient=alice, subject="Hello", body="Your order is on its way")
    CommunicationEventType.objects.get_or_create(code="ORDER_PLACED", defaults={"name": "Order placed"})
    page = FlatPage.objects.create(url="/about/", title="About", content="A demo shop.")
    page.sites.add(Site.objects.get_current())
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hook", description="ERP", event_types=["transfer.posted"])
    return {"product": product, "alice": alice}


def shopper(client, product, *, guest: bool):
    """A basket with the product and a shipping address, so every checkout step renders."""
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    if guest:
        client.post(reverse("checkout:index"), {"username": "guest@example.com", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), {
        "first_name": "Ada", "last_name": "Lovelace", "line1": "1 Demo Street", "line4": "London",
        "postcode": "N1 9GU", "country": "GB", "phone_number": ""})


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files as `make serve` collects them (production's storage: hashed names, a
    manifest, compressed copies)."""
    root = tmp_path_factory.mktemp("static")
    storages = {**django_settings.STORAGES, "staticfiles": {"BACKEND": "headless_store.storage.StaticFilesStorage"}}
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return {"STATIC_ROOT": str(root), "STORAGES": storages, "WHITENOISE_USE_FINDERS": False}


# The article's dashboard snippet (oscar-accounts-article.txt), verbatim: OA's url names, not namespaced.
ARTICLE_NAVIGATION = {
    "label": "Accounts",
    "icon": "icon-globe",
    "children": [
        {"label": "Accounts", "url_name": "accounts-list"},
        {"label": "Transfers", "url_name": "transfers-list"},
        {"label": "Deferred income report", "url_name": "report-deferred-income"},
        {"label": "Profit/loss report", "url_name": "report-profit-loss"},
    ],
}


def crawl_as(shop, role, debug, collected_static, navigation=None):
    """Crawl as the role (after filling a basket and giving the checkout an address); return the
    crawl's {url: status}, the client, and assert no problem and no logged error."""
    client = Client(raise_request_exception=False)
    product = shop["product"]
    navigation = navigation or django_settings.OSCAR_DASHBOARD_NAVIGATION
    seeds = ["/", "/catalogue/", product.get_absolute_url(), "/basket/", "/dashboard/"]
    seeds += [reverse(f"checkout:{step}") for step in ("index", "shipping-address", "shipping-method",
                                                       "payment-method", "payment-details", "preview")]
    if role == "customer":
        client.force_login(shop["alice"])
        seeds += ["/accounts/", "/accounts/profile/", "/accounts/orders/", "/accounts/addresses/",
                  "/accounts/wishlists/", "/accounts/notifications/inbox/", "/accounts/alerts/"]
    if role == "staff":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        seeds += navigation_urls(navigation)
    overrides = {"DEBUG": debug} if debug else {"DEBUG": False, **collected_static}
    with override_settings(OSCAR_DASHBOARD_NAVIGATION=navigation, **overrides), ErrorLog() as errors:
        shopper(client, product, guest=role == "anonymous")
        statuses, problems, assets = crawl(client, seeds)
        if not debug:
            problems += [f"{client.get(url).status_code} {url}" for url in sorted(assets)
                         if url.startswith(django_settings.STATIC_URL) and client.get(url).status_code != 200]
    assert not problems, problems
    assert not errors.records, [f"{r.name}: {r.getMessage()}" for r in errors.records]
    if role == "staff":
        assert all(statuses.get(url) == 200 for url in navigation_urls(navigation)), {
            url: statuses.get(url) for url in navigation_urls(navigation)}
    return statuses, client


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("role", ["anonymous", "customer", "staff"])
def test_every_page_answers_without_errors(shop, role, debug, collected_static):
    statuses, client = crawl_as(shop, role, debug, collected_static)
    # The product page shows its image as a thumbnail sorl-thumbnail made.
    page = client.get(shop["product"].get_absolute_url()).content.decode()
    thumbnails = re.findall(r'src="/media/(cache/[^"]+)"', page)
    assert thumbnails and all((Path(django_settings.MEDIA_ROOT) / name).exists() for name in thumbnails)
    if role == "staff":
        assert any(re.match(r"^/dashboard/orders/[^/]+/$", url) for url in statuses)  # a detail page
    assert len(statuses) > 20
    assert statuses.get(reverse("checkout:preview")) == 200  # the checkout's steps rendered, not skipped


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_the_articles_navigation_snippet_keeps_the_dashboard_working(shop, debug, collected_static):
    """A shop that followed the article appends its snippet to Oscar's navigation."""
    navigation = [*django_settings.OSCAR_DASHBOARD_NAVIGATION, ARTICLE_NAVIGATION]
    statuses, client = crawl_as(shop, "staff", debug, collected_static, navigation=navigation)
    with override_settings(OSCAR_DASHBOARD_NAVIGATION=navigation):
        page = client.get("/dashboard/").content.decode()
    for url in navigation_urls([ARTICLE_NAVIGATION]):
        assert f'href="{url}"' in page and statuses[url] == 200
