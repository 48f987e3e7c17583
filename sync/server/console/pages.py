"""The console's pages: sign-in, dashboard, members (search, single customer view, adjust), flags (queue,
resolve), terminals, audit log. Every page checks the session and the role's permission; every POST the CSRF
token first. What a user may see is also limited by branch for area managers."""

from __future__ import annotations

import ipaddress
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, Engine, func, or_, select

from pos_app.core.i18n import N_, load_catalog
from pos_app.core.money import format_baht
from pos_app.core.phone import format_phone, mask_phone
from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server import summaries
from sync.server.config import Settings
from sync.server.console import auth
from sync.server.errors import ApiError

T = TypeVar("T")

PREFIX = "/console"
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
LANG_COOKIE = "console_lang"
LANGUAGES = ("th", "en")
BANGKOK = timedelta(hours=7)
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC_CSS = Path(__file__).resolve().parent / "console.css"
# The Thai fonts the counter app bundles (resources/fonts): head-office laptops and tablets may have none.
FONTS_DIR = Path(__file__).resolve().parents[3] / "resources" / "fonts"
FONTS = {"Loma.ttf", "Loma-Bold.ttf"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

_catalogs: dict[str, dict[str, str]] = {}


def _translator(lang: str) -> Callable[[str], str]:
    if lang not in _catalogs:
        _catalogs[lang] = load_catalog(lang) if lang != "en" else {}
    catalog = _catalogs[lang]
    return lambda text: catalog.get(text, text)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["baht"] = lambda satang: format_baht(int(satang))
    env.filters["points"] = lambda value: f"{int(value):,}"
    env.filters["masked"] = mask_phone  # lists show only the last four digits, as the counter's search does
    env.filters["phone"] = lambda phone: format_phone(phone) if phone else ""
    return env


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("testclient", "localhost")


def _secure(request: Request) -> bool:
    """Cookies are Secure except over plain HTTP from this machine (the demo). Behind a TLS-terminating load
    balancer, run uvicorn with --proxy-headers so that the scheme is https."""
    return request.url.scheme == "https" or not _loopback(request)


def _day_bounds(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        return default


def mount_console(app: FastAPI, engine: Engine, settings: Settings) -> None:
    from sync.server.app import run_tx

    env = _environment()
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    def tx(fn: Callable[[Connection], T]) -> T:
        return run_tx(engine, fn)

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "th"
        return wanted if wanted in LANGUAGES else "th"

    def render(request: Request, template: str, status: int = 200, session: auth.Session | None = None,
               **context: Any) -> Response:
        lang = lang_of(request)
        html = env.get_template(template).render(
            _=_translator(lang), lang=lang, role_labels=ROLE_LABELS, session=session, user=session.user if session else None,
            csrf=session.csrf_token if session else context.pop("login_csrf", ""), prefix=PREFIX,
            path=request.url.path, **context)
        return remember_lang(request, HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS))

    def remember_lang(request: Request, response: Response) -> Response:
        """``?lang=th|en`` on any page switches the console's language (a cookie) from then on."""
        lang = request.query_params.get("lang")
        if lang in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict",
                                secure=_secure(request), path=PREFIX)
        return response

    def current(request: Request) -> auth.Session | None:
        token = request.cookies.get(SESSION_COOKIE)
        return tx(lambda c: auth.session_for(c, token, settings.clock()))

    def to_login(request: Request) -> Response:
        return remember_lang(request, RedirectResponse(f"{PREFIX}/login?next={quote(request.url.path)}",
                                                       status_code=303, headers=SECURITY_HEADERS))

    def forbidden(request: Request, session: auth.Session) -> Response:
        _ = _translator(lang_of(request))
        return render(request, "message.html", 403, session, title=_("Not allowed"),
                      message=_("Your role does not allow this page or action."))

    async def guard(request: Request, permission: str, post: bool = False) -> tuple[auth.Session | None,
                                                                                   Response | None, dict[str, str]]:
        session = current(request)
        if session is None:
            return None, to_login(request), {}
        form: dict[str, str] = {}
        if post:
            data = await request.form()
            form = {k: str(v) for k, v in data.items()}
            if not auth.same_token(session.csrf_token, form.get("csrf")):
                _ = _translator(lang_of(request))
                return session, render(request, "message.html", 403, session, title="CSRF", message=_(
                    "This form has expired or did not come from this console: open the page again and repeat.")), {}
        if not session.user.may(permission):
            return session, forbidden(request, session), {}
        return session, None, form

    # ------------------------------------------------------------------ sign-in
    @router.get("/console.css")
    def css() -> Response:
        return Response(STATIC_CSS.read_text(encoding="utf-8"), media_type="text/css",
                        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})

    @router.get("/fonts/{name}", response_model=None)
    def font(name: str) -> Response:
        if name not in FONTS or not (FONTS_DIR / name).exists():
            return Response(status_code=404)
        return Response((FONTS_DIR / name).read_bytes(), media_type="font/ttf",
                        headers={"Cache-Control": "max-age=86400", "X-Content-Type-Options": "nosniff"})

    @router.get("/", response_model=None)
    def home(request: Request) -> Response:
        return remember_lang(request, RedirectResponse(f"{PREFIX}/dashboard", status_code=303))

    @router.get("/login", response_model=None)
    def login_page(request: Request) -> Response:
        import secrets

        token = secrets.token_urlsafe(24)
        response = render(request, "login.html", login_csrf=token, next=_safe_next(request.query_params.get("next")))
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                            path=PREFIX, max_age=3600)
        return response

    @router.post("/login", response_model=None)
    async def login(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        _ = _translator(lang_of(request))
        if not auth.same_token(request.cookies.get(LOGIN_CSRF_COOKIE), form.get("csrf")):
            return render(request, "message.html", 403, None, title="CSRF",
                          message=_("This form has expired or did not come from this console: open the page "
                                    "again and repeat."))
        result = tx(lambda c: auth.sign_in(c, form.get("username", ""), form.get("password", ""), settings.clock()))
        if isinstance(result, auth.ConsoleError):
            return render(request, "login.html", 401 if result.code == "bad_credentials" else 429,
                          login_csrf=request.cookies.get(LOGIN_CSRF_COOKIE, ""), next=_safe_next(form.get("next")),
                          error=_(_LOGIN_ERRORS.get(result.code, result.message)), username=form.get("username", ""))
        token = result[0]
        response = RedirectResponse(_safe_next(form.get("next")), status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                            path=PREFIX, max_age=auth.SESSION_HOURS * 3600)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
        return response

    @router.post("/logout", response_model=None)
    async def logout(request: Request) -> Response:
        session, refusal, _form = await guard(request, "dashboard", post=True)
        if session is not None and refusal is None:
            tx(lambda c: auth.sign_out(c, session, settings.clock()))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    # ------------------------------------------------------------------ dashboard
    @router.get("/dashboard", response_model=None)
    async def dashboard(request: Request) -> Response:
        session, refusal, _ = await guard(request, "dashboard")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        today = (settings.clock() + BANGKOK).date()
        start = _day_bounds(request.query_params.get("from"), today - timedelta(days=13))
        end = _day_bounds(request.query_params.get("to"), today)
        if end < start:
            start, end = end, start
        end = min(end, start + timedelta(days=366))
        caught_up = tx(lambda c: summaries.refresh(c, max_rows=summaries.BATCH_ROWS)).caught_up
        data = tx(lambda c: _dashboard(c, session.user, start, end))
        data["catching_up"] = not caught_up
        return render(request, "dashboard.html", session=session, start=start, end=end, **data)

    # ------------------------------------------------------------------ members
    @router.get("/members", response_model=None)
    async def members(request: Request) -> Response:
        session, refusal, _ = await guard(request, "members")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        q = (request.query_params.get("q") or "").strip()[:100]
        found = tx(lambda c: _search_members(c, session.user, q)) if q else []
        return render(request, "members.html", session=session, q=q, found=found)

    @router.get("/members/{member_id}", response_model=None)
    async def member(request: Request, member_id: str) -> Response:
        session, refusal, _ = await guard(request, "members")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        view = tx(lambda c: _member_view(c, session.user, member_id[:36]))
        if view is None:
            _ = _translator(lang_of(request))
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such member."))
        return render(request, "member.html", session=session, notice=request.query_params.get("done"), **view)

    @router.post("/members/{member_id}/adjust", response_model=None)
    async def adjust(request: Request, member_id: str) -> Response:
        session, refusal, form = await guard(request, "members.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        try:
            points = int(form.get("points", "").strip())
        except ValueError:
            points = 0
        reason = form.get("reason", "").strip()[:200]

        def run(c: Connection) -> p.MemberState:
            if _member_view(c, session.user, member_id[:36]) is None:
                raise ApiError(404, "unknown_member", "unknown member")
            before = svc.member_state(c, member_id)
            after = svc.adjust_member(c, member_id, points, reason, f"console:{session.user.username}",
                                      settings.clock())
            auth.audit(c, session.user.username, "member.adjust", member_id, {"balance": before.balance},
                       {"balance": after.balance, "points": points, "reason": reason}, settings.clock())
            return after

        try:
            tx(run)
        except ApiError:
            view = tx(lambda c: _member_view(c, session.user, member_id[:36]))
            if view is None:
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such member."))
            return render(request, "member.html", 422, session,
                          error=_("Not adjusted: give non-zero points within the limits and a reason."), **view)
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done=adjusted", status_code=303,
                                headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ privacy (PDPA: access and erasure)
    @router.get("/members/{member_id}/export.{fmt}", response_model=None)
    async def export(request: Request, member_id: str, fmt: str) -> Response:
        session, refusal, _ = await guard(request, "privacy")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        if fmt not in ("json", "pdf"):
            return render(request, "message.html", 404, session, title="404", message="json or pdf")
        from sync.server.privacy import member_export, render_pdf

        def run(c: Connection) -> dict[str, Any] | None:
            if _member_view(c, session.user, member_id[:36]) is None:
                return None
            data = member_export(c, member_id, settings.clock())
            auth.audit(c, session.user.username, "member.export", member_id, None, {"format": fmt},
                       settings.clock())
            return data

        data = tx(run)
        if data is None:
            _ = _translator(lang_of(request))
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such member."))
        name = f"member-{member_id[:36]}.{fmt}"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "json":
            return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                            headers=headers)
        return Response(render_pdf(data, lang_of(request)), media_type="application/pdf", headers=headers)

    @router.post("/members/{member_id}/erase", response_model=None)
    async def erase(request: Request, member_id: str) -> Response:
        session, refusal, form = await guard(request, "privacy", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        reason = " ".join(form.get("reason", "").split())[:200]

        def run(c: Connection) -> None:
            if _member_view(c, session.user, member_id[:36]) is None:
                raise ApiError(404, "unknown_member", "unknown member")
            if form.get("confirm") != "yes":
                raise ApiError(422, "not_confirmed", "not confirmed")
            done = svc.erase_member(c, member_id, reason, f"console:{session.user.username}", settings.clock())
            auth.audit(c, session.user.username, "member.erase", member_id, {"balance": done.balance},
                       {"reason": reason}, settings.clock())

        try:
            tx(run)
        except ApiError as exc:
            view = tx(lambda c: _member_view(c, session.user, member_id[:36]))
            if view is None:
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such member."))
            message = (_("Already erased.") if exc.code == "already_erased" else
                       _("Not erased: tick the confirmation and give the reason (the member's request and its "
                         "reference, without personal data)."))
            return render(request, "member.html", 422, session, error=message, **view)
        from sync.server.db import scrub_after_erasure

        scrub_after_erasure(engine)
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done=erased", status_code=303,
                                headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ flags
    @router.get("/flags", response_model=None)
    async def flags(request: Request) -> Response:
        session, refusal, _ = await guard(request, "flags")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        show_all = request.query_params.get("all") == "1"
        rows = tx(lambda c: _flags(c, session.user, show_all))
        return render(request, "flags.html", session=session, flags=rows, show_all=show_all,
                      notice=request.query_params.get("done"))

    @router.post("/flags/{flag_id}/resolve", response_model=None)
    async def resolve(request: Request, flag_id: int) -> Response:
        session, refusal, form = await guard(request, "flags.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        note = form.get("note", "").strip()[:500]
        _ = _translator(lang_of(request))
        if not note:
            rows = tx(lambda c: _flags(c, session.user, False))
            return render(request, "flags.html", 422, session, flags=rows, show_all=False,
                          error=_("Write a note: what was done about it."))

        def run(c: Connection) -> None:
            if not any(f["id"] == flag_id for f in _flags(c, session.user, False)):
                raise ApiError(404, "unknown_flag", "no such open flag")
            svc.resolve_flag(c, flag_id, f"console:{session.user.username}", note, settings.clock())
            auth.audit(c, session.user.username, "flag.resolve", str(flag_id), {"resolved": False},
                       {"resolved": True, "note": note}, settings.clock())

        try:
            tx(run)
        except ApiError:
            rows = tx(lambda c: _flags(c, session.user, False))
            return render(request, "flags.html", 404, session, flags=rows, show_all=False,
                          error=_("That flag is not open (already resolved?)."))
        return RedirectResponse(f"{PREFIX}/flags?done=resolved", status_code=303, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ terminals, audit
    @router.get("/terminals", response_model=None)
    async def terminals(request: Request) -> Response:
        session, refusal, _ = await guard(request, "terminals")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        rows = tx(lambda c: _terminals(c, session.user, settings.clock()))
        return render(request, "terminals.html", session=session, terminals=rows)

    @router.get("/audit", response_model=None)
    async def audit_log(request: Request) -> Response:
        session, refusal, _ = await guard(request, "audit")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        rows = tx(lambda c: c.execute(select(m.console_audit).order_by(m.console_audit.c.id.desc()).limit(200))
                  .mappings().all())
        return render(request, "audit.html", session=session, rows=rows)

    app.include_router(router)


ROLE_LABELS = {
    "admin": N_("administrator"), "marketing": N_("marketing"), "operations": N_("operations"),
    "support": N_("customer support"), "area": N_("area manager"), "readonly": N_("read-only"),
}

_LOGIN_ERRORS = {
    "bad_credentials": N_("Wrong user name or password."),
    "locked": N_("Too many failed sign-ins: this account is locked for a while. Try again later or ask an "
                 "administrator."),
}


def _safe_next(value: str | None) -> str:
    """Only a path inside the console (no open redirect to another site)."""
    if value and value.startswith(PREFIX + "/") and "//" not in value and "\\" not in value:
        return value
    return f"{PREFIX}/dashboard"


# ====================================================================================== queries (Connection)

def _dashboard(conn: Connection, user: auth.User, start: date, end: date) -> dict[str, Any]:
    """Points issued, redeemed and expired per day (Bangkok time) and per branch, from the totals the server
    keeps (sync/server/summaries.py): a few rows per day and branch, whatever the size of the ledger."""
    per_day: dict[date, dict[str, int]] = {start + timedelta(days=i): defaultdict(int)
                                           for i in range((end - start).days + 1)}
    per_branch: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, branch, kind, points, _count in summaries.totals(conn, start, end):
        if user.limited_to_branches and branch not in user.branches:
            continue
        bucket = {"earn": "issued", "redeem": "redeemed", "expire": "expired"}.get(kind)
        if bucket is None:
            continue  # corrections, returns, adjustments: in the outstanding total, not in these columns
        value = abs(points) if bucket != "issued" else points
        per_day[day][bucket] += value
        per_branch[branch][bucket] += value
    outstanding = summaries.outstanding(conn)
    members = int(conn.execute(select(func.count()).select_from(m.members)
                               .where(m.members.c.placeholder.is_(False))).scalar_one())
    active_since = datetime.now(UTC) - timedelta(days=1)
    terminals = int(conn.execute(select(func.count()).select_from(m.terminals).where(
        m.terminals.c.revoked_at.is_(None), m.terminals.c.last_seen_at >= active_since)).scalar_one())
    bundle = svc._rules_bundle(conn, _active_rules_version(conn))
    satang_per_point = bundle.discount.satang_per_point if bundle is not None else 25
    days = [{"day": d, **{k: v.get(k, 0) for k in ("issued", "redeemed", "expired")}} for d, v in per_day.items()]
    peak = max([1] + [max(d["issued"], d["redeemed"], d["expired"]) for d in days])
    return {"days": days, "peak": peak,
            "branches": sorted(({"branch": b, **{k: v.get(k, 0) for k in ("issued", "redeemed", "expired")}}
                                for b, v in per_branch.items()), key=lambda r: r["branch"]),
            "totals": {k: sum(d[k] for d in days) for k in ("issued", "redeemed", "expired")},
            "outstanding": outstanding, "liability_satang": outstanding * satang_per_point,
            "members_count": members, "active_terminals": terminals}


def _active_rules_version(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(m.rules.c.version), 0))
                            .where(m.rules.c.active.is_(True))).scalar_one())


def _member_branches(conn: Connection, member_id: str, branches: dict[str, str]) -> set[str]:
    """The branches a member was enrolled at or has entries at (``branches``: terminal id -> branch code)."""
    row = conn.execute(select(m.members.c.terminal_id).where(m.members.c.id == member_id)).first()
    found = {branches.get(row.terminal_id or "", "HQ")} if row is not None else set()
    found |= {branches.get(t or "", "HQ") for t in conn.execute(
        select(m.entries.c.terminal_id).where(m.entries.c.member_id == member_id).distinct()).scalars()}
    return found


def _search_members(conn: Connection, user: auth.User, q: str) -> list[dict[str, Any]]:
    from pos_app.core.cardno import normalize_card_number
    from pos_app.core.errors import PhoneError
    from pos_app.core.phone import normalize_phone

    conds: list[Any] = []
    try:
        conds.append(m.members.c.phone == normalize_phone(q))
    except PhoneError:
        pass
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) == 16:
        try:
            conds.append(m.members.c.card_no == normalize_card_number(digits))
        except Exception:  # noqa: BLE001 - not a card number: the other conditions still apply
            pass
    if len(q) >= 2:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(func.lower(m.members.c.name).like(f"%{escaped.lower()}%", escape="\\"))
    if not conds:
        return []
    rows = conn.execute(select(m.members).where(or_(*conds), m.members.c.placeholder.is_(False))
                        .order_by(m.members.c.name).limit(50)).all()
    branches = summaries.terminal_branches(conn) if user.limited_to_branches else {}
    out = []
    for r in rows:
        if user.limited_to_branches and not (_member_branches(conn, r.id, branches) & set(user.branches)):
            continue
        out.append({"id": r.id, "name": r.name, "phone": r.phone, "card_no": r.card_no, "tier": r.tier,
                    "balance": int(r.balance), "merged_into": r.merged_into})
    return out


