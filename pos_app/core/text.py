"""One door for text typed or sent into the loyalty system, the same on the counter and the central server.

* :func:`ascii_digits` maps every Unicode decimal digit (Thai ``๐-๙``, fullwidth ``０-９``, Arabic-Indic ``٠-٩``,
  ...) to its ASCII digit, so a phone or card number typed on any keyboard has one form (used by
  ``pos_app.core.phone`` and ``pos_app.core.cardno``).
* :func:`check_text` refuses control characters (NUL, escape sequences, line separators, lone surrogates) in
  any free text: member and staff names, reasons, notes, receipt references. PostgreSQL refuses NUL and SQLite
  stores it, so without one check the same input would behave differently per database; a name with an
  escape sequence could also rewrite a terminal's screen.
"""

from __future__ import annotations

import unicodedata

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _

_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


class TextError(RuleError):
    """Free text that cannot be stored (control characters)."""

    default_code = "text.control"


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by the ASCII digit of the same value."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def control_characters(text: str) -> list[str]:
    """The refused characters in ``text`` (as ``U+XXXX``), in order of appearance, without repeats."""
    if text.isprintable():
        return []
    found: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            name = f"U+{ord(ch):04X}"
            if name not in found:
                found.append(name)
    return found


def check_text(text: str, what: str = "") -> str:
    """Return ``text`` unchanged, or raise :class:`TextError` naming the field and the first bad character."""
    bad = control_characters(text)
    if bad:
        if what:
            raise TextError(_("{field} contains a control character ({char}); type it again without it.").format(
                field=what, char=bad[0]))
        raise TextError(_("The text contains a control character ({char}); type it again without it.").format(
            char=bad[0]))
    return text
