"""``loyalty-server``: run and administer the central loyalty server.

The admin commands talk to the database directly (``LOYALTY_DATABASE_URL`` or ``--database-url``), using the
same use cases as the admin HTTP API. Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Connection, select

from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server import vouchers as vsvc
from sync.server.config import Settings
from sync.server.errors import ApiError

T = TypeVar("T")


class Ctx:
    def __init__(self, database_url: str | None, as_json: bool) -> None:
        self.database_url = database_url
        self.as_json = as_json
        self._engine: Any = None
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings.from_env(self.database_url)
            except (ValueError, OSError) as exc:
                raise click.UsageError(str(exc)) from exc
        return self._settings

    def tx(self, fn: Callable[[Connection], T]) -> T:
        from sync.server.app import run_tx
        from sync.server.db import make_engine

        if self._engine is None:
            self._engine = make_engine(self.settings.database_url, 2)
        try:
            return run_tx(self._engine, fn)
        except ApiError as exc:
            raise click.ClickException(f"{exc.message} ({exc.code})") from exc

    def emit(self, data: Any, text: str | None = None) -> None:
        if self.as_json or text is None:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            click.echo(text)


pass_ctx = click.make_pass_decorator(Ctx)


@click.group()
@click.option("--database-url", envvar="LOYALTY_DATABASE_URL", help="SQLAlchemy URL of the server database.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, as_json: bool) -> None:
    """Central loyalty server: sync API for the counters, plus administration."""
    ctx.obj = Ctx(database_url, as_json)


@cli.command()
@pass_ctx
def migrate(ctx: Ctx) -> None:
    """Create or upgrade the database schema (Alembic)."""
    from sync.server.db import migrate as do_migrate

    do_migrate(ctx.settings.database_url)
    click.echo("database is at the newest schema")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes (PostgreSQL only).")
@click.option("--demo", is_flag=True, help="Start on a fresh SQLite database with demo data.")
@click.option("--demo-dir", type=click.Path(path_type=Path), help="Where the demo database goes (default: temp).")
@click.option("--expiry-interval", type=click.IntRange(min=0), default=None,
              help="Seconds between points-expiry runs (default: LOYALTY_EXPIRY_INTERVAL or 3600; 0 = off).")
@pass_ctx
def serve(ctx: Ctx, host: str, port: int, workers: int, demo: bool, demo_dir: Path | None,
          expiry_interval: int | None) -> None:
    """Serve the HTTP API (and run the periodic points-expiry job)."""
    import dataclasses
    import logging
    import os

    if expiry_interval is not None:
        os.environ["LOYALTY_EXPIRY_INTERVAL"] = str(expiry_interval)  # also for --workers child processes
    interval = int(os.environ.get("LOYALTY_EXPIRY_INTERVAL", "3600"))

    import uvicorn

    from sync.server.app import create_app
    from sync.server.db import make_engine
    from sync.server.db import migrate as do_migrate

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from sync.server.app import server_speaks_english

    server_speaks_english()
    if demo:
        from sync.server.demo import demo_settings, seed_demo

        directory = demo_dir or Path(tempfile.mkdtemp(prefix="loyalty-demo-"))
        settings = dataclasses.replace(demo_settings(directory), expiry_interval_seconds=interval)
        db_file = Path(settings.database_url.removeprefix("sqlite:///"))
        fresh = not db_file.exists()
        do_migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        if fresh:
            info = seed_demo(engine, settings)
            click.echo(f"Demo server on http://{host}:{port}  (database {db_file})")
            click.echo(f"  branch {info.branch}; staff: cashier PIN 1111, manager PIN 9999 (demo-only PINs)")
            for i, code in enumerate(info.enrollment_codes, 1):
                click.echo(f"  enrollment code for terminal {i}: {code}")
            click.echo(f"  admin token: {info.admin_token}")
            click.echo(f"  e.g. pos-terminal enroll --server http://{host}:{port} --code {info.enrollment_codes[0]}")
        from sync.server.demo import DEMO_CONSOLE_PASSWORD, DEMO_CONSOLE_USER, seed_demo_console

        seed_demo_console(engine, settings)
        click.echo(f"console: http://{host}:{port}/console/ user {DEMO_CONSOLE_USER} "
                   f"password {DEMO_CONSOLE_PASSWORD}")
        uvicorn.run(create_app(settings, engine, own_process=True), host=host, port=port, log_level="info")
        return
    settings = ctx.settings
    if workers > 1:
        os.environ.setdefault("LOYALTY_DATABASE_URL", settings.database_url)
        uvicorn.run("sync.server.app:app_from_env", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(create_app(settings, own_process=True), host=host, port=port)


@cli.command()
@click.option("--now", "now_text", metavar="ISO", help="Expire as of this UTC time (e.g. 2027-01-01T00:00:00Z); "
              "default: the current time.")
@pass_ctx
def expire(ctx: Ctx, now_text: str | None) -> None:
    """Expire due points now (the same job ``serve`` runs periodically; safe to run beside it)."""
    from sync.server.db import make_engine
    from sync.server.expiry import expire_points

    now = None
    if now_text:
        from datetime import UTC, datetime

        try:
            parsed = datetime.fromisoformat(now_text.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise click.BadParameter(f"not an ISO time: {now_text}", param_hint="--now") from exc
        now = (parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed).astimezone(UTC)
    engine = make_engine(ctx.settings.database_url, 2)
    try:
        result = expire_points(engine, now)
    finally:
        engine.dispose()
    if not result.ran:
        ctx.emit(result.as_dict(), "another server process is running the expiry job right now; nothing done")
        return
    text = (f"expired {result.points} points in {result.entries} grants of {result.members_expired} members "
            f"(checked {result.members_checked}; rules v{result.rules_version}, {result.months} months)")
    if result.months is None:
        text = "points never expire under the active rules (or there are no rules): nothing to do"
    if result.skipped_with_holds:
        text += f"; {result.skipped_with_holds} members with a pending online redemption left for the next run"
    if result.failed:
        text += f"; {len(result.failed)} members could not be replayed (see the log): {', '.join(result.failed[:5])}"
    ctx.emit(result.as_dict(), text)


# ----------------------------------------------------------------------------------------------- branch


@cli.group()
def branch() -> None:
    """Branches."""


@branch.command("add")
@click.argument("code")
@click.argument("name")
@pass_ctx
def branch_add(ctx: Ctx, code: str, name: str) -> None:
    ctx.tx(lambda c: svc.add_branch(c, code, name, svc.utcnow()))
    ctx.emit({"code": code.upper()}, f"branch {code.upper()} added")


@branch.command("list")
@pass_ctx
def branch_list(ctx: Ctx) -> None:
    rows = ctx.tx(svc.list_branches)
    ctx.emit(rows, "\n".join(f"{r['code']}\t{r['name']}" for r in rows) or "no branches")


# ----------------------------------------------------------------------------------------------- terminal


@cli.group()
def terminal() -> None:
    """Terminals: enrollment codes, list, revoke."""


@terminal.command("code")
@click.argument("branch_code")
@click.option("--hours", default=None, type=click.IntRange(1, 24 * 30),
              help="Lifetime of the code (default: LOYALTY_ENROLL_CODE_HOURS or 24).")
@pass_ctx
def terminal_code(ctx: Ctx, branch_code: str, hours: int | None) -> None:
    """Issue a one-time enrollment code for BRANCH_CODE."""
    hours = hours or ctx.settings.enroll_code_hours
    code, expires = ctx.tx(lambda c: svc.issue_enrollment_code(c, branch_code, svc.utcnow(), hours))
    ctx.emit({"code": code, "expires_at": p.format_utc(expires)},
             f"enrollment code {code} (branch {branch_code.upper()}, single use, expires {p.format_utc(expires)})")


@terminal.command("list")
@pass_ctx
def terminal_list(ctx: Ctx) -> None:
    rows = ctx.tx(svc.list_terminals)
    ctx.emit(rows, "\n".join(
        f"{r['id']}\t{r['branch_id']}\tack={r['ack_seq']}\t{'REVOKED' if r['revoked'] else 'active'}\t"
        f"version {r['app_version'] or '?'}\tcredential until {r['credential_expires_at'][:10]}\t"
        f"last seen {r['last_seen_at']}" for r in rows) or "no terminals")


@terminal.command("revoke")
@click.argument("terminal_id")
@pass_ctx
def terminal_revoke(ctx: Ctx, terminal_id: str) -> None:
    ctx.tx(lambda c: svc.revoke_terminal(c, terminal_id, svc.utcnow()))
    ctx.emit({"revoked": terminal_id}, f"terminal {terminal_id} revoked")


@cli.command("summaries")
@pass_ctx
def summaries_cmd(ctx: Ctx) -> None:
    """Bring the dashboard's totals up to date now (serve does it every minute; after an upgrade on a large
    ledger this is the first build, safe to run beside serve)."""
    from sync.server.db import make_engine
    from sync.server.summaries import refresh_all

    engine = make_engine(ctx.settings.database_url, 2)
    try:
        result = refresh_all(engine, max_rows=10**12)
    finally:
        engine.dispose()
    ctx.emit({"entries_added": result.rows, "caught_up": result.caught_up},
             f"dashboard totals: {result.rows:,} entries added" + ("" if result.caught_up else " (still catching up)"))


# ----------------------------------------------------------------------------------------------- console users


@cli.group("admin-user")
def admin_user() -> None:
    """Head-office accounts of the web console (/console/): roles, argon2 password hashes."""


@admin_user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "marketing", "operations", "support", "area", "readonly"]),
              required=True, help="What the account may do (docs/console.md)")
@click.option("--branch", "branches", multiple=True, help="Area manager: a branch code (repeat for several)")
@click.option("--display-name", help="Shown in the console (default: the user name)")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts)")
@pass_ctx
def admin_user_add(ctx: Ctx, username: str, role: str, branches: tuple[str, ...], display_name: str | None,
                   password_stdin: bool) -> None:
    """Create a console account. The password is asked twice on a hidden prompt (12+ characters)."""
    import sys

    from sync.server.console.auth import ConsoleError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = ctx.tx(lambda c: add_user(c, username, password, role, svc.utcnow(), display_name=display_name,
                                         branches=branches, by="cli"))
    except ConsoleError as exc:
        raise click.ClickException(exc.message) from exc
    ctx.emit({"username": user.username, "role": user.role, "branches": list(user.branches)},
             f"console user {user.username} ({user.role}) created")


@admin_user.command("list")
@pass_ctx
def admin_user_list(ctx: Ctx) -> None:
    """Console accounts (never their password hashes)."""
    from sqlalchemy import select

    from sync.server import models as m

    rows = ctx.tx(lambda c: [dict(r) for r in c.execute(select(
        m.console_users.c.username, m.console_users.c.display_name, m.console_users.c.role,
        m.console_users.c.branches, m.console_users.c.active).order_by(m.console_users.c.username)).mappings()])
    ctx.emit(rows, "\n".join(f"{r['username']:24} {r['role']:10} {r['branches'] or '-':16} "
                             f"{'active' if r['active'] else 'disabled'}" for r in rows) or "no console users")


# ----------------------------------------------------------------------------------------------- staff


@cli.group()
def staff() -> None:
    """Staff and their PINs (stored as argon2 hashes)."""


@staff.command("set")
@click.argument("staff_id")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["cashier", "manager"]), required=True)
@click.option("--pin", help="4-8 digits, managers 6+; not one digit repeated or a run such as 1234 "
              "(omit to keep the current PIN)")
@click.option("--branch", "branch_code", help="Limit to one branch (default: every branch)")
@click.option("--inactive", is_flag=True)
@pass_ctx
def staff_set(ctx: Ctx, staff_id: str, name: str, role: str, pin: str | None, branch_code: str | None,
              inactive: bool) -> None:
    ctx.tx(lambda c: svc.upsert_staff(c, staff_id, name, role, pin, branch_code, not inactive))
    ctx.emit({"staff_id": staff_id}, f"staff {staff_id} saved")


@staff.command("unlock")
@click.argument("staff_id")
@click.option("--by", required=True, help="Who at head office unlocks it (kept on the resolved lockout flags)")
@pass_ctx
def staff_unlock(ctx: Ctx, staff_id: str, by: str) -> None:
    """Unlock STAFF_ID's PIN on every terminal (after too many wrong PINs); terminals pull it with sync."""
    ctx.tx(lambda c: svc.unlock_staff(c, staff_id, by, svc.utcnow()))
    ctx.emit({"unlocked": staff_id}, f"staff {staff_id} unlocked on every terminal (applied at their next sync)")


