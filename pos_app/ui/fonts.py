"""The bundled Thai font as the application font, so Thai renders everywhere (CI and offscreen have none).

The fonts live in ``resources/fonts`` next to the packages (``<bundle>/resources/fonts`` in a PyInstaller
build, or ``$POS_FONTS_DIR``), the same place the slip and card renderers use.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from hardware.fonts import fonts_dir  # one place knows where the bundled fonts are (slips and cards too)

REGULAR = "Garuda.ttf"
BOLD = "Garuda-Bold.ttf"
POINT_SIZE = 14


class FontError(RuntimeError):
    """The bundled font is missing or unreadable (English message; the caller translates)."""




def load_thai_font(app: QApplication, point_size: int = POINT_SIZE) -> str:
    """Register the bundled Thai fonts and make them the application font; returns the family name."""
    family: str | None = None
    for name in (REGULAR, BOLD):
        path = fonts_dir() / name
        if not path.exists():
            raise FontError(f"Thai font not found: {path}")
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise FontError(f"Thai font could not be loaded: {path}")
        families = QFontDatabase.applicationFontFamilies(font_id)
        if family is None and families:
            family = families[0]
    if family is None:
        raise FontError(f"no font family in {fonts_dir()}")
    font = QFont(family, point_size)
    app.setFont(font)
    return family
