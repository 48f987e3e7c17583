#!/usr/bin/env python3
"""Keep resources/translations/pos_th.ts (the one catalog of every layer) in step with the code.

    python scripts/update_translations.py            # add new strings, mark vanished ones obsolete
    python scripts/update_translations.py --check    # exit 1 if a string lacks a translation or is stale
    python scripts/update_translations.py --unfinished > todo.json    # {source: ""} still to translate
    python scripts/update_translations.py --apply todo.json           # fill translations from a JSON object

Every literal passed to ``_("...")`` or ``N_("...")`` in pos_app/ and sync/ is found with ``ast`` (no regexes,
so implicit concatenation and escapes are read as Python reads them). Existing translations are kept; a
string that no longer appears in the code is marked ``type="obsolete"`` (kept, so it comes back translated if
the code brings it back); a new string is added as ``type="unfinished"``. ``--apply`` refuses a translation
whose ``{placeholders}`` differ from the source's. The output is stable: running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import ast
import json
import string
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("pos_app", "sync")
TS_FILE = ROOT / "resources" / "translations" / "pos_th.ts"
CONTEXT = "pos"
MARKERS = {"_", "N_"}
HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'


@dataclass
class Found:
    """One translatable string and every place it is used."""

    source: str
    locations: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Extraction:
    strings: dict[str, Found]
    dynamic: list[tuple[str, int]]  # `_(variable)`: cannot be extracted; the value must be marked with N_()
    errors: list[str]


def _marker_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name) and func.id in MARKERS:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in MARKERS:  # e.g. i18n._("...")
        return func.attr
    return None


def extract(root: Path = ROOT, dirs: tuple[str, ...] = SOURCE_DIRS) -> Extraction:
    strings: dict[str, Found] = {}
    dynamic: list[tuple[str, int]] = []
    errors: list[str] = []
    for folder in dirs:
        base = root / folder
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if "/migrations/versions/" in f"/{rel}":
                continue
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            except SyntaxError as exc:
                errors.append(f"{rel}:{exc.lineno}: cannot parse: {exc.msg}")
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or _marker_name(node.func) is None:
                    continue
                if len(node.args) != 1 or node.keywords:
                    continue  # not our marker's signature (e.g. a local function also named `_`)
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if arg.value:
                        strings.setdefault(arg.value, Found(arg.value)).locations.append((rel, node.lineno))
                else:
                    dynamic.append((rel, node.lineno))
        for path in sorted(base.rglob("*.html")):  # Jinja2 templates (the head-office console)
            rel = path.relative_to(root).as_posix()
            try:
                found = _template_strings(path.read_text(encoding="utf-8"))
            except Exception as exc:  # noqa: BLE001 - a template that does not parse is reported, not fatal
                errors.append(f"{rel}: cannot parse: {exc}")
                continue
            for lineno, text in found:
                strings.setdefault(text, Found(text)).locations.append((rel, lineno))
    return Extraction(strings, dynamic, errors)


def _template_strings(source: str) -> list[tuple[int, str]]:
    """Literal strings passed to ``_()`` in a Jinja2 template (``{{ _("Sign in") }}``); a call with a variable
    (``_(role_label)``) is skipped: its values are marked with ``N_()`` in the Python code."""
    from jinja2 import Environment
    from jinja2.ext import extract_from_ast

    tree = Environment().parse(source)
    return [(lineno, message) for lineno, _func, message in extract_from_ast(tree, ("_",))
            if isinstance(message, str) and message]


def placeholders(text: str) -> Counter[str] | None:
    """The ``{fields}`` of a str.format template, with their format spec (None if not a valid template).

    ``"{points:,} of {name}"`` -> ``Counter({"{points:,}": 1, "{name}": 1})``: a translation must keep both
    the names and the formatting (``{points}`` for ``{points:,}`` would drop the thousands separator).
    """
    try:
        fields = [
            "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            for _lit, name, spec, conv in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError:
        return None
    return Counter(fields)


def placeholder_problem(source: str, translation: str) -> str | None:
    want, got = placeholders(source), placeholders(translation)
    if got is None:
        return "the translation is not a valid format string (unbalanced braces?)"
    if want != got:
        return f"placeholders differ: source {sorted((want or Counter()).elements())}, translation {sorted(got.elements())}"
    return None


def _context(root: ET.Element) -> ET.Element:
    for context in root.iter("context"):
        if context.findtext("name") == CONTEXT:
            return context
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    return context


if TYPE_CHECKING:
    Tree = ET.ElementTree[ET.Element]
else:
    Tree = ET.ElementTree


def _root(tree: Tree) -> ET.Element:
    root = tree.getroot()
    assert root is not None
    return root


def load(ts_file: Path = TS_FILE) -> Tree:
    if ts_file.exists():
        return ET.parse(ts_file)
    root = ET.Element("TS", {"version": "2.1", "language": "th_TH", "sourcelanguage": "en"})
    return ET.ElementTree(root)


def messages(tree: Tree) -> dict[str, ET.Element]:
    return {m.findtext("source") or "": m for m in _context(_root(tree)).findall("message")}


def _translation(message: ET.Element) -> ET.Element:
    translation = message.find("translation")
    if translation is None:
        translation = ET.SubElement(message, "translation", {"type": "unfinished"})
    return translation


def update(tree: Tree, found: dict[str, Found], ts_file: Path = TS_FILE) -> dict[str, int]:
    """Merge the extracted strings into ``tree``; returns counts of what changed."""
    context = _context(_root(tree))
    existing = messages(tree)
    stats = {"added": 0, "obsoleted": 0, "revived": 0}
    ts_dir = ts_file.parent
    for source, item in found.items():
        message = existing.get(source)
        if message is None:
            message = ET.SubElement(context, "message")
            ET.SubElement(message, "source").text = source
            ET.SubElement(message, "translation", {"type": "unfinished"})
            existing[source] = message
            stats["added"] += 1
        translation = _translation(message)
        if translation.get("type") in {"obsolete", "vanished"}:
            if translation.text:
                translation.attrib.pop("type")
            else:
                translation.set("type", "unfinished")
            stats["revived"] += 1
        for old in message.findall("location"):
            message.remove(old)
        for index, (rel, line) in enumerate(sorted(set(item.locations))):
            location = ET.Element("location", {"filename": _relative(ROOT / rel, ts_dir), "line": str(line)})
            message.insert(index, location)
    for source, message in existing.items():
        if source not in found:
            for old in message.findall("location"):
                message.remove(old)
            translation = _translation(message)
            if translation.get("type") != "obsolete":
                translation.set("type", "obsolete")
                stats["obsoleted"] += 1
    return stats


def _relative(path: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(path, start)).as_posix()


def save(tree: Tree, ts_file: Path = TS_FILE) -> None:
    root = _root(tree)
    ET.indent(root, space="    ")
    text = HEADER + ET.tostring(root, encoding="unicode", short_empty_elements=False) + "\n"
    tmp = ts_file.with_suffix(".ts.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(ts_file)


def unfinished(tree: Tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for source, message in messages(tree).items():
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "unfinished"
        if kind in {"obsolete", "vanished"}:
            continue
        if translation is None or kind == "unfinished" or not (translation.text or "").strip():
            out[source] = ""
    return out


def apply(tree: Tree, translations: dict[str, str]) -> list[str]:
    """Set translations (finished); returns the problems (unknown source, placeholder mismatch)."""
    problems: list[str] = []
    existing = messages(tree)
    for source, text in translations.items():
        if not text:
            continue
        message = existing.get(source)
        if message is None:
            problems.append(f"not in the catalog (run without --apply first): {source!r}")
            continue
        problem = placeholder_problem(source, text)
        if problem:
            problems.append(f"{problem}: {source!r}")
            continue
        translation = _translation(message)
        translation.text = text
        translation.attrib.pop("type", None)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ts", type=Path, default=TS_FILE, help="catalog to update (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is missing")
    parser.add_argument("--unfinished", action="store_true", help="print untranslated strings as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list _() calls of non-literals")
    parser.add_argument("--apply", type=Path, metavar="JSON", help="fill translations from {source: translation}")
    args = parser.parse_args(argv)

    extraction = extract()
    for error in extraction.errors:
        print(error, file=sys.stderr)
    for rel, line in extraction.dynamic if args.verbose else ():
        print(f"{rel}:{line}: _() of a non-literal: make sure the value is a literal marked with N_(\"...\")", file=sys.stderr)
    tree = load(args.ts)
    stats = update(tree, extraction.strings, args.ts)

    if args.check:
        todo = unfinished(tree)
        stale = stats["added"] + stats["obsoleted"] + stats["revived"]
        for source in todo:
            print(f"untranslated: {source!r}", file=sys.stderr)
        print(f"{len(extraction.strings)} strings, {len(todo)} untranslated, {stale} catalog changes pending")
        return 1 if todo or stale else 0
    if args.apply:
        problems = apply(tree, json.loads(args.apply.read_text(encoding="utf-8")))
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
    if args.unfinished:
        print(json.dumps(unfinished(tree), ensure_ascii=False, indent=1))
    save(tree, args.ts)
    left = len(unfinished(tree))
    print(f"{args.ts.name}: {len(extraction.strings)} strings; added {stats['added']}, "
          f"obsoleted {stats['obsoleted']}, revived {stats['revived']}; {left} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
