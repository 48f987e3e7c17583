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
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
# Mutation testing of the rules (docs/testing.md): every core module scores >= 90%. All of them take longer
# than the CI budget on two cores, so only the modules (or their own tests) changed since the last release tag.
echo ">> mutation (core modules changed since the last release tag)"
if [ -n "${SKIP_MUTATION:-}" ]; then
    echo "SKIP_MUTATION set: skipped"
elif since=$(git describe --tags --abbrev=0 2>/dev/null); then
    MUTATION_MIN=90 scripts/mutation.sh --changed-since "$since"
else
    echo "no release tag yet: skipped (run scripts/mutation.sh for every module)"
fi