@staff.command("disable")
@click.argument("staff_id")
@pass_ctx
def staff_disable(ctx: Ctx, staff_id: str) -> None:
    """Disable STAFF_ID everywhere: every terminal refuses their PIN after its next sync."""
    def run(c: Connection) -> None:
        row = c.execute(select(m.staff).where(m.staff.c.id == staff_id)).first()
        if row is None:
            raise ApiError(404, "unknown_staff", f"no staff member {staff_id}")
        svc.upsert_staff(c, staff_id, row.name, row.role, None, row.branch_id, active=False)

    ctx.tx(run)
    ctx.emit({"disabled": staff_id}, f"staff {staff_id} disabled on every terminal (applied at their next sync)")


@staff.command("audit")
@click.option("--terminal", "terminal_id")
@click.option("--staff", "staff_id")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@pass_ctx
def staff_audit(ctx: Ctx, terminal_id: str | None, staff_id: str | None, limit: int) -> None:
    """Audit records from the terminals, newest first: wrong PINs, lockouts, unlocks, PIN changes, approvals."""
    rows = ctx.tx(lambda c: svc.list_audit(c, terminal_id, staff_id, limit))
    ctx.emit(rows, "\n".join(f"{r['at']}\t{r['terminal_id']}\t{r['event']}\t{r['purpose'] or '-'}\t"
                             f"staff={r['staff_id'] or '-'}\t{json.dumps(r['details'], ensure_ascii=False)[:100]}"
                             for r in rows) or "no audit records")


