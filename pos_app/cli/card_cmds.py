"""``pos-terminal card render``: a printable member card, refused unless it scans back to the member.

Registered by ``hardware_cmds.register`` (the ``card`` group lives here so the ``scan`` and ``card``
commands can evolve without stepping on each other).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.i18n import N_, _

pass_ctx = click.make_pass_decorator(CliContext)

# stable codes from hardware.cards -> text for IT / the cashier (translated at use)
_CARD_MESSAGES = {
    "read_back_failed": N_("The rendered card did not scan back to the same member code and card number, "
                           "so it was not saved. Try a higher --dpi, or report this to IT."),
    "write_failed": N_("Cannot write the card file {file}: check the folder exists and can be written."),
    "bad_input": N_("This member's data cannot be put on a card (missing name or card number)."),
    "font_missing": N_("The Thai font is missing from this installation: reinstall the app."),
}


def register(group: click.Group) -> None:
    group.add_command(card)


@click.group()
def card() -> None:
    """Member cards."""


def _now(services: Any) -> datetime:
    clock = getattr(services, "clock", None)
    if callable(clock):
        return datetime.fromtimestamp(clock() / 1000, UTC)
    return datetime.now(UTC)


def _load_member(ctx: CliContext, member_ref: str) -> tuple[Any, Any]:
    """The member named by any identifier ``award`` accepts (phone, card number, member code, id), with a
    signed member code: the stored one, or one this terminal signs now."""
    from pos_app.services.errors import ServiceError, Unavailable

    try:
        services = ctx.services()
        found = services.identify(member_ref)
        return services, services.member_card_code(found.id)
    except Unavailable as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    except ServiceError as exc:
        raise CliError(exc.message) from exc


@card.command("render")
@click.option("--member", "member_ref", required=True, help="Member id, card number, member code or phone.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (.png or .pdf).")
@click.option("--format", "fmt", type=click.Choice(["png", "pdf"]), default=None,
              help="File format (default: from the file name, else png).")
@click.option("--dpi", type=click.IntRange(150, 1200), default=300, show_default=True,
              help="Print resolution of the card image.")
@pass_ctx
def render(ctx: CliContext, member_ref: str, out: Path, fmt: str | None, dpi: int) -> None:
    """Render a printable card (QR member code, Code128 card number, name, member number) and check
    that it scans back to the same member before writing it."""
    from hardware.cards import CardData, CardRenderError, card_format, render_card, save_card
    from hardware.fonts import FontMissingError
    from pos_app.core.member_codes import MemberCodeError, verify_member_code

    suffix = out.suffix.lower().lstrip(".")
    if fmt is None and suffix not in ("", "png", "pdf"):
        raise CliError(_("Cannot tell the card format from {file}: name it .png or .pdf, or give --format.")
                       .format(file=out))
    services, member = _load_member(ctx, member_ref)
    if not member.member_code:  # only an enrolled terminal whose key the server has not certified yet
        raise CliError(_("Member {id} has no signed member code yet: sync the terminal with the server, "
                         "then render the card again.").format(id=member.id))
    try:
        code = verify_member_code(member.member_code, services.public_keys(), _now(services),
                                  services.revoked_key_ids())
    except MemberCodeError as exc:
        raise CliError(_("The member code stored for {id} cannot go on a card: {reason}")
                       .format(id=member.id, reason=exc.message)) from exc
    if code.member_id != member.id:
        raise CliError(_("The member code stored for {id} names another member; sync the terminal.")
                       .format(id=member.id))

    data = CardData(member_code=member.member_code, card_number=member.card_no, name=member.name,
                    member_number=member.id, title=_("Member card"), member_number_label=_("Member no."))
    try:
        kind = card_format(out, fmt)
        image = render_card(data, dpi=dpi)
        save_card(image, out, kind, dpi=dpi)
    except CardRenderError as exc:
        template = _CARD_MESSAGES.get(exc.code, _CARD_MESSAGES["read_back_failed"])
        raise CliError(_(template).format(file=out), EXIT_FAILED) from exc
    except FontMissingError as exc:
        raise CliError(_(_CARD_MESSAGES["font_missing"]), EXIT_FAILED) from exc

    result = {"ok": True, "member_id": member.id, "name": member.name, "card_no": member.card_no,
              "file": str(out), "format": kind, "dpi": dpi, "verified": True,
              "expires_at": code.expires_at.isoformat(), "key_id": code.key_id}
    ctx.emit(result, _("Card for {name} written to {file} (it scans back to this member).")
             .format(name=member.name, file=out))
