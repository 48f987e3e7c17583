"""Points slips for the counter: the printer from the [printer] config, translated labels, ฿ amounts.

Nothing here touches Qt or a widget: the window captures the values it needs on the UI thread and hands
:func:`print_slip_job` to its print thread (a printer that is offline may take seconds to give up; the
recorded operation was already committed and is never undone by a printing problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hardware.printers import EscposPrinter, PdfPrinter, Printer, PrinterError, PrintResult, SlipPrinter
from hardware.slips import PAPER_WIDTHS, SlipData, SlipError, SlipLabels, render_slip
from pos_app.config import PrinterSection
from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht

SLIP_FOLDER = "slips"  # pdf printer without an address: <data dir>/slips
LAST_SLIP = "last-slip.png"  # so "reprint last slip" survives a restart

#: hardware.printers reports stable codes in English: the cashier reads them here, translated
PRINTER_MESSAGES = {
    "offline": N_("The slip printer is offline, unplugged or switched off."),
    "out_of_paper": N_("The slip printer is out of paper: load a new roll, then press Reprint."),
    "error": N_("The slip printer reported an error."),
    "write_failed": N_("The slip file could not be written."),
    "bad_config": N_("The printer settings are not valid: call IT."),
    "not_available": N_("Printer support is not installed on this terminal: call IT."),
    "no_last_slip": N_("There is no slip to reprint."),
    "bad_input": N_("The slip could not be laid out."),
}


def printer_message(code: str) -> str:
    template = PRINTER_MESSAGES.get(code)
    return _(template) if template else _("The slip did not print ({code}).").format(code=code)


def make_printer(section: PrinterSection, data_dir: Path) -> Printer | None:
    """The configured printer (None for ``kind = "none"``). Nothing is opened yet."""
    width = PAPER_WIDTHS["58mm" if section.paper_mm == 58 else "80mm"]
    address = (section.address or "").strip()
    if section.kind == "none":
        return None
    if section.kind == "pdf":
        return PdfPrinter(Path(address).expanduser() if address else data_dir / SLIP_FOLDER)
    if section.kind == "network":
        host, _sep, port = address.rpartition(":") if ":" in address else (address, "", "9100")
        return EscposPrinter.network(host, int(port), width_px=width)
    if section.kind == "serial":
        return EscposPrinter.serial(address, width_px=width)
    if section.kind == "usb":
        vid, _sep, pid = address.partition(":")
        return EscposPrinter.usb(int(vid, 16), int(pid, 16), width_px=width)
    if section.kind == "file":
        return EscposPrinter.file(address, width_px=width)
    raise PrinterError("bad_config", f"unknown printer kind {section.kind!r}")


def make_slip_printer(section: PrinterSection, data_dir: Path, printer: Printer | None = None) -> SlipPrinter | None:
    printer = printer if printer is not None else make_printer(section, data_dir)
    if printer is None:
        return None
    return SlipPrinter(printer, keep_last=data_dir / LAST_SLIP)


def slip_labels() -> SlipLabels:
    """The slip's labels in the current language (call on the UI thread, when the slip is asked for)."""
    return SlipLabels(branch=_("Branch"), time=_("Time"), receipt=_("Receipt"), member=_("Member"),
                      purchase=_("Purchase"), earned=_("Points earned"), redeemed=_("Points redeemed"),
                      balance_before=_("Balance before"), balance_after=_("Balance after"),
                      expiring=_("Expiring by {date}"), points_unit=_("pts"), thanks=_("Thank you"))


def mask_card(card_no: str) -> str:
    """Only the last four digits on paper."""
    return ("•" * max(0, len(card_no) - 4) + card_no[-4:]) if card_no else ""


def voucher_slip_line(voucher_id: str, what: str) -> tuple[str, str]:
    """The slip's line for a voucher used on the sale: the end of its code and what it gave."""
    return _("Voucher …{tail}").format(tail=voucher_id[-4:]), what


