"""The scheduled backup the counter window takes (``backup_if_due``, issue 10): it follows ``[backup] keep``
of terminal.toml, not the built-in 14, whether the branch keeps fewer or more."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pos_app.ledger.backup import list_backups


def _age_all(data_dir: Path, hours: float) -> None:
    """Make every backup older by ``hours`` (as if the counter had been open that long)."""
    for info in list_backups(data_dir):
        stat = info.path.stat()
        os.utime(info.path, (stat.st_atime - hours * 3600, stat.st_mtime - hours * 3600))


@pytest.mark.parametrize("keep", [3, 20])
def test_due_backups_keep_the_newest_keep_of_the_settings(services, data_dir: Path, keep: int) -> None:
    taken = []
    for _ in range(keep + 2):
        info = services.backup_if_due(4, keep)
        assert info is not None  # the newest was older than 4 h: due
        taken.append(info.path)
        _age_all(data_dir, 5)
    kept = [b.path for b in list_backups(data_dir)]
    assert len(kept) == keep
    assert set(kept) == set(taken[-keep:])  # the newest ones, the oldest two gone


def test_a_backup_that_is_not_due_is_not_taken_and_removes_nothing(services, data_dir: Path) -> None:
    for _ in range(3):
        assert services.backup_if_due(4, 2) is not None
        _age_all(data_dir, 5)
    assert services.backup_if_due(4, 2) is not None
    before = [b.path for b in list_backups(data_dir)]
    assert services.backup_if_due(4, 1) is None  # taken just now: not due, and the rotation is left alone
    assert [b.path for b in list_backups(data_dir)] == before == before[:2]
