"""Flag kinds in a manager's words: the counter's back office and the head-office console read one table."""

from __future__ import annotations

from pos_app.core.flags import FLAG_TEXT, flag_label
from pos_app.core.i18n import load_catalog, using_language


def test_a_known_kind_reads_as_its_label_in_either_language() -> None:
    thai = load_catalog("th")
    with using_language("en"):
        assert flag_label("voucher_reward_redeemed") == "Voucher reward redeemed without a voucher"
        assert flag_label("overdraft") == "Overdraft after offline redemptions"
    with using_language("th"):
        label = flag_label("voucher_reward_redeemed")
        assert label == thai["Voucher reward redeemed without a voucher"]
        assert label != "Voucher reward redeemed without a voucher"


def test_a_kind_this_version_does_not_know_shows_as_it_came() -> None:
    with using_language("th"):
        assert flag_label("raised_by_a_newer_server") == "raised_by_a_newer_server"


def test_every_kind_the_server_raises_has_a_label() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    raised = set()
    for path in (root / "sync" / "server").glob("*.py"):
        raised |= set(re.findall(r'NewFlag\(\s*(?:kind=)?"([a-z_]+)"', path.read_text(encoding="utf-8")))
    raised.add("retention_review")  # privacy.RETENTION_FLAG
    assert "voucher_reward_redeemed" in raised
    assert raised <= set(FLAG_TEXT), raised - set(FLAG_TEXT)