def _member_view(conn: Connection, user: auth.User, member_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(m.members).where(m.members.c.id == member_id,
                                               m.members.c.placeholder.is_(False))).first()
    if row is None:
        return None
    branches = summaries.terminal_branches(conn)
    if user.limited_to_branches and not (_member_branches(conn, member_id, branches) & set(user.branches)):
        return None
    entries = []
    for e in conn.execute(select(m.entries).where(m.entries.c.member_id == member_id)
                          .order_by(m.entries.c.sale_at.desc(), m.entries.c.seq.desc()).limit(500)):
        payload = json.loads(e.payload)
        entries.append({"at": e.sale_at[:16].replace("T", " "), "kind": e.kind, "points": int(e.points),
                        "terminal": e.terminal_id, "branch": branches.get(e.terminal_id or "", "HQ"),
                        "cashier": payload.get("operator_id") or payload.get("approved_by") or "",
                        "amount": payload.get("amount_satang"), "receipt": payload.get("receipt_ref") or "",
                        "quarantined": bool(e.quarantined)})
    member_flags = [f for f in svc.list_flags(conn, open_only=False, member_id=member_id)]
    return {"member": {"id": row.id, "name": row.name, "phone": row.phone, "card_no": row.card_no,
                       "tier": row.tier, "balance": int(row.balance), "created_at": row.created_at[:10],
                       "consent": row.consent, "offline_blocked": row.offline_blocked,
                       "merged_into": row.merged_into,
                       "erased_at": row.erased_at.strftime("%Y-%m-%d %H:%M") if row.erased_at else None,
                       "enrolled_at": branches.get(row.terminal_id or "", "HQ")},
            "entries": entries, "member_flags": member_flags}


