"""What the benchmarks share: a fresh PostgreSQL database and Django pointed at it."""
import os

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
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        from headless_store.ledger.services.chart import create_default_chart

        call_command("migrate", verbosity=0)
        create_default_chart(["GBP"])
