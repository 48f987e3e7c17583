#!/usr/bin/env bash
# Mutation testing of the rules (mutmut 3): each module is mutated and run against ONLY its own tests, in a
# throw-away copy of the worktree, and the score per module is printed. See docs/testing.md for the rules
# (which mutants are excluded as wording-only, which are listed as equivalent, the target).
#
#   scripts/mutation.sh                          every module of pos_app/core plus the sync record validation
#   scripts/mutation.sh pos_app/core/money.py    only the modules named
#   scripts/mutation.sh --changed-since v0.1.0   only the modules whose source or own tests changed since that ref
#   MUTATION_MIN=90 scripts/mutation.sh ...      exit 1 when a pos_app/core module scores below 90%
#   MUTATION_LIST_ONLY=1 scripts/mutation.sh ... only print the modules that would be run
#   MUTATION_KEEP=1 keeps the work directory (mutmut's results, `mutmut show <name>` from inside it)
#   MUTATION_CHILDREN=1 runs one mutant at a time (default 2)
# Property tests run under the "mutation" hypothesis profile (tests/conftest.py: a few derandomized examples).
#
# Adding a module: give it a line in tests_for() (its own tests, nothing else), e.g. sync/records.py.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python}
MIN=${MUTATION_MIN:-0}
CHILDREN=${MUTATION_CHILDREN:-2}

# The tests that are a module's own: the only ones run against its mutants (so a run takes minutes, and a
# mutant is only "killed" by a test that is about the module).
tests_for() {
    case "$1" in
        pos_app/core/allowance.py)    echo "tests/core/test_allowance.py" ;;
        pos_app/core/cardno.py)       echo "tests/core/test_cardno.py" ;;
        pos_app/core/currency.py)     echo "tests/core/test_currency.py" ;;
        pos_app/core/errors.py)       echo "tests/core/test_errors.py" ;;
        pos_app/core/flags.py)        echo "tests/core/test_flags.py" ;;
        pos_app/core/expiry.py)       echo "tests/core/test_expiry.py" ;;  # not the ledger model: it is every rule's
        pos_app/core/i18n.py)         echo "tests/core/test_i18n.py" ;;
        pos_app/core/member_codes.py) echo "tests/core/test_member_codes.py" ;;
        pos_app/core/money.py)        echo "tests/core/test_money.py" ;;
        pos_app/core/phone.py)        echo "tests/core/test_phone.py" ;;
        pos_app/core/pins.py)         echo "tests/core/test_pins.py" ;;
        pos_app/core/text.py)         echo "tests/core/test_text.py" ;;
        pos_app/core/redeem.py)       echo "tests/core/test_redeem.py" ;;
        pos_app/core/returns.py)      echo "tests/core/test_returns.py" ;;
        pos_app/core/rules.py)        echo "tests/core/test_rules.py tests/core/test_worked_examples.py" ;;
        pos_app/core/tiers.py)        echo "tests/core/test_tiers.py" ;;
        pos_app/core/timeutil.py)     echo "tests/core/test_timeutil.py" ;;
        pos_app/core/version.py)      echo "tests/core/test_version.py" ;;
        pos_app/core/vouchers.py)     echo "tests/core/test_vouchers.py" ;;
        sync/protocol.py)             echo "tests/sync/test_protocol_validation.py" ;;
        sync/records.py)              echo "tests/sync/test_records.py tests/sync/test_protocol_validation.py tests/sync/test_record_format.py" ;;
        *) return 1 ;;
    esac
}

