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


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


@pytest.mark.parametrize("package", ["accounts_graphql", "headless_store/ledger", "headless_store"])
def test_the_readme_layout_names_every_folder_and_module(package):
    """The README's layout section matches the tree: every sub-package and module is named."""
    block = _layout_block()
    names = [
        f"{path.name}/" if path.is_dir() else path.name
        for path in sorted((ROOT / package).iterdir())
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.name not in ("__init__.py", "apps.py"))
    ]
    if package == "headless_store":  # the project's own modules are summed up in one line
        names = [n for n in names if n.endswith("/")]
    missing = [name for name in names if name not in block]
    assert not missing, f"README layout misses {missing} of {package}"
