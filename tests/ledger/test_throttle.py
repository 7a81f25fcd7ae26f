"""The code throttle: failures per IP and per user, a cooling-off period, the same answer for
every unusable code."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import override_settings
from django.utils import timezone

from headless_store.ledger import exceptions, facade, throttle
from headless_store.ledger.services.giftcards import find_by_code, issue_gift_card
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


@override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_COOLING_OFF=300)
def test_a_fresh_ip_is_not_blocked_and_three_failures_block_it(clock):
    throttle.check("10.0.0.1")
    for _ in range(3):
        throttle.record_failure("10.0.0.1")
    with pytest.raises(exceptions.CodeAttemptsBlocked) as blocked:
        throttle.check("10.0.0.1")
    assert blocked.value.retry_after == 300
    throttle.check("10.0.0.2")  # another client is not affected


@override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_COOLING_OFF=300)
def test_the_block_lifts_after_the_cooling_off_period(clock):
    for _ in range(3):
        throttle.record_failure("10.0.0.1")
    clock[0] += 120
    assert throttle.retry_after("10.0.0.1") == 180
    clock[0] += 181
    throttle.check("10.0.0.1")


@override_settings(ACCOUNTS_CODE_MAX_FAILURES=3)
def test_failures_are_counted_per_user_across_ips(clock):
    user = UserFactory()
    for n in range(3):
        throttle.record_failure(f"10.0.0.{n}", user)
    with pytest.raises(exceptions.CodeAttemptsBlocked):
        throttle.check("10.9.9.9", user)
    throttle.check("10.9.9.9", UserFactory())


@override_settings(ACCOUNTS_CODE_MAX_FAILURES=3)
def test_two_failures_do_not_block(clock):
    throttle.record_failure("10.0.0.1")
    throttle.record_failure("10.0.0.1")
    throttle.check("10.0.0.1")


class TestFindByCode:
    @pytest.fixture
    def card(self, chart):
        return issue_gift_card(amount=D("25"), currency="GBP")

    def test_a_valid_code_is_found_however_it_is_typed(self, card):
        typed = card.code.lower().replace("-", " ")
        assert find_by_code(typed, ip="10.0.0.1") == card.account

    @pytest.mark.parametrize("state", ["unknown", "closed", "frozen", "expired", "not started", "empty", "garbage"])
    def test_every_unusable_code_gives_the_same_answer_and_counts(self, card, redemptions, state):
        code = card.code
        account = card.account
        if state == "unknown":
            code = "ABCD-EFGH-JKMN-PQRS"
        elif state == "garbage":
            code = "'; DROP TABLE ledger_account; --" * 5
        elif state in ("closed", "empty"):
            facade.transfer(account, redemptions, account.balance)
            if state == "closed":
                account.close()
        elif state == "frozen":
            account.freeze()
        elif state == "expired":
            account.end_date = timezone.now() - timedelta(seconds=1)
            account.save()
        elif state == "not started":
            account.start_date = timezone.now() + timedelta(days=1)
            account.save()
        with pytest.raises(exceptions.InvalidCode) as refused:
            find_by_code(code, ip="10.0.0.1")
        assert str(refused.value) == "This code is not valid."
        with override_settings(ACCOUNTS_CODE_MAX_FAILURES=2):
            with pytest.raises(exceptions.InvalidCode):
                find_by_code(code, ip="10.0.0.1")
            with pytest.raises(exceptions.CodeAttemptsBlocked):
                find_by_code(card.code, ip="10.0.0.1")

    def test_a_blocked_caller_cannot_use_even_a_valid_code(self, card):
        with override_settings(ACCOUNTS_CODE_MAX_FAILURES=1):
            with pytest.raises(exceptions.InvalidCode):
                find_by_code("WRONG-CODE-0000", ip="10.0.0.1")
            with pytest.raises(exceptions.CodeAttemptsBlocked):
                find_by_code(card.code, ip="10.0.0.1")

    def test_a_success_does_not_reset_the_failure_count(self, card):
        with override_settings(ACCOUNTS_CODE_MAX_FAILURES=3):
            for _ in range(2):
                with pytest.raises(exceptions.InvalidCode):
                    find_by_code("WRONG-CODE-0000", ip="10.0.0.1")
                find_by_code(card.code, ip="10.0.0.1")
            with pytest.raises(exceptions.InvalidCode):
                find_by_code("WRONG-CODE-0000", ip="10.0.0.1")
            with pytest.raises(exceptions.CodeAttemptsBlocked):
                find_by_code(card.code, ip="10.0.0.1")

    def test_a_card_assigned_to_a_user_works_only_for_that_user(self, chart):
        owner = UserFactory()
        card = issue_gift_card(amount=D("10"), currency="GBP", primary_user=owner)
        assert find_by_code(card.code, ip="10.0.0.1", user=owner) == card.account
        with pytest.raises(exceptions.InvalidCode):
            find_by_code(card.code, ip="10.0.0.1", user=UserFactory())
        with pytest.raises(exceptions.InvalidCode):
            find_by_code(card.code, ip="10.0.0.2", user=None)

    def test_an_empty_card_can_still_be_looked_up_for_its_balance(self, card, redemptions):
        facade.transfer(card.account, redemptions, D("25"))
        assert find_by_code(card.code, ip="10.0.0.1", require_balance=False) == card.account


class TestWhoIsCounted:
    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3)
    def test_a_guest_cannot_lock_out_signed_in_customers_behind_the_same_ip(self, clock):
        for _ in range(3):
            throttle.record_failure("10.0.0.1")
        with pytest.raises(exceptions.CodeAttemptsBlocked):
            throttle.check("10.0.0.1")
        throttle.check("10.0.0.1", UserFactory())  # a customer on the same NAT is not blocked

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3)
    def test_a_customers_mistakes_do_not_block_guests_on_the_same_ip(self, clock):
        user = UserFactory()
        for _ in range(3):
            throttle.record_failure("10.0.0.1", user)
        with pytest.raises(exceptions.CodeAttemptsBlocked):
            throttle.check("10.0.0.2", user)
        throttle.check("10.0.0.1")

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3)
    def test_a_valid_code_gives_its_attempt_back(self, clock, chart):
        card = issue_gift_card(amount=D("5"), currency="GBP")
        for _ in range(10):
            find_by_code(card.code, ip="10.0.0.1")
        throttle.check("10.0.0.1")


class TestPerIpAllowance:
    """Failures also count per IP whoever makes them: fresh accounts from one address share one allowance."""

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_MAX_FAILURES_PER_IP=7)
    def test_fresh_accounts_from_one_ip_share_the_ips_allowance(self, clock, chart):
        looked_up = 0
        for _ in range(5):  # five freshly registered accounts, three guesses each, from one address
            user = UserFactory()
            for _ in range(3):
                try:
                    find_by_code("WRONG-CODE-0000", ip="203.0.113.9", user=user)
                except exceptions.InvalidCode:
                    looked_up += 1
                except exceptions.CodeAttemptsBlocked:
                    pass
        assert looked_up == 7
        with pytest.raises(exceptions.CodeAttemptsBlocked):
            throttle.check("203.0.113.9", UserFactory())
        with pytest.raises(exceptions.CodeAttemptsBlocked):
            throttle.check("203.0.113.9")  # guests there too
        throttle.check("203.0.113.10", UserFactory())  # another address is not affected

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_MAX_FAILURES_PER_IP=7)
    def test_guests_count_against_the_ips_allowance_too(self, clock):
        for _ in range(3):
            throttle.record_failure("203.0.113.9")
        for _ in range(4):
            throttle.record_failure("203.0.113.9", UserFactory())
        with pytest.raises(exceptions.CodeAttemptsBlocked):
            throttle.check("203.0.113.9", UserFactory())

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_MAX_FAILURES_PER_IP=7)
    def test_valid_codes_give_their_attempts_back_to_the_ip_too(self, clock, chart):
        card = issue_gift_card(amount=D("5"), currency="GBP")
        for _ in range(5):
            for _ in range(2):
                find_by_code(card.code, ip="203.0.113.9", user=UserFactory())
        throttle.check("203.0.113.9")

    @override_settings(ACCOUNTS_CODE_MAX_FAILURES=3, ACCOUNTS_CODE_MAX_FAILURES_PER_IP=7, ACCOUNTS_CODE_COOLING_OFF=300)
    def test_the_ips_block_lifts_after_the_cooling_off_period(self, clock):
        for _ in range(7):
            throttle.record_failure("203.0.113.9", UserFactory())
        assert throttle.retry_after("203.0.113.9", UserFactory()) == 300
        clock[0] += 301
        throttle.check("203.0.113.9", UserFactory())


def _redis_url():
    import os

    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The throttle on a real Redis (CI starts redis-server); skips locally without one."""
    import os

    import redis

    url = _redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this against Redis at {url}")
        pytest.skip(f"no Redis at {url}")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.parametrize("backend", ["locmem", "redis"])
