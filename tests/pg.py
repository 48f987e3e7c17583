"""A throwaway PostgreSQL for tests and benchmarks.

``LOYALTY_TEST_PG_URL`` (e.g. ``postgresql+psycopg://user:pw@127.0.0.1:5432/postgres``) selects an existing server:
tests create and drop their own databases in it. Otherwise ``PgCluster.start()`` runs ``initdb`` as the ``postgres``
OS user (when running as root; as the current user otherwise) into a temporary directory and starts a server on a
unix socket plus 127.0.0.1 on a free port, with fsync off (data is thrown away at the end).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

PG_BIN_CANDIDATES = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13)]


def pg_bin() -> Path:
    env = os.environ.get("LOYALTY_PG_BIN")
    if env:
        return Path(env)
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL binaries not found: install postgresql or set LOYALTY_TEST_PG_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class PgCluster:
    """Either an external server (``admin_url`` given) or a cluster this object started."""

    admin_url: str
    datadir: Path | None = None
    _created: list[str] = field(default_factory=list)

    @classmethod
    def from_env_or_start(cls) -> PgCluster:
        url = os.environ.get("LOYALTY_TEST_PG_URL")
        if url:
            return cls(admin_url=url)
        return cls.start()

    @classmethod
    def start(cls, durable: bool = False, preload: str = "") -> PgCluster:
        """``durable=False`` (tests): fsync and synchronous commit off. ``durable=True`` (benchmarks): the
        production defaults, so that figures include the cost of flushing the WAL at commit. ``preload``:
        ``shared_preload_libraries`` (a benchmark's ``pg_stat_statements``)."""
        bindir = pg_bin()
        root = Path(tempfile.mkdtemp(prefix="loyalty-pg-"))
        datadir = root / "data"
        sockdir = root / "sock"
        sockdir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(sockdir, "postgres")
        run = _as_pg_user()
        subprocess.run(
            [*run, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
             "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        port = _free_port()
        opts = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={sockdir} "
                "-c max_connections=200 -c shared_buffers=128MB")
        if preload:
            opts += f" -c shared_preload_libraries={preload}"
            if "pg_stat_statements" in preload:
                opts += " -c pg_stat_statements.track_planning=on"
        if not durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [*run, str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(root / "log"), "-w", "-t", "60",
             "-o", opts, "start"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        return cls(admin_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", datadir=datadir)

    def _libpq(self, url: str) -> str:
        return url.replace("postgresql+psycopg://", "postgresql://")

    def create_database(self, prefix: str = "loyalty_test") -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self._libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        base = self.admin_url.rsplit("/", 1)[0]
        return f"{base}/{name}"

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception), psycopg.connect(self._libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._created:
            self._created.remove(name)

    def stop(self) -> None:
        for name in list(self._created):
            self.drop_database(f"x/{name}")
        if self.datadir is None:
            return
        subprocess.run(
            [*_as_pg_user(), str(pg_bin() / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"],
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


@contextlib.contextmanager
def pg_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster.from_env_or_start()
    try:
        yield cluster
    finally:
        cluster.stop()
