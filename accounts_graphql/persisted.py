"""Persisted operations: the documents of the frontend contract, identified by their sha256.

Each named operation in GRAPHQL_API["OPERATIONS_DIR"] (frontend_contract/operations/), together
with the fragments it uses (operation first, fragments by name, as @apollo/persisted-query-lists'
sortTopLevelDefinitions orders them), is one document; its sha256 is what clients send instead
of the text (`extensions.persistedQuery.sha256Hash`). Each document exists twice: as written, and
as Apollo Client sends it, with `__typename` added to every selection set below the root (its
`addTypenameToDocument`, so the normalised cache can work); both ids are accepted. The same
builder writes the SPA's manifest and Apollo's persisted-query manifest.

Clients print documents their own way (codegen keeps fragments in dependency order, Apollo adds
`__typename`s), so a document is also recognised by its canonical form (`canonical`): parsed,
without unaliased `__typename` fields, definitions in a fixed order (operations, then fragments,
each by name), printed by graphql-core. Any text whose canonical form is a contract document's
is that document: it runs in persisted-only mode, and APQ registers its hash for anyone.
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
    GraphQLError,
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


class _DropTypename(Visitor):
    def enter_field(self, node: FieldNode, *args):
        if node.name.value == "__typename" and node.alias is None and not node.directives:
            return self.REMOVE
        return None


def _definition_order(definition) -> tuple:
    name = definition.name.value if getattr(definition, "name", None) else ""
    return (isinstance(definition, FragmentDefinitionNode), name)


def ordered(document: DocumentNode) -> DocumentNode:
    """The fixed definition order: operations first, then fragments, each by name."""
    return DocumentNode(definitions=tuple(sorted(document.definitions, key=_definition_order)))


def canonical(document: DocumentNode) -> str:
    """The canonical form of a document: no unaliased `__typename`, definitions in the fixed
    order, printed by graphql-core (no comments, one way of spacing)."""
    return print_ast(ordered(visit(document, _DropTypename())))


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
        single = ordered(DocumentNode(definitions=(operation, *(fragments[n] for n in needed))))
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


@lru_cache(maxsize=4)
def _canonical_forms(directory: str) -> frozenset[str]:
    return frozenset(canonical(parse(text)) for text in _documents(directory).values())


def documents_by_hash() -> dict[str, str]:
    """sha256 -> document text for the configured operations directory (read once)."""
    return _documents(str(settings.GRAPHQL_API["OPERATIONS_DIR"]))


def is_contract_document(text: str) -> bool:
    """Whether this text, however printed, is one of the contract's documents (its canonical
    form is one of theirs). Text that does not parse is not."""
    return _is_contract_document(str(settings.GRAPHQL_API["OPERATIONS_DIR"]), settings.GRAPHQL_API["MAX_TOKENS"], text)


@lru_cache(maxsize=512)
def _is_contract_document(directory: str, max_tokens: int | None, text: str) -> bool:
    try:
        document = parse(text, max_tokens=max_tokens, no_location=True)
    except GraphQLError:
        return False
    return canonical(document) in _canonical_forms(directory)
