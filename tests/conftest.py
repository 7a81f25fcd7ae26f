"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL with DATABASE_URL."""
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "default",
    deadline=None,  # database round trips vary on a shared machine; never assert on time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("default")

# The suite is a staging deployment: it pays with the sandbox's test cards with DEBUG off, and so
# do the servers and workers it starts (they inherit the environment). Tests of the refusal to
# start on the sandbox take the flag away (tests/checkout/test_gateway_safety.py).
os.environ["STORE_SANDBOX_ALLOWED"] = "true"
settings.STORE_SANDBOX_ALLOWED = True
# A mutation answering a code its description does not list fails the test (accounts_graphql/fields.py).
settings.GRAPHQL_API = {**settings.GRAPHQL_API, "CHECK_DECLARED_CODES": True}
# The outbox wakes its relay at every commit, so a test (and the workers it starts) sees an event
# dispatched by the next worker run, not a second later.
os.environ["EVENTS_RELAY_DELAY_SECONDS"] = "0"
settings.EVENTS_RELAY_DELAY_SECONDS = 0


def _on_broker() -> bool:
    return settings.TASK_BACKEND == "rq"


def _marked(item, name: str) -> bool:
    """Whether the test carries the marker `name` (its own, its class's or its module's). Not
    `name in item.keywords`: keywords hold the names of the test's folders too, so a checkout in a
    folder called `broker` or `postgres` would match every test."""
    return item.get_closest_marker(name) is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _marked(item, "postgres"):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A skip that would hide a test CI must run is a failure:
    - on PostgreSQL, a concurrency (postgres-marked) test that skips, unless it belongs to the other
      task backend (CI's broker step runs the broker's);
    - on the broker backend (TASK_BACKEND=rq, CI's broker step), any test that skips except the
      database_backend-marked ones (they read the database backend's task rows)."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):  # an expected failure is not a skip
        return
    on_broker = _on_broker()
    other_backend = (_marked(item, "broker") and not on_broker) or (_marked(item, "database_backend") and on_broker)
    if _marked(item, "postgres") and connection.vendor == "postgresql" and not other_backend:
        report.outcome = "failed"
        report.longrepr = f"postgres test skipped on PostgreSQL: {report.longrepr}"
    elif on_broker and not _marked(item, "database_backend"):
        report.outcome = "failed"
        report.longrepr = f"test skipped on the broker backend (only database_backend-marked ones may): {report.longrepr}"


@pytest.fixture(autouse=True)
def _skip_postgres_tests_on_sqlite(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); set DATABASE_URL to run")


@pytest.fixture(autouse=True)
def _skip_by_task_backend(request):
    if request.node.get_closest_marker("broker") and not _on_broker():
        pytest.skip("needs the broker backend (TASK_BACKEND=rq); CI's broker step runs it")
    if request.node.get_closest_marker("database_backend") and _on_broker():
        pytest.skip("reads the database backend's task rows")


@pytest.fixture(autouse=True)
def _empty_broker():
    """On the broker backend (TASK_BACKEND=rq, a Redis database of the suite's own), every test starts
    with no jobs queued."""
    if settings.TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_connection().flushdb()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """The code throttle lives in the cache: every test starts with clean counters."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chart(db):
    """The default chart of accounts and the core accounts (oscar_accounts_init)."""
    from headless_store.ledger.services.chart import create_default_chart

    create_default_chart()


@pytest.fixture
def staff_user(db):
    """A staff member who may refund orders and reverse transfers (`ledger.reverse_transfer`)."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="reverse_transfer"))
    return user


@pytest.fixture
def bank(chart):
    from headless_store.ledger import core

    return core.bank_account()


@pytest.fixture
def redemptions(chart):
    from headless_store.ledger import core

    return core.redemptions_account()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create the chart once per test database; `chart` re-creates it after a flush."""
    from headless_store.ledger.services.chart import create_default_chart

    with django_db_blocker.unblock():
        create_default_chart()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2's deliberate slowness buys nothing in tests."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Uploaded files and thumbnails (demo product images) go to a folder of the session's own."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(autouse=True)
def _webhooks_resolve_no_names(monkeypatch):
    """Webhook deliveries never reach a DNS server from the suite: a name other than localhost fails
    to resolve, as an unknown one would (IP literals resolve without any traffic)."""
    import ipaddress
    import socket

    from headless_store.events import outbound

    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host not in LOOPBACK_NAMES:
                raise socket.gaierror(socket.EAI_NONAME, "the test suite resolves no names") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(outbound, "getaddrinfo", guarded)


@pytest.fixture(autouse=True)
def outbound_connections(monkeypatch):
    """Every address urllib3 connects to (webhooks); anything but loopback is refused without a packet
    sent, so no test can reach another machine whatever the code under test does."""
    import ipaddress

    from urllib3.util import connection

    real, seen = connection.create_connection, []

    def guarded(address, *args, **kwargs):
        seen.append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError("the test suite connects to loopback only")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(connection, "create_connection", guarded)
    return seen


@pytest.fixture
def loopback_webhooks(settings):
    """Webhooks may reach the test's own receivers on loopback (allowed only through the allowlist)."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