@staff.command("list")
@pass_ctx
def staff_list(ctx: Ctx) -> None:
    rows = ctx.tx(lambda c: [dict(r._mapping) for r in c.execute(
        select(m.staff.c.id, m.staff.c.name, m.staff.c.role, m.staff.c.branch_id, m.staff.c.active))])
    ctx.emit(rows, "\n".join(f"{r['id']}\t{r['role']}\t{r['name']}\t{r['branch_id'] or '*'}"
                             + ("" if r["active"] else "\tinactive") for r in rows) or "no staff")


# ----------------------------------------------------------------------------------------------- member


@cli.group()
def member() -> None:
    """Members: show, find, merge duplicates, adjust, export and erase (PDPA)."""


@member.command("show")
@click.argument("member_id")
@pass_ctx
def member_show(ctx: Ctx, member_id: str) -> None:
    state = ctx.tx(lambda c: svc.member_state(c, member_id))
    ctx.emit(state.model_dump(), json.dumps(state.model_dump(), ensure_ascii=False, indent=2))


@member.command("find")
@click.option("--phone")
@click.option("--card-no")
@pass_ctx
def member_find(ctx: Ctx, phone: str | None, card_no: str | None) -> None:
    rows = ctx.tx(lambda c: svc.find_members(c, phone, card_no))
    ctx.emit([r.model_dump() for r in rows], "\n".join(
        f"{r.id}\t{r.card_no}\t{r.phone}\t{r.name}\tbalance={r.balance}"
        + ("" if not r.merged_into else f" merged into {r.merged_into}") for r in rows) or "no members")


@member.command("merge")
@click.argument("source_id")
@click.option("--into", "target_id", required=True)
@click.option("--by", required=True, help="Manager who approves the merge")
@pass_ctx
def member_merge(ctx: Ctx, source_id: str, target_id: str, by: str) -> None:
    state = ctx.tx(lambda c: svc.merge_members(c, source_id, target_id, by, svc.utcnow()))
    ctx.emit(state.model_dump(), f"merged {source_id} into {target_id}; balance now {state.balance}")


@member.command("resign")
@click.option("--key-id", help="Re-sign codes signed by this key (default: members without a code)")
@pass_ctx
def member_resign(ctx: Ctx, key_id: str | None) -> None:
    """Sign member codes again with the active key (after a key revocation, or when codes are missing)."""
    total = 0
    while True:
        n = ctx.tx(lambda c: svc.resign_member_codes(c, ctx.settings, svc.utcnow(), key_id))
        total += n
        if n == 0:
            break
    ctx.emit({"resigned": total}, f"{total} member codes signed with the active key")


@member.command("adjust")
@click.argument("member_id")
@click.argument("points", type=int)
@click.option("--reason", required=True)
@click.option("--by", required=True)
@pass_ctx
def member_adjust(ctx: Ctx, member_id: str, points: int, reason: str, by: str) -> None:
    state = ctx.tx(lambda c: svc.adjust_member(c, member_id, points, reason, by, svc.utcnow()))
    ctx.emit(state.model_dump(), f"adjusted; balance now {state.balance}")