def _flags(conn: Connection, user: auth.User, show_all: bool) -> list[dict[str, Any]]:
    branches = summaries.terminal_branches(conn)
    out = []
    for f in svc.list_flags(conn, open_only=not show_all):
        branch = branches.get(f.terminal_id or "", "HQ")
        if user.limited_to_branches and branch not in user.branches:
            continue
        out.append({"id": f.id, "kind": f.kind, "member_id": f.member_id, "terminal_id": f.terminal_id,
                    "branch": branch, "details": json.dumps(f.details, ensure_ascii=False, sort_keys=True)[:300],
                    "created_at": f.created_at[:16].replace("T", " "), "resolved_at": f.resolved_at,
                    "resolved_by": f.resolved_by, "note": f.note})
    return out


STALE_AFTER = timedelta(hours=1)


BACKUP_STALE = timedelta(hours=26)
LOW_DISK_MB = 500


def _terminals(conn: Connection, user: auth.User, now: datetime) -> list[dict[str, Any]]:
    from sync.server import health

    rows = conn.execute(select(m.terminals, m.branches.c.code.label("branch"))
                        .join(m.branches, m.branches.c.id == m.terminals.c.branch_id)
                        .order_by(m.branches.c.code, m.terminals.c.id)).all()
    beats = health.latest(conn)
    versions = [r.app_version for r in rows if r.app_version and r.revoked_at is None]
    newest = max(versions, key=_version_key) if versions else ""
    out = []
    for r in rows:
        if user.limited_to_branches and r.branch not in user.branches:
            continue
        beat = beats.get(r.id, {})
        problems = []
        if r.revoked_at is not None:
            problems.append(N_("revoked"))
        elif r.last_seen_at is None or now - r.last_seen_at > STALE_AFTER:
            problems.append(N_("not syncing"))
        if r.revoked_at is None and r.app_version and r.app_version != newest:
            problems.append(N_("old version"))
        if r.revoked_at is None and r.credential_expires_at - now < timedelta(days=30):
            problems.append(N_("credential expires soon"))
        if r.revoked_at is None and beat:
            if beat.get("printer") in ("failing", "missing"):
                problems.append(N_("printer failing"))
            if beat.get("camera") == "missing":
                problems.append(N_("camera missing"))
            if beat.get("doctor") == "failing":
                problems.append(N_("doctor failing"))
            backup = beat.get("last_backup")
            if not backup or now - p.parse_utc(str(backup)) > BACKUP_STALE:
                problems.append(N_("no recent backup"))
            if beat.get("free_disk_mb") is not None and int(beat["free_disk_mb"]) < LOW_DISK_MB:  # type: ignore[call-overload]
                problems.append(N_("disk nearly full"))
        out.append({"id": r.id, "branch": r.branch, "name": r.name, "version": r.app_version or "?",
                    "last_seen": r.last_seen_at.strftime("%Y-%m-%d %H:%M") if r.last_seen_at else "",
                    "ack_seq": r.applied_seq, "problems": problems, "waiting": beat.get("records_waiting"),
                    "printer": beat.get("printer", ""), "camera": beat.get("camera", ""),
                    "doctor": beat.get("doctor", ""),
                    "backup": str(beat.get("last_backup") or "")[:16].replace("T", " ")})
    return out


def _version_key(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
