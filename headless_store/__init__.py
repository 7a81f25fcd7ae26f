"""headless-store: a GraphQL API and a double-entry ledger for a headless Django Oscar shop."""
