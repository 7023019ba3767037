#!/usr/bin/env bash
# Create .venv and install the project with every extra from the lock file.
# Idempotent: a second run only checks that everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# uv resolves from the lock quickly and, unlike pip 23, never drops lxml's html_clean extra.
.venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
.venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
