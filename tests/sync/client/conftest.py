from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.client.harness import InProcessServer, Term, make_server_template


@pytest.fixture(scope="session")
def server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_server_template(tmp_path_factory.mktemp("server-template"))


@pytest.fixture
def server(server_template: Path, tmp_path: Path) -> Iterator[InProcessServer]:
    srv = InProcessServer.from_template(server_template, tmp_path / "server")
    yield srv
    srv.stop()


@pytest.fixture
def terminal(server: InProcessServer, tmp_path: Path) -> Iterator[Callable[..., Term]]:
    made: list[Term] = []

    def make(name: str = "t", enroll: bool = True) -> Term:
        t = Term(name, tmp_path / name, server)
        if enroll:
            t.enroll()
            t.sync()
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()
