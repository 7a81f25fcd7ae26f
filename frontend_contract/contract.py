"""The contract between the API and its front ends, and the checks that keep it.

* `schema.graphql` is exported from the code (`make schema`), never edited by hand.
* `operations/*.graphql` are the documents the SPA sends; each must validate against the schema
  and use no deprecated field.
* A change to the schema that breaks old clients (graphql-core `find_breaking_changes`) against
  the SDL of the base commit fails unless it is listed in `ALLOWED_BREAKING_CHANGES`.
* Each operation, with the fragments it uses, is a persisted document identified by the sha256
  of its text: the persisted-operations mode of /graphql/ executes only those.

Run the checks with `python -m frontend_contract.contract` (make test runs them through pytest).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from graphql import (
    BreakingChange,
    DocumentNode,
    OperationDefinitionNode,
    Source,
    build_schema,
    concat_ast,
    find_breaking_changes,
    parse,
    specified_rules,
    validate,
)
from graphql.error import GraphQLSyntaxError
from graphql.validation import NoDeprecatedCustomRule

HERE = Path(__file__).resolve().parent
SCHEMA_FILE = HERE / "schema.graphql"
OPERATIONS_DIR = HERE / "operations"
ALLOWED_FILE = HERE / "ALLOWED_BREAKING_CHANGES"
MANIFEST_FILE = HERE / "generated" / "persisted-operations.json"
APOLLO_MANIFEST_FILE = HERE / "generated" / "persisted-query-manifest.json"
RELATIVE_SCHEMA = "frontend_contract/schema.graphql"


class ContractError(AssertionError):
    """A contract check failed; the message says what and how to fix it."""


def exported_sdl() -> str:
    """The SDL of the schema in the code, with a trailing newline."""
    from accounts_graphql.schema import schema

    return str(schema).rstrip("\n") + "\n"


def write_schema() -> Path:
    SCHEMA_FILE.write_text(exported_sdl())
    return SCHEMA_FILE


# -- operations -------------------------------------------------------------------------------
def operation_sources(directory: Path = OPERATIONS_DIR) -> list[Source]:
    return [Source(path.read_text(), path.name) for path in sorted(directory.glob("*.graphql"))]


def parse_operations(directory: Path = OPERATIONS_DIR) -> DocumentNode:
    documents = []
    for source in operation_sources(directory):
        try:
            documents.append(parse(source))
        except GraphQLSyntaxError as error:
            raise ContractError(f"operations/{source.name}: {error.message} (line {error.locations[0].line}).") from None
    return concat_ast(documents)


def _where(error) -> str:
    node = (error.nodes or [None])[0]
    if node is not None and node.loc is not None:
        return f"operations/{node.loc.source.name}, line {node.loc.source.get_location(node.loc.start).line}"
    return "operations"


def check_operations(sdl: str, directory: Path = OPERATIONS_DIR) -> list[str]:
    """Problems with the operations against this SDL (empty when all is well)."""
    schema = build_schema(sdl)
    document = parse_operations(directory)
    names = [d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name]
    problems = [
        "operations: an operation has no name; the SPA and the persisted-operations mode refer to operations by name."
        for d in document.definitions if isinstance(d, OperationDefinitionNode) and not d.name
    ]
    problems += [f"operations: operation name {n} is used twice." for n in {n for n in names if names.count(n) > 1}]
    for error in validate(schema, document, [*specified_rules, NoDeprecatedCustomRule]):
        hint = (
            "Stop using it in the operation (the schema says what replaces it)."
            if "deprecated" in error.message
            else f"Change the operation to match {RELATIVE_SCHEMA}, or change the schema (then run `make schema`)."
        )
        problems.append(f"{_where(error)}: {error.message} {hint}")
    return problems


# -- breaking changes -------------------------------------------------------------------------
def describe(change: BreakingChange) -> str:
    return f"{change.type.name} {change.description}"


def allowed_breaking_changes(path: Path = ALLOWED_FILE) -> set[str]:
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def check_breaking(old_sdl: str, new_sdl: str, allowed: set[str]) -> list[str]:
    changes = [describe(c) for c in find_breaking_changes(build_schema(old_sdl), build_schema(new_sdl))]
    return [
        f"breaking schema change: {change} Front ends built on the old schema would fail. Keep the old "
        f"field or argument (deprecate it instead), or, if every client has moved on, add this line to "
        f"frontend_contract/ALLOWED_BREAKING_CHANGES:\n    {change}"
        for change in changes
        if change not in allowed
    ]


def base_sdl(ref: str | None = None) -> tuple[str | None, str]:
    """The committed SDL at the base revision: CONTRACT_BASE_REF, else the previous commit."""
    ref = ref or os.environ.get("CONTRACT_BASE_REF") or "HEAD~1"
    try:
        sdl = subprocess.run(
            ["git", "show", f"{ref}:{RELATIVE_SCHEMA}"], cwd=HERE.parent, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, ref
    return sdl, ref


# -- persisted documents ----------------------------------------------------------------------
def manifest_json() -> str:
    from accounts_graphql.persisted import persisted_operations

    operations = persisted_operations(parse_operations())
    body = {name: {"sha256": op.sha256, "document": op.document} for name, op in sorted(operations.items())}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def apollo_manifest_json() -> str:
    """Apollo's format (`@apollo/persisted-query-lists`' generatePersistedQueryIdsFromManifest
    reads it): documents as Apollo Client sends them, `__typename` included."""
    from accounts_graphql.persisted import apollo_manifest

    return json.dumps(apollo_manifest(parse_operations()), indent=2) + "\n"


def write_manifest() -> Path:
    MANIFEST_FILE.parent.mkdir(exist_ok=True)
    MANIFEST_FILE.write_text(manifest_json())
    APOLLO_MANIFEST_FILE.write_text(apollo_manifest_json())
    return MANIFEST_FILE


# -- everything -------------------------------------------------------------------------------
def check_all() -> list[str]:
    problems = []
    sdl = exported_sdl()
    committed = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""
    if committed != sdl:
        problems.append(
            f"{RELATIVE_SCHEMA} differs from the schema in the code. Run `make schema` and commit the result "
            "(the file is generated; never edit it by hand)."
        )
    problems += check_operations(sdl)
    for path, fresh in ((MANIFEST_FILE, manifest_json), (APOLLO_MANIFEST_FILE, apollo_manifest_json)):
        if not path.exists() or path.read_text() != fresh():
            problems.append(
                f"frontend_contract/generated/{path.name} is out of date with operations/. "
                "Run `make schema` and commit the result."
            )
    old, ref = base_sdl()
    if old is not None:
        problems += check_breaking(old, sdl, allowed_breaking_changes())
    return problems


def main(argv=None) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headless_store.settings")
    django.setup()
    if argv and argv[0] == "--write":
        print(f"wrote {write_schema().relative_to(HERE.parent)}")
        print(f"wrote {write_manifest().relative_to(HERE.parent)}")
        return 0
    problems = check_all()
    for problem in problems:
        print(f"CONTRACT: {problem}", file=sys.stderr)
    if not problems:
        print("frontend contract: schema up to date, operations valid, no unlisted breaking change")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
