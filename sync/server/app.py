"""The HTTP API of the central loyalty server (FastAPI). Stateless: all state is in the database, so any number
of processes can serve one PostgreSQL. Terminal endpoints live under ``/v1``, admin endpoints under ``/admin/v1``.
"""

from __future__ import annotations

import gc
import logging
import random
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync import protocol as p
from sync.server import service as svc
from sync.server import vouchers as vsvc
from sync.server.config import MAX_BODY_BYTES, Settings  # noqa: F401 - MAX_BODY_BYTES: the default, re-exported
from sync.server.db import make_engine
from sync.server.errors import ApiError
from sync.server.terminal_keys import TerminalKeyRequest, TerminalKeyResponse, certify_terminal_key

log = logging.getLogger("sync.server")
T = TypeVar("T")

_RETRYABLE_SQLSTATES = {"40001", "40P01", "23505", "55P03"}


def _retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state in _RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(orig)


_TIMING: ContextVar[dict[str, float] | None] = ContextVar("server_timing", default=None)
"""Phases of the current request (name -> seconds), when ``Settings.server_timing`` is on (``Server-Timing``)."""


def _add_timing(phase: str, seconds: float) -> None:
    phases = _TIMING.get()
    if phases is not None:
        phases[phase] = phases.get(phase, 0.0) + seconds


def run_tx(engine: Engine, fn: Callable[[Connection], T], snapshot: bool = False, phase: str = "tx",
           autocommit: bool = False) -> T:
    """Run ``fn`` in one transaction; retry on deadlock / serialisation failure / unique-key race. With
    ``Settings.server_timing`` on, the time (and the part spent waiting for a pooled connection) is added to the
    request's ``phase``. ``autocommit`` (PostgreSQL): no transaction around ``fn``, for a single read (the
    credential check before a body is read): it saves the ``BEGIN`` and ``COMMIT`` round trips."""
    attempts = 8
    began = time.perf_counter()
    try:
        for attempt in range(attempts):
            committing = False
            try:
                asked = time.perf_counter()
                with engine.connect() as conn:
                    _add_timing("pool", time.perf_counter() - asked)
                    if snapshot and conn.dialect.name == "postgresql":
                        conn = conn.execution_options(isolation_level="REPEATABLE READ")
                    elif autocommit and conn.dialect.name == "postgresql":
                        return fn(conn.execution_options(isolation_level="AUTOCOMMIT"))
                    with conn.begin():
                        result = fn(conn)
                        committing = True
                    return result
            except DBAPIError as exc:
                # a connection the database dropped (restart, failover) before this transaction reached its
                # commit: nothing of it was committed, so it runs again on a new connection (db._ping_when_idle)
                lost = exc.connection_invalidated and not committing
                if attempt + 1 < attempts and (_retryable(exc) or lost):
                    _add_timing("retry", 1.0)
                    time.sleep(random.uniform(0.002, 0.02) * (attempt + 1))
                    continue
                raise
        raise AssertionError("unreachable")
    finally:
        _add_timing(phase, time.perf_counter() - began)


def _json(model: BaseModel) -> Response:
    """Serialise once (the endpoint's response_model still documents it; FastAPI skips re-validation)."""
    return Response(content=model.model_dump_json(), media_type="application/json")


def _with_changes(changes: str, rest: BaseModel) -> str:
    """``rest`` written by pydantic (its ``changes`` left out), with ``"changes"`` put first as the JSON text given."""
    written = rest.model_dump_json(exclude={"changes"})  # an object with required fields: never "{}"
    return '{"changes":' + changes + "," + written[1:]


def _json_with_page(model: p.SyncResponse | p.ChangesResponse) -> Response:
    """A response that holds a page of the feed, whose cached entries are ready JSON (``svc.render_changes``).
    Everything else is written by pydantic, as every other response is (orjson refuses integers past 64 bits,
    which a flag's details may hold)."""
    if isinstance(model, p.ChangesResponse):
        return Response(content=_with_changes(svc.render_changes(model), model), media_type="application/json")
    page = "null" if model.changes is None else _with_changes(svc.render_changes(model.changes), model.changes)
    return Response(content=_with_changes(page, model), media_type="application/json")


def _error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    body = p.ErrorResponse(error=p.ErrorBody(code=code, message=message, details=details or {}),
                           server_time=p.format_utc(svc.utcnow()))
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"))


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": p.ErrorResponse} for code in (400, 401, 403, 404, 409, 410, 422)
}


def _plain_text(req: BaseModel) -> None:
    """Refuse control characters in any text of a request (the counters' check, ``pos_app.core.text``): PostgreSQL
    refuses NUL and SQLite stores it, so without this the same request would behave differently per database."""
    bad = svc.text_problems(req)
    if bad:
        raise ApiError(422, "invalid_text", f"{bad[0]['field']} contains a control character ({bad[0]['char']})",
                       {"fields": bad[:20]})


class _AdminRequest(BaseModel):
    """Admin request bodies: strict types (no "5" for 5, no 5.0) and no control characters in text."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="after")
    def _no_control_characters(self) -> Any:
        bad = svc.text_problems(self)
        if bad:
            raise ValueError(f"{bad[0]['field']} contains a control character ({bad[0]['char']})")
        return self


class RewardPut(p.RewardInfo, _AdminRequest):
    """``PUT /admin/v1/rewards/{code}``: the reward, with the admin requests' strict checks."""


class BranchCreate(_AdminRequest):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=200)]


class EnrollmentCodeCreate(_AdminRequest):
    branch: Annotated[str, Field(min_length=1, max_length=64)]
    hours: Annotated[int, Field(ge=1, le=24 * 30)] | None = None
    """Default: the server's ``LOYALTY_ENROLL_CODE_HOURS`` (24)."""


class EnrollmentCodeResponse(BaseModel):
    code: str
    branch: str
    expires_at: str


