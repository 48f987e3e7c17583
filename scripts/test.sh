#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages (PostgreSQL, libzbar, Qt libraries), the
# virtual environment, then lint, type check, layering contracts and pytest (Qt offscreen, real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. .venv/bin/activate
export QT_QPA_PLATFORM=offscreen POS_LANG=en PYTHONHASHSEED=0
echo ">> ruff";          ruff check .
echo ">> mypy (core, presenters, console)";   mypy
echo ">> import layers"; lint-imports
echo ">> pytest"
set +e
python -m pytest -p no:cacheprovider -n 2 --dist loadfile "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
# Mutation testing of the rules (docs/testing.md, "In CI"): every core module scores >= 90%. All modules together
# take longer than the CI budget on two cores, so only the core modules (and the sync record validation) whose
# source or own tests changed since the last release tag or, before the first tag, since the baseline commit in
# scripts/mutation-baseline (the last commit whose modules were all scored in full).
if [ -n "${SKIP_MUTATION:-}" ]; then
    echo ">> mutation: SKIP_MUTATION set: skipped"
else
    if since=$(git describe --tags --abbrev=0 2>/dev/null); then
        echo ">> mutation (modules changed since the release tag $since)"
    else
        since=$(grep -v '^#' scripts/mutation-baseline | head -1)
        echo ">> mutation (modules changed since the baseline $since, scripts/mutation-baseline; no release tag yet)"
    fi
    MUTATION_MIN=90 scripts/mutation.sh --changed-since "$since"
fi
