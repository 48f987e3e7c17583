"""Translation of user-visible text, shared by every layer of the counter app.

One catalog format for the whole product: Qt Linguist ``.ts`` files under ``resources/translations``
(``pos_th.ts``). The core must not import Qt, so the catalog is read here with the standard library;
the UI uses the same ``_()`` so that CLI, services and screens speak with one voice.

Usage::

    from pos_app.core.i18n import _
    raise SomeError(_("Member {name} was not found").format(name=name))

``N_()`` only marks a string for extraction (for constants translated later with ``_()``).
"""

from __future__ import annotations

import os
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

SUPPORTED_LANGUAGES: tuple[str, ...] = ("th", "en")
DEFAULT_LANGUAGE = "th"
CONTEXT = "pos"

_TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"

_lock = threading.Lock()
_language = os.environ.get("POS_LANG", DEFAULT_LANGUAGE)
if _language not in SUPPORTED_LANGUAGES:
    _language = DEFAULT_LANGUAGE
_catalogs: dict[str, dict[str, str]] = {}
# A language for the current thread or task only (the server's console speaks each user's language while the
# process keeps its own): set by :func:`using_language`, None = the process language.
_local_language: ContextVar[str | None] = ContextVar("pos_local_language", default=None)


def translations_dir() -> Path:
    return _TRANSLATIONS_DIR


def load_catalog(language: str, directory: Path | None = None) -> dict[str, str]:
    """Read ``pos_<language>.ts`` and return {source: translation} for finished translations."""
    path = (directory or _TRANSLATIONS_DIR) / f"pos_{language}.ts"
    if not path.exists():
        return {}
    catalog: dict[str, str] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        if name != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None:
                continue
            if translation.get("type") in {"unfinished", "obsolete", "vanished"}:
                continue
            if translation.text:
                catalog[source] = translation.text
    return catalog


def _catalog(language: str) -> dict[str, str]:
    with _lock:
        if language not in _catalogs:
            _catalogs[language] = {} if language == "en" else load_catalog(language)
        return _catalogs[language]


def set_language(language: str) -> None:
    """Switch the language of every later ``_()`` call (the source strings are English)."""
    global _language
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED_LANGUAGES}")
    _language = language


def get_language() -> str:
    return _language


@contextmanager
def using_language(language: str) -> Iterator[None]:
    """Within the block, ``_()`` in this thread or task speaks ``language``; others keep theirs."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED_LANGUAGES}")
    token = _local_language.set(language)
    try:
        yield
    finally:
        _local_language.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current language (English source text is the fallback)."""
    language = _local_language.get() or _language
    if language == "en":
        return message
    return _catalog(language).get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message
