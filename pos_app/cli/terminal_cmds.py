"""The counter's use cases on the command line: init, member, award, redeem, return, adjust, balance, report,
staff, reward, doctor, backup, restore."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.currency import format_money
from pos_app.core.errors import RuleError
from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht, parse_amount, parse_purchase_amount
from pos_app.core.rules import points_start_text, zero_points_text

pass_ctx = click.make_pass_decorator(CliContext)


def _services(ctx: CliContext) -> Any:
    from pos_app.services.errors import ServiceError

    try:
        return ctx.services()
    except ServiceError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a use case; a refusal becomes one line on stderr and a non-zero exit."""
    from pos_app.services.errors import InvalidInput, NotFound, ServiceError, Unavailable

    try:
        return fn(*args, **kwargs)
    except (InvalidInput, NotFound) as exc:
        raise CliError(exc.message, code=exc.code, log_message=exc.log_message) from exc
    except Unavailable as exc:
        raise CliError(exc.message, EXIT_FAILED, code=exc.code, log_message=exc.log_message) from exc
    except ServiceError as exc:
        raise CliError(exc.message, code=exc.code, log_message=exc.log_message) from exc
    except RuleError as exc:
        raise CliError(exc.message) from exc


def _amount(text: str, purchase: bool = True) -> int:
    try:
        return parse_purchase_amount(text) if purchase else parse_amount(text)
    except RuleError as exc:
        raise CliError(exc.message) from exc


MANAGER_PIN_ENV = "POS_MANAGER_PIN"


def _approval(manager_pin: str | None, manager: str | None = None) -> Any:
    """The manager's approval from ``--manager-pin PIN``, ``--manager-pin -`` (one line read from standard
    input) or ``$POS_MANAGER_PIN`` (click fills the option from it); None when none was given."""
    from pos_app.services import Approval

    if manager_pin == "-":
        manager_pin = sys.stdin.readline().strip()
        if not manager_pin:
            raise CliError(_("--manager-pin - reads the PIN from standard input, but it was empty."))
    return Approval(pin=manager_pin, manager_id=manager or None) if manager_pin else None


def _can_prompt() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _run_approved(manager_pin: str | None, fn: Any, /, manager: str | None = None, **kwargs: Any) -> Any:
    """Run a use case that may need a manager's approval. Without a PIN given, a person at a terminal is asked
    for it at a hidden prompt when (and only when) the use case says approval is needed; a script is told the
    ways to give it. The PIN never has to appear in the process list or the shell history."""
    from pos_app.services.errors import ApprovalRequired

    approval = _approval(manager_pin, manager)
    try:
        return _run(fn, approval=approval, **kwargs)
    except CliError as exc:
        if approval is not None or not isinstance(exc.__cause__, ApprovalRequired):
            raise
        if not _can_prompt():
            raise CliError(_("{refusal}. Give the manager's PIN at a prompt (run the command in a terminal), "
                             "with --manager-pin - on standard input, or in ${env}.").format(
                refusal=exc.message, env=MANAGER_PIN_ENV), exc.exit_code, exc.code) from exc
        click.echo(exc.message, err=True)
        pin = click.prompt(_("Manager PIN"), hide_input=True, err=True)
        return _run(fn, approval=_approval(pin or None, manager), **kwargs)


def _member_text(m: Any) -> str:
    lines = [
        _("Member  {name}").format(name=m.name),
        _("Id      {id}").format(id=m.id),
        _("Card    {card}").format(card=m.card_no),
        _("Phone   {phone}").format(phone=m.phone_display),
        _("Tier    {tier}").format(tier=m.tier),
        _("Points  {points:,}").format(points=m.balance),
    ]
    if m.expiring_soon:
        lines.append(_("{points:,} points expire within 30 days").format(points=m.expiring_soon))
    return "\n".join(lines)


def _member_json(m: Any) -> dict[str, Any]:
    data = asdict(m)
    data["phone_display"] = m.phone_display
    return data


operator_option = click.option(
    "--operator", envvar="POS_OPERATOR", default="cli", show_default=True,
    help="Staff id recorded as having done this (env POS_OPERATOR).")
op_id_option = click.option("--op-id", default=None, help="Operation id: a retry with the same id changes nothing.")
manager_pin_option = click.option(
    "--manager-pin", envvar=MANAGER_PIN_ENV, show_envvar=True, default=None, metavar="PIN|-",
    help="A manager's PIN, where approval is needed. Leave it out to be asked at a hidden prompt, give '-' to read "
         "it from standard input, or set the environment variable. Risk: a PIN written after --manager-pin is seen "
         "by every user of this machine in the process list and stays in the shell history; keep that for "
         "scripts on a machine nobody else uses.")
manager_option = click.option(
    "--manager", default=None, metavar="STAFF_ID",
    help="The approving manager's staff id (optional; needed while PIN-only approval is locked on this terminal).")


def register(group: click.Group) -> None:
    group.add_command(init)
    group.add_command(member)
    group.add_command(award)
    group.add_command(redeem)
    group.add_command(return_)
    group.add_command(adjust)
    group.add_command(void)
    group.add_command(balance)
    group.add_command(report)
    group.add_command(staff)
    group.add_command(reward)
    group.add_command(doctor)
    group.add_command(backup)
    group.add_command(restore)
    group.add_command(history)
    group.add_command(expire)
    group.add_command(config)
    group.add_command(rules)


@click.command()
@click.option("--demo", is_flag=True, help="Add demo staff, rewards and members (for trying the app).")
@pass_ctx
def init(ctx: CliContext, demo: bool) -> None:
    """Create the terminal's ledger (a standalone terminal until it is enrolled with a server)."""
    services = _services(ctx)
    seeded: dict[str, Any] = {}
    if demo:
        from pos_app.services.demo import seed_demo

        seeded = _run(seed_demo, services)
    data = {"ok": True, "data_dir": str(ctx.data_dir), "terminal_id": services.terminal_id, **seeded}
    if demo:
        data["demo_pins"] = {"cashier": "1111", "manager": "9999"}
    ctx.emit(data, _("Terminal ready in {path} (terminal {id}).").format(
        path=ctx.data_dir, id=services.terminal_id) + ("\n" + _(
            "Demo staff: cashier PIN 1111, manager PIN 9999. These PINs are for the demo only: never use "
            "them on a real counter.") if demo else ""))


