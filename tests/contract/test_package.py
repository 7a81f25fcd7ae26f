"""The contract as an npm package: `make package` packs frontend_contract/package/ (typed documents
with their types, the manifests, the schema) and an external project installs the tarball and
compiles against it with tsc under `moduleResolution` bundler and nodenext, then runs it."""
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_contract"
CONSUMER = Path(__file__).resolve().parent / "package_consumer"
NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error"]


def npm(*args, cwd) -> subprocess.CompletedProcess:
    executable = shutil.which("npm")
    assert executable, "Node.js and npm are needed (make install runs npm ci)"
    return subprocess.run([executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tarball() -> Path:
    assert (CONTRACT / "node_modules" / ".bin" / "tsc").exists(), "run `make install` (npm ci in frontend_contract) first"
    built = npm("run", "--silent", "package", cwd=CONTRACT)
    assert built.returncode == 0, built.stdout + built.stderr
    path = CONTRACT / "build" / built.stdout.strip().splitlines()[-1]
    assert path.exists(), built.stdout
    return path


def test_the_package_holds_documents_types_manifests_and_schema(tarball):
    with tarfile.open(tarball) as archive:
        files = {name.removeprefix("package/") for name in archive.getnames()}

        def read(name):
            return archive.extractfile(f"package/{name}").read().decode()

        assert {"dist/index.js", "dist/index.d.ts", "dist/graphql.js", "dist/graphql.d.ts", "dist/gql.js",
                "schema.graphql", "persisted-query-manifest.json", "persisted-operations.json",
                "operations/fragments.graphql", "package.json", "README.md"} <= files
        assert read("schema.graphql") == (CONTRACT / "schema.graphql").read_text()
        assert read("persisted-query-manifest.json") == (CONTRACT / "generated" / "persisted-query-manifest.json").read_text()
        manifest = json.loads(read("package.json"))
        index = read("dist/index.d.ts")
    assert manifest["dependencies"] == {"@graphql-typed-document-node/core": "^3.2.0"}
    assert "graphql" in manifest["peerDependencies"]
    assert 'export * from "./graphql.js"' in index and 'export * from "./gql.js"' in index
    assert not any(name.endswith(".ts") and not name.endswith(".d.ts") for name in files)


def test_an_external_project_installs_the_tarball_and_compiles_with_bundler_and_nodenext(tarball, tmp_path):
    project = tmp_path / "consumer"
    shutil.copytree(CONSUMER, project)
    shutil.copy(tarball, project / "contract.tgz")
    # Offline, from the npm cache `make install` filled (the lockfile pins every version); should
    # the cache lack one, from the registry (which CI reaches as this machine does).
    installed = npm("ci", "--offline", *NPM_FLAGS, cwd=project)
    if installed.returncode != 0:
        installed = npm("ci", "--prefer-offline", *NPM_FLAGS, cwd=project)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    tsc = project / "node_modules" / ".bin" / "tsc"
    for config in ("tsconfig.bundler.json", "tsconfig.nodenext.json"):
        compiled = subprocess.run([str(tsc), "-p", config], cwd=project, capture_output=True, text=True, timeout=300)
        assert compiled.returncode == 0, f"{config}: {compiled.stdout}{compiled.stderr}"
    # (app.ts's @ts-expect-error lines fail the build unless those mistakes are type errors: the types are real)
    ran = subprocess.run(["node", "out/app.js"], cwd=project, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    operations = json.loads((CONTRACT / "generated" / "persisted-query-manifest.json").read_text())["operations"]
    assert result == {"names": ["MyAccounts", "PayWithAccount", "AccountTransfers", "RefetchNode"],
                      "manifest": len(operations), "graphql": "function", "unused": 5}

