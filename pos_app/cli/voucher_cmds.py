"""``pos-terminal voucher``: check what a voucher gives, use it on a sale (online first), report the uses."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click

from pos_app.cli import CliContext, CliError
from pos_app.cli.terminal_cmds import (
    _amount,
    _identify_member,
    _run,
    _services,
    op_id_option,
    operator_option,
)
from pos_app.core.i18n import _
from pos_app.core.money import format_baht

pass_ctx = click.make_pass_decorator(CliContext)


def register(group: click.Group) -> None:
    group.add_command(voucher)


@click.group()
def voucher() -> None:
    """Vouchers and coupons: check one, use one on a sale, report."""


def _check_text(c: Any) -> str:
    lines = [_("Voucher {id}: {what}").format(id=c.voucher_id, what=c.description),
             _("Takes off this bill: {amount}").format(amount=format_baht(c.value_satang)),
             _("Valid until {date}").format(date=c.valid_until)]
    if c.min_spend_satang:
        lines.append(_("Minimum bill {amount}").format(amount=format_baht(c.min_spend_satang)))
    if c.branch:
        lines.append(_("Only at branch {branch}").format(branch=c.branch))
    if c.owner:
        lines.append(_("Belongs to member {member}").format(member=c.owner))
    return "\n".join(lines)


def _member_id(ctx: CliContext, member_ref: str | None) -> str | None:
    return _identify_member(ctx, member_ref).id if member_ref else None


@voucher.command("check")
@click.argument("code")
@click.option("--amount", default=None, help="Bill amount in baht (checks the minimum spend, computes a percentage).")
@click.option("--member", "member_ref", default=None, help="The member using it (id, card, member code or phone).")
@pass_ctx
def voucher_check(ctx: CliContext, code: str, amount: str | None, member_ref: str | None) -> None:
    """What the voucher CODE gives, verified offline here; nothing is recorded."""
    bill = _amount(amount) if amount else None
    services = _services(ctx)
    c = _run(services.check_voucher, code, bill_satang=bill, member_id=_member_id(ctx, member_ref))
    ctx.emit(asdict(c), lambda: _check_text(c))


@voucher.command("redeem")
@click.argument("code")
@click.option("--receipt", required=True, help="Receipt of the sale the voucher is used on.")
@click.option("--amount", default=None, help="Bill amount in baht (a multiplier voucher: the sale it multiplies).")
@click.option("--member", "member_ref", default=None, help="The member using it (id, card, member code or phone).")
@operator_option
@op_id_option
@pass_ctx
def voucher_redeem(ctx: CliContext, code: str, receipt: str, amount: str | None, member_ref: str | None,
                   operator: str, op_id: str | None) -> None:
    """Use the voucher CODE on a sale: held and committed on the loyalty server when it can be reached, else
    within the offline allowance for its type. A points-multiplier voucher records the sale itself (--member and
    --amount needed) with the multiplied points, in the same transaction: do not award the receipt again."""
    bill = _amount(amount) if amount else None
    member_id = _member_id(ctx, member_ref)
    services = _services(ctx)
    from pos_app.services import sync_glue
    from sync.client.errors import NotEnrolled

    try:
        client = sync_glue.make_client(services)
    except NotEnrolled:  # a standalone terminal keeps its own single-use record only
        client = None
    try:
        r = _run(sync_glue.redeem_voucher, services, client, code, receipt_ref=receipt, operator_id=operator,
                 bill_satang=bill, member_id=member_id, op_id=op_id)
    finally:
        if client is not None:
            client.close()

    def text() -> str:
        if r.points is not None:
            line = _("Voucher {id} used on receipt {receipt}: {what}. The sale of {bill} earned {points:,} points "
                     "({bonus:,} of them from the voucher). Balance {after:,}.").format(
                id=r.voucher_id, receipt=r.receipt_ref, what=r.description, bill=format_baht(r.bill_satang or 0),
                points=r.points, bonus=r.voucher_bonus or 0, after=r.balance_after)
        else:
            line = _("Voucher {id} used on receipt {receipt}: {what}; {amount} off.").format(
                id=r.voucher_id, receipt=r.receipt_ref, what=r.description, amount=format_baht(r.value_satang))
        if r.offline:
            line += " " + _("(offline: sent to the server at the next sync)")
        if r.replayed:
            line += _(" (already recorded)")
        return line

    ctx.emit(asdict(r), text)


@voucher.command("buy")
@click.option("--member", "member_ref", required=True, help="Member id, card number, member code or phone.")
@click.option("--reward", "reward_code", required=True, help="A voucher reward of the catalog.")
@click.option("--receipt", default=None, help="Receipt number (optional).")
@click.option("--slip", "slip_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the slip with the voucher's QR code to this PNG file.")
@operator_option
@op_id_option
@pass_ctx
def voucher_buy(ctx: CliContext, member_ref: str, reward_code: str, receipt: str | None, slip_out: Path | None,
                operator: str, op_id: str | None) -> None:
    """Redeem the member's points for a voucher (online only): the server signs it; it prints as a QR."""
    m = _identify_member(ctx, member_ref)
    services = _services(ctx)
    from pos_app.services import sync_glue
    from sync.client.errors import NotEnrolled

    try:
        client = sync_glue.make_client(services)
    except NotEnrolled:
        client = None
    try:
        r = _run(sync_glue.buy_voucher, services, client, member_id=m.id, reward_code=reward_code,
                 operator_id=operator, receipt_ref=receipt, op_id=op_id)
    finally:
        if client is not None:
            client.close()
    if slip_out is not None:
        _write_slip(slip_out, r, m, receipt)
    ctx.emit(asdict(r), lambda: _("{name} bought voucher {id} ({what}, valid until {date}) for {points:,} points. "
                                  "Balance {after:,}.").format(
        name=m.name, id=r.voucher_id, what=r.description, date=r.valid_until, points=r.points,
        after=r.balance_after) + "\n" + r.code)