@click.group()
def member() -> None:
    """Enroll, show and find members."""


@member.command("enroll")
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--no-consent", is_flag=True, help="The member did not consent to the loyalty program's terms.")
@click.option("--marketing", is_flag=True, help="The member agrees to marketing messages (asked separately).")
@operator_option
@op_id_option
@pass_ctx
def member_enroll(ctx: CliContext, name: str, phone: str, no_consent: bool, marketing: bool, operator: str,
                  op_id: str | None) -> None:
    """Enroll a new member (the phone number must be new)."""
    m = _run(_services(ctx).members.enroll, name=name, phone=phone, consent=not no_consent, marketing=marketing,
             operator_id=operator, op_id=op_id)
    ctx.emit(_member_json(m), lambda: _("Enrolled.") + "\n" + _member_text(m))


@member.command("consent")
@click.argument("member_id")
@click.option("--marketing/--no-marketing", required=True,
              help="Give (--marketing) or withdraw (--no-marketing) consent to marketing messages.")
@operator_option
@pass_ctx
def member_consent(ctx: CliContext, member_id: str, marketing: bool, operator: str) -> None:
    """Record a member's choice about marketing messages (synced to every terminal)."""
    services = _services(ctx)
    m = _run(services.identify, member_id)
    granted = _run(services.members.set_marketing_consent, m.id, granted=marketing, operator_id=operator)
    ctx.emit({"id": m.id, "marketing": granted, "consents": _run(services.members.consents, m.id)},
             lambda: _("Marketing messages: consent given.") if granted
             else _("Marketing messages: consent withdrawn."))


@member.command("show")
@click.argument("member_id")
@pass_ctx
def member_show(ctx: CliContext, member_id: str) -> None:
    """Show a member by id, card number, member code or phone."""
    m = _run(_services(ctx).identify, member_id)
    ctx.emit(_member_json(m), lambda: _member_text(m))


@member.command("find")
@click.option("--phone", required=True)
@pass_ctx
def member_find(ctx: CliContext, phone: str) -> None:
    """Find a member by phone number."""
    m = _run(_services(ctx).members.find_by_phone, phone)
    if m is None:
        raise CliError(_("No member with phone {phone}.").format(phone=phone))
    ctx.emit(_member_json(m), lambda: _member_text(m))


@member.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True, help="At most this many.")
@pass_ctx
def member_search(ctx: CliContext, text: str, limit: int) -> None:
    """Find members by part of their name (Thai or English, any case); best matches first."""
    found = _run(_services(ctx).search_members, text, limit)
    ctx.emit([asdict(m) for m in found], lambda: "\n".join(
        f"{m.name}  {m.tier}  {m.phone_masked}  " + _("card ...{digits}").format(digits=m.card_suffix)
        + f"  {m.id}" for m in found) or _("No member's name contains {text}.").format(text=text.strip()))


def _identify_member(ctx: CliContext, text: str) -> Any:
    return _run(_services(ctx).identify, text)


@click.command()
@click.option("--member", "member_ref", required=True, help="Member id, card number, member code or phone.")
@click.option("--amount", required=True, help="Bill amount, e.g. 1,234.50 (baht unless --currency).")
@click.option("--currency", default=None, metavar="CODE",
              help="The bill was paid in this currency (ISO 4217, e.g. USD, JPY): --amount is in it, and points "
                   "are earned on its baht equivalent at the rules' rate.")
@click.option("--receipt", required=True, help="Receipt number.")
@click.option("--category", "categories", multiple=True, metavar="CAT=AMOUNT",
              help="Category breakdown line (repeatable), e.g. --category beverages=120.00")
@click.option("--preview", is_flag=True, help="Show the points without recording anything.")
@click.option("--voucher", "voucher_code", default=None, metavar="CODE",
              help="A voucher used on this sale (its code as scanned): a discount comes off the bill and the points "
                   "are earned on what is paid; a points multiplier multiplies the sale's points. Checked first, "
                   "then used online first like 'voucher redeem'.")