class StaffUnlock(_AdminRequest):
    by: Annotated[str, Field(min_length=1, max_length=100)]
    """Who at head office unlocks the PIN (kept on the resolved lockout flags)."""


class FlagResolve(_AdminRequest):
    by: Annotated[str, Field(min_length=1, max_length=100)]
    note: Annotated[str, Field(max_length=1000)] = ""


class MemberMerge(_AdminRequest):
    into: p.Uuid
    by: Annotated[str, Field(min_length=1, max_length=100)]


class MemberAdjust(_AdminRequest):
    points: p.Points
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    by: Annotated[str, Field(min_length=1, max_length=100)]


class StaffUpsert(_AdminRequest):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: p.StaffRole
    pin: Annotated[str, Field(pattern=r"^\d{4,8}$")] | None = None
    branch: Annotated[str, Field(max_length=64)] | None = None
    active: bool = True


class RulesCreate(_AdminRequest):
    bundle_json: Annotated[str, Field(min_length=2, max_length=1_000_000)]
    activate: bool = True


class PolicyUpdate(_AdminRequest):
    max_points_per_redemption: Annotated[int, Field(ge=0, le=10**9)] | None = None
    max_points_per_member_per_terminal: Annotated[int, Field(ge=0, le=10**9)] | None = None
    max_points_per_terminal: Annotated[int, Field(ge=0, le=10**9)] | None = None
    max_hours_since_sync: Annotated[int, Field(ge=0, le=24 * 365)] | None = None


class Ok(BaseModel):
    ok: bool = True
    server_time: str


async def _authorization(authorization: Annotated[str | None, Header()] = None) -> str | None:
    # async: FastAPI runs a plain ``def`` dependency on a worker thread, a hop per request for reading a header
    return authorization


async def _admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    _admin_check(request.app.state.settings, authorization)


def _admin_check(settings: Settings, authorization: str | None) -> None:
    if settings.admin_token_sha256 is None:
        raise ApiError(403, "admin_disabled", "admin API disabled: set LOYALTY_ADMIN_TOKEN")
    header = authorization or ""
    token = header[len("Bearer "):].strip() if header.startswith("Bearer ") else ""
    if not token or not secrets.compare_digest(Settings.hash_token(token), settings.admin_token_sha256):
        raise ApiError(401, "bad_admin_credential", "missing or wrong admin credential")


Auth = Annotated[str | None, Depends(_authorization)]
Admin = Depends(_admin)


def _warm_pool(engine: Engine, size: int) -> None:
    """Open the pool's connections up front, so that the first burst of terminals does not pay for them."""
    if engine.dialect.name != "postgresql":
        return
    conns = []
    try:
        for _ in range(size):
            conns.append(engine.connect())
    except DBAPIError as exc:  # the database may still be starting: connections then open on demand
        log.warning("could not pre-open database connections: %s", exc)
    finally:
        for conn in conns:
            conn.close()


async def _expiry_loop(engine: Engine, interval: float) -> None:
    """The periodic points-expiry job of ``serve``: every ``interval`` seconds (first run one interval after
    start, with a little jitter so that several processes do not all wake at once). Several processes may run
    this loop: the job's advisory lock lets one of them work and the others skip (sync/server/expiry.py)."""
    from sync.server.expiry import expire_points

    while True:
        await anyio.sleep(interval * random.uniform(0.9, 1.1))
        try:
            await anyio.to_thread.run_sync(expire_points, engine)
        except Exception:  # noqa: BLE001 - a failed run is logged and retried next interval, never fatal
            log.exception("points expiry run failed")


SUMMARY_INTERVAL_SECONDS = 60


async def _summary_loop(engine: Engine, interval: float) -> None:
    """Keep the dashboard's totals (sync/server/summaries.py) within about a minute of the ledger, activate
    rules versions whose effective time has come, and tell the counters about rewards whose dates passed. Several processes may run it: an advisory lock lets one of
    them refresh the totals at a time; activation locks the pending rows."""
    from sync.server.summaries import refresh_all

    while True:
        await anyio.sleep(interval * random.uniform(0.9, 1.1))
        try:
            await anyio.to_thread.run_sync(refresh_all, engine)
        except Exception:  # noqa: BLE001 - logged and retried next interval, never fatal
            log.exception("dashboard totals refresh failed")
        try:  # rules versions published from the console for a later time take effect within a minute
            await anyio.to_thread.run_sync(lambda: run_tx(engine, lambda c: svc.activate_due_rules(c, svc.utcnow())))
        except Exception:  # noqa: BLE001 - logged and retried next interval, never fatal
            log.exception("activating scheduled rules failed")
        try:  # rewards whose start or end date passed: the counters learn it at their next sync
            from sync.server.rewards import refresh_windows

            await anyio.to_thread.run_sync(lambda: run_tx(engine, lambda c: refresh_windows(c, svc.utcnow())))
        except Exception:  # noqa: BLE001 - logged and retried next interval, never fatal
            log.exception("refreshing reward dates failed")


def _warm_caches(engine: Engine, settings: Settings) -> None:
    """Pay the first-request costs at startup, not in the first burst of terminals: import the rules code, parse
    the rules bundles (immutable, cached per process), open the member-code signing key (cached)."""
    from pos_app.core.rules import CategoryLine, Purchase, points_for  # noqa: F401 - the import is the point
    from sync.server.keys import active_signing_key

    def load(conn: Connection) -> None:
        from sqlalchemy import select

        from sync.server import models as m

        for version in conn.execute(select(m.rules.c.version)).scalars():
            bundle = svc._rules_bundle(conn, int(version))
            if bundle is not None:
                points_for(Purchase(amount_satang=10_000, sale_at=settings.clock()), bundle, None)
        active_signing_key(conn, settings.key_passphrase)

    try:
        run_tx(engine, load)
    except Exception:  # noqa: BLE001 - only a warm-up: the first request pays instead
        log.warning("could not warm the server caches", exc_info=True)
    if engine.dialect.name == "postgresql":
        # not a warm-up: a database restored into a new cluster needs its change-id floor raised before the
        # first write (sync/server/db.py); a failure here stops the process
        from sync.server.db import ensure_change_floor

        run_tx(engine, ensure_change_floor)