@override_settings(ACCOUNTS_CODE_MAX_FAILURES=5)
def test_twenty_concurrent_wrong_codes_let_at_most_the_limit_through(request, backend):
    """Each thread reserves an attempt and, as a lookup of a wrong code would, records the failure."""
    import threading

    if backend == "redis":
        request.getfixturevalue("redis_cache")
    barrier, looked_up, refused = threading.Barrier(20), [], []

    def guess():
        barrier.wait()
        try:
            throttle.reserve("203.0.113.7")
        except exceptions.CodeAttemptsBlocked:
            refused.append(1)
            return
        looked_up.append(1)
        throttle.record_failure("203.0.113.7", reserved=True)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(looked_up) <= 5 and len(looked_up) + len(refused) == 20
    with pytest.raises(exceptions.CodeAttemptsBlocked):
        throttle.check("203.0.113.7")


class TestClientIp:
    """The throttle's IP comes from REMOTE_ADDR, or N hops back in X-Forwarded-For behind N trusted proxies."""

    @pytest.mark.parametrize("hops, forwarded, expected", [
        (0, "198.51.100.9", "10.0.0.1"),                  # no trusted proxy: the header is the client's to forge
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),     # a forged entry left of what our proxy wrote
        (2, "198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (2, "198.51.100.9", "10.0.0.1"),                  # fewer entries than proxies: not what they write
        (1, "not-an-ip", "10.0.0.1"),
    ])
    def test_client_ip(self, settings, rf, hops, forwarded, expected):
        from headless_store.network import client_ip

        settings.TRUSTED_PROXY_COUNT = hops
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_ip(request) == expected