@operator_option
@op_id_option
@pass_ctx
def award(ctx: CliContext, member_ref: str, amount: str, currency: str | None, receipt: str,
          categories: tuple[str, ...], preview: bool, voucher_code: str | None, operator: str,
          op_id: str | None) -> None:
    """Award points for a purchase, optionally with a voucher used on it (--voucher)."""
    from pos_app.core import currency as fx

    minor: int | None = None
    if currency is not None:
        try:
            currency = fx.normalize_code(currency)
            if currency != fx.HOME_CURRENCY:
                minor = fx.parse_amount(amount, currency)
        except RuleError as exc:
            raise CliError(exc.message) from exc
    satang = _amount(amount) if minor is None else 0
    lines: list[tuple[str, int]] = []
    for item in categories:
        cat, sep, value = item.partition("=")
        if not sep or not cat.strip():
            raise CliError(_("A category line is written CATEGORY=AMOUNT, e.g. beverages=120.00"))
        lines.append((cat.strip(), _amount(value)))
    if voucher_code is not None:
        if minor is not None:
            raise CliError(_("A voucher is used on a bill in baht: record a sale in another currency without "
                             "--voucher."))
        if lines:
            raise CliError(_("Category lines cannot be combined with --voucher: award the bill without them."))
    services = _services(ctx)
    m = _identify_member(ctx, member_ref)
    if voucher_code is not None:
        _award_with_voucher(ctx, services, m, voucher_code, satang, receipt, preview, operator, op_id)
        return
    if preview and minor is not None:
        if lines:
            raise CliError(_("Category lines are in baht: record a sale in another currency without them."))
        s = _run(services.preview_sale, m.id, currency=currency, amount_minor=minor)
        money = _("{money} (= {baht} at {rate})").format(money=fx.format_money(minor, s.currency or ""),
                                                          baht=format_baht(s.amount_satang), rate=s.fx_rate)
        note = zero_points_text(s.points_start_satang) if s.points == 0 else None
        ctx.emit({"member_id": m.id, **asdict(s), "note": note},
                 _("{amount} would earn {points:,} points for {name}.").format(
                     amount=money, points=s.points, name=m.name) if note is None else
                 _("{amount} would be recorded for {name} with 0 points: {why}.").format(
                     amount=money, name=m.name, why=points_start_text(s.points_start_satang)))
        return
    if preview:
        b = _run(services.preview_award, m.id, satang, lines)
        note = zero_points_text(b.points_start_satang) if b.points == 0 else None
        ctx.emit({"member_id": m.id, "points": b.points, "base_points": b.base_points, "tier_bonus": b.tier_bonus,
                  "campaign_bonus": b.campaign_bonus, "campaigns": list(b.campaigns_applied),
                  "points_start_satang": b.points_start_satang, "note": note},
                 _("{amount} would earn {points:,} points for {name}.").format(
                     amount=format_baht(satang), points=b.points, name=m.name) if note is None else
                 _("{amount} would be recorded for {name} with 0 points: {why}.").format(
                     amount=format_baht(satang), name=m.name, why=points_start_text(b.points_start_satang)))
        return
    if minor is not None:
        r = _run(services.award, member_id=m.id, currency=currency, amount_minor=minor, receipt_ref=receipt,
                 operator_id=operator, lines=lines, op_id=op_id)
    else:
        r = _run(services.award, member_id=m.id, amount_satang=satang, receipt_ref=receipt, operator_id=operator,
                 lines=lines, op_id=op_id)

    def paid() -> str:
        if r.currency is None:
            return format_baht(r.amount_satang)
        return _("{money} (= {baht} at {rate})").format(money=fx.format_money(r.amount_minor, r.currency),
                                                       baht=format_baht(r.amount_satang), rate=r.fx_rate)

    ctx.emit({**asdict(r), "note": r.zero_points_text}, lambda: _award_text(m, r, paid()))


def _award_text(m: Any, r: Any, amount: str) -> str:
    replayed = _(" (already recorded)") if r.replayed else ""
    if r.points == 0:  # a small sale is still a sale: recorded, and the reason it earned nothing is said
        return _("Sale of {amount} recorded for {name} (receipt {receipt}). {why}. Balance {after:,}.").format(
            amount=amount, name=m.name, receipt=r.receipt_ref, why=r.zero_points_text,
            after=r.balance_after) + replayed
    return _("{name} earned {points:,} points on {amount} (receipt {receipt}). "
             "Balance {before:,} -> {after:,}.").format(
        name=m.name, points=r.points, amount=amount, receipt=r.receipt_ref,
        before=r.balance_before, after=r.balance_after) + replayed


def _award_with_voucher(ctx: CliContext, services: Any, m: Any, code: str, bill: int, receipt: str, preview: bool,
                        operator: str, op_id: str | None) -> None:
    """``award --voucher``: the window's rules (``services.award_with_voucher``), one command."""
    if preview:
        c = _run(services.check_voucher, code, bill_satang=bill, member_id=m.id)
        discount = c.value_satang if c.kind in ("fixed", "percent") else 0
        if discount >= bill:
            raise CliError(_("The voucher pays the whole bill: there is nothing paid to earn points on."),
                           code="amount.voucher")
        b = _run(services.preview_award, m.id, bill - discount)
        points = b.points * (c.multiplier or 1)
        ctx.emit({"member_id": m.id, "voucher": asdict(c), "paid_satang": bill - discount, "points": points},
                 lambda: _("{paid} paid would earn {points:,} points for {name} (voucher {id}: {what}).").format(
                     paid=format_baht(bill - discount), points=points, name=m.name, id=c.voucher_id,
                     what=c.description))
        return
    from pos_app.services import sync_glue
    from sync.client.errors import NotEnrolled

    try:
        client = sync_glue.make_client(services)
    except NotEnrolled:  # a standalone terminal keeps its own single-use record only
        client = None
    try:
        sale = _run(sync_glue.award_with_voucher, services, client, code, member_id=m.id, amount_satang=bill,
                    receipt_ref=receipt, operator_id=operator, op_id=op_id)
    finally:
        if client is not None:
            client.close()
    use, r = sale.use, sale.award

    def text() -> str:
        if r is None:  # a multiplier: the sale was recorded with it
            line = _("Voucher {id} used on receipt {receipt}: {what}. The sale of {bill} earned {points:,} points "
                     "({bonus:,} of them from the voucher). Balance {after:,}.").format(
                id=use.voucher_id, receipt=use.receipt_ref, what=use.description, bill=format_baht(bill),
                points=use.points or 0, bonus=use.voucher_bonus or 0, after=use.balance_after or 0)
        else:
            if use.kind in ("fixed", "percent"):
                line = _("Voucher {id} used on receipt {receipt}: {what}; {amount} off.").format(
                    id=use.voucher_id, receipt=use.receipt_ref, what=use.description,
                    amount=format_baht(use.value_satang))
            else:
                line = _("Voucher {id} used on receipt {receipt}: {what}.").format(
                    id=use.voucher_id, receipt=use.receipt_ref, what=use.description)
            line += " " + _award_text(m, r, format_baht(sale.paid_satang))
        if use.offline:
            line += " " + _("(offline: sent to the server at the next sync)")
        return line

    award_json = asdict(r) if r is not None else None
    ctx.emit({"op_id": use.op_id, "member_id": m.id, "paid_satang": sale.paid_satang,
              "points": r.points if r is not None else use.points,
              "balance_after": r.balance_after if r is not None else use.balance_after,
              "voucher": asdict(use), "award": award_json}, text)


