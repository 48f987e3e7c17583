"""The counter's screens (PySide6; the only layer that imports Qt).

- :mod:`pos_app.ui.worker`: the single-writer background thread every service call runs on; results and
  refusals come back to the UI thread as signals.
- :mod:`pos_app.ui.counter`: the counter window (sign in, identify, award, redeem, enroll, report; status bar
  with sync, backups, printer and configuration problems).
- :mod:`pos_app.ui.camera`: the optional camera panel over :mod:`hardware.scanner`'s pipeline.
- :mod:`pos_app.ui.slips`: slips after award/redeem through the configured printer, reprint.
- :mod:`pos_app.ui.gcguard`: garbage collection on the UI thread only.
- :mod:`pos_app.ui.dialogs`: manager PIN, new member, today's report.
- :mod:`pos_app.ui.wedge`: keyboard-wedge scanner adapter over :mod:`hardware.wedge`.
- :mod:`pos_app.ui.fonts`: the bundled Thai font as the application font.
- :mod:`pos_app.ui.app`: ``run()``, used by ``pos-terminal app``.
- :mod:`pos_app.ui.screenshots`: the user guide's screenshots, from the real window.
- :mod:`pos_app.ui.qtfix`: guard against PySide6 6.12's lost references to None/True on Python 3.11.
"""

# First, before any window exists: keep PySide6 6.12 on Python 3.11 from aborting mid-shift (see qtfix).
from pos_app.ui import qtfix as _qtfix  # noqa: E402,F401
