"""The frontend contract checker: it passes on this repository, and fails helpfully when the
schema drifts, an operation breaks, a field is removed, or the TypeScript types are stale."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from frontend_contract import contract

ROOT = Path(contract.__file__).resolve().parent


def test_this_repository_keeps_its_contract():
    assert contract.check_all() == []


def test_the_committed_sdl_ends_with_a_newline_and_matches_the_code():
    text = contract.SCHEMA_FILE.read_text()
    assert text.endswith("}\n") and text == contract.exported_sdl()


def test_every_customer_operation_has_a_document():
    from accounts_graphql.persisted import load_operations, persisted_operations

    names = set(persisted_operations(load_operations(contract.OPERATIONS_DIR)))
    fields = {"MyAccounts": "myAccounts", "GiftCardBalance": "balance", "AccountBalance": "balance",
              "Transfers": "transfers", "RedeemGiftCard": "redeemGiftCard", "PayWithAccount": "payWithAccount"}
    assert set(fields) <= names
    sdl = contract.SCHEMA_FILE.read_text()
    for field in ("myAccounts", "balance", "transfers", "redeemGiftCard", "payWithAccount"):
        assert f"  {field}(" in sdl


def test_a_drifted_sdl_is_reported_with_the_fix(tmp_path, monkeypatch):
    drifted = tmp_path / "schema.graphql"
    drifted.write_text(contract.SCHEMA_FILE.read_text().replace("totalCount: Int!", "totalCount: Int"))
    monkeypatch.setattr(contract, "SCHEMA_FILE", drifted)
    problems = contract.check_all()
    assert any("differs from the schema in the code" in p and "make schema" in p for p in problems)


def test_a_missing_trailing_newline_counts_as_drift(tmp_path, monkeypatch):
    drifted = tmp_path / "schema.graphql"
    drifted.write_text(contract.SCHEMA_FILE.read_text().rstrip("\n"))
    monkeypatch.setattr(contract, "SCHEMA_FILE", drifted)
    assert any("differs" in p for p in contract.check_all())


@pytest.fixture
def operations(tmp_path):
    target = tmp_path / "operations"
    shutil.copytree(contract.OPERATIONS_DIR, target)
    return target


def test_a_broken_operation_names_the_file_the_field_and_the_fix(operations):
    path = operations / "PayWithAccount.graphql"
    path.write_text(path.read_text().replace("placedAt", "placedAt\n      trackingNumber"))
    problems = contract.check_operations(contract.exported_sdl(), operations)
    assert len(problems) == 1
    assert problems[0].startswith("operations/PayWithAccount.graphql, line")
    assert "Cannot query field 'trackingNumber' on type 'Order'" in problems[0]
    assert "make schema" in problems[0]


def test_a_syntax_error_names_the_file(operations):
    (operations / "Broken.graphql").write_text("query Broken { myAccounts { ")
    with pytest.raises(contract.ContractError, match="operations/Broken.graphql"):
        contract.check_operations(contract.exported_sdl(), operations)


def test_unnamed_and_duplicate_operations_are_reported(operations):
    (operations / "Anon.graphql").write_text("{ myAccounts { totalCount } }")
    (operations / "Again.graphql").write_text("query Transfers { transfers { totalCount } }")
    problems = contract.check_operations(contract.exported_sdl(), operations)
    assert any("has no name" in p for p in problems)
    assert any("Transfers is used twice" in p for p in problems)


def test_deprecated_fields_are_flagged():
    sdl = contract.exported_sdl().replace(
        "  codeLast4: String\n", '  codeLast4: String @deprecated(reason: "Use maskedCode.")\n'
    )
    problems = contract.check_operations(sdl)
    assert problems and all("deprecated" in p for p in problems)
    assert "Account.codeLast4" in problems[0] and "Use maskedCode." in problems[0]


def test_a_removed_field_is_a_breaking_change_unless_allowed():
    old = contract.exported_sdl()
    new = old.replace('  """The order number, for payments and refunds."""\n  merchantReference: String\n', "", 1)
    assert new != old
    problems = contract.check_breaking(old, new, set())
    assert len(problems) == 1
    assert "FIELD_REMOVED Field Transfer.merchantReference was removed." in problems[0]
    assert "ALLOWED_BREAKING_CHANGES" in problems[0] and "deprecate" in problems[0]
    assert contract.check_breaking(old, new, {"FIELD_REMOVED Field Transfer.merchantReference was removed."}) == []


def test_additions_are_not_breaking():
    old = contract.exported_sdl()
    new = old.replace("type Money {\n", "type Money {\n  formatted: String\n", 1)
    assert contract.check_breaking(old, new, set()) == []


def test_the_base_sdl_comes_from_git():
    sdl, ref = contract.base_sdl("HEAD")
    if sdl is None:
        pytest.skip("not a git checkout with the schema committed")
    assert "type Query" in sdl and ref == "HEAD"


def test_the_allow_list_ignores_comments(tmp_path):
    path = tmp_path / "ALLOWED"
    path.write_text("# comment\nFIELD_REMOVED A.b was removed.\n\n")
    assert contract.allowed_breaking_changes(path) == {"FIELD_REMOVED A.b was removed."}


def test_the_typed_documents_match_a_fresh_generation(tmp_path):
    codegen = ROOT / "node_modules" / ".bin" / "graphql-codegen"
    assert codegen.exists(), "run `make install` (npm ci in frontend_contract) first"
    config = tmp_path / "codegen.yml"
    config.write_text(
        (ROOT / "codegen.yml").read_text()
        .replace("schema: schema.graphql", f"schema: {ROOT / 'schema.graphql'}")
        .replace("documents: operations/*.graphql", f"documents: {ROOT / 'operations'}/*.graphql")
        .replace("generated/client/", f"{tmp_path / 'client'}/")
    )
    subprocess.run([str(codegen), "--config", str(config)], cwd=ROOT, check=True, capture_output=True)
    committed = ROOT / "generated" / "client"
    fresh = {path.name: path.read_text() for path in (tmp_path / "client").iterdir()}
    assert fresh == {path.name: path.read_text() for path in committed.iterdir()}, (
        "frontend_contract/generated/client/ is stale: run `make schema` and commit it."
    )
    assert "export const PayWithAccountDocument" in fresh["graphql.ts"]
    assert "export type MyAccountsQueryVariables" in fresh["graphql.ts"]


def test_the_typed_documents_and_the_example_client_compile():
    """tsc --noEmit over generated/client/ and client/ (strict): the types front ends import work."""
    tsc = ROOT / "node_modules" / ".bin" / "tsc"
    assert tsc.exists(), "run `make install` (npm ci in frontend_contract) first"
    result = subprocess.run([str(tsc), "-p", str(ROOT / "tsconfig.json")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_demo_spa_sends_only_contract_documents():
    import re

    from accounts_graphql.persisted import load_operations, persisted_operations

    known = set(persisted_operations(load_operations(contract.OPERATIONS_DIR)))
    scripts = "\n".join(p.read_text() for p in (ROOT / "static" / "demo").glob("*.js"))
    used = set(re.findall(r'gql\("(\w+)"', scripts))
    assert used and used <= known, used - known
    assert not re.search(r"\b(query|mutation)\s+\w*\s*[({]", scripts), "GraphQL text written into the SPA"
    assert {"MyAccounts", "PayWithAccount", "RedeemGiftCard", "Transfers", "GiftCardBalance"} <= used


def test_apollos_own_tool_makes_the_same_persisted_query_manifest(tmp_path):
    """@apollo/generate-persisted-query-manifest over operations/ gives the manifest we ship (and
    whose ids the server accepts), document for document."""
    tool = ROOT / "node_modules" / ".bin" / "generate-persisted-query-manifest"
    assert tool.exists(), "run `make install` (npm ci in frontend_contract) first"
    output = tmp_path / "manifest.json"
    config = tmp_path / "persisted-query-manifest.config.json"
    config.write_text(json.dumps({"documents": [f"{ROOT / 'operations'}/**/*.graphql"], "output": str(output)}))
    subprocess.run([str(tool), "--config", str(config)], cwd=ROOT, check=True, capture_output=True)
    theirs = json.loads(output.read_text())
    ours = json.loads((ROOT / "generated" / "persisted-query-manifest.json").read_text())
    assert theirs == ours
