"""Imports point one way (docs/architecture.md): the import-linter contracts in pyproject.toml
hold, and they cover every package; the README's layout names every module."""
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def test_the_import_contracts_hold(capsys):
    """ledger at the bottom, then events, checkout, loyalty, then accounts_graphql (the top); no
    GraphQL below the API; nobody imports the wiring; the shared utilities import no domain."""
    exit_code = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    assert exit_code == 0, capsys.readouterr().out


def _named_in_contracts() -> set[str]:
    config = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]
    named = set()
    for contract in config["contracts"]:
        for key in ("layers", "source_modules", "forbidden_modules"):
            named.update(contract.get(key, ()))
    return named


def _project_packages() -> list[str]:
    """Every sub-package and module of headless_store (settings, urls... included), and the
    other root packages."""
    found = ["accounts_graphql", "frontend_contract", "oscar_accounts"]
    for path in sorted((ROOT / "headless_store").iterdir()):
        if (path.is_dir() and (path / "__init__.py").exists()) or (path.suffix == ".py" and path.name != "__init__.py"):
            found.append(f"headless_store.{path.stem}")
    return found


# The project's own app config: it connects every app's checks and signals, so it may import anything.
WIRING = {"headless_store.apps"}


def test_every_package_is_in_a_contract():
    """A new package (a new domain, say) must be placed in the layers before it can land."""
    named = _named_in_contracts()
    missing = [name for name in _project_packages() if name not in named and name not in WIRING]
    assert not missing, f"name these in a [[tool.importlinter.contracts]] of pyproject.toml: {missing}"


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


@pytest.mark.parametrize("package", ["accounts_graphql", "headless_store/ledger", "headless_store/checkout",
                                     "headless_store/events", "headless_store/loyalty", "headless_store"])
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


def test_the_architecture_page_shows_the_layers_of_the_contract():
    """docs/architecture.md draws the layers top to bottom, as pyproject.toml declares them."""
    config = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]
    layers = next(c["layers"] for c in config["contracts"] if c["type"] == "layers")
    drawn = (ROOT / "docs" / "architecture.md").read_text().split("```", 2)[1]
    assert [line.split()[0] for line in drawn.strip().splitlines()] == layers