@click.command()
@click.option("--member", "member_ref", required=True, help="Member id, card number, member code or phone.")
@click.option("--points", type=int, default=None, help="Points to spend (points as discount, or check a reward).")
@click.option("--reward", "reward_code", default=None, help="Reward code.")
@click.option("--bill", default=None, help="Bill amount in baht (caps a points discount).")
@click.option("--receipt", default=None, help="Receipt the discount applies to.")
@manager_pin_option
@manager_option
@operator_option
@op_id_option
@pass_ctx
def redeem(ctx: CliContext, member_ref: str, points: int | None, reward_code: str | None, bill: str | None,
           receipt: str | None, manager_pin: str | None, manager: str | None, operator: str,
           op_id: str | None) -> None:
    """Redeem points for a reward or as a discount."""
    bill_satang = _amount(bill) if bill else None
    m = _identify_member(ctx, member_ref)
    services = _services(ctx)
    from pos_app.services import sync_glue
    from sync.client.errors import NotEnrolled

    try:  # enrolled: reserve the points on the server first; offline: the allowance applies
        client = sync_glue.make_client(services)
    except NotEnrolled:  # a standalone terminal redeems locally
        client = None
    try:
        r = _run_approved(manager_pin, sync_glue.redeem, manager=manager, services=services, client=client, member_id=m.id,
                          points=points, reward_code=reward_code, bill_satang=bill_satang, receipt_ref=receipt,
                          operator_id=operator, op_id=op_id)
    finally:
        if client is not None and hasattr(client, "close"):
            client.close()
    what = r.reward_code or _("a discount of {amount}").format(amount=format_baht(r.discount_satang))
    ctx.emit(asdict(r), lambda: _("{name} redeemed {points:,} points for {what}. Balance {before:,} -> {after:,}.")
             .format(name=m.name, points=r.points, what=what, before=r.balance_before, after=r.balance_after)
             + (_(" (already recorded)") if r.replayed else ""))


@click.command("return")
@click.option("--receipt", required=True, help="Receipt number of the original sale.")
@click.option("--amount", default=None, help="Refunded amount in baht (default: the whole receipt).")
@manager_pin_option
@manager_option
@operator_option
@op_id_option
@pass_ctx
def return_(ctx: CliContext, receipt: str, amount: str | None, manager_pin: str | None, manager: str | None,
            operator: str, op_id: str | None) -> None:
    """Take back the points of a returned (or partly returned) receipt. A receipt paid in another currency is
    refunded in that currency (--amount is in it)."""
    from pos_app.core import currency as fx

    services = _services(ctx)
    code = _run(services.receipt_currency, receipt) if amount else None
    refund = refund_minor = None
    if amount and code is not None:
        try:
            refund_minor = fx.parse_amount(amount, code)
        except RuleError as exc:
            raise CliError(exc.message) from exc
    elif amount:
        refund = _amount(amount)
    r = _run_approved(manager_pin, services.return_receipt, manager=manager, receipt_ref=receipt,
                      refund_satang=refund, refund_minor=refund_minor, operator_id=operator, op_id=op_id)

    def refunded() -> str:
        if r.currency is None:
            return format_baht(r.refund_satang)
        return _("{money} (= {baht})").format(money=fx.format_money(r.refund_minor, r.currency),
                                             baht=format_baht(r.refund_satang))

    ctx.emit(asdict(r), lambda: _("Return of {amount} on receipt {receipt}: {clawed:,} points taken back, "
                                   "{restored:,} restored. Balance {before:,} -> {after:,}.").format(
        amount=refunded(), receipt=r.receipt_ref, clawed=r.points_clawed_back,
        restored=r.points_restored, before=r.balance_before, after=r.balance_after))


@click.command()
@click.option("--member", "member_ref", required=True)
@click.option("--points", type=int, required=True, help="Points to add (negative to remove).")
@click.option("--reason", required=True)
@click.option("--corrects", default=None, help="Id of the entry this corrects.")
@manager_pin_option
@manager_option
@operator_option
@op_id_option
@pass_ctx
def adjust(ctx: CliContext, member_ref: str, points: int, reason: str, corrects: str | None,
           manager_pin: str | None, manager: str | None, operator: str, op_id: str | None) -> None:
    """A manager's manual adjustment (a compensating entry with a reason)."""
    m = _identify_member(ctx, member_ref)
    r = _run_approved(manager_pin, _services(ctx).adjust, manager=manager, member_id=m.id, points=points, reason=reason,
                      corrects_id=corrects, operator_id=operator, op_id=op_id)
    ctx.emit(asdict(r), _("Adjusted {name} by {points:+,} points. Balance {before:,} -> {after:,}.").format(
        name=m.name, points=r.points, before=r.balance_before, after=r.balance_after))


_VOID_KINDS = {"earn": N_("award"), "redeem": N_("redemption"), "adjust": N_("adjustment")}


@click.command()
@click.option("--entry", "entry_id", default=None, metavar="ENTRY_ID", help="The entry to void (see --list).")
@click.option("--list", "show_list", is_flag=True, help="List what can be voided now, newest first.")
@click.option("--member", "member_ref", default=None, help="With --list: only this member's operations.")
@manager_pin_option
@manager_option
@operator_option
@op_id_option
@pass_ctx
def void(ctx: CliContext, entry_id: str | None, show_list: bool, member_ref: str | None, manager_pin: str | None,
         manager: str | None, operator: str, op_id: str | None) -> None:
    """Void a mistaken award, redemption or adjustment of this counter within the void window (terminal.toml
    [terminal] void_window_minutes), with a manager's approval: a compensating entry, nothing is deleted."""
    services = _services(ctx)
    if show_list == (entry_id is not None):
        raise CliError(_("Give --entry ENTRY_ID to void, or --list to see what can be voided."))
    if show_list:
        member_id = _identify_member(ctx, member_ref).id if member_ref else None
        rows = _run(services.voidable, member_id)
        ctx.emit([asdict(v) for v in rows], lambda: "\n".join(
            _("{entry}  {kind} of {points:+,} points, {name}{receipt}, until {until}").format(
                entry=v.entry_id, kind=_(_VOID_KINDS[v.kind]), points=v.points, name=v.member_name,
                receipt=f" ({v.receipt_ref})" if v.receipt_ref else "", until=_local_time(v.void_until_ms))
            for v in rows) or _("Nothing can be voided now."))
        return
    assert entry_id is not None
    r = _run_approved(manager_pin, services.void, manager=manager, entry_id=entry_id, operator_id=operator,
                      op_id=op_id)
    ctx.emit(asdict(r), lambda: _("Voided the {kind} {entry}: {points:+,} points. Balance {before:,} -> {after:,}.")
             .format(kind=_(_VOID_KINDS[r.kind]), entry=r.voided_entry_id, points=r.points, before=r.balance_before,
                     after=r.balance_after) + (_(" (already recorded)") if r.replayed else ""))


