"""django-oscar-accounts compatibility: OA-era imports keep working while a shop migrates.

`oscar_accounts.facade`, `.models`, `.exceptions` and `.core` point at headless_store.ledger;
importing any of them warns (DeprecationWarning, once per module) with the new name. The
dashboard app `oscar_accounts.dashboard.apps.AccountsDashboardConfig` serves OA's url names
(`accounts_dashboard:accounts-list`, ...) as aliases of the ledger's pages. See the README,
"Coming from django-oscar-accounts".
"""
import warnings


def deprecated(old: str, new: str) -> None:
    warnings.warn(f"{old} is deprecated: import {new} instead (headless-store keeps {old} only while you migrate).",
                  DeprecationWarning, stacklevel=3)
