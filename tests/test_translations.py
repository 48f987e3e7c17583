"""The Thai catalog covers every user-visible string of the code, with the same {placeholders}."""

from __future__ import annotations

import importlib.util
import re
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pos_app.core import i18n

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ut = _script()
EXTRACTED = ut.extract()
CATALOG = i18n.load_catalog("th")


def test_the_code_parses_and_strings_were_found() -> None:
    assert EXTRACTED.errors == []
    assert len(EXTRACTED.strings) > 50  # the extractor really finds the code's _() calls
    assert "Unknown staff id or wrong PIN." in EXTRACTED.strings


def test_every_string_in_the_code_has_a_thai_translation() -> None:
    missing = sorted(
        f"{found.locations[0][0]}:{found.locations[0][1]}: {source!r}"
        for source, found in EXTRACTED.strings.items()
        if not CATALOG.get(source, "").strip()
    )
    assert not missing, (
        f"{len(missing)} strings lack a Thai translation; run `python scripts/update_translations.py "
        "--unfinished` and translate them in resources/translations/pos_th.ts:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("source", sorted(EXTRACTED.strings))
def test_placeholders_match(source: str) -> None:
    translation = CATALOG.get(source)
    if translation is None:
        pytest.skip("untranslated (reported by the test above)")
    assert ut.placeholder_problem(source, translation) is None
    names = {re.split(r"[.\[]", n)[0] for _l, n, _s, _c in string.Formatter().parse(source) if n}
    if names and all(n.isidentifier() for n in names):
        translation.format(**{n: 1 for n in names})  # the translation formats with the source's fields


def test_the_catalog_has_no_stale_entries() -> None:
    tree = ut.load()
    stats = ut.update(tree, EXTRACTED.strings)
    assert stats["added"] == 0 and stats["revived"] == 0, "run python scripts/update_translations.py"


def test_placeholder_check_catches_renamed_and_dropped_fields() -> None:
    assert ut.placeholder_problem("{points:,} points", "{points:,} แต้ม") is None
    assert ut.placeholder_problem("{points:,} points", "{point:,} แต้ม")
    assert ut.placeholder_problem("{points:,} points", "{points} แต้ม")
    assert ut.placeholder_problem("{a} and {b}", "{a} แต้ม")
    assert ut.placeholder_problem("{a}", "{a แต้ม")


def test_thai_is_the_default_and_english_the_fallback() -> None:
    before = i18n.get_language()
    try:
        i18n.set_language("th")
        assert i18n._("Sign in") == CATALOG["Sign in"] != "Sign in"
        assert i18n._("a string nobody translated") == "a string nobody translated"
        i18n.set_language("en")
        assert i18n._("Sign in") == "Sign in"
    finally:
        i18n.set_language(before)


def test_update_keeps_translations_and_marks_vanished_strings_obsolete(tmp_path: Path) -> None:
    ts = tmp_path / "pos_th.ts"
    tree = ut.load(ts)
    ut.update(tree, {"Keep me": ut.Found("Keep me", [("pos_app/x.py", 1)]),
                     "Drop me": ut.Found("Drop me", [("pos_app/x.py", 2)])}, ts)
    assert ut.apply(tree, {"Keep me": "เก็บไว้", "Drop me": "ทิ้ง"}) == []
    ut.save(tree, ts)

    tree = ut.load(ts)
    stats = ut.update(tree, {"Keep me": ut.Found("Keep me", [("pos_app/x.py", 5)]),
                             "New one {n}": ut.Found("New one {n}", [("pos_app/y.py", 1)])}, ts)
    ut.save(tree, ts)
    assert stats == {"added": 1, "obsoleted": 1, "revived": 0}
    catalog = i18n.load_catalog("th", tmp_path)
    assert catalog == {"Keep me": "เก็บไว้"}  # obsolete and unfinished ones are not used
    assert ut.unfinished(ut.load(ts)) == {"New one {n}": ""}
    assert ut.apply(ut.load(ts), {"New one {n}": "ใหม่ {m}"})  # placeholder mismatch refused
    before = ts.read_text(encoding="utf-8")
    tree = ut.load(ts)
    ut.update(tree, {"Keep me": ut.Found("Keep me", [("pos_app/x.py", 5)]),
                     "New one {n}": ut.Found("New one {n}", [("pos_app/y.py", 1)])}, ts)
    ut.save(tree, ts)
    assert ts.read_text(encoding="utf-8") == before  # stable: a second run changes nothing


def test_qt_lrelease_reads_the_catalog(tmp_path: Path) -> None:
    """The catalog stays a valid Qt Linguist file (translators can open it; lrelease compiles it)."""
    import shutil
    import subprocess

    lrelease = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if lrelease is None:
        pytest.skip("no lrelease installed")
    done = subprocess.run([lrelease, str(ut.TS_FILE), "-qm", str(tmp_path / "pos_th.qm")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pos_th.qm").stat().st_size > 0
    assert "0 unfinished" in done.stdout + done.stderr
