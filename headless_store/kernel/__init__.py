"""The kernel under the domains (ledger, checkout, loyalty, events), as Oscar's `oscar/core/` and
Saleor's `saleor/core/`: what every domain does the same way and nothing domain-specific.

- refusals.py    `Refusal`, the one base of every expected "no" (each domain subclasses it with its
                 own codes), and `blame()` for naming the input at fault;
- idempotency.py the one rule for idempotency keys and the one replay check;
- conf.py        `AppSettings`: one settings reader per app over that app's `defaults.py`.

The kernel imports nothing from the domains; the domains import it.
"""
