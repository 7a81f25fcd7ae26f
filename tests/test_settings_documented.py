"""Every environment variable the README documents is read, and every one read is documented:
the README's Settings table against what headless_store/settings.py reads, both ways; the
Deploying table and deploy/production.env against what settings.py and gunicorn.conf.py read."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"`([A-Z][A-Z0-9_]*[A-Z0-9])`")


def settings_reads() -> set[str]:
    """Names settings.py passes to django-environ: env("X"), env.bool("X"), env.db_url("X")..."""
    names = set()
    for node in ast.walk(ast.parse((ROOT / "headless_store" / "settings.py").read_text())):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"):
            names.add(node.args[0].value)
    return names


def gunicorn_reads() -> set[str]:
    text = (ROOT / "gunicorn.conf.py").read_text()
    return set(re.findall(r'os\.environ(?:\.get\(|\[)"([A-Z][A-Z0-9_]*)"', text))


def table_names(section: str) -> set[str]:
    """Backticked names in the first column of the tables in a README section."""
    readme = (ROOT / "README.md").read_text()
    body = readme.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in body.splitlines():
        if line.startswith("| `"):
            names |= set(NAME.findall(line.split("|")[1]))
    return names


def test_the_settings_table_lists_exactly_what_settings_py_reads():
    documented, read = table_names("Settings"), settings_reads()
    assert "ACCOUNTS_HOLD_TIMEOUT" in documented and "DATABASE_URL" in documented  # the parser finds the table
    assert not documented - read, f"documented in README's Settings table but never read: {sorted(documented - read)}"
    assert not read - documented, f"read by settings.py but missing from README's Settings table: {sorted(read - documented)}"


def test_the_deploying_table_and_production_env_name_only_variables_that_are_read():
    read = settings_reads() | gunicorn_reads()
    in_env_file = {line.split("=", 1)[0] for line in (ROOT / "deploy" / "production.env").read_text().splitlines()
                   if line.strip() and not line.startswith("#")}
    assert not table_names("Deploying") - read, sorted(table_names("Deploying") - read)
    assert not in_env_file - read, sorted(in_env_file - read)


def test_a_variable_from_the_environment_reaches_the_code_that_uses_it():
    """ACCOUNTS_HOLD_TIMEOUT was documented and ignored; now a hold's life follows it."""
    script = ("import django; django.setup(); from headless_store.ledger.conf import settings; "
              "print(settings.ACCOUNTS_HOLD_TIMEOUT, settings.ACCOUNTS_CODE_MAX_FAILURES_PER_IP)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="headless_store.settings", ACCOUNTS_HOLD_TIMEOUT="120",
               ACCOUNTS_CODE_MAX_FAILURES_PER_IP="9")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["120", "9"]


APP_DEFAULTS = {"ledger": "headless_store.ledger.defaults", "checkout": "headless_store.checkout.defaults",
                "events": "headless_store.events.defaults", "loyalty": "headless_store.loyalty.defaults",
                "giftcard_sales": "headless_store.giftcard_sales.defaults"}


def test_settings_py_names_each_apps_default_instead_of_repeating_it():
    """A setting an app declares in its defaults.py is read in settings.py with that default by name
    (`default=ledger.ACCOUNTS_HOLD_TIMEOUT`), never a second literal that could drift (LOYALTY_SPENDABLE_DAYS
    once defaulted to 14 in settings.py and to 0 in the loyalty app)."""
    import importlib

    declared = {name: alias for alias, module in APP_DEFAULTS.items()
                for name in dir(importlib.import_module(module)) if name.isupper()}
    checked = set()
    for node in ast.walk(ast.parse((ROOT / "headless_store" / "settings.py").read_text())):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in declared):
            continue
        name = node.args[0].value
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
        assert isinstance(default, ast.Attribute) and isinstance(default.value, ast.Name), name
        assert (default.value.id, default.attr) == (declared[name], name), name
        checked.add(name)
    assert {"ACCOUNTS_HOLD_TIMEOUT", "LOYALTY_SPENDABLE_DAYS", "WEBHOOK_MAX_ATTEMPTS", "STORE_PAYMENT_GATEWAY",
            "GIFT_CARD_PAY_FOR_GIFT_CARDS"} <= checked


def test_each_app_reads_its_settings_through_its_one_reader():
    """No getattr(settings, "X", default) with a default of its own outside the apps' defaults.py."""
    pattern = re.compile(r"getattr\(\s*(?:django_)?settings\s*,\s*[\"'][A-Z_]+[\"']\s*,")
    offenders = [str(path.relative_to(ROOT)) for app in APP_DEFAULTS
                 for path in (ROOT / "headless_store" / app).rglob("*.py")
                 if "migrations" not in path.parts and pattern.search(path.read_text())]
    assert not offenders, offenders


def test_a_project_that_sets_nothing_gets_the_apps_defaults(settings):
    from headless_store.loyalty import defaults as loyalty_defaults
    from headless_store.loyalty.conf import settings as loyalty_settings

    del settings.LOYALTY_SPENDABLE_DAYS
    assert loyalty_settings.LOYALTY_SPENDABLE_DAYS == loyalty_defaults.LOYALTY_SPENDABLE_DAYS == 14
    settings.LOYALTY_SPENDABLE_DAYS = 3
    assert loyalty_settings.LOYALTY_SPENDABLE_DAYS == 3
