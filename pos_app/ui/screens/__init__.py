"""The counter window's screens, one module each (PySide6 widgets that render a presenter of
:mod:`pos_app.ui.presenters` and forward input); :class:`pos_app.ui.counter.CounterWindow` composes them."""