MAX_POSTS_IN_FLIGHT_PER_TERMINAL = 6
"""A terminal's POSTs served at once by one server process; more: 429 ``too_many_requests``."""
MAX_UNAUTHENTICATED_BODY_BYTES = 64 * 1024
"""Largest body of the one terminal endpoint without a credential (``POST /v1/enroll``)."""
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


CREDENTIAL_REFRESH_SECONDS = 30.0
"""How often each server process reloads the terminals' credentials for :class:`KnownCredentials`."""


class KnownCredentials:
    """The credentials of the chain's live terminals, held by each server process (reloaded every
    ``CREDENTIAL_REFRESH_SECONDS``), so that the door (:class:`BodyGuard`) admits a known terminal's POST without a
    database round trip and a worker thread per request. Only ever a shortcut to "admit": anything it does not
    hold exactly (a terminal enrolled or renewed since the last load, a wrong secret, an expired credential) is
    checked against the database as before (a credential the database accepts is held from then on), and every
    endpoint checks the credential again inside its own transaction. So a terminal revoked by another process
    (``loyalty-server terminal revoke``) within the last ``CREDENTIAL_REFRESH_SECONDS`` may have a body read, and
    is then refused by the endpoint with nothing stored. A revocation through this process is forgotten at once and
    for good: a reload whose read began before it, or a database check that ran before it, does not bring the
    terminal back. About 150 bytes a terminal."""

    FORGOTTEN_FOR = 10 * CREDENTIAL_REFRESH_SECONDS
    """How long a revocation made here outweighs what a reload or a database check says (far longer than either)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, Any]] = {}  # terminal id -> (credential sha256, expires at)
        self._forgotten: dict[str, float] = {}  # terminal id -> when this process revoked it (monotonic)
        self._lock = threading.Lock()

    def load(self, engine: Engine) -> None:
        from sqlalchemy import select

        from sync.server import models as m

        t = m.terminals.c
        rows = run_tx(engine, lambda c: c.execute(select(t.id, t.credential_sha256, t.credential_expires_at)
                                                 .where(t.revoked_at.is_(None))).all(), autocommit=True)
        known = {r.id: (r.credential_sha256, r.credential_expires_at) for r in rows}
        with self._lock:
            now = time.monotonic()
            self._forgotten = {k: v for k, v in self._forgotten.items() if now - v < self.FORGOTTEN_FOR}
            for terminal_id in self._forgotten:
                known.pop(terminal_id, None)
            self._known = known

    def clear(self) -> None:
        """Hold nothing (as a process that just started, before its first load)."""
        with self._lock:
            self._known, self._forgotten = {}, {}

    def forget(self, terminal_id: str) -> None:
        with self._lock:
            self._forgotten[terminal_id] = time.monotonic()
            self._known.pop(terminal_id, None)

    def remember(self, authorization: str | None, terminal: svc.TerminalRow) -> None:
        """A credential the database has just accepted (a terminal enrolled or renewed since the last load)."""
        credential = svc.bearer_credential(authorization)
        with self._lock:
            if credential is not None and terminal.id not in self._forgotten:
                self._known[terminal.id] = (svc.sha256_hex(credential[1]), terminal.credential_expires_at)

    def admits(self, authorization: str | None, now: Any) -> bool:
        credential = svc.bearer_credential(authorization)
        if credential is None:
            return False
        held = self._known.get(credential[0])
        return held is not None and held[1] > now and secrets.compare_digest(held[0], svc.sha256_hex(credential[1]))


async def _credential_loop(engine: Engine, known: KnownCredentials) -> None:
    while True:
        await anyio.sleep(CREDENTIAL_REFRESH_SECONDS * random.uniform(0.9, 1.1))
        try:
            await anyio.to_thread.run_sync(known.load, engine)
        except Exception:  # noqa: BLE001 - the door then asks the database, as it does for a terminal it misses
            log.warning("could not reload the terminals' credentials", exc_info=True)


class BodyGuard:
    """ASGI middleware: the credential is checked from the headers alone BEFORE any byte of the body is read,
    and the body is capped while it is read (``Content-Length`` above the cap, or a streamed body that grows past
    it: 413 ``body_too_large``). So an unauthenticated or oversized POST costs neither memory nor parsing.

    Terminal endpoints check the terminal credential against the database (the endpoint checks it again inside
    its own transaction); admin endpoints check the admin token; ``/v1/enroll`` (no credential) gets a small cap.
    """

    def __init__(self, app: Any, engine: Engine, settings: Settings, known: KnownCredentials) -> None:
        self.app, self.engine, self.settings, self.limit = app, engine, settings, settings.max_body_bytes
        self.known = known
        self.in_flight: dict[str, int] = {}  # terminal id -> its POSTs in progress (the event loop's own state)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = MAX_UNAUTHENTICATED_BODY_BYTES if path == "/v1/enroll" else self.limit
        declared = headers.get("content-length", "")
        terminal_id = None
        if scope.get("method") in _BODY_METHODS:
            refusal = await self._refuse_credential(path, headers.get("authorization"))
            if refusal is not None:  # first: who is asking (from the headers only)
                await refusal(scope, receive, send)
                return
            if path.startswith("/v1/") and path != "/v1/enroll":
                terminal_id = svc.token_terminal(headers.get("authorization"))
        if terminal_id is None:
            await self._serve(scope, receive, send, limit, declared)
            return
        # A terminal's POSTs in progress at once are capped (a counter makes one or two): a terminal, hostile or
        # broken, that sends many at once cannot take every worker thread of the process (their uploads queue on
        # the terminal's own row anyway)
        busy = self.in_flight.get(terminal_id, 0)
        if busy >= MAX_POSTS_IN_FLIGHT_PER_TERMINAL:
            await _error(429, "too_many_requests", f"this terminal already has {busy} requests in progress; "
                         "send the next one when an answer has come", {"in_progress": busy})(scope, receive, send)
            return
        self.in_flight[terminal_id] = busy + 1
        try:
            await self._serve(scope, receive, send, limit, declared)
        finally:
            left = self.in_flight.pop(terminal_id, 1) - 1
            if left > 0:
                self.in_flight[terminal_id] = left

    async def _serve(self, scope: Any, receive: Any, send: Any, limit: int, declared: str) -> None:
        if declared and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(limit)(scope, receive, send)
            return
        if scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await self._too_large(limit)(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        chunks.clear()
        delivered = False

        async def replay() -> Any:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _too_large(limit: int) -> JSONResponse:
        return _error(413, "body_too_large", f"the request body is larger than {limit} bytes",
                      {"max_bytes": limit})

    async def _refuse_credential(self, path: str, authorization: str | None) -> JSONResponse | None:
        try:
            if path.startswith("/admin/"):
                _admin_check(self.settings, authorization)
            elif path.startswith("/v1/") and path != "/v1/enroll" and not self.known.admits(
                    authorization, self.settings.clock()):
                terminal = await anyio.to_thread.run_sync(
                    lambda: run_tx(self.engine, lambda c: svc.authenticate(c, authorization, self.settings.clock()),
                                   phase="auth", autocommit=True))
                self.known.remember(authorization, terminal)
        except ApiError as exc:
            return _error(exc.status, exc.code, exc.message, exc.details)
        return None


class ProtocolAndTime:
    """ASGI middleware: a ``/v1`` request must speak a supported protocol major version (else 400
    ``unsupported_protocol``); every response carries the server's time and protocol version; with
    ``Settings.server_timing`` a ``/v1`` response also carries ``Server-Timing`` (the phases of ``run_tx``).

    A plain ASGI middleware, not ``@app.middleware("http")`` (Starlette's BaseHTTPMiddleware): that one runs the
    rest of the application in a task of its own and streams the response through a memory channel, a cost
    every request of every terminal paid."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        v1 = scope.get("path", "").startswith("/v1")
        timed = self.settings.server_timing and v1
        began = time.perf_counter()
        phases: dict[str, float] = {}
        if timed:
            _TIMING.set(phases)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (_SERVER_TIME_KEY, _PROTOCOL_KEY, b"server-timing")]
                headers.append((_SERVER_TIME_KEY, p.format_utc(self.settings.clock()).encode()))
                headers.append((_PROTOCOL_KEY, str(p.PROTOCOL_VERSION).encode()))
                if timed:
                    phases["app"] = time.perf_counter() - began
                    headers.append((b"server-timing", ", ".join(
                        f"{name};desc={value:.0f}" if name == "retry" else f"{name};dur={value * 1000:.2f}"
                        for name, value in phases.items()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        if v1:
            declared = next((v.decode("latin-1") for k, v in scope.get("headers", [])
                             if k.lower() == _PROTOCOL_KEY), None)
            try:
                major = p.parse_protocol_header(declared)
            except ValueError:
                major = -1
            if major not in p.SUPPORTED_MAJOR_VERSIONS:
                await _error(400, "unsupported_protocol", f"protocol version {declared!r} is not supported",
                             {"supported_versions": list(p.SUPPORTED_MAJOR_VERSIONS)})(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


_SERVER_TIME_KEY = p.SERVER_TIME_HEADER.lower().encode("latin-1")
_PROTOCOL_KEY = p.PROTOCOL_HEADER.lower().encode("latin-1")


def settle_heap() -> None:
    """Move what the process holds after start-up (modules, the app, its routes and schemas, the warm caches: most
    of its objects) out of the garbage collector's sight, for good (``gc.freeze``). A full collection walks every
    tracked object: in a server process that was about 140,000 objects and 130 ms with the interpreter held, and
    when one fell in a burst of counters it was the slowest round's delay (docs/scaling.md, "Where it stands").
    Frozen, a full collection walks what requests left behind (about 20,000 objects). Only for a process that is
    nothing but the server: a test process that makes many apps would keep each one for good."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, engine: Engine | None = None, own_process: bool = False) -> FastAPI:
    """``own_process``: the process is nothing but this server (``serve``, ``app_from_env``): the heap is settled
    after start-up (:func:`settle_heap`)."""
    engine = engine or make_engine(settings.database_url, settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Every piece of database work runs on a worker thread holding at most one pooled connection at a time:
        # with no more threads than pooled connections, a burst never opens overflow connections (a new
        # PostgreSQL backend each, closed again on return) and requests queue on the event loop, not on the GIL
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(2, settings.pool_size)
        await anyio.to_thread.run_sync(_warm_pool, engine, settings.pool_size)
        await anyio.to_thread.run_sync(_warm_caches, engine, settings)
        try:
            await anyio.to_thread.run_sync(known.load, engine)
        except Exception:  # noqa: BLE001 - the door asks the database meanwhile
            log.warning("could not load the terminals' credentials", exc_info=True)
        if own_process:
            settle_heap()
        async with anyio.create_task_group() as tg:
            tg.start_soon(_credential_loop, engine, known)
            if settings.expiry_interval_seconds <= 0:
                yield
                tg.cancel_scope.cancel()
                return
            tg.start_soon(_expiry_loop, engine, settings.expiry_interval_seconds)
            tg.start_soon(_summary_loop, engine, SUMMARY_INTERVAL_SECONDS)
            yield
            tg.cancel_scope.cancel()

    app = FastAPI(title="Loyalty central server", version=f"{p.PROTOCOL_VERSION}.0",
                  description="Sync protocol v1 (docs/sync-protocol.md) and admin API.", lifespan=lifespan)
    app.state.engine = engine
    app.state.settings = settings
    known = KnownCredentials()
    app.state.known_credentials = known
    app.add_middleware(BodyGuard, engine=engine, settings=settings, known=known)
    app.add_middleware(ProtocolAndTime, settings=settings)  # outside BodyGuard: its refusals get the headers too

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()[:50]]
        return _error(422, "invalid_request", "the request is malformed", {"errors": errors})

    @app.exception_handler(DataError)
    async def data_error(_request: Request, exc: DataError) -> JSONResponse:
        # e.g. a NUL character in text, a number out of the column's range: bad input, not a server fault
        return _error(422, "invalid_value", "a value in the request cannot be stored (bad characters or range)")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http_error", str(exc.detail))

    # ------------------------------------------------------------------------------------- terminal API

    @app.get("/v1/hello", response_model=p.HelloResponse, responses=ERROR_RESPONSES)
    def hello() -> p.HelloResponse:
        return p.HelloResponse(server_time=p.format_utc(settings.clock()))

    @app.post("/v1/enroll", response_model=p.EnrollResponse, responses=ERROR_RESPONSES)
    def enroll(req: p.EnrollRequest) -> p.EnrollResponse:
        _plain_text(req)
        return run_tx(engine, lambda c: svc.enroll(c, settings, req, settings.clock()))

    @app.post("/v1/credential", response_model=p.RotateCredentialResponse, responses=ERROR_RESPONSES)
    def rotate(req: p.RotateCredentialRequest, auth: Auth) -> p.RotateCredentialResponse:
        def fn(c: Connection) -> p.RotateCredentialResponse:
            now = settings.clock()
            terminal = svc.authenticate(c, auth, now, lock=True)
            return svc.rotate_credential(c, settings, terminal, req.credential_sha256, now)
        return run_tx(engine, fn)

    @app.post("/v1/terminal-key", response_model=TerminalKeyResponse, responses=ERROR_RESPONSES)
    def terminal_key(req: TerminalKeyRequest, auth: Auth) -> TerminalKeyResponse:
        """Certify the terminal's own card-signing key (docs/member-codes.md)."""
        def fn(c: Connection) -> TerminalKeyResponse:
            now = settings.clock()
            t = svc.authenticate(c, auth, now)
            return certify_terminal_key(c, t.id, req.public_key_b64, now, settings.key_passphrase)
        return run_tx(engine, fn)

    @app.post("/v1/heartbeat", response_model=Ok, responses=ERROR_RESPONSES)
    def heartbeat(auth: Auth, beat: p.Heartbeat) -> Ok:
        """The terminal's health after a sync round (docs/sync-protocol.md, "Heartbeat"); head office sees it on
        the console's terminals page."""
        from sync.server import health

        def fn(c: Connection) -> Ok:
            now = settings.clock()
            t = svc.authenticate(c, auth, now)
            health.record(c, t.id, beat, now)
            if beat.app_version:
                svc.note_app_version(c, t.id, beat.app_version)
            return Ok(server_time=p.format_utc(now))
        return run_tx(engine, fn)

    @app.get("/v1/status", response_model=p.TerminalStatus, responses=ERROR_RESPONSES)
    def status(auth: Auth, app_version: Annotated[str | None, Header(alias=p.APP_VERSION_HEADER)] = None
               ) -> p.TerminalStatus:
        def fn(c: Connection) -> p.TerminalStatus:
            now = settings.clock()
            t = svc.authenticate(c, auth, now)
            if app_version:
                svc.note_app_version(c, t.id, app_version)
            return p.TerminalStatus(terminal_id=t.id, branch_id=t.branch_id, ack_seq=t.applied_seq,
                                    credential_expires_at=p.format_utc(t.credential_expires_at),
                                    server_time=p.format_utc(now))
        return run_tx(engine, fn)

    @app.get("/v1/release", response_model=p.ReleaseResponse, responses=ERROR_RESPONSES)
    def release(auth: Auth, channel: Annotated[str, Query(pattern=r"^[a-z][a-z0-9-]{0,31}$")] = "stable",
                kind: Annotated[str, Query(pattern=r"^(tar|deb)$")] = "tar",
                app_version: Annotated[str | None, Header(alias=p.APP_VERSION_HEADER)] = None) -> p.ReleaseResponse:
        """The channel's current release (signed by head office; the terminal verifies it) and the quiet-time
        window of the terminal's branch. Also records the version the terminal runs and when it was last seen."""
        from sync.server import releases

        def fn(c: Connection) -> p.ReleaseResponse:
            now = settings.clock()
            t = svc.authenticate(c, auth, now)
            svc.note_contact(c, t.id, app_version, now)
            return p.ReleaseResponse(release=releases.current_release(c, channel, kind),
                                     window=releases.window_for(c, t.branch_id), server_time=p.format_utc(now))
        return run_tx(engine, fn)

    @app.get("/v1/release/{channel}/{version}/package", responses={
        **ERROR_RESPONSES, 200: {"content": {"application/octet-stream": {}}, "description": "the package"}})
    def release_package(channel: Annotated[str, PathParam(pattern=r"^[a-z][a-z0-9-]{0,31}$")],
                        version: Annotated[str, PathParam(pattern=r"^[0-9a-z.]{1,40}$")], auth: Auth,
                        kind: Annotated[str, Query(pattern=r"^(tar|deb)$")] = "tar") -> Response:
        """Stream a published package (``Range: bytes=N-`` resumes an interrupted download)."""
        from fastapi.responses import FileResponse

        from sync.server import releases

        def fn(c: Connection) -> Any:
            svc.authenticate(c, auth, settings.clock())
            return releases.release_path(c, settings.release_dir, channel, version, kind)
        path = run_tx(engine, fn)
        return FileResponse(path, media_type="application/octet-stream", filename=path.name)

    def checked_upload(req: p.UploadRequest) -> svc.PreparedUpload:
        """The checks of an upload before any connection is taken: the records' form, then their hashes."""
        bad = svc.record_form_problems(req.records)
        if bad:
            raise ApiError(422, "invalid_record_form", "records are not in the form the counters write (control "
                           "characters, non-ASCII digits in a phone or card number)", {"records": bad[:50]})
        return svc.prepare_upload(req)  # the hash checks: CPU only, before a pooled connection is taken

    def apply_upload(req: p.UploadRequest, prepared: svc.PreparedUpload, auth: str | None,
                     also: Callable[[Connection, svc.TerminalRow, Any], None] | None = None) -> p.UploadResponse:
        """Apply and commit one batch (``also``: more writes of the same terminal in the same transaction, given
        the terminal the upload authenticated). A content conflict is flagged (in a transaction of its own: the
        batch's was rolled back) and refused."""
        def fn(c: Connection) -> p.UploadResponse:
            now = settings.clock()
            return svc.upload(c, settings, auth, req, now, prepared,
                              then=None if also is None else lambda t: also(c, t, now))
        try:
            return run_tx(engine, fn, phase="upload")
        except ApiError as exc:
            if exc.code == "content_conflict":
                log.error("content conflict from terminal %s: %s", exc.details.get("terminal_id"), exc.details)
                flag = svc.NewFlag("content_conflict", None, exc.details.get("terminal_id"), None, exc.details)
                run_tx(engine, lambda c: svc.insert_flags(c, [flag], settings.clock()))
            raise

    @app.post("/v1/upload", response_model=p.UploadResponse, responses=ERROR_RESPONSES)
    def upload(req: p.UploadRequest, auth: Auth) -> Response:
        return _json(apply_upload(req, checked_upload(req), auth))

    @app.post("/v1/sync", response_model=p.SyncResponse, responses=ERROR_RESPONSES)
    def sync_round(req: p.SyncRequest, auth: Auth) -> Response:
        """A whole sync round in one request (protocol 1.3, docs/sync-protocol.md, "One request per round"): the
        upload, applied and committed exactly as ``/v1/upload`` (the heartbeat written in its transaction); then
        the pull's first page and the branch's flags, read in one snapshot taken after that commit (the heartbeat
        written there when no upload came). A refused upload refuses the whole request, nothing else done."""
        from sync.server import health

        def beat(c: Connection, terminal_id: str, now: Any) -> None:
            assert req.heartbeat is not None
            if health.record(c, terminal_id, req.heartbeat, now) and req.heartbeat.app_version:
                svc.note_app_version(c, terminal_id, req.heartbeat.app_version)

        uploaded = None
        held: list[svc.TerminalRow] = []  # the terminal the upload's transaction authenticated, after its batch

        def hold_and_beat(c: Connection, t: svc.TerminalRow, now: Any) -> None:
            held[:] = [t]
            if req.heartbeat is not None:
                beat(c, t.id, now)

        if req.upload is not None:
            uploaded = apply_upload(req.upload, checked_upload(req.upload), auth, hold_and_beat)
        reads = req.pull is not None or req.flags
        write_beat = req.heartbeat is not None and req.upload is None

        def rest(c: Connection) -> p.SyncResponse:
            now = settings.clock()
            # After an upload, the terminal its committed transaction authenticated a moment ago (its credential
            # and revocation checked there, its ack the batch's): this request's reads need no second check.
            t = held[0] if held else svc.authenticate(c, auth, now)
            changes, flags = None, None
            if req.pull is not None and req.flags:  # the page's first statement also asks for open flags
                changes, flags = svc.changes_and_flags(c, t, req.pull.cursor, req.pull.limit, now,
                                                       scope=req.pull.scope)
            elif req.pull is not None:
                changes = svc.changes(c, t, req.pull.cursor, req.pull.limit, now, scope=req.pull.scope)
            elif req.flags:
                flags = svc.branch_flags(c, t, now)
            if write_beat:  # last: a write takes a transaction id, which holds back the other pullers' feed
                beat(c, t.id, now)
            return p.SyncResponse(upload=uploaded, changes=changes, flags=flags, server_time=p.format_utc(now))
        if reads or write_beat:
            # A heartbeat written in the snapshot can meet a concurrent write of the same terminal's health row
            # (a serialisation failure): run_tx runs the whole read again, which is harmless.
            answer = run_tx(engine, rest, snapshot=reads, phase="changes" if req.pull is not None else
                            "flags" if req.flags else "heartbeat")
        else:
            if uploaded is None:  # nothing asked: the credential is still checked here, not only at the door
                run_tx(engine, lambda c: svc.authenticate(c, auth, settings.clock()), autocommit=True)
            answer = p.SyncResponse(upload=uploaded, server_time=p.format_utc(settings.clock()))
        return _json_with_page(answer)

    @app.get("/v1/changes", response_model=p.ChangesResponse, responses=ERROR_RESPONSES)
    def changes(auth: Auth, cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
                limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE_LIMIT)] = p.DEFAULT_PAGE_LIMIT,
                scope: p.FeedScope = "chain") -> Response:
        """``scope=branch`` (1.2): only the members of the terminal's branch and their entries (with the whole
        history of a member newly linked to the branch); absent: the full feed (docs/sync-protocol.md)."""
        def fn(c: Connection) -> p.ChangesResponse:
            now = settings.clock()
            return svc.changes(c, svc.authenticate(c, auth, now), cursor, limit, now, scope=scope)
        return _json_with_page(run_tx(engine, fn, snapshot=True, phase="changes"))

    @app.get("/v1/flags", response_model=p.BranchFlagsResponse, responses=ERROR_RESPONSES)
    def branch_flags(auth: Auth) -> p.BranchFlagsResponse:
        """The open flags of the terminal's branch, for the store manager's back office (docs/sync-protocol.md,
        "Flags for the store")."""
        def fn(c: Connection) -> p.BranchFlagsResponse:
            now = settings.clock()
            return svc.branch_flags(c, svc.authenticate(c, auth, now), now)
        return run_tx(engine, fn)

    @app.get("/v1/own-records", response_model=p.OwnRecordsResponse, responses=ERROR_RESPONSES)
    def own_records(auth: Auth, after_seq: Annotated[int, Query(ge=0, le=2**62)] = 0,
                    limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE_LIMIT)] = p.DEFAULT_PAGE_LIMIT) -> Response:
        def fn(c: Connection) -> p.OwnRecordsResponse:
            now = settings.clock()
            return svc.own_records(c, svc.authenticate(c, auth, now), after_seq, limit, now)
        return _json(run_tx(engine, fn, snapshot=True))

    @app.post("/v1/members/follow", response_model=p.MemberState, responses=ERROR_RESPONSES)
    def follow(req: p.FollowRequest, auth: Auth) -> p.MemberState:
        """Link a member (of another branch) to the terminal's branch: the branch-scoped feed then brings the
        member and their whole history (docs/sync-protocol.md, "Following a roaming member")."""
        _plain_text(req)

        def fn(c: Connection) -> p.MemberState:
            now = settings.clock()
            return svc.follow_member(c, svc.authenticate(c, auth, now), now, member_id=req.member_id,
                                     phone=req.phone, card_no=req.card_no)
        return run_tx(engine, fn)

    @app.get("/v1/members/{member_id}", response_model=p.MemberState, responses=ERROR_RESPONSES)
    def member(member_id: p.Uuid, auth: Auth) -> p.MemberState:
        def fn(c: Connection) -> p.MemberState:
            svc.authenticate(c, auth, settings.clock())
            return svc.member_state(c, member_id)
        return run_tx(engine, fn)

    @app.post("/v1/reservations", response_model=p.ReservationResponse, responses=ERROR_RESPONSES)
    def reserve(req: p.ReservationRequest, auth: Auth) -> p.ReservationResponse:
        _plain_text(req)

        def fn(c: Connection) -> p.ReservationResponse:
            now = settings.clock()
            return svc.reserve(c, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    @app.post("/v1/reservations/{reservation_id}/void", response_model=p.ReservationResponse,
              responses=ERROR_RESPONSES)
    def void(reservation_id: p.Uuid, auth: Auth) -> p.ReservationResponse:
        def fn(c: Connection) -> p.ReservationResponse:
            now = settings.clock()
            return svc.void_reservation(c, svc.authenticate(c, auth, now), reservation_id, now)
        return run_tx(engine, fn)

    @app.post("/v1/vouchers/reserve", response_model=p.VoucherState, responses=ERROR_RESPONSES)
    def voucher_reserve(req: p.VoucherReserveRequest, auth: Auth) -> p.VoucherState:
        def fn(c: Connection) -> p.VoucherState:
            now = settings.clock()
            return vsvc.reserve(c, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    @app.post("/v1/vouchers/commit", response_model=p.VoucherState, responses=ERROR_RESPONSES)
    def voucher_commit(req: p.VoucherCommitRequest, auth: Auth) -> p.VoucherState:
        _plain_text(req)

        def fn(c: Connection) -> p.VoucherState:
            now = settings.clock()
            return vsvc.commit(c, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    @app.post("/v1/vouchers/commit-batch", response_model=p.VoucherCommitBatchResponse, responses=ERROR_RESPONSES)
    def voucher_commit_batch(req: p.VoucherCommitBatch, auth: Auth) -> p.VoucherCommitBatchResponse:
        for use in req.uses:
            _plain_text(use)

        def fn(c: Connection) -> p.VoucherCommitBatchResponse:
            now = settings.clock()
            return vsvc.commit_batch(c, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    @app.post("/v1/vouchers/issue", response_model=p.VoucherIssued, responses=ERROR_RESPONSES)
    def voucher_issue(req: p.VoucherIssueRequest, auth: Auth) -> p.VoucherIssued:
        def fn(c: Connection) -> p.VoucherIssued:
            now = settings.clock()
            return vsvc.issue_for_points(c, settings, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    @app.post("/v1/vouchers/release", responses=ERROR_RESPONSES)
    def voucher_release(req: p.VoucherReleaseRequest, auth: Auth) -> dict[str, Any]:
        def fn(c: Connection) -> dict[str, Any]:
            now = settings.clock()
            return vsvc.release(c, svc.authenticate(c, auth, now), req, now)
        return run_tx(engine, fn)

    # ------------------------------------------------------------------------------------- admin API

    @app.get("/admin/v1/branches", dependencies=[Admin], responses=ERROR_RESPONSES)
    def branches() -> list[dict[str, Any]]:
        return run_tx(engine, svc.list_branches)

    @app.post("/admin/v1/branches", dependencies=[Admin], response_model=Ok, responses=ERROR_RESPONSES)
    def add_branch(req: BranchCreate) -> Ok:
        run_tx(engine, lambda c: svc.add_branch(c, req.code, req.name, settings.clock()))
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.post("/admin/v1/enrollment-codes", dependencies=[Admin], response_model=EnrollmentCodeResponse,
              responses=ERROR_RESPONSES)
    def enrollment_code(req: EnrollmentCodeCreate) -> EnrollmentCodeResponse:
        hours = req.hours or settings.enroll_code_hours
        code, expires = run_tx(engine, lambda c: svc.issue_enrollment_code(c, req.branch, settings.clock(), hours))
        return EnrollmentCodeResponse(code=code, branch=req.branch, expires_at=p.format_utc(expires))

    @app.get("/admin/v1/terminals", dependencies=[Admin], responses=ERROR_RESPONSES)
    def terminals() -> list[dict[str, Any]]:
        return run_tx(engine, svc.list_terminals)

    @app.post("/admin/v1/terminals/{terminal_id}/revoke", dependencies=[Admin], response_model=Ok,
              responses=ERROR_RESPONSES)
    def revoke(terminal_id: Annotated[str, Field(max_length=64)]) -> Ok:
        run_tx(engine, lambda c: svc.revoke_terminal(c, terminal_id, settings.clock()))
        known.forget(terminal_id)
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.get("/admin/v1/releases", dependencies=[Admin], responses=ERROR_RESPONSES)
    def list_releases() -> dict[str, Any]:
        """Published releases per channel (which is current) and the quiet-time windows."""
        from sync.server import releases

        return run_tx(engine, lambda c: {"releases": releases.list_releases(c),
                                         "windows": releases.list_windows(c)})

    @app.get("/admin/v1/flags", dependencies=[Admin], response_model=list[p.FlagInfo], responses=ERROR_RESPONSES)
    def flags(all: bool = False, kind: Annotated[str | None, Query(max_length=32)] = None,
              member_id: Annotated[str | None, Query(max_length=36)] = None) -> list[p.FlagInfo]:
        return run_tx(engine, lambda c: svc.list_flags(c, not all, kind, member_id))

    @app.post("/admin/v1/flags/{flag_id}/resolve", dependencies=[Admin], response_model=p.FlagInfo,
              responses=ERROR_RESPONSES)
    def resolve(flag_id: Annotated[int, Field(ge=1, le=2**31 - 1)], req: FlagResolve) -> p.FlagInfo:
        return run_tx(engine, lambda c: svc.resolve_flag(c, flag_id, req.by, req.note, settings.clock()))

    @app.get("/admin/v1/members/{member_id}", dependencies=[Admin], response_model=p.MemberState,
             responses=ERROR_RESPONSES)
    def admin_member(member_id: p.Uuid) -> p.MemberState:
        return run_tx(engine, lambda c: svc.member_state(c, member_id))

    @app.post("/admin/v1/members/{member_id}/merge", dependencies=[Admin], response_model=p.MemberState,
              responses=ERROR_RESPONSES)
    def merge(member_id: p.Uuid, req: MemberMerge) -> p.MemberState:
        return run_tx(engine, lambda c: svc.merge_members(c, member_id, req.into, req.by, settings.clock()))

    @app.post("/admin/v1/members/{member_id}/adjust", dependencies=[Admin], response_model=p.MemberState,
              responses=ERROR_RESPONSES)
    def adjust(member_id: p.Uuid, req: MemberAdjust) -> p.MemberState:
        return run_tx(engine, lambda c: svc.adjust_member(c, member_id, req.points, req.reason, req.by,
                                                          settings.clock()))

    @app.put("/admin/v1/rewards/{code}", dependencies=[Admin], response_model=Ok, responses=ERROR_RESPONSES)
    def put_reward(code: Annotated[str, Field(min_length=1, max_length=64)], req: RewardPut) -> Ok:
        if req.code != code:
            raise ApiError(422, "bad_reward", "reward code in path and body differ")
        run_tx(engine, lambda c: svc.upsert_reward(c, req))
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.put("/admin/v1/staff/{staff_id}", dependencies=[Admin], response_model=Ok, responses=ERROR_RESPONSES)
    def put_staff(staff_id: Annotated[str, Field(min_length=1, max_length=64)], req: StaffUpsert) -> Ok:
        run_tx(engine, lambda c: svc.upsert_staff(c, staff_id, req.name, req.role, req.pin, req.branch, req.active))
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.post("/admin/v1/staff/{staff_id}/unlock", dependencies=[Admin], response_model=Ok,
              responses=ERROR_RESPONSES)
    def unlock_staff(staff_id: Annotated[str, Field(min_length=1, max_length=64)], req: StaffUnlock) -> Ok:
        """Unlock a staff member's PIN on every terminal (they pull it with the next sync)."""
        run_tx(engine, lambda c: svc.unlock_staff(c, staff_id, req.by, settings.clock()))
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.get("/admin/v1/audit", dependencies=[Admin], responses=ERROR_RESPONSES)
    def audit(terminal_id: Annotated[str | None, Query(max_length=64)] = None,
              staff_id: Annotated[str | None, Query(max_length=64)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
        """Audit records uploaded by terminals (wrong PINs, lockouts, unlocks, PIN changes, approvals)."""
        return run_tx(engine, lambda c: svc.list_audit(c, terminal_id, staff_id, limit))

    @app.post("/admin/v1/rules", dependencies=[Admin], response_model=Ok, responses=ERROR_RESPONSES)
    def post_rules(req: RulesCreate) -> Ok:
        run_tx(engine, lambda c: svc.set_rules(c, req.bundle_json, settings.clock(), req.activate))
        return Ok(server_time=p.format_utc(settings.clock()))

    @app.put("/admin/v1/policy", dependencies=[Admin], response_model=p.OfflinePolicy, responses=ERROR_RESPONSES)
    def put_policy(req: PolicyUpdate) -> p.OfflinePolicy:
        return run_tx(engine, lambda c: svc.set_policy(c, req.model_dump()))

    @app.get("/admin/v1/verify", dependencies=[Admin], responses=ERROR_RESPONSES)
    def verify() -> list[dict[str, Any]]:
        return run_tx(engine, svc.verify_balances)

    from sync.server.console import mount_console

    mount_console(app, engine, settings)
    return app


def app_from_env() -> FastAPI:
    """ASGI factory for ``uvicorn --factory sync.server.app:app_from_env`` (reads LOYALTY_* variables)."""
    logging.basicConfig(level=logging.INFO)
    server_speaks_english()
    return create_app(Settings.from_env(), own_process=True)


def server_speaks_english() -> None:
    """A server process answers with stable error codes and English messages (the counters translate them), so
    it never loads a translation catalog (call only in a process that is nothing but the server)."""
    from pos_app.core.i18n import set_language

    set_language("en")
