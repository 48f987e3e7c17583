"""HTTP calls of the sync protocol, with a transport seam.

``ServerApi(base_url, transport=...)``: pass ``httpx.MockTransport`` (or any ``httpx.BaseTransport``) to run
in-process; leave it out to talk to a real server. Every answer is validated against ``sync.protocol``; every
failure becomes :class:`~sync.client.errors.Offline` (retry later) or :class:`~sync.client.errors.Refused`
(the server said no). The clock offset (terminal minus server, ms) is measured on every answer from the
server's ``X-Server-Time``, using the midpoint of the request's round trip.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sync import protocol as p
from sync.client.errors import Offline, Refused

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_TRANSIENT_4XX = {408, 425, 429}


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class ServerApi:
    def __init__(self, base_url: str, *, authorization: str | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 clock: Callable[[], int] = wall_ms, app_version: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.authorization = authorization
        self.clock = clock
        self.clock_offset_ms: int | None = None
        self.http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                 headers={p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
                                          **({p.APP_VERSION_HEADER: app_version[:40]} if app_version else {})})

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ core
    def _call(self, method: str, path: str, model: type[M], *, json: Any = None,
              params: dict[str, Any] | None = None, auth: bool = True, timeout: float | None = None) -> M:
        headers = {}
        if auth and self.authorization:
            headers["Authorization"] = self.authorization
        sent = self.clock()
        try:
            response = self.http.request(method, path, json=json, params=params, headers=headers,
                                         timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout)
        except httpx.TimeoutException as exc:
            raise Offline("timeout", f"the server did not answer in time ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise Offline("unreachable", f"cannot reach the server: {exc}") from exc
        except (httpx.InvalidURL, ValueError) as exc:  # a server address that cannot be a URL: not transient
            raise Refused("bad_server_url", f"the server address is not usable: {exc}") from exc
        received = self.clock()
        self._measure_clock(response, sent, received)
        status = response.status_code
        if status >= 500 or status in _TRANSIENT_4XX:
            raise Offline("server_error", f"the server failed (HTTP {status}); will retry", status=status)
        try:
            body = response.json()
        except ValueError as exc:
            raise Offline("bad_response", f"the server's answer is not JSON (HTTP {status})", status=status) from exc
        if status >= 400:
            try:
                error = p.ErrorResponse.model_validate(body)
            except ValidationError as exc:
                raise Offline("bad_response", f"unreadable refusal from the server (HTTP {status})",
                              status=status) from exc
            raise Refused(error.error.code, error.error.message, error.error.details, status)
        if status != 200:
            raise Offline("bad_response", f"unexpected HTTP status {status}", status=status)
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise Offline("bad_response", "the server's answer does not follow the sync protocol",
                          {"errors": str(exc)[:500]}, status) from exc

    def _measure_clock(self, response: httpx.Response, sent: int, received: int) -> None:
        text = response.headers.get(p.SERVER_TIME_HEADER)
        if not text:
            return
        try:
            server = p.parse_utc(text)
        except ValueError:
            return
        server_ms = int(server.timestamp() * 1000)
        self.clock_offset_ms = (sent + received) // 2 - server_ms

    # ------------------------------------------------------------------ endpoints
    def hello(self) -> p.HelloResponse:
        return self._call("GET", "/v1/hello", p.HelloResponse, auth=False)

    def enroll(self, req: p.EnrollRequest) -> p.EnrollResponse:
        return self._call("POST", "/v1/enroll", p.EnrollResponse, json=req.model_dump(mode="json"), auth=False)

    def status(self) -> p.TerminalStatus:
        return self._call("GET", "/v1/status", p.TerminalStatus)

    def rotate_credential(self, new_sha256: str) -> p.RotateCredentialResponse:
        return self._call("POST", "/v1/credential", p.RotateCredentialResponse,
                          json=p.RotateCredentialRequest(credential_sha256=new_sha256).model_dump(mode="json"))

    def upload(self, batch_id: str, records: list[dict[str, Any]]) -> p.UploadResponse:
        return self._call("POST", "/v1/upload", p.UploadResponse, json={"batch_id": batch_id, "records": records})

    def sync(self, batch_id: str | None, records: list[dict[str, Any]], pull: dict[str, Any] | None,
             heartbeat: p.Heartbeat | None, flags: bool) -> p.SyncResponse:
        """``POST /v1/sync`` (1.3): the round in one request; the records go exactly as ``upload`` sends them."""
        body: dict[str, Any] = {
            "upload": {"batch_id": batch_id, "records": records} if batch_id is not None else None,
            "pull": pull, "heartbeat": heartbeat.model_dump(mode="json") if heartbeat is not None else None,
            "flags": flags}
        return self._call("POST", "/v1/sync", p.SyncResponse, json=body)

    def changes(self, cursor: int, limit: int, scope: str = "chain") -> p.ChangesResponse:
        """``scope="branch"``: the branch-scoped feed (1.2); the full feed is asked for exactly as before."""
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if scope == "branch":
            params["scope"] = "branch"
        return self._call("GET", "/v1/changes", p.ChangesResponse, params=params)

    def follow(self, member_id: str | None = None, phone: str | None = None,
               card_no: str | None = None, timeout: float | None = None) -> p.MemberState:
        body = {k: v for k, v in (("member_id", member_id), ("phone", phone), ("card_no", card_no)) if v is not None}
        return self._call("POST", "/v1/members/follow", p.MemberState, json=body, timeout=timeout)

    def own_records(self, after_seq: int, limit: int) -> p.OwnRecordsResponse:
        return self._call("GET", "/v1/own-records", p.OwnRecordsResponse,
                          params={"after_seq": after_seq, "limit": limit})

    def branch_flags(self) -> p.BranchFlagsResponse:
        return self._call("GET", "/v1/flags", p.BranchFlagsResponse)

    def reserve(self, req: p.ReservationRequest) -> p.ReservationResponse:
        return self._call("POST", "/v1/reservations", p.ReservationResponse, json=req.model_dump(mode="json"))

    def heartbeat(self, beat: p.Heartbeat) -> None:
        self._call("POST", "/v1/heartbeat", _Ok, json=beat.model_dump(mode="json"))

    def void(self, reservation_id: str) -> p.ReservationResponse:
        return self._call("POST", f"/v1/reservations/{reservation_id}/void", p.ReservationResponse)

    def voucher_reserve(self, req: p.VoucherReserveRequest) -> p.VoucherState:
        return self._call("POST", "/v1/vouchers/reserve", p.VoucherState, json=req.model_dump(mode="json"))

    def voucher_commit(self, req: p.VoucherCommitRequest) -> p.VoucherState:
        return self._call("POST", "/v1/vouchers/commit", p.VoucherState, json=req.model_dump(mode="json"))

    def voucher_commit_batch(self, req: p.VoucherCommitBatch) -> p.VoucherCommitBatchResponse:
        return self._call("POST", "/v1/vouchers/commit-batch", p.VoucherCommitBatchResponse,
                          json=req.model_dump(mode="json"))

    def voucher_issue(self, req: p.VoucherIssueRequest) -> p.VoucherIssued:
        return self._call("POST", "/v1/vouchers/issue", p.VoucherIssued, json=req.model_dump(mode="json"))

    def voucher_release(self, operation_id: str) -> None:
        self._call("POST", "/v1/vouchers/release", _Released,
                   json=p.VoucherReleaseRequest(operation_id=operation_id).model_dump(mode="json"))

    def release(self, channel: str, kind: str = "tar") -> p.ReleaseResponse:
        params = {"channel": channel, **({"kind": kind} if kind != "tar" else {})}
        return self._call("GET", "/v1/release", p.ReleaseResponse, params=params)

    def download(self, path: str, dest: Path, expected_size: int, max_bytes: int | None = None) -> str:
        """Append the bytes of ``path`` to ``dest`` from its current length (``Range: bytes=N-``: an interrupted
        download resumes). Returns ``"resumed"`` or ``"fresh"`` (from byte 0), so that a resumed file that fails its
        hash can be started again from zero.

        A resume is only appended when the server answers ``206`` with ``Content-Range: bytes N-END/TOTAL`` that
        starts exactly at ``N`` and whose ``TOTAL`` is ``expected_size``; a server that ignores the range (``200``),
        answers ``416``, or sends a ``206`` with a missing or different range has its answer thrown away and the
        download starts again from zero in the same call (never spliced into the ``.part``). Never writes beyond
        ``expected_size`` (``too_large``, the file is deleted); refuses a release larger than
        :data:`MAX_DOWNLOAD_BYTES` or than the free space of ``dest``'s folder before asking. ``max_bytes``: stop
        after that many bytes this time (the rest comes with the next call)."""
        if not path.startswith("/v1/"):
            raise Offline("bad_response", "the download path of the release is not on this server")
        if not 0 < expected_size <= MAX_DOWNLOAD_BYTES:
            raise Refused("too_large", f"the release's package of {expected_size} bytes is over the "
                                       f"{MAX_DOWNLOAD_BYTES} bytes a package may have")
        have = dest.stat().st_size if dest.exists() else 0
        if have >= expected_size:
            dest.unlink(missing_ok=True)  # a complete .part that failed its checks, or garbage: start again
            have = 0
        try:
            free = shutil.disk_usage(dest.parent).free
        except OSError:
            free = None
        if free is not None and free < expected_size - have:
            raise Refused("no_space", f"{dest.parent} has {free // 2**20} MiB free, the package needs "
                                      f"{(expected_size - have) // 2**20 + 1} MiB more: nothing downloaded")
        if have:
            try:
                self._fetch(path, dest, have, expected_size, max_bytes)
                return "resumed"
            except _RangeRefused:
                dest.unlink(missing_ok=True)  # whatever the server meant, nothing of that answer is kept
        try:
            self._fetch(path, dest, 0, expected_size, max_bytes)
        except _RangeRefused as exc:  # a 206 or 416 to a request without a range: the server is broken
            dest.unlink(missing_ok=True)
            raise Offline("bad_range", f"the server's answer to a download from byte 0 is not usable: {exc}; "
                                       "nothing kept") from exc
        return "fresh"

    def _fetch(self, path: str, dest: Path, have: int, expected_size: int, max_bytes: int | None) -> None:
        """One request for the bytes from ``have`` on, appended to ``dest`` (``have`` 0: ``dest`` is rewritten).
        Raises :class:`_RangeRefused` when the answer does not continue ``dest`` at ``have``."""
        headers = {"Range": f"bytes={have}-"} if have else {}
        if self.authorization:
            headers["Authorization"] = self.authorization
        timeout = httpx.Timeout(60.0, connect=5.0)
        try:
            with self.http.stream("GET", path, headers=headers, timeout=timeout) as response:
                status = response.status_code
                if status == 416:
                    raise _RangeRefused(f"HTTP 416 to 'Range: bytes={have}-'")
                if status >= 400:
                    response.read()
                    try:
                        error = p.ErrorResponse.model_validate(response.json())
                    except (ValueError, ValidationError):
                        raise Offline("server_error", f"the download failed (HTTP {status})",
                                      status=status) from None
                    raise Refused(error.error.code, error.error.message, error.error.details, status)
                if status == 206:
                    start = _content_range_start(response.headers.get("Content-Range"), expected_size)
                    if start != have:
                        raise _RangeRefused(f"asked from byte {have}, the server sent "
                                            f"'Content-Range: {response.headers.get('Content-Range', '')[:60]}'")
                elif status == 200:
                    if have:  # the server ignored the range and sends the whole file: start again from zero
                        raise _RangeRefused("the server ignored the range and sent the whole file")
                else:
                    raise Offline("bad_response", f"unexpected HTTP status {status} for the package", status=status)
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and have + int(length) > expected_size:
                    raise Refused("too_large", f"the server offers {have + int(length)} bytes, more than the "
                                               f"release's {expected_size}")
                flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if have else os.O_TRUNC)
                with os.fdopen(os.open(dest, flags, 0o600), "ab" if have else "wb") as fh:
                    written = have
                    room = max_bytes if max_bytes is not None else expected_size + 1
                    for chunk in response.iter_bytes(64 * 1024):
                        if written + len(chunk) > expected_size:
                            fh.close()
                            dest.unlink(missing_ok=True)
                            raise Refused("too_large", f"the server sent more than the release's {expected_size} "
                                                       "bytes")
                        fh.write(chunk[:room])
                        written += min(len(chunk), room)
                        room -= len(chunk)
                        if room <= 0:
                            break
                    fh.flush()
                    os.fsync(fh.fileno())
        except httpx.TimeoutException as exc:
            raise Offline("timeout", f"the download stalled ({type(exc).__name__}); it resumes next time") from exc
        except httpx.HTTPError as exc:
            raise Offline("unreachable", f"the download was cut: {exc}; it resumes next time") from exc


MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024
"""The largest package the terminal downloads (``sync.release.MAX_PACKAGE_BYTES``: the signed statement refuses
larger ones too; the onedir kit is about 170 MB)."""


class _RangeRefused(Exception):
    """A resume answer that does not continue the file where it stopped (the reason, one line)."""


def _content_range_start(header: str | None, expected_size: int) -> int | None:
    """The first byte of ``Content-Range: bytes START-END/TOTAL`` when END and TOTAL fit a file of
    ``expected_size`` bytes; None for anything else (missing, ``*``, another total, END before START)."""
    unit, _sep, spec = (header or "").strip().partition(" ")
    span, _slash, total = spec.partition("/")
    first, _dash, last = span.partition("-")
    if unit.lower() != "bytes" or not (first.isdigit() and last.isdigit() and total.isdigit()):
        return None
    if int(total) != expected_size or not int(first) <= int(last) < expected_size:
        return None
    return int(first)


class _Released(BaseModel):
    released: bool
    server_time: str


class _Ok(BaseModel):
    ok: bool = True
    server_time: str


def utc_ms(text: str) -> int:
    value = p.parse_utc(text)
    return int(value.astimezone(UTC).timestamp() * 1000)


__all__ = ["ServerApi", "utc_ms", "wall_ms"]
