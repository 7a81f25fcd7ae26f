"""What the benchmarks share: a fresh PostgreSQL database and Django pointed at it."""
import os
import socket

import psycopg


def recreate_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, *, migrate: bool = False) -> None:
    """Point Django at `url` (quietly: refused payments are expected in a benchmark)."""
    os.environ["DATABASE_URL"] = url
    os.environ["LOG_LEVEL"] = "WARNING"
    # A benchmark is a staging deployment: DEBUG off, the sandbox card processor, no real money.
    os.environ.setdefault("STORE_SANDBOX_ALLOWED", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headless_store.settings")
    # The baseline: django-oscar-api's own checkout, which the shop closes (it takes no payment).
    os.environ.setdefault("STORE_OSCARAPI_CHECKOUT", "true")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        from headless_store.ledger.services.chart import create_default_chart

        call_command("migrate", verbosity=0)
        create_default_chart(["GBP"])


def free_port() -> int:
    """A free port on 127.0.0.1: one of TEST_PORT_RANGE ("8500-8599") when set (a shared machine
    gives each developer their own ports), else any. The benchmarks' servers and the tests' share it."""
    low, _, high = os.environ.get("TEST_PORT_RANGE", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in TEST_PORT_RANGE={os.environ['TEST_PORT_RANGE']}")
