"""The kernel under the domains (ledger, checkout, loyalty, events), as Oscar's `oscar/core/` and
Saleor's `saleor/core/`: what every domain does the same way and nothing domain-specific.

- refusals.py    `Refusal`, the one base of every expected "no" (each domain subclasses it with its
                 own codes), and `blame()` for naming the input at fault;
- conf.py        `AppSettings`: one settings reader per app over that app's `defaults.py`;
- dashboard.py   `refusals_shown()`: a dashboard page shows a refusal on its form or as a message;
- compiled.py    `CompiledQuery` / `CompiledCondition`: a hot path's read built and compiled by the
                 ORM once per database and run with each call's values (the checkout's lookups,
                 the ledger's owner condition).

Three more shared rules live in the ledger, because they need its tables or its currency data:
idempotency (ledger/services/idempotency.py: one key rule, one replay check, one record table),
ownership (ledger/ownership.py) and money (ledger/money.py: `Money`, the stored quantum).

The kernel imports nothing from the domains; the domains import it.
"""