@member.command("export")
@click.argument("member_id")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for member-ID.json and member-ID.pdf (created if missing)")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True, help="Language of the PDF")
@pass_ctx
def member_export(ctx: Ctx, member_id: str, out_dir: Path, lang: str) -> None:
    """Everything held about a member (PDPA right of access): a JSON and a readable PDF (phone masked)."""
    from sync.server.privacy import member_export as export_of
    from sync.server.privacy import render_pdf

    data = ctx.tx(lambda c: export_of(c, member_id, svc.utcnow()))
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, pdf_path = out_dir / f"member-{member_id}.json", out_dir / f"member-{member_id}.pdf"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    pdf_path.write_bytes(render_pdf(data, lang))
    ctx.emit({"json": str(json_path), "pdf": str(pdf_path), "entries": len(data["entries"])},
             f"wrote {json_path} and {pdf_path} ({len(data['entries'])} entries)")


@member.command("inactive")
@click.option("--months", type=click.IntRange(1, 1200), default=24, show_default=True,
              help="Flag members with no activity for this many months")
@pass_ctx
def member_inactive(ctx: Ctx, months: int) -> None:
    """Flag members inactive for MONTHS for a retention review (PDPA: keep personal data no longer than needed)."""
    from sync.server.privacy import flag_inactive_members

    total = 0
    while True:
        n = ctx.tx(lambda c: flag_inactive_members(c, svc.utcnow(), months))
        total += n
        if n == 0:
            break
    ctx.emit({"flagged": total, "months": months},
             f"{total} members inactive for {months} months or more flagged for review (flags list --kind "
             "retention_review)")


@member.command("erase")
@click.argument("member_id")
@click.option("--reason", required=True, help="Why (e.g. the member's request and its reference); no personal data")
@click.option("--by", default="head office", show_default=True, help="Who carried out the erasure")
@click.option("--vacuum-full", is_flag=True,
              help="Also rewrite the tables (VACUUM FULL: removes freed bytes from the files; locks the tables)")
@pass_ctx
def member_erase(ctx: Ctx, member_id: str, reason: str, by: str, vacuum_full: bool) -> None:
    """Erase a member's personal data (PDPA): name, phone and member code, here and, through sync, on every
    terminal. The points, entries and balance stay; the member's card and codes are refused from then on."""
    from sync.server.db import scrub_after_erasure

    done = ctx.tx(lambda c: svc.erase_member(c, member_id, reason, by, svc.utcnow()))
    scrub_after_erasure(ctx._engine, full=vacuum_full)
    ctx.emit({"erased": done.member_id, "at": done.at.isoformat(), "balance": done.balance,
              "scrubbed": done.scrubbed},
             f"erased the personal data of member {done.member_id} (balance {done.balance} points kept); "
             "terminals erase their copy at their next sync")


# ----------------------------------------------------------------------------------------------- reward


@cli.group()
def reward() -> None:
    """Rewards catalogue."""


@reward.command("set")
@click.argument("code")
@click.option("--name-th", required=True)
@click.option("--name-en", required=True)
@click.option("--cost", type=click.IntRange(1), required=True, help="Points")
@click.option("--stock", type=click.IntRange(0))
@click.option("--inactive", is_flag=True)
@pass_ctx
def reward_set(ctx: Ctx, code: str, name_th: str, name_en: str, cost: int, stock: int | None,
               inactive: bool) -> None:
    info = p.RewardInfo(code=code, name_th=name_th, name_en=name_en, points_cost=cost, stock=stock,
                        active=not inactive)
    ctx.tx(lambda c: svc.upsert_reward(c, info))
    ctx.emit(info.model_dump(), f"reward {code} saved")


@reward.command("list")
@pass_ctx
def reward_list(ctx: Ctx) -> None:
    rows = ctx.tx(lambda c: [dict(r._mapping) for r in c.execute(select(m.rewards).order_by(m.rewards.c.code))])
    ctx.emit(rows, "\n".join(f"{r['code']}\t{r['points_cost']}\t{r['name_th']}\t{r['name_en']}" for r in rows)
             or "no rewards")


# ----------------------------------------------------------------------------------------------- rules


@cli.group()
def rules() -> None:
    """Earn rules (versioned RulesBundle JSON; versions are immutable)."""


@rules.command("set")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--default", "use_default", type=int, help="Use pos_app.core.rules.default_rules(VERSION)")
@pass_ctx
def rules_set(ctx: Ctx, bundle_file: Path | None, use_default: int | None) -> None:
    if use_default is not None:
        from pos_app.core.rules import default_rules

        text = default_rules(use_default).to_json()
    elif bundle_file is not None:
        text = bundle_file.read_text(encoding="utf-8")
    else:
        raise click.UsageError("give a RulesBundle JSON file or --default VERSION")
    version = ctx.tx(lambda c: svc.set_rules(c, text, svc.utcnow()))
    ctx.emit({"version": version}, f"rules version {version} active")


@rules.command("show")
@pass_ctx
def rules_show(ctx: Ctx) -> None:
    rows = ctx.tx(lambda c: [dict(r._mapping) for r in c.execute(
        select(m.rules.c.version, m.rules.c.active, m.rules.c.bundle_json).order_by(m.rules.c.version))])
    ctx.emit(rows, "\n".join(f"v{r['version']}{' (active)' if r['active'] else ''}\t{r['bundle_json']}"
                             for r in rows) or "no rules")


# ----------------------------------------------------------------------------------------------- policy


@cli.group()
def policy() -> None:
    """Offline-redemption allowance the counters enforce."""