def _local_time(ms: int) -> str:
    """Hour and minute in the stores' time zone (the time a cashier reads on the wall)."""
    from datetime import UTC, datetime

    from pos_app.services.terminal import BANGKOK

    return datetime.fromtimestamp(ms // 1000, UTC).astimezone(BANGKOK).strftime("%H:%M")


@click.command()
@click.option("--member", "member_ref", required=True)
@pass_ctx
def balance(ctx: CliContext, member_ref: str) -> None:
    """A member's points balance."""
    m = _identify_member(ctx, member_ref)
    ctx.emit({"member_id": m.id, "balance": m.balance, "expiring_soon": m.expiring_soon, "tier": m.tier},
             _("{name}: {points:,} points").format(name=m.name, points=m.balance))


@click.command()
@click.option("--member", "member_ref", required=True)
@pass_ctx
def history(ctx: CliContext, member_ref: str) -> None:
    """A member's entries, oldest first."""
    from pos_app.services.device import ms_to_iso

    m = _identify_member(ctx, member_ref)
    rows = _run(_services(ctx).history, m.id)
    data = [{**asdict(e), "sale_at": ms_to_iso(e.sale_at_ms)} for e in rows]
    ctx.emit(data, lambda: "\n".join(
        f"{ms_to_iso(e.sale_at_ms)}  {e.kind:<9} {e.points:>+8,}  {e.receipt_ref or e.reward_code or e.reason or ''}"
        + (f"  {format_money(e.amount_minor, e.currency)}" if e.currency and e.amount_minor is not None else "")
        for e in rows) or _("No entries yet."))


@click.group()
def report() -> None:
    """Reports for managers."""


@report.command("daily")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today, Bangkok time).")
@pass_ctx
def report_daily(ctx: CliContext, day: str | None) -> None:
    """Awards and redemptions of one day: per cashier, per reward, per hour, totals."""
    r = _run(_services(ctx).daily_report, day)

    def text() -> str:
        out = [_("Daily report {date}").format(date=r.date), ""]
        header = f"{'':<20}{_('Awards'):>8}{_('Points'):>10}{_('Sales'):>16}{_('Redeemed'):>10}{_('Points'):>10}"
        for title, lines in ((_("Per cashier"), r.per_cashier), (_("Per hour"), r.per_hour)):
            out += [title, header]
            out += [f"{x.key[:20]:<20}{x.awards:>8,}{x.points_awarded:>10,}{format_baht(x.sales_satang):>16}"
                    f"{x.redemptions:>10,}{x.points_redeemed:>10,}" for x in lines]
            out.append("")
        out.append(_("Per reward"))
        out += [f"{x.key[:20]:<20}{x.redemptions:>8,}{x.points_redeemed:>10,}" for x in r.per_reward]
        t = r.totals
        out += ["", _("Total: {awards:,} awards, {pa:,} points on {sales}; {red:,} redemptions, {pr:,} points").format(
            awards=t.awards, pa=t.points_awarded, sales=format_baht(t.sales_satang), red=t.redemptions,
            pr=t.points_redeemed)]
        from pos_app.services.reports import currency_text

        out += currency_text(r.per_currency)
        return "\n".join(out)

    ctx.emit(r.to_dict(), text)


@report.command("redemptions")
@click.option("--from", "date_from", required=True, help="First day, YYYY-MM-DD (Bangkok time).")
@click.option("--to", "date_to", required=True, help="Last day, YYYY-MM-DD (included).")
@click.option("--by", type=click.Choice(["cashier", "reward", "hour"]), default="cashier", show_default=True)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report to this CSV file.")
@pass_ctx
def report_redemptions(ctx: CliContext, date_from: str, date_to: str, by: str, csv_file: Path | None) -> None:
    """Awards and redemptions of a date range by cashier, reward or hour of the day, with totals."""
    from pos_app.services.reports import range_report, report_csv, report_text

    r = _run(range_report, _services(ctx), date_from, date_to, by)
    if csv_file is not None:
        try:
            csv_file.write_text(report_csv(r), encoding="utf-8")
        except OSError as exc:
            raise CliError(_("Cannot write {path}: {error}").format(path=csv_file, error=exc.strerror or exc),
                           EXIT_FAILED) from None
    ctx.emit(asdict(r), lambda: report_text(r))


@click.group()
def staff() -> None:
    """Staff and PINs."""


@staff.command("add")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["cashier", "manager", "admin"]), required=True)
@click.option("--pin", required=True, help="4 to 8 digits (managers 6+); not 1111, 1234 or your own phone.")
@click.option("--phone", default=None, help="The staff member's phone (their PIN may not be its digits).")
@click.option("--id", "staff_id", default=None)
@pass_ctx
def staff_add(ctx: CliContext, name: str, role: str, pin: str, phone: str | None, staff_id: str | None) -> None:
    """Add a staff member (only a hash of the PIN is stored)."""
    s = _run(_services(ctx).add_staff, name=name, role=role, pin=pin, staff_id=staff_id, phone=phone)
    ctx.emit(asdict(s), _("Added {name} ({role}), id {id}.").format(name=s.name, role=s.role, id=s.id))


