#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages (PostgreSQL, libzbar, Qt libraries), the
# virtual environment, then lint, type check, layering contracts and pytest (Qt offscreen, real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. .venv/bin/activate
export QT_QPA_PLATFORM=offscreen POS_LANG=en PYTHONHASHSEED=0
echo ">> ruff";          ruff check .
echo ">> mypy (core)";   mypy
echo ">> import layers"; lint-imports
echo ">> pytest"
set +e
python -m pytest -p no:cacheprovider -n 2 --dist loadfile "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi
exit "$rc"