@policy.command("set")
@click.option("--max-per-redemption", type=click.IntRange(0))
@click.option("--max-per-member-per-terminal", type=click.IntRange(0))
@click.option("--max-per-terminal", type=click.IntRange(0))
@click.option("--max-hours-since-sync", type=click.IntRange(0))
@click.option("--feed-scope", type=click.Choice(["chain", "branch"]),
              help="which members a counter mirrors: the whole chain's, or its own branch's (docs/operations.md)")
@pass_ctx
def policy_set(ctx: Ctx, max_per_redemption: int | None, max_per_member_per_terminal: int | None,
               max_per_terminal: int | None, max_hours_since_sync: int | None, feed_scope: str | None) -> None:
    values: dict[str, Any] = {
        "max_points_per_redemption": max_per_redemption,
        "max_points_per_member_per_terminal": max_per_member_per_terminal,
        "max_points_per_terminal": max_per_terminal, "max_hours_since_sync": max_hours_since_sync,
        "feed_scope": feed_scope}
    new = ctx.tx(lambda c: svc.set_policy(c, {k: v for k, v in values.items() if v is not None}))
    shown = new.model_dump() | {"feed_scope": new.feed_scope}
    ctx.emit(shown, f"policy version {new.version}: {shown}")


@policy.command("show")
@pass_ctx
def policy_show(ctx: Ctx) -> None:
    current = ctx.tx(svc.get_policy)
    shown = current.model_dump() | {"feed_scope": current.feed_scope}
    ctx.emit(shown, json.dumps(shown, indent=2))


# ----------------------------------------------------------------------------------------------- vouchers


@cli.group()
def voucher() -> None:
    """Vouchers and coupons: issue batches, look one up, void a batch, offline allowance, reports."""