@staff.command("list")
@pass_ctx
def staff_list(ctx: CliContext) -> None:
    """List active staff."""
    rows = _services(ctx).staff()
    ctx.emit([asdict(s) for s in rows], "\n".join(f"{s.id}  {s.role:<8} {s.name}" for s in rows))


@staff.command("change-pin")
@click.argument("staff_id")
@click.option("--old-pin", required=True, help="Your current PIN.")
@click.option("--new-pin", required=True, help="Your new PIN.")
@pass_ctx
def staff_change_pin(ctx: CliContext, staff_id: str, old_pin: str, new_pin: str) -> None:
    """Change your own PIN (the current one is required; wrong ones count like a wrong sign-in)."""
    s = _run(_services(ctx).change_pin, staff_id, old_pin, new_pin)
    ctx.emit(asdict(s), _("PIN of {name} changed.").format(name=s.name))


@staff.command("reset-pin")
@click.argument("staff_id")
@click.option("--new-pin", required=True, help="A temporary PIN: the cashier must change it at next sign-in.")
@manager_pin_option
@manager_option
@pass_ctx
def staff_reset_pin(ctx: CliContext, staff_id: str, new_pin: str, manager_pin: str | None,
                    manager: str | None) -> None:
    """A manager gives a cashier a new PIN (it also lifts the cashier's lockouts)."""
    s = _run(_services(ctx).reset_pin, staff_id, new_pin, approval=_approval(manager_pin, manager))
    ctx.emit(asdict(s), _("PIN of {name} reset: they choose a new one at their next sign-in.").format(name=s.name))


@staff.command("unlock")
@click.argument("staff_id", required=False)
@click.option("--purpose", type=click.Choice(["sign_in", "approval"]), default=None,
              help="Only sign-in or only approval (default: both).")
@manager_pin_option
@manager_option
@pass_ctx
def staff_unlock(ctx: CliContext, staff_id: str | None, purpose: str | None, manager_pin: str | None,
                 manager: str | None) -> None:
    """Lift a PIN lockout after too many wrong PINs: STAFF_ID's, or without it this terminal's (PINs typed
    without naming anyone). A manager approves; while approval is locked here, name them with --manager."""
    n = _run(_services(ctx).unlock, staff_id, purpose, approval=_approval(manager_pin, manager))
    ctx.emit({"ok": True, "cleared": n}, _("Unlocked ({n} failed-PIN counts cleared).").format(n=n))


@staff.command("lockouts")
@pass_ctx
def staff_lockouts(ctx: CliContext) -> None:
    """Failed-PIN counts and lockouts on this terminal."""
    rows = _services(ctx).pin_guard_status()

    def text() -> str:
        if not rows:
            return _("No failed PINs waiting and no lockouts.")
        purposes = {"sign_in": _("sign-in"), "approval": _("approval")}
        return "\n".join(
            f"{(r['name'] or _('this terminal (PIN only)')):<28} {purposes[r['purpose']]:<12} "
            + (_("LOCKED") if r["locked"] else _("{n} wrong").format(n=r["failures"]))
            + (_(", wait {s} s").format(s=r["retry_after_s"]) if r["retry_after_s"] else "") for r in rows)

    ctx.emit(rows, text)


@staff.command("audit")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@pass_ctx
def staff_audit(ctx: CliContext, limit: int) -> None:
    """Recent audit events on this terminal (wrong PINs, lockouts, unlocks, PIN changes, approvals)."""
    from pos_app.services.device import ms_to_iso

    rows = _services(ctx).audit_log(limit=limit)
    data = [{**asdict(a), "at": ms_to_iso(a.at_ms)} for a in rows]
    ctx.emit(data, lambda: "\n".join(
        f"{ms_to_iso(a.at_ms)}  {a.event:<22} {a.purpose or '-':<9} {a.staff_id or '-':<12} "
        f"{', '.join(f'{k}={v}' for k, v in sorted(a.details.items()) if v is not None)}" for a in rows)
        or _("No audit events yet."))


@click.group()
def reward() -> None:
    """The rewards catalog."""


@reward.command("add")
@click.option("--code", required=True)
@click.option("--name-th", required=True)
@click.option("--name-en", required=True)
@click.option("--points", type=int, required=True)
@click.option("--stock", type=int, default=None)
@pass_ctx
def reward_add(ctx: CliContext, code: str, name_th: str, name_en: str, points: int, stock: int | None) -> None:
    """Add or change a reward (standalone terminals; enrolled terminals get rewards from the server)."""
    _run(_services(ctx).put_reward, code=code, name_th=name_th, name_en=name_en, points_cost=points, stock=stock)
    ctx.emit({"ok": True, "code": code}, _("Reward {code} saved.").format(code=code))


@reward.command("list")
@pass_ctx
def reward_list(ctx: CliContext) -> None:
    """List active rewards."""
    rows = _run(_services(ctx).rewards)
    ctx.emit([r.to_dict() for r in rows],
             "\n".join(f"{r.code:<12}{r.points_cost:>8,}  {r.name_th} / {r.name_en}"
                       + (f"  ({r.voucher_text()})" if r.is_voucher else "") for r in rows))


@click.command()
@click.option("--bundle", "bundle", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also write a support archive (.tar.gz): logs, configuration with secrets masked, this doctor "
                   "output and versions. Never the ledger, the credential or keys.")