def _write_slip(path: Path, r: Any, member: Any, receipt: str | None) -> None:
    from datetime import datetime as _dt

    from hardware.slips import SlipData, SlipError, SlipLabels, render_slip

    labels = SlipLabels(branch=_("Branch"), time=_("Time"), receipt=_("Receipt"), member=_("Member"),
                        purchase=_("Purchase"), earned=_("Points earned"), redeemed=_("Points redeemed"),
                        balance_before=_("Balance before"), balance_after=_("Balance after"),
                        expiring=_("Expiring by {date}"), points_unit=_("pts"), thanks=_("Thank you"))
    data = SlipData(title=_("Voucher"), branch="", printed_at=_dt.now(), receipt_no=receipt or r.op_id[-8:],
                    member_name=member.name, member_number=member.card_no[-4:].rjust(len(member.card_no), "•"),
                    points_change=-r.points, balance_before=r.balance_after + r.points,
                    balance_after=r.balance_after, extra_lines=((_("Voucher"), r.description),
                                                                (_("Valid until"), r.valid_until)),
                    labels=labels, qr_text=r.code, qr_caption=r.voucher_id)
    try:
        render_slip(data).save(path)
    except (SlipError, OSError) as exc:
        raise CliError(_("The slip could not be written: {error}").format(error=exc)) from exc


@voucher.command("report")
@click.option("--by", type=click.Choice(["day", "kind", "cashier"]), default="day", show_default=True)
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True, help="The last N days.")
@pass_ctx
def voucher_report(ctx: CliContext, by: str, days: int) -> None:
    """Vouchers used at this counter per day, kind or cashier (with offline uses and conflicts)."""
    services = _services(ctx)
    until = datetime.now().astimezone() + timedelta(seconds=1)
    rows = _run(services.voucher_report, until - timedelta(days=days), until, by)
    if ctx.json:
        ctx.emit(rows, "")
        return
    if not rows:
        click.echo(_("No vouchers used."))
    for row in rows:
        click.echo(_("{key}: {uses} used, {value}, offline {offline}, conflicts {conflicts}, waiting {waiting}").format(
            key=row[by], uses=row["uses"], value=format_baht(row["value_satang"]), offline=row["offline"],
            conflicts=row["conflicts"], waiting=row["waiting"]))
    if any(row["conflicts"] for row in rows):
        click.echo(_("Some vouchers were used twice while offline: the head office has them flagged."))