def _utc_date(text: str, what: str, end_of_day: bool) -> datetime:
    """``2026-12-31`` (its start, or with ``end_of_day`` its end, UTC) or a full record time."""
    try:
        if len(text) == 10:
            return datetime.fromisoformat(text).replace(tzinfo=UTC) + timedelta(days=int(end_of_day))
        return p.parse_utc(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date like 2026-12-31", param_hint=what) from None


@voucher.command("batch")
@click.option("--campaign", required=True)
@click.option("--count", type=click.IntRange(1, vsvc.MAX_BATCH), required=True)
@click.option("--value", help="A fixed discount in baht, e.g. 50.00")
@click.option("--percent", type=click.IntRange(1, 100), help="A percentage off (with --cap)")
@click.option("--cap", help="The most a percentage takes off, in baht")
@click.option("--item", help="A free item: its reward code")
@click.option("--multiplier", type=click.IntRange(2, 10), help="Points times N on the sale")
@click.option("--valid-until", "valid_until", required=True, help="Last day (UTC), e.g. 2026-12-31")
@click.option("--valid-from", "valid_from", help="First day (UTC); default now")
@click.option("--branch", help="Branch code it is valid at (default: every branch)")
@click.option("--min-spend", help="Minimum bill in baht")
@click.option("--owner", help="Member id it belongs to (default: the bearer)")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file of the codes")
@pass_ctx
def voucher_batch(ctx: Ctx, campaign: str, count: int, value: str | None, percent: int | None, cap: str | None,
                  item: str | None, multiplier: int | None, valid_until: str, valid_from: str | None,
                  branch: str | None, min_spend: str | None, owner: str | None, out: Path) -> None:
    """Sign COUNT single-use vouchers of one campaign and write them to a CSV file."""
    from pos_app.core.errors import AmountError
    from pos_app.core.money import parse_amount

    until = _utc_date(valid_until, "--valid-until", end_of_day=True)
    start = _utc_date(valid_from, "--valid-from", end_of_day=False) if valid_from else None
    try:
        benefit = vsvc.benefit_from_options(value, percent, cap, item, multiplier)
        minimum = parse_amount(min_spend) if min_spend else 0
    except AmountError as exc:
        raise click.BadParameter(exc.message) from None
    except ApiError as exc:
        raise click.UsageError(exc.message) from None
    batch_id, codes = ctx.tx(lambda c: vsvc.issue_batch(
        c, ctx.settings, campaign=campaign, count=count, benefit=benefit, valid_until=until, now=svc.utcnow(),
        valid_from=start, branch=branch, min_spend_satang=minimum, owner=owner))
    out.write_text(vsvc.batch_csv(codes, campaign, benefit, until, branch), encoding="utf-8")
    ctx.emit({"batch_id": batch_id, "count": len(codes), "out": str(out)},
             f"batch {batch_id}: {len(codes)} vouchers ({benefit.encode()}) written to {out}")


@voucher.command("status")
@click.argument("code")
@pass_ctx
def voucher_status(ctx: Ctx, code: str) -> None:
    """A voucher's status (issued, reserved, used, expired, void) and its uses; CODE or the voucher id."""
    state = ctx.tx(lambda c: vsvc.status(c, code, svc.utcnow()))
    ctx.emit(state, f"{state['voucher_id']}: {state['status']} ({state['campaign'] or 'no campaign'}, "
                    f"{len(state['uses'])} use(s))")


@voucher.command("void-batch")
@click.argument("batch_id")
@click.option("--by", required=True)
@pass_ctx
def voucher_void_batch(ctx: Ctx, batch_id: str, by: str) -> None:
    """Void every voucher of a batch that has not been used."""
    n = ctx.tx(lambda c: vsvc.void_batch(c, batch_id, by, svc.utcnow()))
    ctx.emit({"batch_id": batch_id, "voided": n}, f"{n} vouchers voided")


@voucher.command("allowance")
@click.option("--kind", type=click.Choice(["fixed", "percent", "item", "multiplier"]), required=True)
@click.option("--count", type=click.IntRange(0, 100_000), required=True)
@click.option("--value", default="0", help="Sum of face values in baht a terminal may accept offline")
@pass_ctx
def voucher_allowance(ctx: Ctx, kind: str, count: int, value: str) -> None:
    """How many vouchers of a type one terminal may accept offline between syncs."""
    from pos_app.core.errors import AmountError
    from pos_app.core.money import parse_amount

    try:
        satang = parse_amount(value) if value.strip() not in ("0", "0.00") else 0
    except AmountError as exc:
        raise click.BadParameter(exc.message, param_hint="--value") from None
    policy = ctx.tx(lambda c: vsvc.set_allowance(c, kind, count, satang))
    ctx.emit(policy.model_dump(), f"policy version {policy.version}: offline {kind} vouchers: {count}, "
                                  f"value {satang / 100:.2f}")


@voucher.command("reward")
@click.option("--reward", "reward_code", required=True, help="A catalog reward (see 'reward set'): its points buy it")
@click.option("--value", help="A fixed discount in baht, e.g. 50.00")
@click.option("--percent", type=click.IntRange(1, 100), help="A percentage off (with --cap)")
@click.option("--cap", help="The most a percentage takes off, in baht")
@click.option("--item", help="A free item: its reward code")
@click.option("--multiplier", type=click.IntRange(2, 10), help="Points times N on the sale")
@click.option("--valid-days", type=click.IntRange(1, 3660), default=90, show_default=True)
@pass_ctx
def voucher_reward(ctx: Ctx, reward_code: str, value: str | None, percent: int | None, cap: str | None,
                   item: str | None, multiplier: int | None, valid_days: int) -> None:
    """Let members buy a voucher with points: redeeming REWARD at the counter prints this voucher as a QR."""
    try:
        benefit = vsvc.benefit_from_options(value, percent, cap, item, multiplier)
    except ApiError as exc:
        raise click.UsageError(exc.message) from None
    row = ctx.tx(lambda c: vsvc.set_voucher_reward(c, reward_code, benefit, valid_days, svc.utcnow()))
    ctx.emit(row, f"reward {reward_code} ({row['points_cost']} points) buys a voucher {row['benefit']} valid "
                  f"{valid_days} days")


@voucher.command("report")
@click.option("--by", type=click.Choice(["day", "campaign", "cashier", "conflicts"]), default="day")
@pass_ctx
def voucher_report(ctx: Ctx, by: str) -> None:
    """Vouchers used per day, campaign or cashier; or the conflicts (a voucher used twice offline)."""
    rows = ctx.tx(vsvc.conflicts if by == "conflicts" else lambda c: vsvc.report(c, by))
    if ctx.as_json:
        ctx.emit(rows)
        return
    if not rows:
        click.echo("no voucher uses")
    for r in rows:
        if by == "conflicts":
            click.echo(f"{r['voucher_id']}  {r['terminal_id']}  {r['value_satang'] / 100:,.2f}  {r['receipt_ref'] or ''}")
        else:
            click.echo(f"{r[by] or '-':24} {r['uses']:6d} uses  {r['value_satang'] / 100:12,.2f}  "
                       f"offline {r['offline']}  conflicts {r['conflicts']} ({r['conflict_value_satang'] / 100:,.2f})")


# ----------------------------------------------------------------------------------------------- flags


@cli.group()
def flags() -> None:
    """Flags for a manager: overdrafts, duplicate phones, points mismatches, clock skew, conflicts, PIN lockouts
    (``pin_lockout``) and waves of wrong PINs on a terminal (``pin_failures``)."""


@flags.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include resolved flags")
@click.option("--kind")
@click.option("--member")
@pass_ctx
def flags_list(ctx: Ctx, show_all: bool, kind: str | None, member: str | None) -> None:
    rows = ctx.tx(lambda c: svc.list_flags(c, not show_all, kind, member))
    ctx.emit([r.model_dump() for r in rows], "\n".join(
        f"#{r.id}\t{r.kind}\tmember={r.member_id}\tterminal={r.terminal_id}\t{json.dumps(r.details, ensure_ascii=False)[:120]}"
        + ("" if not r.resolved_at else f" resolved by {r.resolved_by}") for r in rows) or "no open flags")


@flags.command("resolve")
@click.argument("flag_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--by", required=True)
@click.option("--note", default="")
@pass_ctx
def flags_resolve(ctx: Ctx, flag_id: int, by: str, note: str) -> None:
    info = ctx.tx(lambda c: svc.resolve_flag(c, flag_id, by, note, svc.utcnow()))
    ctx.emit(info.model_dump(), f"flag #{flag_id} resolved")


# ----------------------------------------------------------------------------------------------- keys


@cli.group()
def keys() -> None:
    """Member-code signing keys (Ed25519): add (rotate), list, revoke."""


@keys.command("add")
@click.argument("key_id")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep the private key in this file instead of (encrypted) in the database")
@click.option("--inactive", is_flag=True, help="Publish the public key now, sign with it later")
@pass_ctx
def keys_add(ctx: Ctx, key_id: str, key_file: Path | None, inactive: bool) -> None:
    from sync.server.keys import add_key

    ctx.tx(lambda c: add_key(c, key_id, svc.utcnow(), ctx.settings.key_passphrase, key_file, not inactive))
    ctx.emit({"key_id": key_id}, f"signing key {key_id} added{'' if inactive else ' and active'}")


@keys.command("list")
@pass_ctx
def keys_list(ctx: Ctx) -> None:
    rows = ctx.tx(lambda c: [dict(r._mapping) for r in c.execute(select(
        m.signing_keys.c.key_id, m.signing_keys.c.active, m.signing_keys.c.revoked, m.signing_keys.c.created_at,
        m.signing_keys.c.private_key_path))])
    ctx.emit(rows, "\n".join(f"{r['key_id']}\t{'active' if r['active'] else ''}{'revoked' if r['revoked'] else ''}"
                             f"\t{r['private_key_path'] or 'in database (encrypted)'}" for r in rows) or "no keys")


@keys.command("activate")
@click.argument("key_id")
@pass_ctx
def keys_activate(ctx: Ctx, key_id: str) -> None:
    """Sign new member codes with KEY_ID from now on (older keys still verify)."""
    from sync.server.keys import activate_key

    ctx.tx(lambda c: activate_key(c, key_id))
    ctx.emit({"active": key_id}, f"signing key {key_id} now signs new member codes")


@keys.command("revoke")
@click.argument("key_id")
@pass_ctx
def keys_revoke(ctx: Ctx, key_id: str) -> None:
    from sync.server.keys import revoke_key

    ctx.tx(lambda c: revoke_key(c, key_id))
    ctx.emit({"revoked": key_id}, f"signing key {key_id} revoked: terminals will refuse its member codes")


# ----------------------------------------------------------------------------------------------- release


@cli.group()
def release() -> None:
    """The update channel: signing keys, signed packages, the quiet-time window (docs/installing-terminals.md).

    Head office keeps the private key: ``keygen`` and ``sign`` need no database and belong on head office's own
    machine; the server only hosts what ``publish`` gives it (with ``--signature``, the key never reaches it)."""


def _signed_from_file(path: Path) -> Any:
    from sync import release as rel

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        signed = rel.SignedRelease(version=str(data["version"]), sha256=str(data["sha256"]), size=int(data["size"]),
                                   signature=str(data["signature"]), kind=str(data.get("kind", rel.KIND_TAR)))
        rel.statement(signed.version, signed.sha256, signed.size, signed.kind)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.BadParameter(f"{path} is not a signature file written by 'loyalty-server release sign'",
                                 param_hint="--signature") from exc
    return signed, str(data.get("public_key", ""))


@release.command("keygen")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Private key file to create (PEM, mode 0600); the public key goes to OUT.pub.")
@pass_ctx
def release_keygen(ctx: Ctx, out: Path) -> None:
    """Make the update signing key pair. Keep OUT off the server; pin OUT.pub on every terminal."""
    import os

    from sync import release as rel

    pem, public = rel.new_private_key()
    if out.exists():
        raise click.UsageError(f"{out} exists: a signing key is never overwritten")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    pub = out.with_name(out.name + ".pub")
    pub.write_text(public + "\n", encoding="ascii")
    ctx.emit({"private_key": str(out), "public_key": public, "public_key_file": str(pub),
              "fingerprint": rel.fingerprint(public)},
             f"update signing key written to {out} (keep it off the server)\npublic key (fingerprint "
             f"{rel.fingerprint(public)}), for [update] public_key of every terminal:\n{public}")


@release.command("sign")
@click.option("--file", "package", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--version", "version", required=True, help="The version the package installs, e.g. 0.2.0")
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Signature file (default: FILE.sig.json)")
@click.option("--kind", type=click.Choice(["tar", "deb"]), default=None,
              help="The package kind (default: deb for a .deb file, else tar: the terminal kit)")
@pass_ctx
def release_sign(ctx: Ctx, package: Path, version: str, key_file: Path, out: Path | None, kind: str | None) -> None:
    """Sign a package (on head office's machine; no database needed)."""
    from sync import release as rel

    try:
        key = rel.load_private_key(key_file)
        signed = rel.sign_file(package, version, key, kind)
    except rel.ReleaseError as exc:
        raise click.UsageError(exc.message) from exc
    out = out or package.with_name(package.name + ".sig.json")
    data = {**signed.as_dict(), "public_key": rel.public_key_text(key.public_key())}
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    ctx.emit({**data, "signature_file": str(out)},
             f"signed {package.name} as version {version} of kind {signed.kind} ({signed.size} bytes, sha256 "
             f"{signed.sha256[:16]}...): {out}")


@release.command("publish")
@click.option("--file", "package", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--version", "version", default=None, help="The version (required with --key; else from --signature)")
@click.option("--channel", default="stable", show_default=True)
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Sign here with this private key (the key then passes through this machine)")
@click.option("--signature", "sig_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The signature file 'release sign' wrote at head office (default: FILE.sig.json if present)")
@click.option("--kind", type=click.Choice(["tar", "deb"]), default=None,
              help="tar (the terminal kit) or deb; default: deb for a .deb file, else tar")
@pass_ctx
def release_publish(ctx: Ctx, package: Path, version: str | None, channel: str, key_file: Path | None,
                    sig_file: Path | None, kind: str | None) -> None:
    """Host a signed package as the channel's current release (terminals install it in their quiet time)."""
    from sync import release as rel
    from sync.server import releases

    public = ""
    if key_file is not None:
        if not version:
            raise click.UsageError("give --version with --key")
        try:
            key = rel.load_private_key(key_file)
            signed = rel.sign_file(package, version, key, kind)
        except rel.ReleaseError as exc:
            raise click.UsageError(exc.message) from exc
        public = rel.public_key_text(key.public_key())
    else:
        default_sig = package.with_name(package.name + ".sig.json")
        sig_file = sig_file or (default_sig if default_sig.is_file() else None)
        if sig_file is None:
            raise click.UsageError("give --signature FILE.sig.json (from 'release sign') or --key KEY")
        signed, public = _signed_from_file(sig_file)
        if version and version != signed.version:
            raise click.UsageError(f"the signature is for version {signed.version}, not {version}")
        if signed.kind != (kind or rel.kind_of_file(package)):
            raise click.UsageError(f"the signature is for a package of kind {signed.kind}, not "
                                   f"{kind or rel.kind_of_file(package)} (sign it with --kind)")
    if public:
        try:
            rel.check_signature(signed, public)
        except rel.ReleaseError as exc:
            raise click.UsageError(exc.message) from exc
    ctx.tx(lambda c: releases.check_publishable(c, channel, signed))
    try:
        stored = releases.store_package(ctx.settings.release_dir, package, channel, signed)
    except ApiError as exc:
        raise click.ClickException(f"{exc.message} ({exc.code})") from exc
    info = ctx.tx(lambda c: releases.publish(c, channel, signed, svc.utcnow()))
    by = f" by key {rel.fingerprint(public)}" if public else ""
    ctx.emit({**info.model_dump(), "stored": str(stored), "public_key": public or None},
             f"published {info.version} ({info.kind}) on channel {channel} ({info.size} bytes, signed{by}); "
             f"terminals on {channel} installed from a {'.deb' if info.kind == 'deb' else 'kit'} install it in "
             "their quiet time")


@release.command("list")
@pass_ctx
def release_list(ctx: Ctx) -> None:
    """Published releases (the current one of each channel marked) and the quiet-time windows."""
    from sync.server import releases

    rows = ctx.tx(releases.list_releases)
    windows = ctx.tx(releases.list_windows)
    lines = [f"{r['channel']}\t{r['kind']}\t{r['version']}\t{r['size']} bytes\t{r['published_at']}"
             + ("\tcurrent" if r["current"] else "") for r in rows] or ["no releases"]
    lines += [f"window {w['branch'] or 'server-wide'}: {w['start']}-{w['end']}" for w in windows] or [
        "no quiet-time window: terminals download updates but install none"]
    ctx.emit({"releases": rows, "windows": windows}, "\n".join(lines))


@release.command("window")
@click.option("--from", "start", required=False, metavar="HH:MM", help="Start of the quiet time (terminal's local time)")
@click.option("--to", "end", required=False, metavar="HH:MM", help="End of the quiet time")
@click.option("--branch", "branch_code", default=None, help="Set it for one branch (default: server-wide)")
@click.option("--clear", is_flag=True, help="Remove the window (of --branch, else the server-wide one)")
@pass_ctx
def release_window(ctx: Ctx, start: str | None, end: str | None, branch_code: str | None, clear: bool) -> None:
    """When terminals may install an update: e.g. --from 02:00 --to 04:00 (spanning midnight is fine)."""
    from sync.server import releases

    if clear:
        ctx.tx(lambda c: releases.clear_window(c, branch_code))
        ctx.emit({"cleared": branch_code or "server-wide"}, f"window of {branch_code or 'the server'} removed")
        return
    if not start or not end:
        raise click.UsageError("give --from HH:MM and --to HH:MM (or --clear)")
    window = ctx.tx(lambda c: releases.set_window(c, start, end, branch_code))
    ctx.emit(window.model_dump(), f"terminals of {window.branch or 'every branch'} install updates between "
                                  f"{window.start} and {window.end} (their local time)")


@cli.command("terminals")
@click.pass_context
def terminals_cmd(click_ctx: click.Context) -> None:
    """Every terminal: branch, the version it runs, last contact, credential (same as 'terminal list')."""
    click_ctx.invoke(terminal_list)


@cli.command()
@pass_ctx
def verify(ctx: Ctx) -> None:
    """Check that every member's balance equals the sum of their entries."""
    bad = ctx.tx(svc.verify_balances)
    ctx.emit(bad, "all balances equal the sum of their entries" if not bad else
             "\n".join(f"{b['member_id']}: balance {b['balance']} != entries {b['sum_of_entries']}" for b in bad))
    if bad:
        sys.exit(1)


OPENAPI_SNAPSHOT = Path(__file__).resolve().parent / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """The server's OpenAPI document (no database needed to build it)."""
    from sync.server.app import create_app

    return create_app(Settings(database_url="sqlite://")).openapi()


def openapi_text() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cli.command()
@click.option("--write", is_flag=True, help=f"Update the committed snapshot ({OPENAPI_SNAPSHOT.name})")
def openapi(write: bool) -> None:
    """Print the OpenAPI document (or update the committed snapshot after an intended API change)."""
    text = openapi_text()
    if write:
        OPENAPI_SNAPSHOT.write_text(text, encoding="utf-8")
        click.echo(f"wrote {OPENAPI_SNAPSHOT}")
    else:
        click.echo(text, nl=False)


def _one_line(exc: BaseException) -> str:
    """What went wrong, in one line, for the failures that bad input or a bad setting can cause."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return ("the database URL is not one this server can use (expected postgresql+psycopg://user:pw@host/db "
                "or sqlite:////path/to/file.db)")
    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).splitlines()[0][:200] if exc.orig is not None else type(exc).__name__
        if exc.connection_invalidated or "unable to open" in reason or "connect" in reason.lower():
            return f"cannot open the database: {reason}"
        return f"the database refused the request: {reason}"
    if isinstance(exc, OverflowError):
        return "a number is out of range"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}"
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from sync.server.app import server_speaks_english

    server_speaks_english()  # the server's admin tool answers and logs in English, like the server itself

    bad = [a for a in sys.argv[1:] if svc.text_problems(a)]
    if bad:
        click.echo(f"Error: an argument contains a control character: {bad[0]!r}", err=True)
        sys.exit(2)
    try:
        cli.main(prog_name="loyalty-server", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except (SQLAlchemyError, OverflowError, OSError) as exc:
        click.echo(f"Error: {_one_line(exc)}", err=True)
        sys.exit(1)
