"""Qt-free screen state for the counter window, one presenter per screen (no PySide6 here: the import
contract "presenters are Qt-free" in pyproject.toml enforces it; tests/ui/test_presenters*.py drive them
without Qt). A presenter holds a screen's state and decides what it says and what a button does; the widgets
in :mod:`pos_app.ui.screens` render it and forward input.

- :mod:`.changes`: the change notifications views refresh from (an operation committed, a sync pull applied,
  rules or rewards changed), instead of re-reading on timers.
- :mod:`.session`: who is signed in, what their role may see, the idle lock.
- :mod:`.member`: the member panel (name, tier and progress, balance and pending points, expiring points).
- :mod:`.award`: the bill, its live preview, what the primary button says.
- :mod:`.redeem`: reward tiles (cost, stock, affordable) and points as a discount.
- :mod:`.history`: the member's last entries and what a return will do.
"""

from pos_app.ui.presenters.history import HISTORY_LINES, KIND_TEXT, HistoryLine, history_lines, return_summary

__all__ = ["HISTORY_LINES", "KIND_TEXT", "HistoryLine", "history_lines", "return_summary"]
