"""Persisted operations: the documents of the frontend contract, identified by their sha256.

Each named operation in GRAPHQL_API["OPERATIONS_DIR"] (frontend_contract/operations/), together
with the fragments it uses (operation first, fragments by name, as @apollo/persisted-query-lists'
sortTopLevelDefinitions orders them), is one document; its sha256 is what clients send instead
of the text (`extensions.persistedQuery.sha256Hash`). Each document exists twice: as written, and
as Apollo Client sends it, with `__typename` added to every selection set below the root (its
`addTypenameToDocument`, so the normalised cache can work); both ids are accepted. The same
builder writes the SPA's manifest and Apollo's persisted-query manifest.
"""
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
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
    kind: str = "query"  # query, mutation or subscription


_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())


class _AddTypename(Visitor):
    """Apollo Client's addTypenameToDocument: `__typename` last in every selection set that lacks
    it, except an operation's root selection set."""

    def enter_selection_set(self, node: SelectionSetNode, key, parent, path, ancestors):
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(isinstance(s, FieldNode) and s.name.value == "__typename" for s in node.selections):
            return None
        return SelectionSetNode(selections=(*node.selections, _TYPENAME))


def with_typename(document: DocumentNode) -> DocumentNode:
    return visit(document, _AddTypename())


def _spreads(node) -> set[str]:
    found = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *args):
            found.add(spread.name.value)

    visit(node, Collect())
    return found


def load_operations(directory: Path) -> DocumentNode:
    return concat_ast([parse(Source(p.read_text(), p.name)) for p in sorted(Path(directory).glob("*.graphql"))])


def persisted_operations(document: DocumentNode, *, typename: bool = False) -> dict[str, PersistedOperation]:
    """Each named operation with the fragments it uses (transitively), as one printed document
    (with `typename`: as Apollo Client sends it)."""
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
        single = DocumentNode(definitions=(operation, *(fragments[n] for n in sorted(needed))))
        text = print_ast(with_typename(single) if typename else single) + ("" if typename else "\n")
        result[operation.name.value] = PersistedOperation(
            operation.name.value, text, hashlib.sha256(text.encode()).hexdigest(), operation.operation.value
        )
    return result


def apollo_manifest(document: DocumentNode) -> dict:
    """The persisted-query manifest in @apollo/generate-persisted-query-manifest's format."""
    operations = persisted_operations(document, typename=True)
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": op.sha256, "name": op.name, "type": op.kind, "body": op.document}
                       for op in sorted(operations.values(), key=lambda op: op.name)],
    }


@lru_cache(maxsize=4)
def _documents(directory: str) -> dict[str, str]:
    document = load_operations(Path(directory))
    known = {}
    for typename in (False, True):
        known.update({op.sha256: op.document for op in persisted_operations(document, typename=typename).values()})
    return known


def documents_by_hash() -> dict[str, str]:
    """sha256 -> document text for the configured operations directory (read once)."""
    return _documents(str(settings.GRAPHQL_API["OPERATIONS_DIR"]))
