"""The update channel's pure parts: the signed statement, version order, the quiet-time window, and what the
terminal does with answers a real server would not give (through the client's transport seam)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
import pytest

from pos_app.updates import in_window
from sync import release as rel
from sync.client.api import ServerApi
from sync.client.update import fetch_release


def test_versions_are_ordered_by_number_not_by_text() -> None:
    assert rel.is_newer("0.10.0", "0.9.9") and rel.is_newer("1.0", "0.99.99") and not rel.is_newer("0.2", "0.2.0")
    assert not rel.is_newer("0.2.0", "garbage")  # an installed version that cannot be read never gets an update
    ordered = ["0.2.0.dev1", "0.2.0a1", "0.2.0b2", "0.2.0rc1", "0.2.0", "0.2.0.post1", "0.2.0.post7", "0.2.1",
               "0.10.0"]
    assert sorted(reversed(ordered), key=rel.version_key) == ordered
    assert rel.is_newer("0.1.0.post8", "0.1.0.post7")
    for bad in ("0.2.0-beta", "v1.0", "1", "0.1.0.post7.1", "1.0+local"):
        with pytest.raises(rel.ReleaseError, match="is not a release version"):
            rel.version_key(bad)


def test_the_signature_covers_version_hash_and_size(tmp_path: Path) -> None:
    pem, public = rel.new_private_key()
    (tmp_path / "k").write_bytes(pem)
    package = tmp_path / "kit.tar.gz"
    package.write_bytes(b"the kit")
    signed = rel.sign_file(package, "0.2.0", rel.load_private_key(tmp_path / "k"))
    rel.check_signature(signed, public)
    for changed in ({"version": "0.3.0"}, {"size": signed.size + 1}, {"sha256": "0" * 64}):
        forged = rel.SignedRelease(**{**signed.as_dict(), **changed})  # type: ignore[arg-type]
        with pytest.raises(rel.ReleaseError) as err:
            rel.check_signature(forged, public)
        assert err.value.code == "bad_signature"
    _pem2, other = rel.new_private_key()
    with pytest.raises(rel.ReleaseError, match=r"is not by the pinned update key \(") as err:
        rel.check_signature(signed, other)
    with pytest.raises(rel.ReleaseError) as bad_key:
        rel.check_signature(signed, "bm90IGEga2V5")
    assert bad_key.value.code == "bad_public_key"


@pytest.mark.parametrize(("window", "time", "inside"), [
    ({"start": "02:00", "end": "04:00"}, "02:00", True),
    ({"start": "02:00", "end": "04:00"}, "03:59", True),
    ({"start": "02:00", "end": "04:00"}, "04:00", False),
    ({"start": "02:00", "end": "04:00"}, "01:59", False),
    ({"start": "22:00", "end": "02:00"}, "23:30", True),  # across midnight
    ({"start": "22:00", "end": "02:00"}, "01:00", True),
    ({"start": "22:00", "end": "02:00"}, "12:00", False),
    ({"start": "00:00", "end": "00:00"}, "12:00", True),  # the whole day
    (None, "03:00", False),  # no window set by head office: never
])
def test_the_quiet_time_window(window: dict[str, str] | None, time: str, inside: bool) -> None:
    assert in_window(window, datetime.fromisoformat(f"2026-12-01T{time}")) is inside


def _api(handler: httpx.MockTransport) -> ServerApi:
    return ServerApi("http://server.test", authorization="Bearer t.s", transport=handler)


@pytest.mark.parametrize(("status", "body", "code"), [
    (200, b"<html>proxy login</html>", "bad_response"),
    (200, b'{"release": {"version": 1}}', "bad_response"),
    (503, b"down", "server_error"),
])
def test_a_garbage_answer_is_one_line_and_nothing_is_written(tmp_path: Path, status: int, body: bytes,
                                                             code: str) -> None:
    api = _api(httpx.MockTransport(lambda request: httpx.Response(status, content=body)))
    outcome = fetch_release(api, tmp_path / "updates", channel="stable", installed="0.1.0",
                            public_key=rel.new_private_key()[1])
    assert (outcome.status, outcome.code) == ("failed", code)
    assert outcome.message.startswith("cannot ask the server for updates: ") and "\n" not in outcome.message
    assert not (tmp_path / "updates").exists()


def test_a_longer_download_than_signed_is_refused(tmp_path: Path) -> None:
    pem, public = rel.new_private_key()
    (tmp_path / "k").write_bytes(pem)
    (tmp_path / "kit").write_bytes(b"0123456789")
    signed = rel.sign_file(tmp_path / "kit", "0.2.0", rel.load_private_key(tmp_path / "k"))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/release":
            return httpx.Response(200, json={"release": {
                "channel": "stable", **signed.as_dict(), "download_path": "/v1/release/stable/0.2.0/package",
                "filename": "x.tar.gz", "published_at": "2026-11-29T00:00:00Z"},
                "window": None, "server_time": "2026-11-29T00:00:00Z"})
        return httpx.Response(200, content=b"0123456789 and then some more")

    outcome = fetch_release(_api(httpx.MockTransport(handler)), tmp_path / "updates", channel="stable",
                            installed="0.1.0", public_key=public)
    assert (outcome.status, outcome.code) == ("refused", "too_large")
    assert list((tmp_path / "updates").iterdir()) == []