@pass_ctx
def doctor(ctx: CliContext, bundle: Path | None) -> None:
    """Check the ledger file, its hash chain and balances, backups, disk, identity and sync queue."""
    from pos_app.services.device import CREDENTIAL_FILENAME, LEDGER_FILENAME, list_backups
    from pos_app.services.errors import ServiceError
    from pos_app.services.reports import doctor_without_ledger

    data_dir = ctx.data_dir
    if not (data_dir / LEDGER_FILENAME).exists() and not (data_dir / CREDENTIAL_FILENAME).exists() \
            and not (data_dir.is_dir() and list_backups(data_dir)):
        raise CliError(_("No terminal in {path}: run 'pos-terminal init' first.").format(path=data_dir),
                       EXIT_FAILED)
    try:
        services = ctx.services()
    except ServiceError as exc:  # the ledger cannot be opened: report why, and what can be checked without it
        result = doctor_without_ledger(data_dir, exc.message)
    else:
        result = _run(services.doctor)
    from pos_app.config import ConfigError, load_config

    try:
        cfg = load_config(ctx.data_dir)
        result["checks"].append({"check": "config", "ok": True, "detail": str(cfg.source) if cfg.source
                                 else _("no terminal.toml: defaults in use")})
    except ConfigError as exc:
        result["checks"].append({"check": "config", "ok": False, "detail": exc.message})
        result["ok"] = False

    from pos_app.services.device import fix_command, ownership_problems

    problems = ownership_problems(data_dir)
    result["checks"].append({"check": "files", "ok": not problems, "detail": "; ".join(problems) + " " + _(
        "Fix it with: {command}").format(command=fix_command(data_dir)) if problems else _(
        "every file of the counter belongs to {user} and only it can read them").format(user=_account())})
    if problems:
        result["ok"] = False

    update_check = _update_check(data_dir)
    if update_check is not None:
        result["checks"].append(update_check)

    credential_check = _credential_check(data_dir)
    if credential_check is not None:
        result["checks"].append(credential_check)
        result["ok"] = result["ok"] and credential_check["ok"]

    def text() -> str:
        out = [f"{'BAD' if not c['ok'] else 'WARN' if c.get('warning') else 'OK '}  {c['check']:<10} {c['detail']}"
               for c in result["checks"]]
        if result["terminal_id"] is not None:
            out.append(_("terminal {id}, mode {mode}, {n} records waiting to upload").format(
                id=result["terminal_id"], mode=result["mode"], n=result["queued_for_upload"]))
        return "\n".join(out)

    from pos_app.services.health import record_doctor

    record_doctor(data_dir, bool(result["ok"]), any(c.get("warning") for c in result["checks"]))
    if bundle is not None:
        from pos_app.support import write_bundle

        try:
            written = write_bundle(bundle, data_dir, result, text())
        except OSError as exc:
            raise CliError(_("Cannot write the support bundle {path}: {reason}").format(
                path=bundle, reason=exc.strerror or exc), EXIT_FAILED) from exc
        result["bundle"] = str(written)
    ctx.emit(result, lambda: text() + (("\n" + _("Support bundle written to {path}.").format(path=bundle))
                                       if bundle is not None else ""))
    if not result["ok"]:
        raise SystemExit(EXIT_FAILED)


CREDENTIAL_WARN_DAYS = 30


def _update_check(data_dir: Path) -> dict[str, Any] | None:
    """The update channel: a warning when no key is pinned (updates are never installed) or the last install
    rolled back. None when the configuration cannot be read (the config check says why)."""
    from pos_app import updates
    from pos_app.config import ConfigError, load_config

    try:
        cfg = load_config(data_dir)
    except ConfigError:
        return None
    if not cfg.update.public_key:
        from pos_app.cli.update_cmds import no_key_line

        return {"check": "update", "ok": True, "warning": True, "detail": no_key_line()}
    applied = updates.read_json(updates.updates_dir(data_dir) / updates.APPLIED_FILE) or {}
    if applied.get("status") == updates.ROLLED_BACK:
        return {"check": "update", "ok": True, "warning": True, "detail": _(
            "version {version} rolled back at {when}: the version before runs with its own ledger; see "
            "'pos-terminal update status'").format(version=applied.get("version"), when=applied.get("at"))}
    return {"check": "update", "ok": True, "detail": _("updates signed by key {fingerprint} are installed in the "
                                                       "quiet time (channel {channel})").format(
        fingerprint=_fingerprint(cfg.update.public_key), channel=cfg.update.channel)}


def _fingerprint(public_key: str) -> str:
    from sync.release import fingerprint

    return fingerprint(public_key)


