"""Paying an Oscar basket from ledger accounts and placing the order (no GraphQL here)."""
