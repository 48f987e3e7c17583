"""Shared fixtures: real ledger files in temporary folders."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

os.environ.setdefault("POS_LANG", "en")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.core.i18n import set_language  # noqa: E402

# The "mutation" hypothesis profile (scripts/mutation.sh passes --hypothesis-profile=mutation): each mutant
# runs its module's property tests with a few derandomized examples instead of hundreds of random ones, and a
# failing example is not shrunk (the mutant is killed by the first failure; shrinking a killed mutant's example
# cost more than finding it), so a module's mutation run takes minutes. The normal suite never loads it and
# keeps each test's own settings.
MUTATION_EXAMPLES = 10
_MUTATION = dict(derandomize=True, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
                 suppress_health_check=list(HealthCheck))
settings.register_profile("mutation", max_examples=MUTATION_EXAMPLES, **_MUTATION)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under the mutation profile, cap the examples of tests that set their own ``max_examples`` too (an
    explicit ``@settings`` wins over a profile)."""
    if config.getoption("--hypothesis-profile", None) != "mutation":
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None:
            test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
                own, max_examples=min(own.max_examples, MUTATION_EXAMPLES), **_MUTATION)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@contextmanager
def _refused(exc_type: type[BaseException], code: str | None, message: str) -> Iterator[object]:
    """Expect a refusal of ``exc_type`` whose ``.code`` is ``code`` (None: the type has no code) and whose
    message contains ``message`` (literal text, never empty)."""
    assert message, "a refusal test must name the reason it expects"
    with pytest.raises(exc_type, match=re.escape(message)) as info:
        yield info
    assert getattr(info.value, "code", None) == code, (getattr(info.value, "code", None), code)


@pytest.fixture
def refused() -> Callable[[type[BaseException], str | None, str], AbstractContextManager[object]]:
    """``with refused(RuleError, "tier.points", "Points must be a whole number."): ...``"""
    return _refused


class FakeClock:
    """Milliseconds since the epoch, moved by the test (sale times, expiry, report days)."""

    def __init__(self, start_ms: int = 1_795_000_000_000) -> None:  # 2026-11-18 07:06 UTC
        self.now = start_ms

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "terminal"


@pytest.fixture
def services(data_dir: Path, clock: FakeClock) -> Iterator[object]:
    from pos_app.services import open_terminal

    svc = open_terminal(data_dir, clock=clock)
    svc.add_staff(name="Cashier One", role="cashier", pin="1111", staff_id="cashier-1", demo=True)
    svc.add_staff(name="Manager One", role="manager", pin="9999", staff_id="manager-1", demo=True)
    yield svc
    svc.close()
