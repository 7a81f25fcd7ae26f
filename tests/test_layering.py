"""Imports point one way: accounts_graphql -> headless_store.checkout -> headless_store.ledger."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "headless_store/ledger": ("strawberry", "strawberry_django", "graphql", "accounts_graphql",
                              "headless_store.checkout", "frontend_contract"),
    "headless_store/checkout": ("strawberry", "strawberry_django", "graphql", "accounts_graphql", "frontend_contract"),
}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_the_domain_never_imports_the_api_layer(package):
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / package).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package] or any(module.startswith(f) for f in FORBIDDEN[package])
    ]
    assert offenders == []
