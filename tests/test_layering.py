"""Imports point one way (docs/architecture.md): the import-linter contracts in pyproject.toml
hold, and they cover every package; the README's layout names every module."""
import re
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
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


#: A path in the layout's name column: a folder (`ledger/`, `management/commands/`) or a file (`facade.py`).
_PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)*(?:/|\.\w+)$")


def layout_entries() -> dict[str, str]:
    """The README's layout block as {path from the repository root: its description}. A line
    starts with its paths (indented two spaces per folder level) then, after two or more spaces,
    their description; a line indented to the description column continues the one before."""
    entries: dict[str, str] = {}
    folders: list[tuple[int, str]] = []  # (indent, path) of the folders the next lines may be in
    last = None
    for line in _layout_block().splitlines():
        indent = len(line) - len(line.lstrip())
        head, _gap, description = line.strip().partition("  ")
        paths = []
        for token in head.split():
            if not _PATH.match(token):
                description = head[head.index(token):] + " " + description
                break
            paths.append(token)
        if not line.strip():
            continue
        if indent >= 20 or not paths:
            entries[last] += " " + line.strip()
            continue
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        for path in paths:
            last = parent + path
            entries[last] = description.strip()
        if len(paths) == 1 and paths[0].endswith("/"):
            folders.append((indent, last))
    return entries


def test_every_path_the_readme_layout_names_exists():
    """The layout's name column is the tree: a renamed or removed module fails here."""
    entries = layout_entries()
    assert "headless_store/ledger/facade.py" in entries and "accounts_graphql/errors.py" in entries  # parsed
    missing = [path for path in entries if not (ROOT / path).exists()]
    assert not missing, f"README layout names paths that do not exist: {missing}"


def _shape_modules() -> set[str]:
    """The modules every domain app has, listed once in docs/architecture.md's table."""
    page = (ROOT / "docs" / "architecture.md").read_text()
    table = page.split("Inside a domain app the same shape repeats:", 1)[1].split("\n\n", 2)[1]
    return {name for row in table.splitlines()[2:] for name in re.findall(r"`([\w/.]+)`", row.split("|")[1])}


@pytest.mark.parametrize("package", [
    "accounts_graphql", "headless_store/ledger", "headless_store/ledger/services", "headless_store/ledger/selectors",
    "headless_store/checkout", "headless_store/events", "headless_store/loyalty", "headless_store/giftcard_sales",
    "headless_store/kernel", "headless_store",
])
def test_the_readme_layout_names_every_folder_and_module(package):
    """The README's layout section matches the tree: every sub-package and module of the package is
    named in the package's own entry (or its sub-entries), as a path or by name (`accounts` for
    services/accounts.py); the modules of every domain app's shape are named in docs/architecture.md."""
    entries = layout_entries()
    prefix = f"{package}/"
    text = " ".join(f"{path} {description}" for path, description in entries.items() if path.startswith(prefix))
    exempt = {"__init__.py", "apps.py"} | (_shape_modules() if package.startswith("headless_store/") else set())
    names = [
        f"{path.name}/" if path.is_dir() else path.name
        for path in sorted((ROOT / package).iterdir())
        if (path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py"
    ]
    names = [name for name in names if name not in exempt]
    if package == "headless_store":  # the project's own modules are summed up in one entry
        names = [name for name in names if name.endswith("/")]
    missing = [name for name in names
               if not re.search(rf"(?<![\w]){re.escape(name.removesuffix('.py').rstrip('/'))}(?![\w])", text)]
    assert not missing, f"README layout misses {missing} of {package}"


def test_the_architecture_page_shows_the_layers_of_the_contract():
    """docs/architecture.md draws the layers top to bottom, as pyproject.toml declares them."""
    config = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]
    layers = next(c["layers"] for c in config["contracts"] if c["type"] == "layers")
    drawn = (ROOT / "docs" / "architecture.md").read_text().split("```", 2)[1]
    assert [line.split()[0] for line in drawn.strip().splitlines()] == layers
