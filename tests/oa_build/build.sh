#!/usr/bin/env bash
# Build a django-oscar-accounts 3.0.1 ledger with OA's own code in an empty PostgreSQL database.
# Usage: tests/oa_build/build.sh DATABASE_URL OUT.json
# The virtualenv (Django 4.2, Oscar 3.2, OA 3.0.1 from PyPI; see requirements.txt) is made once
# and kept in $OA_VENV (default: .venv-oa at the repository's root, gitignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${OA_VENV:-$here/../../.venv-oa}
stamp="$venv/.installed-$(sha1sum "$here/requirements.txt" | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  python=$(command -v python3.11 || command -v python3)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >"$venv/pip.log" 2>&1 \
    || { cat "$venv/pip.log" >&2; exit 1; }
  touch "$stamp"
fi
cd "$here"
env -u PYTHONPATH DATABASE_URL="$1" "$venv/bin/python" build.py "$2"