def _credential_check(data_dir: Path) -> dict[str, Any] | None:
    """When the sync credential expires: a warning 30 days ahead (the sync renews it by itself before; a
    warning means it could not), BAD once expired. None for a standalone terminal or an unknown expiry."""
    import json
    import time

    from pos_app.services.device import CREDENTIAL_FILENAME, iso_to_ms

    try:
        expires = json.loads((data_dir / CREDENTIAL_FILENAME).read_text("utf-8")).get("expires_at")
        expires_ms = iso_to_ms(expires)
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    days = (expires_ms - time.time_ns() // 1_000_000) // 86_400_000
    if days < 0:
        return {"check": "credential", "ok": False, "detail": _(
            "the sync credential expired on {date}: the server refuses this terminal. Ask head office for an "
            "enrollment code and run 'pos-terminal enroll --again --code CODE' (the ledger and the terminal id "
            "are kept).").format(date=expires[:10])}
    if days < CREDENTIAL_WARN_DAYS:
        return {"check": "credential", "ok": True, "warning": True, "detail": _(
            "the sync credential expires in {days} days ({date}) and has not been renewed: check that sync "
            "works ('pos-terminal sync --once'); it renews itself at the next successful sync.").format(
            days=days, date=expires[:10])}
    return {"check": "credential", "ok": True, "detail": _("the sync credential is valid until {date}").format(
        date=expires[:10])}


def _account() -> str:
    import os

    from pos_app.services.device import account_name

    return account_name(os.geteuid()) if hasattr(os, "geteuid") else "?"


@click.command()
@click.option("--if-older-than", "max_age_hours", type=click.IntRange(min=1), default=None, metavar="HOURS",
              help="Only if the newest backup is older than HOURS.")
@click.option("--if-due", is_flag=True,
              help="Only if the newest backup is older than [backup] every_hours of terminal.toml (the timer).")
@pass_ctx
def backup(ctx: CliContext, max_age_hours: int | None, if_due: bool) -> None:
    """Take an online backup of the ledger (consistent while the counter keeps working)."""
    if if_due and max_age_hours is None:
        max_age_hours = ctx.config().backup.every_hours
    services = _services(ctx)
    keep = ctx.config().backup.keep
    info = _run(services.backup, keep) if max_age_hours is None else _run(services.backup_if_due, max_age_hours, keep)
    if info is None:
        ctx.emit({"ok": True, "path": None}, _("The newest backup is recent enough; none taken."))
        return
    ctx.emit({"ok": True, "path": str(info.path), "size_bytes": info.size_bytes},
             _("Backup written to {path}.").format(path=info.path))


@click.command()
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup file to restore (default: the newest in the data folder).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def restore(ctx: CliContext, source: Path | None, yes: bool) -> None:
    """Replace the ledger with a backup (the counter app must be closed). The replaced file is kept."""
    from pos_app.services.device import restore_backup as do_restore
    from pos_app.services.errors import ServiceError

    if not yes and not ctx.json:
        click.confirm(_("Replace the ledger in {path} with a backup?").format(path=ctx.data_dir), abort=True)
    try:
        info = do_restore(ctx.data_dir, source)
    except ServiceError as exc:
        raise CliError(exc.message, EXIT_FAILED, exc.code) from exc
    lines = [_("Restored from {source}.").format(source=info.source)]
    if info.kept is not None:
        lines.append(_("The replaced file was kept as {path}.").format(path=info.kept))
    if info.enrolled:
        lines.append(_("This terminal is enrolled: before it records anything, it gets back from the loyalty "
                       "server the records of its own that are newer than the backup. Connect it and run "
                       "'pos-terminal sync --once' now."))
    ctx.emit({"ok": True, "source": str(info.source), "kept": str(info.kept) if info.kept else None,
              "sync_required": info.enrolled}, "\n".join(lines))


@click.command()
@pass_ctx
def expire(ctx: CliContext) -> None:
    """Expire points whose time has come (daily job on a standalone terminal; enrolled terminals get the
    server's expiry entries with sync)."""
    done = _run(_services(ctx).expire_due)
    ctx.emit({"ok": True, "expired": done}, _("{points:,} points expired for {members:,} members.").format(
        points=sum(done.values()), members=len(done)))


@click.group()
def config() -> None:
    """The terminal's settings (terminal.toml)."""


@config.command("show")
@click.pass_context
def config_show(click_ctx: click.Context) -> None:
    """Print every setting in effect and where it came from: default, file (which) or environment."""
    import os

    from pos_app.config import ConfigError, effective_settings

    ctx: CliContext = click_ctx.obj
    try:
        settings = effective_settings(ctx.data_dir)
    except ConfigError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    root = click_ctx.find_root()
    if root.params.get("data_dir"):
        dir_source, dir_where = "option", "--data-dir"
    elif os.environ.get("POS_DATA_DIR"):
        dir_source, dir_where = "environment", "POS_DATA_DIR"
    else:
        dir_source, dir_where = "default", None
    rows = [{"key": "data_dir", "value": str(ctx.data_dir), "source": dir_source, "where": dir_where}]
    rows += [{"key": st.key, "value": st.value, "source": st.source, "where": st.where} for st in settings]
    names = {"default": _("default"), "file": _("file"), "environment": _("environment"), "option": _("option")}

    def text() -> str:
        width = max(len(r["key"]) for r in rows)
        return "\n".join(
            f"{r['key']:<{width}}  {_show_value(r['value']):<28} {names[r['source']]}"
            + (f" ({r['where']})" if r["where"] else "") for r in rows)

    def text_with_notes() -> str:
        from pos_app.cli.update_cmds import no_key_line

        key = next((r["value"] for r in rows if r["key"] == "update.public_key"), None)
        return text() + ("" if key else "\n\n" + no_key_line())

    ctx.emit(rows, text_with_notes)


def _show_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, str) else str(value)


@click.group()
def rules() -> None:
    """The loyalty rules this terminal earns by (versioned; an enrolled terminal pulls them from head office)."""


@rules.command("show")
@pass_ctx
def rules_show(ctx: CliContext) -> None:
    """The active rules: version, earning, and the currencies this branch takes with their rates."""
    from pos_app.core import currency as fx

    services = _services(ctx)
    bundle = _run(services.active_rules)
    taken = _run(services.accepted_currencies)
    rates = [{"currency": r.currency, "rate_thb": r.rate_thb, "valid_from": r.valid_from.isoformat(),
              "exponent": fx.exponent(r.currency), "accepted_here": r.currency in taken}
             for r in bundle.currencies.rates]

    def text() -> str:
        out = [_("Rules version {version}").format(version=bundle.version),
               _("Earning: 1 point per {amount}").format(amount=format_baht(bundle.earn.satang_per_point)),
               _("Currencies taken here: {codes}").format(codes=", ".join((fx.HOME_CURRENCY, *taken)))]
        if rates:
            out.append(_("Rates to THB (from):"))
            out += [f"  {r['currency']}  {r['rate_thb']:>18}  {r['valid_from']}"
                    + ("" if r["accepted_here"] else "  " + _("(not taken at this branch)")) for r in rates]
        return "\n".join(out)

    ctx.emit({"version": bundle.version, "digest": bundle.digest(), "currencies_accepted": list(taken),
              "rates": rates, "rules": json.loads(bundle.to_json())}, text)


@rules.command("install")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def rules_install(ctx: CliContext, bundle_file: Path) -> None:
    """Install and activate a rules bundle (JSON) on a standalone terminal; an enrolled one pulls its rules."""
    from pos_app.core.rules import RulesBundle

    services = _services(ctx)
    if _run(services.is_enrolled):
        raise CliError(_("This terminal is enrolled: its rules come from head office with sync."))
    try:
        bundle = RulesBundle.from_json(bundle_file.read_bytes())
    except RuleError as exc:
        raise CliError(exc.message) from exc
    _run(services.install_rules, bundle)
    ctx.emit({"version": bundle.version, "digest": bundle.digest()},
             _("Rules version {version} installed and active.").format(version=bundle.version))
