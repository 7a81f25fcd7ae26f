"""GraphQL API over the ledger and Oscar checkout: a thin adapter (no business rules here)."""
