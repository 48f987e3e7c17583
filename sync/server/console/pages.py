"""The console's pages: sign-in, dashboard, members (search, single customer view, adjust), flags (queue,
resolve), terminals, audit log. Every page checks the session and the role's permission; every POST the CSRF
token first. What a user may see is also limited by branch for area managers."""

from __future__ import annotations

import ipaddress
import json
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, Engine, func, insert, or_, select, update

from pos_app.core.flags import FLAG_TEXT
from pos_app.core.i18n import N_, load_catalog, using_language
from pos_app.core.money import format_baht
from pos_app.core.phone import format_phone, mask_phone
from pos_app.core.rules import default_rules
from sync import protocol as p
from sync import records as rec
from sync.server import models as m
from sync.server import rewards, summaries
from sync.server import service as svc
from sync.server.config import Settings
from sync.server.console import auth, rules_form
from sync.server.errors import ApiError

T = TypeVar("T")

PREFIX = "/console"
MEMBER_COUNT_SECONDS = 60
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

    async def tx(fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one transaction in the threadpool: a console page must never block the event loop on
        the database (every terminal's sync would wait behind it; tests/sync/server/test_console_loop.py)."""
        return await run_in_threadpool(run_tx, engine, fn)

    counted: list[float] = [float("-inf"), 0]  # (monotonic time, members) of this process's last count

    def members_count(conn: Connection) -> int:
        """Members (placeholders excluded), counted at most ``MEMBER_COUNT_SECONDS`` ago: counting is a scan of
        the members table (about 0.1 s at half a million members), and the dashboard's other figures are kept
        by the server's job within about a minute too."""
        now = time.monotonic()
        if now - counted[0] >= MEMBER_COUNT_SECONDS:
            counted[1] = int(conn.execute(select(func.count()).select_from(m.members)
                                          .where(m.members.c.placeholder.is_(False))).scalar_one())
            counted[0] = now
        return int(counted[1])

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "th"
        return wanted if wanted in LANGUAGES else "th"

    def render(request: Request, template: str, status: int = 200, session: auth.Session | None = None,
               **context: Any) -> Response:
        lang = lang_of(request)
        html = env.get_template(template).render(
            _=_translator(lang), lang=lang, role_labels=ROLE_LABELS, flag_text=FLAG_TEXT, session=session, user=session.user if session else None,
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

    async def current(request: Request) -> auth.Session | None:
        token = request.cookies.get(SESSION_COOKIE)
        return await tx(lambda c: auth.session_for(c, token, settings.clock()))

    def to_login(request: Request) -> Response:
        return remember_lang(request, RedirectResponse(f"{PREFIX}/login?next={quote(request.url.path)}",
                                                       status_code=303, headers=SECURITY_HEADERS))

    def forbidden(request: Request, session: auth.Session) -> Response:
        _ = _translator(lang_of(request))
        return render(request, "message.html", 403, session, title=_("Not allowed"),
                      message=_("Your role does not allow this page or action."))

    async def guard(request: Request, permission: str, post: bool = False) -> tuple[auth.Session | None,
                                                                                   Response | None, dict[str, str]]:
        session = await current(request)
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
        address = request.client.host if request.client else "unknown"  # behind a proxy: uvicorn --proxy-headers
        result = await tx(lambda c: auth.sign_in(c, form.get("username", ""), form.get("password", ""), settings.clock(),
                                           address))
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
            await tx(lambda c: auth.sign_out(c, session, settings.clock()))
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
        caught_up = (await tx(lambda c: summaries.refresh(c, max_rows=summaries.BATCH_ROWS))).caught_up
        data = await tx(lambda c: _dashboard(c, session.user, start, end, members_count))
        data["catching_up"] = not caught_up
        return render(request, "dashboard.html", session=session, start=start, end=end, **data)

    # ------------------------------------------------------------------ members
    @router.get("/members", response_model=None)
    async def members(request: Request) -> Response:
        session, refusal, _ = await guard(request, "members")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        q = (request.query_params.get("q") or "").strip()[:100]
        found = await tx(lambda c: _search_members(c, session.user, q)) if q else []
        return render(request, "members.html", session=session, q=q, found=found)

    @router.get("/members/{member_id}", response_model=None)
    async def member(request: Request, member_id: str) -> Response:
        session, refusal, _ = await guard(request, "members")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        view = await tx(lambda c: _member_view(c, session.user, member_id[:36]))
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
            await tx(run)
        except ApiError:
            view = await tx(lambda c: _member_view(c, session.user, member_id[:36]))
            if view is None:
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such member."))
            return render(request, "member.html", 422, session,
                          error=_("Not adjusted: give non-zero points within the limits and a reason."), **view)
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done=adjusted", status_code=303,
                                headers=SECURITY_HEADERS)

    async def member_refusal(request: Request, session: auth.Session, member_id: str, status: int, error: str) -> Response:
        _ = _translator(lang_of(request))
        view = await tx(lambda c: _member_view(c, session.user, member_id[:36]))
        if view is None:
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such member."))
        return render(request, "member.html", status, session, error=error, **view)

    @router.post("/members/{member_id}/merge", response_model=None)
    async def merge(request: Request, member_id: str) -> Response:
        session, refusal, form = await guard(request, "members.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        duplicate_ref = form.get("duplicate", "").strip()[:100]
        if form.get("confirm") != "1":
            return await member_refusal(request, session, member_id, 422, _(
                "Not merged: tick the box to confirm that both are the same person."))
        messages = {
            "bad_merge": _("Not merged: that is this member itself."),
            "already_merged": _("Not merged: the duplicate was already merged into another member."),
            "unknown_member": _("Not merged: no member matches that id, phone or card number."),
            "ambiguous": _("Not merged: several members match; use the duplicate's member id."),
        }

        def run(c: Connection) -> str:
            if _member_view(c, session.user, member_id[:36]) is None:
                raise ApiError(404, "no_target", "unknown member")
            source = _find_one_member(c, duplicate_ref)
            before = {"target_balance": svc.member_state(c, member_id).balance,
                      "duplicate": source, "duplicate_balance": svc.member_state(c, source).balance}
            after = svc.merge_members(c, source, member_id, f"console:{session.user.username}", settings.clock())
            auth.audit(c, session.user.username, "member.merge", member_id, before,
                       {"target_balance": after.balance, "merged": source}, settings.clock())
            return source

        try:
            await tx(run)
        except ApiError as exc:
            if exc.code == "no_target":
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such member."))
            return await member_refusal(request, session, member_id, 409 if exc.code == "already_merged" else 422,
                                  messages.get(exc.code, _("Not merged: {reason}").format(reason=exc.message)))
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done=merged", status_code=303,
                                headers=SECURITY_HEADERS)

    @router.post("/members/{member_id}/offline-block", response_model=None)
    async def offline_block(request: Request, member_id: str) -> Response:
        session, refusal, form = await guard(request, "members.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        blocked = form.get("action") == "block"
        reason = form.get("reason", "").strip()[:200]
        if not reason:
            return await member_refusal(request, session, member_id, 422, _("Write a reason."))

        def run(c: Connection) -> None:
            if _member_view(c, session.user, member_id[:36]) is None:
                raise ApiError(404, "no_target", "unknown member")
            before = svc.member_state(c, member_id).offline_redeem_blocked
            svc.set_offline_block(c, member_id, blocked, settings.clock())
            auth.audit(c, session.user.username, "member.offline_block" if blocked else "member.offline_unblock",
                       member_id, {"blocked": before}, {"blocked": blocked, "reason": reason}, settings.clock())

        try:
            await tx(run)
        except ApiError as exc:
            if exc.code == "overdraft_open":
                return await member_refusal(request, session, member_id, 409, _(
                    "Not unblocked: the member has an open overdraft; resolve it on the Flags page."))
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such member."))
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done={'blocked' if blocked else 'unblocked'}",
                                status_code=303, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ reports
    def report_range(request: Request) -> tuple[date, date]:
        today = (settings.clock() + BANGKOK).date()
        start = _day_bounds(request.query_params.get("from"), today - timedelta(days=29))
        end = _day_bounds(request.query_params.get("to"), today)
        if end < start:
            start, end = end, start
        return start, min(end, start + timedelta(days=366))

    @router.get("/reports", response_model=None)
    async def reports(request: Request) -> Response:
        session, refusal, _ = await guard(request, "reports")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        start, end = report_range(request)
        caught_up = (await tx(lambda c: summaries.refresh(c, max_rows=summaries.BATCH_ROWS))).caught_up
        rows = await tx(lambda c: _report_rows(c, session.user, start, end))
        peak = max([1] + [max(r["issued"], r["redeemed"], r["expired"]) for r in rows])
        totals = {k: sum(r[k] for r in rows) for k in ("issued", "redeemed", "expired")}
        return render(request, "reports.html", session=session, start=start, end=end, rows=rows, peak=peak,
                      totals=totals, catching_up=not caught_up)

    @router.get("/reports.csv", response_model=None)
    async def reports_csv(request: Request) -> Response:
        session, refusal, _ = await guard(request, "reports")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        import csv
        import io

        start, end = report_range(request)
        await tx(lambda c: summaries.refresh(c, max_rows=summaries.BATCH_ROWS))
        rows = await tx(lambda c: _report_rows(c, session.user, start, end))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["day", "branch", "points_issued", "points_redeemed", "points_expired"])
        for r in rows:
            writer.writerow([r["day"].isoformat(), _csv_cell(r["branch"]), r["issued"], r["redeemed"], r["expired"]])
        name = f"points-{start.isoformat()}-{end.isoformat()}.csv"
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

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

        data = await tx(run)
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
            await tx(run)
        except ApiError as exc:
            view = await tx(lambda c: _member_view(c, session.user, member_id[:36]))
            if view is None:
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such member."))
            message = (_("Already erased.") if exc.code == "already_erased" else
                       _("Not erased: tick the confirmation and give the reason (the member's request and its "
                         "reference, without personal data)."))
            return render(request, "member.html", 422, session, error=message, **view)
        from sync.server.db import scrub_after_erasure

        await run_in_threadpool(scrub_after_erasure, engine)
        return RedirectResponse(f"{PREFIX}/members/{quote(member_id)}?done=erased", status_code=303,
                                headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ flags
    @router.get("/flags", response_model=None)
    async def flags(request: Request) -> Response:
        session, refusal, _ = await guard(request, "flags")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        show_all = request.query_params.get("all") == "1"
        rows = await tx(lambda c: _flags(c, session.user, show_all))
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
            rows = await tx(lambda c: _flags(c, session.user, False))
            return render(request, "flags.html", 422, session, flags=rows, show_all=False,
                          error=_("Write a note: what was done about it."))

        def run(c: Connection) -> None:
            if not any(f["id"] == flag_id for f in _flags(c, session.user, False)):
                raise ApiError(404, "unknown_flag", "no such open flag")
            svc.resolve_flag(c, flag_id, f"console:{session.user.username}", note, settings.clock())
            auth.audit(c, session.user.username, "flag.resolve", str(flag_id), {"resolved": False},
                       {"resolved": True, "note": note}, settings.clock())

        try:
            await tx(run)
        except ApiError:
            rows = await tx(lambda c: _flags(c, session.user, False))
            return render(request, "flags.html", 404, session, flags=rows, show_all=False,
                          error=_("That flag is not open (already resolved?)."))
        return RedirectResponse(f"{PREFIX}/flags?done=resolved", status_code=303, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ terminals, audit
    @router.get("/terminals", response_model=None)
    async def terminals(request: Request) -> Response:
        session, refusal, _ = await guard(request, "terminals")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        rows = await tx(lambda c: _terminals(c, session.user, settings.clock()))
        return render(request, "terminals.html", session=session, terminals=rows,
                      notice=request.query_params.get("done"))

    @router.get("/audit", response_model=None)
    async def audit_log(request: Request) -> Response:
        session, refusal, _ = await guard(request, "audit")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        rows = await tx(lambda c: c.execute(select(m.console_audit).order_by(m.console_audit.c.id.desc()).limit(200))
                  .mappings().all())
        return render(request, "audit.html", session=session, rows=rows)

    # ------------------------------------------------------------------ branches, enrollment codes, revoke
    async def branches_page(request: Request, session: auth.Session, status: int = 200, **extra: Any) -> Response:
        def load(c: Connection) -> list[dict[str, Any]]:
            counts: dict[str, int] = {str(branch_id): int(n) for branch_id, n in c.execute(
                select(m.terminals.c.branch_id, func.count()).where(m.terminals.c.revoked_at.is_(None))
                .group_by(m.terminals.c.branch_id)).all()}
            return [{**b, "terminals": int(counts.get(b["id"], 0))} for b in svc.list_branches(c)
                    if not session.user.limited_to_branches or b["code"] in session.user.branches]

        return render(request, "branches.html", status, session, branches=await tx(load),
                      code_hours=settings.enroll_code_hours, **extra)

    @router.get("/branches", response_model=None)
    async def branches(request: Request) -> Response:
        session, refusal, _ = await guard(request, "terminals")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        return await branches_page(request, session, notice=request.query_params.get("done"))

    @router.post("/branches", response_model=None)
    async def add_branch(request: Request) -> Response:
        session, refusal, form = await guard(request, "terminals.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        code, name = form.get("code", "").strip(), form.get("name", "").strip()[:200]
        if not name:
            return await branches_page(request, session, 422, error=_("Give the branch a name."), typed=form)

        def run(c: Connection) -> str:
            made = svc.add_branch(c, code, name, settings.clock())
            auth.audit(c, session.user.username, "branch.add", made, None, {"code": made, "name": name},
                       settings.clock())
            return made

        try:
            await tx(run)
        except ApiError as exc:
            message = {"bad_branch_code": _("A branch code is 1-32 letters, digits or dashes, e.g. CNX02."),
                       "branch_exists": _("There is already a branch {code}.").format(code=code.upper())}
            return await branches_page(request, session, 409 if exc.code == "branch_exists" else 422,
                                 error=message.get(exc.code, exc.message), typed=form)
        return RedirectResponse(f"{PREFIX}/branches?done=added", status_code=303, headers=SECURITY_HEADERS)

    @router.post("/branches/{code}/enrollment-code", response_model=None)
    async def enrollment_code(request: Request, code: str) -> Response:
        session, refusal, form = await guard(request, "terminals.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        try:
            hours = int(form.get("hours", "") or settings.enroll_code_hours)
        except ValueError:
            hours = 0
        if not 1 <= hours <= 24 * 30:
            return await branches_page(request, session, 422, error=_("A code is valid for 1 to 720 hours."))

        def run(c: Connection) -> tuple[str, datetime]:
            made, expires = svc.issue_enrollment_code(c, code[:32], settings.clock(), hours)
            # the code itself is a secret (only its hash is stored): the audit log says who made one, not what
            auth.audit(c, session.user.username, "enrollment_code.issue", code.upper()[:32], None,
                       {"expires_at": expires.isoformat()}, settings.clock())
            return made, expires

        try:
            made, expires = await tx(run)
        except ApiError:
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such branch."))
        return render(request, "enrollment_code.html", session=session, code=made, branch=code.upper()[:32],
                      expires=rules_form.show_bangkok(expires).replace("T", " "), qr=_qr_data_uri(made),
                      server_url=str(request.base_url).rstrip("/"))

    @router.post("/terminals/{terminal_id}/revoke", response_model=None)
    async def revoke(request: Request, terminal_id: str) -> Response:
        session, refusal, form = await guard(request, "terminals.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        if form.get("confirm") != terminal_id:
            rows = await tx(lambda c: _terminals(c, session.user, settings.clock()))
            return render(request, "terminals.html", 422, session, terminals=rows, error=_(
                "Not revoked: tick the box beside the terminal to confirm."))

        def run(c: Connection) -> None:
            row = c.execute(select(m.terminals.c.revoked_at).where(m.terminals.c.id == terminal_id)).first()
            if row is None:
                raise ApiError(404, "unknown_terminal", "no such terminal")
            svc.revoke_terminal(c, terminal_id, settings.clock())
            auth.audit(c, session.user.username, "terminal.revoke", terminal_id,
                       {"revoked": row.revoked_at is not None}, {"revoked": True}, settings.clock())

        try:
            await tx(run)
        except ApiError:
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such terminal."))
        known = getattr(request.app.state, "known_credentials", None)
        if known is not None:  # this process's door stops admitting it at once (the others within 30 s)
            known.forget(terminal_id)
        return RedirectResponse(f"{PREFIX}/terminals?done=revoked", status_code=303, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ rules and campaigns
    def checked_draft(c: Connection, draft: Any, lang: str) -> tuple[Any, Any, rules_form.Checked]:
        """(the active rules, the draft's base, the draft checked as the next version) in ``lang``."""
        active = svc._rules_bundle(c, _active_rules_version(c))
        base = svc._rules_bundle(c, draft.base_version) or active or default_rules()
        known = frozenset(c.execute(select(m.branches.c.code)).scalars())
        with using_language(lang):
            result = rules_form.check(json.loads(draft.form_json), base, svc.next_rules_version(c), known)
        return active, base, result

    async def draft_page(request: Request, session: auth.Session, draft_id: int, status: int = 200,
                   form: dict[str, Any] | None = None, **extra: Any) -> Response:
        lang = lang_of(request)

        def load(c: Connection) -> dict[str, Any] | None:
            row = c.execute(select(m.rules_drafts).where(m.rules_drafts.c.id == draft_id)).first()
            if row is None:
                return None
            active, _base, result = checked_draft(c, row, lang)
            with using_language(lang):
                sample = rules_form.preview(request.query_params, result.bundle, active, settings.clock()) \
                    if request.query_params.get("amount") else None
            tiers = [t.code for t in (result.bundle or active or default_rules()).tiers.tiers]
            return {"draft": row, "form": form or json.loads(row.form_json), "errors": result.errors,
                    "valid": result.bundle is not None, "next_version": svc.next_rules_version(c),
                    "active_version": active.version if active else None, "sample": sample,
                    "sample_query": dict(request.query_params), "tier_codes": tiers,
                    "branches": svc.list_branches(c),
                    "readonly": row.published_version is not None or not session.user.may("rules.write")}

        data = await tx(load)
        if data is None:
            _ = _translator(lang)
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such draft."))
        if form is not None:
            data["form"] = form
        data.update(extra)
        return render(request, "rules_draft.html", status, session, **data)

    @router.get("/rules", response_model=None)
    async def rules_page(request: Request) -> Response:
        session, refusal, _ = await guard(request, "rules")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        if session.user.may("rules.write"):
            await tx(lambda c: svc.activate_due_rules(c, settings.clock()))

        def load(c: Connection) -> dict[str, Any]:
            versions = []
            for r in c.execute(select(m.rules).order_by(m.rules.c.version.desc()).limit(100)):
                bundle = svc._rules_bundle(c, r.version)
                versions.append({"version": r.version, "active": r.active, "pending": r.pending,
                                 "effective_at": rules_form.show_bangkok(r.effective_at).replace("T", " ")
                                 if r.effective_at else "", "created_at": rules_form.show_bangkok(r.created_at)
                                 .replace("T", " "), "by": r.published_by or "",
                                 "campaigns": len(bundle.earn.campaigns) if bundle else 0,
                                 "earn_baht": format_baht(bundle.earn.satang_per_point) if bundle else ""})
            drafts = c.execute(select(m.rules_drafts).order_by(m.rules_drafts.c.id.desc()).limit(50)).all()
            return {"versions": versions, "drafts": drafts}

        return render(request, "rules.html", session=session, notice=request.query_params.get("done"), **await tx(load))

    @router.post("/rules/drafts", response_model=None)
    async def new_draft(request: Request) -> Response:
        session, refusal, _ = await guard(request, "rules.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        now = settings.clock()

        def run(c: Connection) -> int:
            version = _active_rules_version(c)
            base = svc._rules_bundle(c, version) or default_rules()
            form_json = json.dumps(rules_form.draft_from_bundle(base), ensure_ascii=False, sort_keys=True)
            draft_id = int(c.execute(insert(m.rules_drafts).values(
                base_version=version, form_json=form_json, created_by=session.user.username, created_at=now,
                updated_by=session.user.username, updated_at=now).returning(m.rules_drafts.c.id)).scalar_one())
            auth.audit(c, session.user.username, "rules.draft", str(draft_id), None, {"base_version": version}, now)
            return draft_id

        draft_id = await tx(run)
        return RedirectResponse(f"{PREFIX}/rules/drafts/{draft_id}", status_code=303, headers=SECURITY_HEADERS)

    @router.get("/rules/drafts/{draft_id}", response_model=None)
    async def edit_draft(request: Request, draft_id: int) -> Response:
        session, refusal, _ = await guard(request, "rules")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        return await draft_page(request, session, draft_id, notice=request.query_params.get("done"))

    @router.post("/rules/drafts/{draft_id}", response_model=None)
    async def save_draft(request: Request, draft_id: int) -> Response:
        session, refusal, form = await guard(request, "rules.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        draft = rules_form.draft_from_post(form)
        now = settings.clock()

        def run(c: Connection) -> str:
            row = c.execute(select(m.rules_drafts).where(m.rules_drafts.c.id == draft_id).with_for_update()).first()
            if row is None:
                return "missing"
            if row.published_version is not None:
                return "published"
            form_json = json.dumps(draft, ensure_ascii=False, sort_keys=True)
            c.execute(update(m.rules_drafts).where(m.rules_drafts.c.id == draft_id).values(
                form_json=form_json, updated_by=session.user.username, updated_at=now))
            auth.audit(c, session.user.username, "rules.draft.save", str(draft_id), json.loads(row.form_json),
                       draft, now)
            saved = c.execute(select(m.rules_drafts).where(m.rules_drafts.c.id == draft_id)).one()
            return "saved" if checked_draft(c, saved, lang_of(request))[2].bundle is not None else "invalid"

        outcome = await tx(run)
        if outcome == "missing":
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such draft."))
        if outcome == "published":
            return await draft_page(request, session, draft_id, 409, error=_(
                "This draft was published and cannot change: make a new draft."))
        if outcome == "invalid":
            return await draft_page(request, session, draft_id, 422, error=_(
                "Saved, but these rules cannot be published yet: see the messages beside the fields."))
        return RedirectResponse(f"{PREFIX}/rules/drafts/{draft_id}?done=saved", status_code=303,
                                headers=SECURITY_HEADERS)

    @router.post("/rules/drafts/{draft_id}/publish", response_model=None)
    async def publish_draft(request: Request, draft_id: int) -> Response:
        session, refusal, form = await guard(request, "rules.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        lang = lang_of(request)
        _ = _translator(lang)
        now = settings.clock()
        effective = now
        if form.get("effective_at", "").strip():
            try:
                effective = rules_form._bangkok(form["effective_at"])
            except rules_form._Bad:
                return await draft_page(request, session, draft_id, 422, effective_error=_(
                    "Write a date and time such as 2026-12-01 09:00 (Bangkok time), or leave it empty for now."))

        def run(c: Connection) -> tuple[str, int]:
            row = c.execute(select(m.rules_drafts).where(m.rules_drafts.c.id == draft_id).with_for_update()).first()
            if row is None:
                return "missing", 0
            if row.published_version is not None:
                return "published", int(row.published_version)
            svc.lock_rules(c)  # one publisher at a time: the next version number is then ours
            active, _base, result = checked_draft(c, row, lang)
            if result.bundle is None:
                return "invalid", 0
            version = svc.publish_rules(c, result.bundle, effective, session.user.username, now)
            c.execute(update(m.rules_drafts).where(m.rules_drafts.c.id == draft_id).values(published_version=version))
            auth.audit(c, session.user.username, "rules.publish", f"rules v{version}",
                       {"active_version": active.version if active else None},
                       {"version": version, "effective_at": effective.isoformat(), "digest": result.bundle.digest(),
                        "draft": draft_id}, now)
            return "ok", version

        outcome, version = await tx(run)
        if outcome == "missing":
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such draft."))
        if outcome == "published":
            return await draft_page(request, session, draft_id, 409, error=_(
                "This draft was published already (version {version}).").format(version=version))
        if outcome == "invalid":
            return await draft_page(request, session, draft_id, 422, error=_(
                "Not published: these rules are not valid yet; see the messages beside the fields."))
        return RedirectResponse(f"{PREFIX}/rules?done=published", status_code=303, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ rewards and their stock per branch
    reward_messages = {
        "bad_code": N_("A code is 1-64 letters, digits, dashes or underscores, starting with a letter or digit."),
        "bad_name": N_("Write a name of at most 200 characters."),
        "bad_cost": N_("Points: a whole number from 1 to 1,000,000."),
        "bad_dates": N_("The end must be after the start."),
        "bad_date": N_("Write a date and time such as 2026-12-01 09:00 (Bangkok time)."),
    }

    def reward_form(form: dict[str, str]) -> tuple[rewards.RewardForm | None, dict[str, str]]:
        """The posted form as a reward, or the codes of the fields that are not even of the right kind."""
        errors: dict[str, str] = {}
        try:
            cost = int(form.get("points_cost", "").strip().replace(",", ""))
        except ValueError:
            cost, errors["points_cost"] = 0, "bad_cost"
        dates: dict[str, datetime | None] = {}
        for key in ("active_from", "active_until"):
            text = form.get(key, "").strip()
            try:
                dates[key] = rules_form._bangkok(text) if text else None
            except rules_form._Bad:
                dates[key], errors[key] = None, "bad_date"
        made = rewards.RewardForm(code=form.get("code", "").strip()[:64], name_th=form.get("name_th", "")[:300],
                                  name_en=form.get("name_en", "")[:300], points_cost=cost,
                                  active_from=dates["active_from"], active_until=dates["active_until"],
                                  per_branch_stock=form.get("stock_mode") == "branch")
        errors = rewards.check(made) | errors
        return (None if errors else made), errors

    async def rewards_page(request: Request, session: auth.Session, status: int = 200, **extra: Any) -> Response:
        rows = await tx(lambda c: _rewards(c, session.user, settings.clock()))
        extra.setdefault("errors", {})
        extra.setdefault("typed", {"stock_mode": "none"})  # counting per branch is a choice: a new reward is not limited until it is made
        return render(request, "rewards.html", status, session, rewards=rows, **extra)

    async def reward_page(request: Request, session: auth.Session, code: str, status: int = 200,
                          **extra: Any) -> Response:
        def load(c: Connection) -> dict[str, Any] | None:
            found = [r for r in _rewards(c, session.user, settings.clock()) if r["code"] == code]
            if not found:
                return None
            branches = [b for b in svc.list_branches(c)
                        if not session.user.limited_to_branches or b["code"] in session.user.branches]
            return {"reward": found[0], "branches": branches}

        data = await tx(load)
        if data is None:
            _ = _translator(lang_of(request))
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such reward."))
        r = data["reward"]
        extra.setdefault("errors", {})
        extra.setdefault("typed", {"code": r["code"], "name_th": r["name_th"], "name_en": r["name_en"],
                                   "points_cost": str(r["points_cost"]),
                                   "active_from": rules_form.show_bangkok(r["active_from"]) if r["active_from"] else "",
                                   "active_until": rules_form.show_bangkok(r["active_until"]) if r["active_until"] else "",
                                   "stock_mode": "branch" if r["per_branch_stock"] else "none"})
        return render(request, "reward.html", status, session, may_stock=session.user.may("rewards.stock"),
                      **data, **extra)

    def reward_errors(request: Request, errors: dict[str, str]) -> dict[str, str]:
        _ = _translator(lang_of(request))
        return {key: _(reward_messages.get(code, code)) for key, code in errors.items()}

    @router.get("/rewards", response_model=None)
    async def rewards_list(request: Request) -> Response:
        session, refusal, _ = await guard(request, "rewards")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        if session.user.may("rewards.write"):
            await tx(lambda c: rewards.refresh_windows(c, settings.clock()))
        return await rewards_page(request, session, notice=request.query_params.get("done"))

    @router.post("/rewards", response_model=None)
    async def add_reward(request: Request) -> Response:
        session, refusal, form = await guard(request, "rewards.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        made, errors = reward_form(form)
        if made is None:
            return await rewards_page(request, session, 422, errors=reward_errors(request, errors), typed=form,
                                      error=_("Not added: see the messages beside the fields."))
        now = settings.clock()

        def run(c: Connection) -> None:
            before, after = rewards.save(c, made, session.user.username, now, create=True)
            auth.audit(c, session.user.username, "reward.create", made.code, before, after, now)

        try:
            await tx(run)
        except ApiError as exc:
            return await rewards_page(request, session, 409, errors={}, typed=form, error=_(
                "There is already a reward {code}.").format(code=made.code) if exc.code == "reward_exists"
                else exc.message)
        return RedirectResponse(f"{PREFIX}/rewards/{quote(made.code)}?done=saved", status_code=303,
                                headers=SECURITY_HEADERS)

    @router.get("/rewards/{code}", response_model=None)
    async def reward_view(request: Request, code: str) -> Response:
        session, refusal, _ = await guard(request, "rewards")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        return await reward_page(request, session, code[:64], notice=request.query_params.get("done"))

    @router.post("/rewards/{code}", response_model=None)
    async def edit_reward(request: Request, code: str) -> Response:
        session, refusal, form = await guard(request, "rewards.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        made, errors = reward_form(form | {"code": code[:64]})
        if made is None:
            return await reward_page(request, session, code[:64], 422, errors=reward_errors(request, errors),
                                     typed=form, error=_("Not saved: see the messages beside the fields."))
        now = settings.clock()

        def run(c: Connection) -> None:
            before, after = rewards.save(c, made, session.user.username, now, create=False)
            auth.audit(c, session.user.username, "reward.edit", made.code, before, after, now)

        try:
            await tx(run)
        except ApiError:
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such reward."))
        return RedirectResponse(f"{PREFIX}/rewards/{quote(made.code)}?done=saved", status_code=303,
                                headers=SECURITY_HEADERS)

    @router.post("/rewards/{code}/retire", response_model=None)
    async def retire_reward(request: Request, code: str) -> Response:
        session, refusal, form = await guard(request, "rewards.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        retire = form.get("action") != "restore"
        if retire and form.get("confirm") != "yes":
            return await reward_page(request, session, code[:64], 422, error=_(
                "Not retired: tick the box to confirm."))
        now = settings.clock()

        def run(c: Connection) -> None:
            before, after = rewards.set_active(c, code[:64], not retire, session.user.username)
            auth.audit(c, session.user.username, "reward.retire" if retire else "reward.restore", code[:64],
                       before, after, now)

        try:
            await tx(run)
        except ApiError:
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such reward."))
        return RedirectResponse(f"{PREFIX}/rewards/{quote(code[:64])}?done={'retired' if retire else 'restored'}",
                                status_code=303, headers=SECURITY_HEADERS)

    @router.post("/rewards/{code}/stock", response_model=None)
    async def reward_stock(request: Request, code: str) -> Response:
        session, refusal, form = await guard(request, "rewards.stock", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        branch = form.get("branch", "").strip().upper()[:32]
        mode = form.get("mode", "")
        if session.user.limited_to_branches and branch not in session.user.branches:
            # another branch's stock is not an area manager's to know or set
            return render(request, "message.html", 404, session, title=_("Not found"), message=_("No such branch."))
        try:
            quantity = int(form.get("quantity", "").strip().replace(",", ""))
        except ValueError:
            quantity = -1
        now = settings.clock()

        def run(c: Connection) -> None:
            before, after = rewards.change_stock(c, code[:64], branch, quantity, mode, now)
            auth.audit(c, session.user.username, "reward.stock", code[:64], {"branch": branch, "stock": before},
                       {"branch": branch, "stock": after, "mode": mode, "quantity": quantity}, now)

        try:
            await tx(run)
        except ApiError as exc:
            if exc.code in ("unknown_reward", "unknown_branch"):
                return render(request, "message.html", 404, session, title=_("Not found"),
                              message=_("No such reward.") if exc.code == "unknown_reward" else _("No such branch."))
            message = {"bad_quantity": _("Not saved: write a whole number from 0 to 1,000,000 (a delivery at "
                                         "least 1)."),
                       "not_per_branch": _("This reward is not counted per branch: choose “counted per branch” "
                                           "first."),
                       "bad_mode": _("Choose Set or Add delivery.")}.get(exc.code, exc.message)
            return await reward_page(request, session, code[:64], 409 if exc.code == "not_per_branch" else 422,
                                     error=message)
        return RedirectResponse(f"{PREFIX}/rewards/{quote(code[:64])}?done=stock", status_code=303,
                                headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ vouchers: batches, status, void, conflicts
    @router.get("/vouchers", response_model=None)
    async def vouchers_list(request: Request) -> Response:
        session, refusal, _ = await guard(request, "vouchers")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        lang = lang_of(request)
        data: dict[str, Any] = await tx(lambda c: {"batches": _voucher_batches(c, settings.clock(), lang),
                                                   "conflicts": _voucher_conflicts(c, None)})
        return render(request, "vouchers.html", session=session, notice=request.query_params.get("done"), **data)

    async def batch_page(request: Request, session: auth.Session, batch_id: str, status: int = 200,
                         **extra: Any) -> Response:
        lang = lang_of(request)
        try:
            page = max(1, int(request.query_params.get("page") or 1))
        except ValueError:
            page = 1

        def load(c: Connection) -> dict[str, Any] | None:
            found = _voucher_batches(c, settings.clock(), lang, batch_id)
            if not found:
                return None
            codes = _batch_codes(c, batch_id, settings.clock(), page)
            return {"batch": found[0], "codes": codes, "page": page, "conflicts": _voucher_conflicts(c, batch_id),
                    "pages": max(1, -(-found[0]["count"] // BATCH_PAGE))}

        data = await tx(load)
        if data is None:
            _ = _translator(lang)
            return render(request, "message.html", 404, session, title=_("Not found"),
                          message=_("No such voucher batch."))
        return render(request, "voucher_batch.html", status, session, **data, **extra)

    @router.get("/vouchers/{batch_id}", response_model=None)
    async def voucher_batch(request: Request, batch_id: str) -> Response:
        session, refusal, _ = await guard(request, "vouchers")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        return await batch_page(request, session, batch_id[:36], notice=request.query_params.get("done"))

    @router.get("/vouchers/{batch_id}/status.csv", response_model=None)
    async def voucher_batch_csv(request: Request, batch_id: str) -> Response:
        session, refusal, _ = await guard(request, "vouchers")
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        import csv
        import io

        def load(c: Connection) -> list[dict[str, Any]] | None:
            if not _voucher_batches(c, settings.clock(), "en", batch_id[:36]):
                return None
            return _batch_codes(c, batch_id[:36], settings.clock(), None)

        rows = await tx(load)
        if rows is None:
            _ = _translator(lang_of(request))
            return render(request, "message.html", 404, session, title=_("Not found"),
                          message=_("No such voucher batch."))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["voucher_id", "status", "kind", "face_value_satang", "valid_until", "used_at", "terminal_id",
                         "conflicts"])
        for r in rows:
            writer.writerow([r["id"], r["status"], r["kind"], r["face_value_satang"], r["valid_until"], r["used_at"],
                             _csv_cell(r["terminal_id"]), r["conflicts"]])
        name = f"vouchers-{batch_id[:36]}.csv"
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    @router.post("/vouchers/{batch_id}/void", response_model=None)
    async def void_voucher_batch(request: Request, batch_id: str) -> Response:
        session, refusal, form = await guard(request, "vouchers.write", post=True)
        if refusal is not None or session is None:
            return refusal  # type: ignore[return-value]
        _ = _translator(lang_of(request))
        batch_id = batch_id[:36]
        if form.get("confirm") != "yes":
            return await batch_page(request, session, batch_id, 422, error=_(
                "Not voided: tick the box to confirm. Vouchers already used stay used."))
        now = settings.clock()

        def run(c: Connection) -> int:
            from sync.server import vouchers as vsvc

            found = _voucher_batches(c, now, "en", batch_id)
            if not found:
                raise ApiError(404, "unknown_batch", "no such batch")
            voided = vsvc.void_batch(c, batch_id, f"console:{session.user.username}", now)
            after = _voucher_batches(c, now, "en", batch_id)[0]
            auth.audit(c, session.user.username, "vouchers.void", batch_id, {"counts": found[0]["counts"]},
                       {"counts": after["counts"], "voided": voided}, now)
            return voided

        try:
            await tx(run)
        except ApiError:
            return render(request, "message.html", 404, session, title=_("Not found"),
                          message=_("No such voucher batch."))
        return RedirectResponse(f"{PREFIX}/vouchers/{quote(batch_id)}?done=voided", status_code=303,
                                headers=SECURITY_HEADERS)

    app.include_router(router)


ROLE_LABELS = {
    "admin": N_("administrator"), "marketing": N_("marketing"), "operations": N_("operations"),
    "support": N_("customer support"), "area": N_("area manager"), "readonly": N_("read-only"),
}

_LOGIN_ERRORS = {
    "bad_credentials": N_("Wrong user name or password."),
    "locked": N_("Too many failed sign-ins: this account is locked for a while. Try again later or ask an "
                 "administrator."),
    "address_locked": N_("Too many failed sign-ins from this network address: wait a while and try again, or ask "
                         "an administrator."),
}


def _safe_next(value: str | None) -> str:
    """Only a path inside the console (no open redirect to another site)."""
    if value and value.startswith(PREFIX + "/") and "//" not in value and "\\" not in value:
        return value
    return f"{PREFIX}/dashboard"


# ====================================================================================== queries (Connection)

def _dashboard(conn: Connection, user: auth.User, start: date, end: date,
               members_count: Callable[[Connection], int]) -> dict[str, Any]:
    """Points issued, redeemed and expired per day (Bangkok time) and per branch, from the totals the server
    keeps (sync/server/summaries.py), added up in the database: a few hundred rows whatever the size of the
    ledger (bench/bench_dashboard.py)."""
    per_day: dict[date, dict[str, int]] = {start + timedelta(days=i): defaultdict(int)
                                           for i in range((end - start).days + 1)}
    per_branch: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    buckets = {"earn": "issued", "redeem": "redeemed", "expire": "expired"}
    # corrections, returns, adjustments: in the outstanding total, not in these columns
    only = user.branches if user.limited_to_branches else None
    for day, kind, points in summaries.sums(conn, start, end, "day", tuple(buckets), only):
        per_day[day][buckets[kind]] += points
    for branch, kind, points in summaries.sums(conn, start, end, "branch", tuple(buckets), only):
        per_branch[branch][buckets[kind]] += points
    outstanding = summaries.outstanding(conn)
    members = members_count(conn)
    active_since = datetime.now(UTC) - timedelta(days=1)
    terminals = int(conn.execute(select(func.count()).select_from(m.terminals).where(
        m.terminals.c.revoked_at.is_(None), m.terminals.c.last_seen_at >= active_since)).scalar_one())
    bundle = svc._rules_bundle(conn, _active_rules_version(conn))
    satang_per_point = bundle.discount.satang_per_point if bundle is not None else 25
    days: list[dict[str, Any]] = [{"day": d, **{k: v.get(k, 0) for k in ("issued", "redeemed", "expired")}} for d, v in per_day.items()]
    peak = max([1] + [max(d["issued"], d["redeemed"], d["expired"]) for d in days])
    return {"days": days, "peak": peak,
            "branches": sorted(({"branch": b, **{k: v.get(k, 0) for k in ("issued", "redeemed", "expired")}}
                                for b, v in per_branch.items()), key=lambda r: r["branch"]),
            "totals": {k: sum(d[k] for d in days) for k in ("issued", "redeemed", "expired")},
            "outstanding": outstanding, "liability_satang": outstanding * satang_per_point,
            "members_count": members, "active_terminals": terminals}


def _rewards(conn: Connection, user: auth.User, now: datetime) -> list[dict[str, Any]]:
    """The catalogue with each reward's state and stock per branch (an area manager's branches only)."""
    rows = rewards.catalogue(conn, tuple(user.branches) if user.limited_to_branches else None, now)
    for r in rows:
        r["from_text"] = rules_form.show_bangkok(r["active_from"]).replace("T", " ") if r["active_from"] else ""
        r["until_text"] = rules_form.show_bangkok(r["active_until"]).replace("T", " ") if r["active_until"] else ""
    return rows


BATCH_PAGE = 100
VOUCHER_STATUSES = ("issued", "reserved", "used", "expired", "void")


def _voucher_status(now: datetime) -> Any:
    """A voucher's status as the counters are told it (sync/server/vouchers._state): "expired" is read from its
    validity, and a reservation that lapsed is issued again (or expired)."""
    from sqlalchemy import and_, case

    v = m.vouchers.c
    lapsed = and_(v.status == "reserved", v.reserved_until.is_not(None), v.reserved_until <= now)
    return case((and_(v.status == "issued", v.valid_until <= now), "expired"),
                (and_(lapsed, v.valid_until <= now), "expired"),
                (lapsed, "issued"), else_=v.status)


def _voucher_batches(conn: Connection, now: datetime, lang: str, batch_id: str | None = None) -> list[dict[str, Any]]:
    """Voucher batches, newest first, with their counts per status and their conflicts (second uses)."""
    from pos_app.core import vouchers as cv

    query = select(m.voucher_batches).order_by(m.voucher_batches.c.created_at.desc())
    if batch_id is not None:
        query = query.where(m.voucher_batches.c.id == batch_id)
    batches = conn.execute(query.limit(500)).all()
    if not batches:
        return []
    ids = [b.id for b in batches]
    status = _voucher_status(now).label("state")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(VOUCHER_STATUSES, 0))
    for row in conn.execute(select(m.vouchers.c.batch_id, status, func.count()).where(
            m.vouchers.c.batch_id.in_(ids)).group_by(m.vouchers.c.batch_id, status)):
        counts[row[0]][str(row[1])] = int(row[2])
    conflicts: dict[str, int] = {str(batch): int(n) for batch, n in conn.execute(
        select(m.vouchers.c.batch_id, func.count()).select_from(m.voucher_uses.join(
            m.vouchers, m.vouchers.c.id == m.voucher_uses.c.voucher_id))
        .where(m.voucher_uses.c.conflict.is_(True), m.vouchers.c.batch_id.in_(ids))
        .group_by(m.vouchers.c.batch_id))}
    out = []
    for b in batches:
        try:
            with using_language(lang):
                benefit = cv.parse_benefit(b.benefit).describe()
        except Exception:  # noqa: BLE001 - an unreadable benefit is shown as stored
            benefit = b.benefit
        out.append({"id": b.id, "campaign": b.campaign, "benefit": benefit, "count": int(b._mapping["count"]),
                    "valid_from": rules_form.show_bangkok(b.valid_from).replace("T", " "),
                    "valid_until": rules_form.show_bangkok(b.valid_until).replace("T", " "),
                    "branch": b.branch_id or "", "created_at": rules_form.show_bangkok(b.created_at).replace("T", " "),
                    "voided_at": rules_form.show_bangkok(b.voided_at).replace("T", " ") if b.voided_at else "",
                    "voided_by": b.voided_by or "", "counts": counts[b.id], "conflicts": int(conflicts.get(b.id, 0))})
    return out


def _batch_codes(conn: Connection, batch_id: str, now: datetime, page: int | None) -> list[dict[str, Any]]:
    """A batch's vouchers with their status (``page``: BATCH_PAGE of them, by voucher id; None: all)."""
    status = _voucher_status(now).label("state")
    query = (select(m.vouchers.c.id, m.vouchers.c.kind, m.vouchers.c.face_value_satang, m.vouchers.c.valid_until,
                    m.vouchers.c.used_at, m.vouchers.c.terminal_id, m.vouchers.c.owner_member_id, status)
             .where(m.vouchers.c.batch_id == batch_id).order_by(m.vouchers.c.id))
    if page is not None:
        query = query.limit(BATCH_PAGE).offset((page - 1) * BATCH_PAGE)
    rows = conn.execute(query).all()
    conflicts: dict[str, int] = {str(v): int(n) for v, n in conn.execute(
        select(m.voucher_uses.c.voucher_id, func.count()).where(
            m.voucher_uses.c.conflict.is_(True), m.voucher_uses.c.voucher_id.in_([r.id for r in rows]))
        .group_by(m.voucher_uses.c.voucher_id))} if rows else {}
    return [{"id": r.id, "kind": r.kind, "face_value_satang": int(r.face_value_satang), "status": r.state,
             "valid_until": rec.format_utc(r.valid_until), "used_at": rec.format_utc(r.used_at) if r.used_at else "",
             "terminal_id": r.terminal_id or "" if r.state in ("reserved", "used") else "",
             "owner": r.owner_member_id or "", "conflicts": int(conflicts.get(r.id, 0))} for r in rows]


def _voucher_conflicts(conn: Connection, batch_id: str | None) -> list[dict[str, Any]]:
    """Second uses of one voucher (two counters honoured it offline): the loss a manager looks at."""
    query = (select(m.voucher_uses, m.vouchers.c.batch_id, m.voucher_batches.c.campaign)
             .join(m.vouchers, m.vouchers.c.id == m.voucher_uses.c.voucher_id)
             .join(m.voucher_batches, m.voucher_batches.c.id == m.vouchers.c.batch_id)
             .where(m.voucher_uses.c.conflict.is_(True)).order_by(m.voucher_uses.c.received_at.desc()).limit(200))
    if batch_id is not None:
        query = query.where(m.vouchers.c.batch_id == batch_id)
    return [{"voucher_id": r.voucher_id, "batch_id": r.batch_id, "campaign": r.campaign, "terminal_id": r.terminal_id,
             "value_satang": int(r.value_satang), "receipt_ref": r.receipt_ref or "", "offline": r.offline,
             "sale_at": rules_form.show_bangkok(r.sale_at).replace("T", " ")} for r in conn.execute(query)]


def _report_rows(conn: Connection, user: auth.User, start: date, end: date) -> list[dict[str, Any]]:
    """Points issued, redeemed and expired per Bangkok day and branch (days and branches with any), from the
    totals the server keeps; an area manager's rows are their branches only."""
    rows: dict[tuple[date, str], dict[str, Any]] = {}
    for day, branch, kind, points, _count in summaries.totals(conn, start, end):
        bucket = {"earn": "issued", "redeem": "redeemed", "expire": "expired"}.get(kind)
        if bucket is None or (user.limited_to_branches and branch not in user.branches):
            continue
        row = rows.setdefault((day, branch), {"day": day, "branch": branch, "issued": 0, "redeemed": 0, "expired": 0})
        row[bucket] += abs(points) if bucket != "issued" else points
    return [rows[k] for k in sorted(rows)]


def _csv_cell(text: str) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _find_one_member(conn: Connection, ref: str) -> str:
    """A member by id, phone (any form the counters accept) or card number; refused when none or several."""
    from pos_app.core.cardno import normalize_card_number
    from pos_app.core.errors import PhoneError
    from pos_app.core.phone import normalize_phone

    if not ref:
        raise ApiError(404, "unknown_member", "no member")
    conds: list[Any] = [m.members.c.id == ref[:36]]
    try:
        conds.append(m.members.c.phone == normalize_phone(ref))
    except PhoneError:
        pass
    digits = "".join(ch for ch in ref if ch.isdigit())
    if len(digits) == 16:
        conds.append(m.members.c.card_no == normalize_card_number(digits))
    found = conn.execute(select(m.members.c.id).where(or_(*conds), m.members.c.placeholder.is_(False))
                         .limit(3)).scalars().all()
    by_id = [f for f in found if f == ref]
    if by_id:
        return str(by_id[0])
    if not found:
        raise ApiError(404, "unknown_member", "no member")
    if len(found) > 1:
        raise ApiError(409, "ambiguous", "several members")
    return str(found[0])


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
            if not backup or now - rec.parse_utc(str(backup)) > BACKUP_STALE:
                problems.append(N_("no recent backup"))
            if beat.get("free_disk_mb") is not None and int(beat["free_disk_mb"]) < LOW_DISK_MB:  # type: ignore[call-overload]
                problems.append(N_("disk nearly full"))
        out.append({"id": r.id, "branch": r.branch, "name": r.name, "version": r.app_version or "?",
                    "revoked": r.revoked_at is not None,
                    "last_seen": r.last_seen_at.strftime("%Y-%m-%d %H:%M") if r.last_seen_at else "",
                    "ack_seq": r.applied_seq, "problems": problems, "waiting": beat.get("records_waiting"),
                    "printer": beat.get("printer", ""), "camera": beat.get("camera", ""),
                    "doctor": beat.get("doctor", ""),
                    "backup": str(beat.get("last_backup") or "")[:16].replace("T", " ")})
    return out


def _qr_data_uri(text: str) -> str:
    """``text`` as a QR code (SVG, as a data: URI the page's CSP allows) for the installer to scan."""
    import base64
    import io

    import qrcode
    import qrcode.constants
    import qrcode.image.svg

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(text)
    out = io.BytesIO()
    qr.make_image().save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _version_key(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
