"""django-oscar-accounts 3.0.1's public API, implemented on headless_store.ledger (OA itself is
never imported): models (proxies of the ledger's, app label `oscar_accounts`), facade,
exceptions, core, codes, names, setup, security, checkout (allocation, gateway),
the `close_expired_accounts` command, OA's REST API (`oscar_accounts.api`) and OA's dashboard
url names (`oscar_accounts.dashboard`). OA 3.0.1's own test suite runs against it
(`make oa-suite`, tests/oa_suite). `facade`, `exceptions` and `core` warn once
(DeprecationWarning) with the ledger's module to use in new code. See the README, "Coming from
django-oscar-accounts".
"""
import warnings


def deprecated(old: str, new: str) -> None:
    warnings.warn(f"{old} is deprecated: import {new} instead (headless-store keeps {old} only while you migrate).",
                  DeprecationWarning, stacklevel=3)