default_modules() {
    ls pos_app/core/*.py | grep -v '__init__.py'
    if [ -f sync/records.py ]; then echo sync/records.py; else echo sync/protocol.py; fi
}

modules=()
if [ "${1:-}" = "--changed-since" ]; then
    ref=${2:?"--changed-since needs a git ref"}
    if ! git rev-parse --verify --quiet "$ref^{commit}" > /dev/null; then
        echo "mutation: $ref is not in this clone (a shallow clone? run: git fetch --unshallow --tags)" >&2; exit 2
    fi
    mapfile -t modules < <(git diff --name-only "$ref" -- 'pos_app/core/*.py' sync/records.py | grep -v '__init__.py' || true)
    # a module whose own tests changed is re-scored too
    while read -r t; do
        for m in $(default_modules); do
            if tests_for "$m" | tr ' ' '\n' | grep -qx "$t"; then modules+=("$m"); fi
        done
    done < <(git diff --name-only "$ref" -- tests/core tests/sync || true)
    mapfile -t modules < <(printf '%s\n' "${modules[@]}" | grep -v '^$' | sort -u || true)
    if [ ${#modules[@]} -eq 0 ]; then echo "mutation: no core module changed since $ref"; exit 0; fi
elif [ $# -gt 0 ]; then
    modules=("$@")
else
    mapfile -t modules < <(default_modules)
fi

echo "mutation: ${modules[*]}"
if [ -n "${MUTATION_LIST_ONLY:-}" ]; then exit 0; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mutation.XXXXXX")
[ -n "${MUTATION_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT; echo "mutation: work dir $WORK"
SUMMARY="$WORK/summary.txt"
: > "$SUMMARY"
failed=0

for module in "${modules[@]}"; do
    if ! tests=$(tests_for "$module"); then echo "mutation: no tests are mapped to $module (add it to tests_for)" >&2; exit 2; fi
    for t in $tests; do [ -f "$t" ] || { echo "mutation: $t (tests of $module) does not exist" >&2; exit 2; }; done
    dir="$WORK/$(echo "$module" | tr '/.' '__')"
    mkdir -p "$dir"
    # a copy of the working tree as it is (uncommitted changes included), without caches and venvs
    git ls-files -z --cached --others --exclude-standard -- pos_app sync hardware tests resources pyproject.toml \
        | xargs -0 cp --parents -t "$dir" 2>/dev/null || true
    src_root=$(dirname "$module")
    {
        echo "[mutmut]"
        echo "source_paths = $src_root"
        echo "only_mutate = $module"
        echo "also_copy ="
        for d in pos_app sync hardware resources; do echo "    $d"; done
        echo "pytest_add_cli_args_test_selection ="
        for t in $tests; do echo "    $t"; done
        # a mutant that loops forever is "killed" by timeout after this many times its tests' normal duration
        echo "timeout_multiplier = ${MUTATION_TIMEOUT_MULTIPLIER:-3}"
        echo "pytest_add_cli_args ="
        echo "    -p"
        echo "    no:cacheprovider"
        echo "    -p"
        echo "    no:xdist"
        echo "    -p"
        echo "    no:randomly"
        echo "    -o"
        echo "    addopts="
        # a few derandomized hypothesis examples per property test (tests/conftest.py): minutes, not an hour
        echo "    --hypothesis-profile=${MUTATION_HYPOTHESIS_PROFILE:-mutation}"
    } > "$dir/setup.cfg"
    start=$(date +%s)
    echo ">> mutmut: $module  (tests: $tests)"
    # wall seconds depend on what else the machine runs; CPU seconds (user + system, children included) do not
    TIMEFORMAT='%U %S'
    { time (cd "$dir" && env -u PYTHONPATH PYTHONHASHSEED=0 POS_LANG=en QT_QPA_PLATFORM=offscreen \
        "$PY" -m mutmut run --max-children "$CHILDREN" > "$dir/run.log" 2>&1) ; } 2> "$dir/cpu.txt" || {
        # mutmut 3 generates no mutant for a module whose only function is decorated (e.g. @cache) and never
        # mutates module constants: nothing to score, which is not a failure (its tests still run in pytest)
        if grep -q "could not find any test case for any mutant" "$dir/run.log" \
            && "$PY" -c 'import json, sys; sys.exit(1 if json.load(open(sys.argv[1]))["hash_by_function_name"] else 0)' \
                "$dir/mutants/$module.meta" 2>/dev/null; then
            echo "SCORE $module n/a: mutmut generates no mutant (decorated functions and constants are not mutated) in $(( $(date +%s) - start ))s" \
                | tee -a "$SUMMARY"
            continue
        fi
        echo "mutation: mutmut failed on $module; last lines of its log:" >&2; tail -20 "$dir/run.log" >&2; exit 2; }
    (cd "$dir" && env -u PYTHONPATH "$PY" -m mutmut results --all true > "$dir/results.txt" 2>/dev/null \
        || env -u PYTHONPATH "$PY" -m mutmut results > "$dir/results.txt")
    cpu=$(awk '{printf "%d", $1 + $2}' "$dir/cpu.txt" 2>/dev/null || echo "?")
    (cd "$dir" && env -u PYTHONPATH "$PY" - "$module" "$ROOT/docs/testing.md" "$(( $(date +%s) - start ))" "$cpu" \
        <<'PYEOF'
# Score one module from mutmut's results. Excluded from the denominator:
#  - wording-only mutants: every line the mutant changes lies inside a call of _() (a translated message) and
#    the only tokens that differ are string literals (mutmut's "XX..XX" / case changes of a message);
#  - mutants listed as equivalent in docs/testing.md (a line "- `<mutant name>`: why").
import ast, io, re, subprocess, sys, tokenize
module, docs, seconds, cpu = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
status = {}
for line in open("results.txt", encoding="utf-8"):
    m = re.match(r"\s*([\w.]+__mutmut_\d+): (.+)$", line.strip())
    if m:
        status[m.group(1)] = m.group(2).strip()
listed = set(re.findall(r"^- `([\w.]+__mutmut_\d+)`", open(docs, encoding="utf-8").read(), re.M))

def tokens(text):
    out = []
    try:  # a line of a message that goes on below ends inside brackets: keep the tokens read so far
        for t in tokenize.generate_tokens(io.StringIO(text).readline):
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT,
                              tokenize.ENDMARKER):
                out.append((t.type, t.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out

STRINGISH = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}

def diff_of(name):
    try:
        from mutmut.__main__ import find_mutant, get_diff_for_mutant
        return get_diff_for_mutant(name, path=find_mutant(name).path)
    except ImportError:  # another mutmut layout: ask the command (slower, one process per mutant)
        return subprocess.run([sys.executable, "-m", "mutmut", "show", name], capture_output=True, text=True).stdout

def message_lines(path):
    """The (stripped) source lines of ``path`` that lie inside a call of _() (a translated message)."""
    source = open(path, encoding="utf-8").read()
    rows = source.splitlines()
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            lines.update(rows[i - 1].strip() for i in range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines

INSIDE = message_lines(module)

def wording_only(name):
    diff = diff_of(name).splitlines()
    minus = [l[1:] for l in diff if l.startswith("-") and not l.startswith("---")]
    plus = [l[1:] for l in diff if l.startswith("+") and not l.startswith("+++")]
    if not minus or len(minus) != len(plus):
        return False
    for a, b in zip(minus, plus):
        if a.strip() not in INSIDE:
            return False
        ta, tb = tokens(a.strip()), tokens(b.strip())
        if not ta or len(ta) != len(tb):
            return False
        for x, y in zip(ta, tb):
            if x != y and not (x[0] == y[0] and x[0] in STRINGISH):
                return False
    return True

ok = {"killed", "timeout", "caught by type check"}
survivors = sorted(n for n, s in status.items() if s not in ok and s != "skipped")
wording = [n for n in survivors if n not in listed and wording_only(n)]
equivalent = [n for n in survivors if n in listed]
stale = sorted(n for n in listed if n.startswith(module.replace("/", ".")[:-3] + ".") and n not in status)
left = [n for n in survivors if n not in wording and n not in equivalent]
total = len([s for s in status.values() if s != "skipped"])
counted = total - len(wording) - len(equivalent)
killed = counted - len(left)
pct = 100 * killed // counted if counted else 100
for n in left:
    changed = [l for l in diff_of(n).splitlines() if l[:1] in "+-" and l[:3] not in ("---", "+++")]
    print(f"   {status[n]}: {n}")
    for l in changed:
        print(f"       {l}")
for n in stale:
    print(f"   listed as equivalent but no longer generated: {n}")
print(f"SCORE {module} {pct}% killed {killed}/{counted} (mutants {total}, wording-only {len(wording)}, "
      f"equivalent {len(equivalent)}) in {seconds}s ({cpu}s CPU)")
PYEOF
    ) | tee -a "$SUMMARY"
done

echo
echo "== mutation score per module (killed / (mutants - wording-only - listed equivalent)) =="
sort "$SUMMARY" | grep '^SCORE' | cut -c7-
if [ "$MIN" != "0" ]; then
    while read -r _ module pct _rest; do
        case "$module" in pos_app/core/*)
            if [ "$pct" != "n/a:" ] && [ "${pct%\%}" -lt "$MIN" ]; then echo "mutation: $module scores $pct, below $MIN%" >&2; failed=1; fi ;;
        esac
    done < <(grep '^SCORE' "$SUMMARY")
fi
exit "$failed"
