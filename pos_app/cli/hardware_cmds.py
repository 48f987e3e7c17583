"""Counter hardware on the command line: ``scan`` (decode images/videos through the camera pipeline).

Each command group of this module is added in ``register``; hardware-B adds the ``card`` group here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from pos_app.cli import EXIT_FAILED, CliContext, CliError
from pos_app.core.i18n import N_, _

pass_ctx = click.make_pass_decorator(CliContext)

# stable codes from hardware.scanner -> cashier/IT text (translated at use)
_SOURCE_MESSAGES = {
    "not_found": N_("{file}: no such file."),
    "unreadable": N_("{file}: not an image or video that can be read."),
}
_DECODER_MESSAGES = {
    "decoder_crashed": N_("The decoder crashed and was restarted; some frames were not checked."),
    "backend_unavailable": N_("The {decoder} decoder is not installed on this computer (it needs libzbar0)."),
}


def register(group: click.Group) -> None:
    from pos_app.cli import card_cmds  # ``card render`` (hardware-B)

    group.add_command(scan)
    card_cmds.register(group)


def _decode_file(path: Path, decoder: Any, max_codes: int = 16) -> tuple[list[Any], str | None, list[str]]:
    """Run one file through the same pipeline as the camera. Returns (scans in order of first sight,
    source error code, other status codes)."""
    from hardware.scanner import Debouncer, ScanPipeline, SourceError, open_source

    found: dict[tuple[str, str], Any] = {}
    statuses: list[str] = []
    errors: list[str] = []

    def on_result(scans: list[Any], info: Any) -> None:
        for s in scans:
            if len(found) < max_codes:
                found.setdefault((s.text, s.symbology), s)

    def on_status(ev: Any) -> None:
        statuses.append(ev.code)
        if ev.code == "source_error":
            errors.append(str(ev.detail.get("error", "unreadable")))

    if not path.exists():
        return [], "not_found", []
    try:
        source = open_source(path)
    except SourceError as exc:
        return [], exc.code, []
    pipeline = ScanPipeline(source, decoder, debouncer=Debouncer(n_frames=1), on_result=on_result,
                            on_status=on_status, drop_frames=False)
    pipeline.run()
    if pipeline.stats.decoded == 0 and not errors:
        errors.append("unreadable")
    return list(found.values()), (errors[0] if errors else None), statuses


def _verify(text: str, services: Any) -> tuple[bool | None, str | None]:
    """(verified, reason): True/False for a signed member QR; None when the code carries no signature."""
    from pos_app.core import member_codes

    kind = member_codes.classify_scan(text)
    if kind != "member_qr":
        return None, None
    if services is None:
        return None, _("Cannot check the signature: the terminal's keys are not available.")
    try:
        member_codes.verify_member_code(text, services.public_keys(), datetime.now(UTC))
    except member_codes.MemberCodeError as exc:
        return False, exc.message
    return True, None


def _member(text: str, services: Any) -> tuple[dict[str, Any] | None, str | None]:
    if services is None:
        return None, None
    from pos_app.services.errors import ServiceError

    try:
        m = services.identify(text)
    except ServiceError as exc:
        return None, exc.message
    return {"id": m.id, "name": m.name, "card_no": m.card_no, "tier": m.tier, "balance": m.balance}, None


def _human(entry: dict[str, Any]) -> str:
    f = entry["file"]
    if entry.get("error"):
        return str(entry["error"])
    if entry["text"] is None:
        return _("{file}: no code found.").format(file=f)
    lines = [_("{file}: {symbology} code {text}").format(file=f, symbology=entry["symbology"].upper(),
                                                         text=_shorten(entry["text"]))]
    if entry["verified"] is True:
        lines.append("  " + _("signature: genuine"))
    elif entry["verified"] is False:
        lines.append("  " + _("signature: NOT genuine: {reason}").format(reason=entry.get("verify_error") or ""))
    else:
        lines.append("  " + _("signature: none (not a signed member code)"))
    m = entry["member"]
    if m:
        lines.append("  " + _("member: {name} ({id}), card {card}").format(name=m["name"], id=m["id"],
                                                                         card=m["card_no"]))
    else:
        lines.append("  " + _("member: none: {reason}").format(reason=entry.get("member_error") or _("not looked up")))
    for other in entry.get("codes", [])[1:]:
        lines.append("  " + _("also found: {symbology} {text}").format(symbology=other["symbology"].upper(),
                                                                       text=_shorten(other["text"])))
    return "\n".join(lines)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--decoder", "decoder_name", type=click.Choice(["zxing", "pyzbar"]), default="zxing",
              show_default=True, help="Decoder backend (pyzbar needs libzbar0 and runs in a worker process).")
@click.option("--ean13", is_flag=True, help="Also read EAN-13 (QR and Code128 are always read).")
@click.option("--no-lookup", is_flag=True, help="Only decode: do not open the terminal to verify or look up.")
@pass_ctx
def scan(ctx: CliContext, files: tuple[Path, ...], decoder_name: str, ean13: bool, no_lookup: bool) -> None:
    """Decode still images or videos through the camera pipeline; show each code, whether its signature
    verifies and the member it names. Exits non-zero if no code was found in any input."""
    from hardware.scanner import DecoderError, make_decoder

    symbologies = ("qr", "code128", "ean13") if ean13 else ("qr", "code128")
    crashes: list[str] = []
    try:
        decoder = make_decoder(decoder_name, symbologies, on_event=lambda code, msg: crashes.append(code))
    except DecoderError as exc:
        template = _DECODER_MESSAGES.get(exc.code)
        raise CliError(_(template).format(decoder=decoder_name) if template else str(exc), EXIT_FAILED) from exc

    services = None
    lookup_note = None
    if not no_lookup:
        from pos_app.services.errors import ServiceError

        try:
            services = ctx.services()
        except ServiceError as exc:
            lookup_note = exc.message

    any_code = False
    try:
        for path in files:
            scans, error, _statuses = _decode_file(path, decoder)
            entry: dict[str, Any] = {"file": str(path), "text": None, "symbology": None, "verified": None,
                                     "member": None}
            if error:
                entry["error"] = _(_SOURCE_MESSAGES.get(error, _SOURCE_MESSAGES["unreadable"])).format(file=path)
            elif scans:
                any_code = True
                first = scans[0]
                entry["text"], entry["symbology"] = first.text, first.symbology
                verified, why = _verify(first.text, services)
                entry["verified"] = verified
                if why:
                    entry["verify_error"] = why
                if verified is False:  # never name a member from a forged or expired code
                    member, member_error = None, _("not identified (the code was refused)")
                else:
                    member, member_error = _member(first.text, services)
                entry["member"] = member
                if member_error or lookup_note:
                    entry["member_error"] = member_error or lookup_note
                if len(scans) > 1:
                    entry["codes"] = [{"text": s.text, "symbology": s.symbology} for s in scans]
            ctx.emit(entry, _human(entry))
    finally:
        decoder.close()
    if crashes:
        click.echo(_(_DECODER_MESSAGES["decoder_crashed"]), err=True)
    if not any_code:
        raise CliError(_("No code found in any of the inputs."), EXIT_FAILED)
