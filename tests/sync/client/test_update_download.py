"""Downloads of the update channel against a real HTTP server on loopback that mishandles ranges (issue 10).

A counter PC resumes a cut download with ``Range: bytes=N-``. Servers, proxies and caches between a branch and
head office get that wrong in every way: they ignore the range and send the whole file, answer 416, send a 206
without ``Content-Range`` or for other bytes than asked, or claim the right range and send the wrong bytes. None
of that may leave a spliced package: the answer is thrown away and the download starts again from zero, and
what reaches ``release.json`` is always the signed file. Each failure that remains is one line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sync import release as rel
from sync.client.api import MAX_DOWNLOAD_BYTES, ServerApi
from sync.client.update import fetch_release

PACKAGE = bytes(range(256)) * 40 + b"the end of the kit"  # 10,258 bytes, every offset distinguishable
PATH = "/v1/release/stable/0.2.0/package"


@dataclass
class Behaviour:
    mode: str = "honest"
    served: bytes = PACKAGE
    announced_size: int | None = None  # what /v1/release says (default: the signed size)
    requests: list[str | None] = field(default_factory=list)  # the Range header of each package request


class Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour
    signed: rel.SignedRelease

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        b = self.behaviour
        if self.path.startswith("/v1/release?"):
            info = {"channel": "stable", **self.signed.as_dict(), "download_path": PATH, "filename": "kit.tar.gz",
                    "published_at": "2026-11-29T00:00:00Z"}
            if b.announced_size is not None:
                info["size"] = b.announced_size
            self._send(200, json.dumps({"release": info, "window": {"start": "02:00", "end": "04:00"},
                                        "server_time": "2026-11-29T00:00:00Z"}).encode(),
                       {"Content-Type": "application/json"})
            return
        asked = self.headers.get("Range")
        b.requests.append(asked)
        data = b.served
        start = int(asked.removeprefix("bytes=").rstrip("-")) if asked else 0
        whole = {"Content-Type": "application/octet-stream"}
        if not asked or b.mode == "ignore":
            self._send(200, data, whole)
        elif b.mode == "honest":
            self._send(206, data[start:], {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})
        elif b.mode == "from_zero":  # a 206 that says so, but from another byte than asked
            self._send(206, data, {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
        elif b.mode == "no_content_range":
            self._send(206, data[start:])
        elif b.mode == "other_total":  # a different file on the server than the one signed
            self._send(206, data[start:], {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data) + 5}"})
        elif b.mode == "star":
            self._send(206, data[start:], {"Content-Range": f"bytes {start}-{len(data) - 1}/*"})
        elif b.mode == "lie":  # the right Content-Range, the bytes of the start of the file
            self._send(206, data[: len(data) - start], {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})
        elif b.mode == "416":
            self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
        else:  # pragma: no cover
            raise AssertionError(b.mode)


@dataclass
class Loopback:
    behaviour: Behaviour
    api: ServerApi
    public: str
    folder: Path

    def check(self, max_bytes: int | None = None) -> dict[str, object]:
        outcome = fetch_release(self.api, self.folder, channel="stable", installed="0.1.0", public_key=self.public,
                                max_bytes=max_bytes)
        return outcome.as_dict()

    @property
    def part(self) -> Path:
        return self.folder / "pos-terminal-0.2.0.tar.gz.part"

    @property
    def package(self) -> Path:
        return self.folder / "pos-terminal-0.2.0.tar.gz"


@pytest.fixture
def loopback(tmp_path: Path) -> Iterator[Loopback]:
    pem, public = rel.new_private_key()
    (tmp_path / "k").write_bytes(pem)
    (tmp_path / "kit").write_bytes(PACKAGE)
    signed = rel.sign_file(tmp_path / "kit", "0.2.0", rel.load_private_key(tmp_path / "k"))
    behaviour = Behaviour()
    handler = type("H", (Handler,), {"behaviour": behaviour, "signed": signed})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api = ServerApi(f"http://127.0.0.1:{server.server_address[1]}", authorization="Bearer t.s")
    try:
        yield Loopback(behaviour, api, public, tmp_path / "updates")
    finally:
        api.close()
        server.shutdown()
        server.server_close()


def _cut(loop: Loopback, at: int) -> None:
    """A first round that stopped after ``at`` bytes (as the sync service's per-round allowance does)."""
    state = loop.check(max_bytes=at)
    assert (state["status"], state["code"]) == ("failed", "incomplete")
    assert loop.part.read_bytes() == PACKAGE[:at]


def test_an_honest_server_resumes_where_the_download_stopped(loopback: Loopback) -> None:
    _cut(loopback, 4000)
    state = loopback.check()
    assert state["status"] == "ready"
    assert loopback.behaviour.requests == [None, "bytes=4000-"]
    assert loopback.package.read_bytes() == PACKAGE


@pytest.mark.parametrize("mode", ["ignore", "from_zero", "no_content_range", "416"])
def test_a_server_that_does_not_continue_the_file_gets_a_download_from_zero(loopback: Loopback, mode: str) -> None:
    _cut(loopback, 4000)
    loopback.behaviour.mode = mode
    state = loopback.check()
    assert state["status"] == "ready", state
    assert loopback.behaviour.requests == [None, "bytes=4000-", None]  # its answer dropped, then from byte 0
    assert loopback.package.read_bytes() == PACKAGE  # never the first 4000 bytes twice


def test_a_server_that_lies_about_the_range_never_leaves_a_spliced_package(loopback: Loopback) -> None:
    _cut(loopback, 4000)
    loopback.behaviour.mode = "lie"
    state = loopback.check()
    assert state["status"] == "ready", state  # the spliced file failed its hash and was fetched from zero
    assert loopback.behaviour.requests == [None, "bytes=4000-", None]
    assert loopback.package.read_bytes() == PACKAGE
    assert json.loads((loopback.folder / "release.json").read_text())["sha256"] == rel.file_digest(
        loopback.package)[0]


def test_a_server_that_lies_again_from_zero_is_refused_and_nothing_is_kept(loopback: Loopback) -> None:
    _cut(loopback, 4000)
    loopback.behaviour.mode = "lie"
    loopback.behaviour.served = PACKAGE[:-3] + b"BAD"  # and its whole file is not the signed one either
    state = loopback.check()
    assert (state["status"], state["code"]) == ("refused", "wrong_hash")
    assert str(state["message"]).startswith("release 0.2.0 refused: the downloaded package's SHA-256 is ")
    assert list(loopback.folder.iterdir()) == []


@pytest.mark.parametrize("mode", ["other_total", "star"])
def test_a_range_for_another_file_size_is_not_appended(loopback: Loopback, mode: str) -> None:
    _cut(loopback, 4000)
    loopback.behaviour.mode = mode
    assert loopback.check()["status"] == "ready"
    assert loopback.behaviour.requests == [None, "bytes=4000-", None]
    assert loopback.package.read_bytes() == PACKAGE


def test_more_bytes_than_signed_are_refused_before_they_are_written(loopback: Loopback) -> None:
    loopback.behaviour.served = PACKAGE + b"x" * 100
    state = loopback.check()
    assert (state["status"], state["code"]) == ("refused", "too_large")
    assert state["message"] == (f"release 0.2.0 refused: the server offers {len(PACKAGE) + 100} bytes, more than "
                                f"the release's {len(PACKAGE)}")
    assert list(loopback.folder.iterdir()) == []


def test_a_release_over_the_size_cap_is_not_asked_for(loopback: Loopback, tmp_path: Path) -> None:
    """The cap holds even for a signed statement (the statement itself refuses sizes over it too)."""
    loopback.folder.mkdir()
    with pytest.raises(Exception) as caught:
        loopback.api.download(PATH, loopback.part, MAX_DOWNLOAD_BYTES + 1)
    assert getattr(caught.value, "code", None) == "too_large"
    assert getattr(caught.value, "message", None) == (f"the release's package of {MAX_DOWNLOAD_BYTES + 1} bytes "
                                                      f"is over the {MAX_DOWNLOAD_BYTES} bytes a package may have")
    assert loopback.behaviour.requests == [] and not loopback.part.exists()


def test_a_download_that_does_not_fit_the_disk_is_not_started(loopback: Loopback,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    usage = shutil.disk_usage(loopback.folder.parent)
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda path: usage._replace(free=len(PACKAGE) - 1))  # the one thing no loopback can fake
    state = loopback.check()
    assert (state["status"], state["code"]) == ("failed", "no_space")
    assert state["message"] == (f"download of 0.2.0 not finished: {loopback.folder} has 0 MiB free, the package "
                                "needs 1 MiB more: nothing downloaded")
    assert loopback.behaviour.requests == []


def test_a_206_to_a_download_from_zero_is_one_line_and_nothing_is_kept(loopback: Loopback) -> None:
    loopback.behaviour.mode = "from_zero"
    loopback.folder.mkdir()
    loopback.part.write_bytes(b"")  # nothing yet: the request carries no range
    with pytest.raises(Exception) as caught:
        loopback.api._fetch(PATH, loopback.part, 4000, len(PACKAGE), None)  # the answer starts at byte 0
    assert type(caught.value).__name__ == "_RangeRefused"
    assert str(caught.value) == (f"asked from byte 4000, the server sent 'Content-Range: bytes 0-{len(PACKAGE) - 1}/"
                                 f"{len(PACKAGE)}'")
    assert loopback.part.read_bytes() == b""