def slip_data(result: Any, member: Any, *, branch: str, labels: SlipLabels,
              printed_at: datetime | None = None, voucher: Any = None) -> SlipData:
    """A slip for an ``AwardResult`` (points earned; ``voucher``: an ``AppliedVoucher`` discount used on the
    sale), a ``VoucherUseResult`` of a multiplier voucher (its sale, points earned), a ``RedeemResult`` (points
    redeemed) or a ``ReturnResult`` (points taken back for a refund, and any redeemed points given back)."""
    if getattr(result, "voucher_id", None) and getattr(result, "bill_satang", None) is not None \
            and getattr(result, "entry_id", None):
        bonus = _("{what} (+{points} points)").format(what=result.description, points=f"{result.voucher_bonus:,}")
        return SlipData(
            title=_("Loyalty points"), branch=branch, printed_at=printed_at or datetime.now(),
            receipt_no=result.receipt_ref, member_name=member.name, member_number=mask_card(member.card_no),
            points_change=result.points, balance_before=result.balance_before, balance_after=result.balance_after,
            purchase_amount=format_baht(result.bill_satang),
            extra_lines=(voucher_slip_line(result.voucher_id, bonus),), labels=labels)
    if getattr(result, "code", None) and getattr(result, "valid_until", None):  # a voucher bought with points
        return SlipData(
            title=_("Voucher"), branch=branch, printed_at=printed_at or datetime.now(),
            receipt_no=result.op_id[-8:], member_name=member.name, member_number=mask_card(member.card_no),
            points_change=-result.points, balance_before=result.balance_after + result.points,
            balance_after=result.balance_after, purchase_amount="",
            extra_lines=((_("Voucher"), result.description), (_("Valid until"), result.valid_until)),
            labels=labels, qr_text=result.code, qr_caption=result.voucher_id)
    if hasattr(result, "points_clawed_back"):
        extra_lines: tuple[tuple[str, str], ...] = ((_("Refund"), format_baht(int(result.refund_satang))),)
        if result.points_restored:
            extra_lines += ((_("Points given back"), f"{int(result.points_restored):,}"),)
        return SlipData(
            title=_("Return"), branch=branch, printed_at=printed_at or datetime.now(),
            receipt_no=result.receipt_ref, member_name=member.name, member_number=mask_card(member.card_no),
            points_change=int(result.points_restored) - int(result.points_clawed_back),
            balance_before=result.balance_before, balance_after=result.balance_after, purchase_amount="",
            extra_lines=extra_lines, labels=labels)
    earned = hasattr(result, "amount_satang")
    extra: tuple[tuple[str, str], ...] = ()
    discount = None if earned else getattr(result, "discount_satang", None)
    if discount:
        extra = ((_("Discount"), format_baht(int(discount))),)
    if not earned and getattr(result, "reward_code", None):
        extra += ((_("Reward"), str(result.reward_code)),)
    purchase = format_baht(result.amount_satang) if earned else ""
    if earned and voucher is not None:  # the bill, what the voucher took off it, what was paid (points on it)
        purchase = format_baht(result.amount_satang + voucher.discount_satang)
        extra = (voucher_slip_line(voucher.voucher_id, _("{amount} off").format(
            amount=format_baht(voucher.discount_satang))), (_("Paid"), format_baht(result.amount_satang)))
    return SlipData(
        title=_("Loyalty points"),
        branch=branch,
        printed_at=printed_at or datetime.now(),
        receipt_no=getattr(result, "receipt_ref", "") or result.op_id[-8:],
        member_name=member.name,
        member_number=mask_card(member.card_no),
        points_change=result.points if earned else -result.points,
        balance_before=result.balance_before,
        balance_after=result.balance_after,
        purchase_amount=purchase,
        extra_lines=extra,
        labels=labels,
    )


@dataclass(frozen=True)
class PrintOutcome:
    """What the print thread reports back: a result, or the printer's stable error code."""

    result: PrintResult | None
    error_code: str | None = None
    detail: str = ""


def print_slip_job(slips: SlipPrinter, data: SlipData | None, paper: str, *, reprint: bool = False) -> PrintOutcome:
    """Render and print (runs on the print thread). ``data=None`` with ``reprint``: the last slip again."""
    try:
        if reprint:
            return PrintOutcome(slips.reprint_last())
        assert data is not None
        image = render_slip(data, "58mm" if paper == "58mm" else "80mm")
        return PrintOutcome(slips.print_slip(image))
    except PrinterError as exc:
        return PrintOutcome(None, exc.code, exc.message)
    except SlipError as exc:
        return PrintOutcome(None, exc.code, exc.message)


__all__ = ["PRINTER_MESSAGES", "PrintOutcome", "make_printer", "make_slip_printer", "print_slip_job",
           "printer_message", "slip_data", "slip_labels"]
