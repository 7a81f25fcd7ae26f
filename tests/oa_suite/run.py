"""Run django-oscar-accounts 3.0.1's own tests (`tests/unit`, `tests/functional`) against this
repository's `oscar_accounts` package and settings: `make oa-suite`.

OA's sdist is downloaded from PyPI at run time and checked against the sha256 below; nothing of
OA is kept in this repository. Its tests and its test factories are unpacked into a temporary
folder with oa_conftest.py; OA's own package is never installed or imported. The tests listed in
differences.txt are deliberate differences (expected to fail, with the reason). Exit status: 0
when every other test passes and at least OA_SUITE_MIN_PERCENT (95) percent of all pass."""
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REQUIREMENT = "django-oscar-accounts==3.0.1"
SDIST = "django-oscar-accounts-3.0.1.tar.gz"
SHA256 = "6256df19a1470f2db615fd06b444b60631b626c2fca3b68907a50f84c8f25ad5"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTEST_INI = """[pytest]
DJANGO_SETTINGS_MODULE = tests.oa_suite.settings
python_files = *_tests.py
testpaths = oa
pythonpath = {root}
addopts = -p no:cacheprovider -ra
filterwarnings =
    ignore::DeprecationWarning
    ignore:No directory at:UserWarning
    error::RuntimeWarning
"""


def download(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", str(folder), REQUIREMENT], check=True)
    sdist = folder / SDIST
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{SDIST}: sha256 {digest}, expected {SHA256}; refusing to run it")
    return sdist


def unpack(sdist: Path, suite: Path) -> None:
    """OA's tests/unit and tests/functional as the package `oa`, its test factories as
    `oa_test_factories`; nothing else of the sdist."""
    top = SDIST.removesuffix(".tar.gz")
    wanted = {f"{top}/tests/__init__.py": "oa/__init__.py",
              f"{top}/src/oscar_accounts/test_factories.py": "oa_test_factories.py"}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            name = member.name
            if name.startswith((f"{top}/tests/unit/", f"{top}/tests/functional/")) and member.isfile():
                wanted[name] = "oa/" + name.removeprefix(f"{top}/tests/")
        for name, target in wanted.items():
            member = archive.getmember(name)
            destination = suite / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.extractfile(member).read())


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="oa-suite-") as tmp:
        tmp = Path(tmp)
        sdist = download(tmp / "download")
        suite = tmp / "suite"
        unpack(sdist, suite)
        shutil.copy(HERE / "oa_conftest.py", suite / "conftest.py")
        (suite / "pytest.ini").write_text(PYTEST_INI.format(root=ROOT))
        env = {**os.environ, "OA_SUITE_DIFFERENCES": str(HERE / "differences.txt")}
        return subprocess.run([sys.executable, "-m", "pytest", "-c", str(suite / "pytest.ini"),
                               "--rootdir", str(suite), *argv], cwd=suite, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
