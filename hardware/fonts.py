"""The bundled Thai fonts (``resources/fonts``), for everything hardware renders as pixels: cards, slips.

Thai needs complex text layout (marks above and below the base letter, stacked tone marks). Pillow does
that with its Raqm engine (bundled in the Pillow wheel; it needs the system FriBiDi library,
Debian ``libfribidi0``); without it Pillow falls back to basic layout and stacked marks can collide.
:func:`layout_engine` reports which one is in use.

The font folder is ``resources/fonts`` next to the packages, ``<bundle>/resources/fonts`` in a
PyInstaller build, or ``$POS_FONTS_DIR``.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont, features

REGULAR = "Garuda.ttf"
BOLD = "Garuda-Bold.ttf"


class FontMissingError(RuntimeError):
    """The bundled font cannot be found; ``code`` is stable, the message English (the app translates)."""

    code = "font_missing"

    def __init__(self, path: Path) -> None:
        super().__init__(f"Thai font not found: {path} (reinstall, or set POS_FONTS_DIR)")
        self.path = path


def fonts_dir() -> Path:
    env = os.environ.get("POS_FONTS_DIR")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "fonts"
    return Path(__file__).resolve().parents[1] / "resources" / "fonts"


def font_path(bold: bool = False) -> Path:
    path = fonts_dir() / (BOLD if bold else REGULAR)
    if not path.is_file():
        raise FontMissingError(path)
    return path


def layout_engine() -> Literal["raqm", "basic"]:
    return "raqm" if features.check("raqm") else "basic"


@lru_cache(maxsize=64)
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled Thai font at ``size`` pixels, with complex layout when available."""
    engine = ImageFont.Layout.RAQM if layout_engine() == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(font_path(bold)), size=size, layout_engine=engine)


def fit_font(text: str, max_width: int, size: int, bold: bool = False, min_size: int = 10) -> ImageFont.FreeTypeFont:
    """The largest bundled font no bigger than ``size`` in which ``text`` fits ``max_width`` pixels."""
    while size > min_size:
        font = load_font(size, bold)
        if font.getlength(text) <= max_width:
            return font
        size -= 1
    return load_font(min_size, bold)
