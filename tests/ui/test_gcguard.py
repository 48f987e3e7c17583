"""Garbage is collected on the UI thread only while the window runs (a Qt object destroyed by a collection
on a worker thread crashes the process)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from pos_app.ui.gcguard import MainThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_the_collector_turns_automatic_collection_off_and_collects_on_its_timer(qtbot: Any) -> None:
    gc.enable()
    collector = MainThreadCollector()
    try:
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        gc.collect()  # whatever the previous state, start from a clean slate ...
        again = _Node()
        ref = weakref.ref(again)
        del again
        assert gone() is None and ref() is not None  # ... and nothing collects this one automatically
        for _ in range(31):  # the timer's work, driven directly: a full collection every 30 ticks
            collector.collect()
        assert ref() is None
    finally:
        collector.stop()
    assert gc.isenabled()  # given back as it was
    gc.disable()  # the tests' own setting (conftest)
