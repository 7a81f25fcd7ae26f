"""Persisted operations: the documents of the frontend contract, identified by their sha256.

Each named operation in GRAPHQL_API["OPERATIONS_DIR"] (frontend_contract/operations/), together
with the fragments it uses, is one document; its sha256 is what clients send instead of the text
(`extensions.persistedQuery.sha256Hash`). The same builder writes the manifest the SPA loads.
"""
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    Source,
    concat_ast,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor


@dataclass(frozen=True)
class PersistedOperation:
    name: str
    document: str
    sha256: str


def _spreads(node) -> set[str]:
    found = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *args):
            found.add(spread.name.value)

    visit(node, Collect())
    return found


def load_operations(directory: Path) -> DocumentNode:
    return concat_ast([parse(Source(p.read_text(), p.name)) for p in sorted(Path(directory).glob("*.graphql"))])


def persisted_operations(document: DocumentNode) -> dict[str, PersistedOperation]:
    """Each named operation with the fragments it uses (transitively), as one printed document."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    result = {}
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode) or operation.name is None:
            continue
        needed, todo = set(), _spreads(operation)
        while todo:
            name = todo.pop()
            if name not in needed and name in fragments:
                needed.add(name)
                todo |= _spreads(fragments[name])
        text = print_ast(DocumentNode(definitions=(operation, *(fragments[n] for n in sorted(needed))))) + "\n"
        result[operation.name.value] = PersistedOperation(
            operation.name.value, text, hashlib.sha256(text.encode()).hexdigest()
        )
    return result


@lru_cache(maxsize=4)
def _documents(directory: str) -> dict[str, str]:
    operations = persisted_operations(load_operations(Path(directory)))
    return {op.sha256: op.document for op in operations.values()}


def documents_by_hash() -> dict[str, str]:
    """sha256 -> document text for the configured operations directory (read once)."""
    return _documents(str(settings.GRAPHQL_API["OPERATIONS_DIR"]))
