"""Vouchers end to end: ``loyalty-server serve --demo`` as a real process, a batch issued with ``loyalty-server
voucher batch``, two terminals enrolled with ``pos-terminal``. Online a voucher is used once and refused at the
other counter; offline each counter accepts within its allowance and no further; back online the second use of
one voucher is recorded and flagged with its value, and both counters' reports show it."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

from tests.sync.e2e.test_two_terminals import BIN, DemoServer, cli


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data_dir), "--json", "--lang", "en", *args],
                          capture_output=True, text=True, timeout=120)


def admin(demo: DemoServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOYALTY_DATABASE_URL": f"sqlite:///{demo.demo_dir / 'loyalty-demo.sqlite3'}",
           "LOYALTY_KEY_PASSPHRASE": "demo-key-passphrase"}
    out = subprocess.run([str(BIN / "loyalty-server"), *args], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return out


def test_vouchers_online_offline_and_back(demo: DemoServer, tmp_path: Path) -> None:
    codes = demo.read_banner()
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    for d, c in zip(dirs, codes, strict=True):
        cli(d, "enroll", "--server", demo.url, "--code", c)
    admin(demo, "voucher", "batch", "--campaign", "E2E", "--count", "3", "--value", "50.00", "--valid-until",
          "2099-12-31", "--out", str(tmp_path / "codes.csv"))
    admin(demo, "voucher", "allowance", "--kind", "fixed", "--count", "1", "--value", "50.00")
    vouchers = [row["code"] for row in csv.DictReader((tmp_path / "codes.csv").open(encoding="utf-8"))]
    for d in dirs:
        cli(d, "sync", "--once")  # the chain's keys and the allowance

    # online: checked offline at the counter, used once, refused at the other counter
    check = cli(dirs[0], "voucher", "check", vouchers[0], "--amount", "120.00")
    assert (check["description"], check["value_satang"]) == ("฿50.00 off the bill", 5000)
    used = cli(dirs[0], "voucher", "redeem", vouchers[0], "--receipt", "V-1", "--amount", "120.00")
    assert (used["offline"], used["value_satang"], used["conflict"]) == (False, 5000, False)
    again = run(dirs[1], "voucher", "redeem", vouchers[0], "--receipt", "V-2", "--amount", "120.00")
    assert again.returncode != 0 and "This voucher has already been used." in again.stderr
    assert "Traceback" not in again.stderr
    mine = run(dirs[0], "voucher", "redeem", vouchers[0], "--receipt", "V-3")  # this counter knows it used it
    assert mine.returncode != 0 and "already been used" in mine.stderr

    # offline: each counter accepts one fixed voucher (its allowance), not a second
    demo.stop()
    a = cli(dirs[0], "voucher", "redeem", vouchers[1], "--receipt", "OFF-1", "--amount", "80.00")
    b = cli(dirs[1], "voucher", "redeem", vouchers[1], "--receipt", "OFF-2", "--amount", "45.00")
    assert (a["offline"], b["offline"], b["value_satang"]) == (True, True, 4500)
    over = run(dirs[0], "voucher", "redeem", vouchers[2], "--receipt", "OFF-3", "--amount", "80.00")
    assert over.returncode != 0 and "offline allowance" in over.stderr

    # back: both sync; the second use of vouchers[1] is a conflict with its value, flagged on the server
    demo.start()
    assert cli(dirs[0], "sync", "--once")["vouchers_sent"] == 1
    assert cli(dirs[1], "sync", "--once")["vouchers_sent"] == 1
    conflicts = json.loads(admin(demo, "--json", "voucher", "report", "--by", "conflicts").stdout)
    assert [(c["value_satang"], c["receipt_ref"]) for c in conflicts] == [(4500, "OFF-2")]
    status = json.loads(admin(demo, "--json", "voucher", "status", vouchers[1]).stdout)
    assert status["status"] == "used" and [u["conflict"] for u in status["uses"]] == [False, True]
    text = subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(dirs[1]), "--lang", "en", "voucher",
                           "report"], capture_output=True, text=True, timeout=120)
    assert text.returncode == 0 and "used twice while offline" in text.stdout
    assert cli(dirs[1], "voucher", "report", "--by", "kind") == [{"kind": "fixed", "uses": 1, "value_satang": 4500, "offline": 1,
                                          "conflicts": 1, "waiting": 0}]
    # online again the allowance is back and nothing is accepted twice
    assert run(dirs[0], "voucher", "redeem", vouchers[1], "--receipt", "X").returncode != 0
    last = cli(dirs[0], "voucher", "redeem", vouchers[2], "--receipt", "ON-3", "--amount", "80.00")
    assert last["offline"] is False


def test_points_buy_a_voucher_printed_as_a_qr_and_used_at_another_counter(demo: DemoServer, tmp_path: Path) -> None:
    from PIL import Image

    from hardware.cards import scanner_read_back

    codes = demo.read_banner()
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    for d, c in zip(dirs, codes, strict=True):
        cli(d, "enroll", "--server", demo.url, "--code", c)
    admin(demo, "reward", "set", "V50", "--name-th", "บัตรกำนัล 50 บาท", "--name-en", "50 baht voucher", "--cost",
          "150")
    assert "buys a voucher F5000" in admin(demo, "voucher", "reward", "--reward", "V50", "--value", "50.00",
                                           "--valid-days", "30").stdout
    member = cli(dirs[0], "member", "enroll", "--name", "Somsri", "--phone", "0891234567")["id"]
    cli(dirs[0], "award", "--member", member, "--amount", "10000", "--receipt", "B-1")  # 400 points
    for d in dirs:
        cli(d, "sync", "--once")
    # the pulled reward says it buys a voucher; an ordinary redemption of it (which would spend the points and
    # issue no voucher) is refused with its code, online and offline, and spends nothing
    rewards = {r["code"]: r for r in cli(dirs[0], "reward", "list")}
    assert (rewards["V50"]["voucher_benefit"], rewards["V50"]["voucher_valid_days"]) == ("F5000", 30)
    assert rewards["COFFEE"]["voucher_benefit"] is None
    for attempt in range(2):
        if attempt:
            demo.stop()
        plain = run(dirs[0], "redeem", "--member", member, "--reward", "V50")
        refusal = json.loads(plain.stderr.strip().splitlines()[-1])
        assert plain.returncode != 0 and refusal["code"] == "reward.is_voucher", plain.stderr
        assert refusal["error"] == ("Reward V50 buys a voucher: use 'Buy voucher' (pos-terminal voucher buy) while "
                                    "online, so the member gets the voucher for the points.")
        assert cli(dirs[0], "member", "show", member)["balance"] == 400
    demo.start()
    # and the other way round: a reward that is not a voucher is not bought as one (no points held for it)
    not_a_voucher = run(dirs[0], "voucher", "buy", "--member", member, "--reward", "COFFEE")
    assert not_a_voucher.returncode != 0
    assert json.loads(not_a_voucher.stderr.strip().splitlines()[-1]) == {
        "ok": False, "error": "Reward COFFEE is not a voucher: redeem it as usual.", "code": "not_a_voucher_reward"}
    slip = tmp_path / "slip.png"
    bought = cli(dirs[0], "voucher", "buy", "--member", member, "--reward", "V50", "--op-id",
                 "0193a1b2-0000-7000-8000-000000000001", "--slip", str(slip))
    assert (bought["points"], bought["balance_after"], bought["description"]) == (150, 250, "฿50.00 off the bill")
    assert list(scanner_read_back(Image.open(slip)).qr_texts) == [bought["code"]]  # the slip's QR scans back
    # a retry (the answer was lost): the same voucher, no more points spent
    again = cli(dirs[0], "voucher", "buy", "--member", member, "--reward", "V50", "--op-id",
                "0193a1b2-0000-7000-8000-000000000001")
    assert (again["code"], again["balance_after"]) == (bought["code"], 250)
    # the voucher belongs to the member: refused for anyone else, used once by them at the other counter
    other = run(dirs[1], "voucher", "check", bought["code"])
    assert other.returncode != 0 and "belongs to another member" in other.stderr
    used = cli(dirs[1], "voucher", "redeem", bought["code"], "--receipt", "B-2", "--amount", "200.00", "--member",
               member)
    assert (used["offline"], used["value_satang"]) == (False, 5000)
    cli(dirs[0], "sync", "--once")
    assert demo.balance(member) == 250
    # a reward the catalog does not have: one clear line
    not_voucher = run(dirs[0], "voucher", "buy", "--member", member, "--reward", "NOPE")
    assert not_voucher.returncode != 0 and "No reward with code NOPE." in not_voucher.stderr


def test_multiplier_vouchers_multiply_their_sale_online_offline_and_back(demo: DemoServer, tmp_path: Path) -> None:
    """``pos-terminal voucher redeem CODE --member M --amount BILL --receipt R`` with an x2 voucher records the sale
    with twice its points (one transaction); the receipt cannot earn again, the voucher cannot be used again, and the
    server recomputes the same points (no flag). Offline each counter takes one (its allowance); back online both
    sales stand, the second use of one voucher is flagged as a conflict, and its bonus is taken back (one voucher
    multiplies one sale: the first the server receives), flagged with why."""
    codes = demo.read_banner()
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    for d, c in zip(dirs, codes, strict=True):
        cli(d, "enroll", "--server", demo.url, "--code", c)
    admin(demo, "voucher", "batch", "--campaign", "X2", "--count", "4", "--multiplier", "2", "--valid-until",
          "2099-12-31", "--out", str(tmp_path / "x2.csv"))
    admin(demo, "voucher", "allowance", "--kind", "multiplier", "--count", "2", "--value", "0.00")
    x2 = [row["code"] for row in csv.DictReader((tmp_path / "x2.csv").open(encoding="utf-8"))]
    member = cli(dirs[0], "member", "enroll", "--name", "Somsri", "--phone", "0891234567")["id"]
    for d in dirs:
        cli(d, "sync", "--once")

    # online: ฿1,234.50 earns 49 points, the voucher makes it 98, recorded with the sale
    assert cli(dirs[0], "voucher", "check", x2[0])["description"] == "2x points on this sale"
    used = cli(dirs[0], "voucher", "redeem", x2[0], "--receipt", "X-1", "--amount", "1234.50", "--member", member)
    assert (used["offline"], used["points"], used["voucher_bonus"], used["balance_after"]) == (False, 98, 49, 98)
    text = run(dirs[0], "voucher", "redeem", x2[1], "--receipt", "X-1", "--amount", "1234.50", "--member", member)
    assert text.returncode != 0 and "Receipt X-1 already earned points; nothing was added." in text.stderr
    twice = run(dirs[0], "award", "--member", member, "--amount", "1234.50", "--receipt", "X-1")
    assert twice.returncode != 0 and "Receipt X-1 already earned points" in twice.stderr
    no_sale = run(dirs[0], "voucher", "redeem", x2[1], "--receipt", "X-2")
    assert no_sale.returncode != 0 and "used with the sale it multiplies" in no_sale.stderr
    elsewhere = run(dirs[1], "voucher", "redeem", x2[0], "--receipt", "X-3", "--amount", "100.00", "--member", member)
    assert elsewhere.returncode != 0 and "This voucher has already been used." in elsewhere.stderr
    assert "Traceback" not in no_sale.stderr + elsewhere.stderr
    cli(dirs[0], "sync", "--once")
    assert demo.balance(member) == 98

    # offline: each counter takes the same x2 voucher with a ฿500 sale, the first one another too (its allowance:
    # two multipliers), not a third
    demo.stop()
    a = cli(dirs[0], "voucher", "redeem", x2[1], "--receipt", "OFF-1", "--amount", "500.00", "--member", member)
    b = cli(dirs[1], "voucher", "redeem", x2[1], "--receipt", "OFF-2", "--amount", "500.00", "--member", member)
    assert (a["offline"], a["points"], b["offline"], b["points"]) == (True, 40, True, 40)
    assert cli(dirs[0], "voucher", "redeem", x2[2], "--receipt", "OFF-3", "--amount", "500.00", "--member",
               member)["points"] == 40
    over = run(dirs[0], "voucher", "redeem", x2[3], "--receipt", "OFF-4", "--amount", "500.00", "--member", member)
    assert over.returncode != 0 and "offline allowance" in over.stderr

    # back online: the sales stand as the counters honoured them; the first counter's two uses go in one batch
    # request, the second use of x2[1] is a flagged conflict, and that second sale keeps its own 20 points only
    demo.start()
    assert [cli(d, "sync", "--once")["vouchers_sent"] for d in dirs] == [2, 1]
    cli(dirs[0], "sync", "--once")
    assert demo.balance(member) == 98 + 40 + 40 + 40 - 20
    assert [cli(d, "balance", "--member", member)["balance"] for d in dirs] == [198, 198]
    status = json.loads(admin(demo, "--json", "voucher", "status", x2[2]).stdout)
    assert status["status"] == "used" and [(u["offline"], u["conflict"]) for u in status["uses"]] == [(True, False)]
    flags = json.loads(admin(demo, "--json", "flags", "list").stdout)
    assert [(f["details"]["taken_back"], f["details"]["voucher_refused"].startswith("the voucher already multiplied"))
            for f in flags if f["kind"] == "points_mismatch"] == [(20, True)]
    assert [f["details"]["voucher_id"] for f in flags if f["kind"] == "voucher_conflict"] == [x2[1].split(":")[2]]


def test_award_with_a_voucher_at_the_command_line(demo: DemoServer, tmp_path: Path) -> None:
    """``pos-terminal award ... --voucher CODE`` (for register integrations): the window's rules in one command.
    A discount comes off the bill and the points are earned on what is paid; a multiplier multiplies the sale;
    everything is checked before the voucher is held (a receipt that earned, a bill the voucher pays whole, a
    forged code...), each refusal one line and a non-zero exit, nothing used; a retry with --op-id awards once."""
    t = tmp_path / "t1"
    cli(t, "enroll", "--server", demo.url, "--code", demo.read_banner()[0])
    admin(demo, "voucher", "batch", "--campaign", "CLI", "--count", "4", "--value", "50.00", "--valid-until",
          "2099-12-31", "--out", str(tmp_path / "fixed.csv"))
    admin(demo, "voucher", "batch", "--campaign", "CLIX2", "--count", "1", "--multiplier", "2", "--valid-until",
          "2099-12-31", "--out", str(tmp_path / "x2.csv"))
    fixed = [row["code"] for row in csv.DictReader((tmp_path / "fixed.csv").open(encoding="utf-8"))]
    x2 = [row["code"] for row in csv.DictReader((tmp_path / "x2.csv").open(encoding="utf-8"))][0]
    member = cli(t, "member", "enroll", "--name", "Somsri", "--phone", "0891234567")["id"]
    cli(t, "sync", "--once")

    def refused(*args: str) -> str:
        out = run(t, "award", "--member", member, *args)
        assert out.returncode != 0 and out.stdout == "" and "Traceback" not in out.stderr, out
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
        return str(json.loads(out.stderr)["error"])

    help_text = subprocess.run([str(BIN / "pos-terminal"), "award", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    assert "--voucher CODE" in help_text and "a discount comes off the bill" in " ".join(help_text.split())

    # preview: what is paid and what it earns, nothing recorded
    preview = cli(t, "award", "--member", member, "--amount", "450.00", "--receipt", "A-1", "--voucher", fixed[0],
                  "--preview")
    assert (preview["paid_satang"], preview["points"]) == (40000, 16)
    assert cli(t, "balance", "--member", member)["balance"] == 0

    # a ฿50 voucher on ฿450: 16 points on ฿400 paid, the voucher used online
    done = cli(t, "award", "--member", member, "--amount", "450.00", "--receipt", "A-1", "--voucher", fixed[0])
    assert (done["paid_satang"], done["points"], done["balance_after"]) == (40000, 16, 16)
    assert (done["voucher"]["offline"], done["voucher"]["value_satang"], done["award"]["amount_satang"]) == (
        False, 5000, 40000)
    text = subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(t), "--lang", "en", "award", "--member",
                           member, "--amount", "300.00", "--receipt", "A-2", "--voucher", fixed[1]],
                          capture_output=True, text=True, timeout=120)
    voucher_id = fixed[1].split(":")[2]
    assert text.returncode == 0 and text.stdout.strip() == (
        f"Voucher {voucher_id} used on receipt A-2: ฿50.00 off the bill; ฿50.00 off. Somsri earned 10 points on "
        "฿250.00 (receipt A-2). Balance 16 -> 26.")

    # refusals, each before anything is used or recorded
    assert refused("--amount", "450.00", "--receipt", "A-1", "--voucher", fixed[2]) == (
        "Receipt A-1 already earned points; nothing was added.")
    assert refused("--amount", "100.00", "--receipt", "A-3", "--voucher", fixed[0]) == (
        "This voucher has already been used.")
    assert refused("--amount", "50.00", "--receipt", "A-3", "--voucher", fixed[2]) == (
        "The voucher pays the whole bill: there is nothing paid to earn points on.")
    assert refused("--amount", "100.00", "--receipt", "A-3", "--voucher", "LV1:nonsense") == (
        "This is not a voucher code, or only part of it was read. Scan it again.")
    forged = fixed[2][:-3] + ("AAA" if not fixed[2].endswith("AAA") else "BBB")
    assert refused("--amount", "100.00", "--receipt", "A-3", "--voucher", forged) == (
        "This voucher is not genuine (its signature does not match). Do not accept it.")
    assert refused("--amount", "100.00", "--currency", "USD", "--receipt", "A-3", "--voucher", fixed[2]) == (
        "A voucher is used on a bill in baht: record a sale in another currency without --voucher.")
    assert refused("--amount", "100.00", "--category", "food=100.00", "--receipt", "A-3", "--voucher",
                   fixed[2]) == "Category lines cannot be combined with --voucher: award the bill without them."
    assert refused("--amount", "abc", "--receipt", "A-3", "--voucher", fixed[2]) == (
        "“abc” is not an amount of money; type digits such as 1,000.50.")
    assert cli(t, "balance", "--member", member)["balance"] == 26

    # a retry with the same --op-id (the answer was lost) uses the voucher and awards the sale once
    first = cli(t, "award", "--member", member, "--amount", "200.00", "--receipt", "A-4", "--voucher", fixed[2],
                "--op-id", "01900000-0000-7000-8000-0000000000a4")
    again = cli(t, "award", "--member", member, "--amount", "200.00", "--receipt", "A-4", "--voucher", fixed[2],
                "--op-id", "01900000-0000-7000-8000-0000000000a4")
    assert (first["points"], again["points"], again["award"]["replayed"], again["balance_after"]) == (6, 6, True, 32)

    # a multiplier: the sale recorded with its use, twice the points
    x = cli(t, "award", "--member", member, "--amount", "1234.50", "--receipt", "X-1", "--voucher", x2)
    assert (x["points"], x["voucher"]["voucher_bonus"], x["award"], x["balance_after"]) == (98, 49, None, 130)

    cli(t, "sync", "--once")
    assert demo.balance(member) == 130  # the server recomputed every sale as the counter did
    flags = json.loads(admin(demo, "--json", "flags", "list").stdout)
    assert [f["kind"] for f in flags if f["kind"] in ("points_mismatch", "voucher_conflict")] == []


def test_a_counter_behind_on_the_marker_redeems_a_voucher_reward_and_the_manager_is_told(
        demo: DemoServer, tmp_path: Path) -> None:
    """A counter that has not pulled since a reward became a voucher redeems it the ordinary way (an older
    terminal does the same): the server keeps the redemption (the member's points stand), raises a
    ``voucher_reward_redeemed`` flag naming the reward and the counter, and the branch's flags at that counter
    say it in the manager's words. The same reward bought as a voucher by an up-to-date counter is not flagged."""
    from pos_app.core import i18n
    from pos_app.services import open_terminal
    from pos_app.services.backoffice import branch_flags
    from pos_app.ui.presenters.flags import FlagsPresenter

    codes = demo.read_banner()
    behind, current = tmp_path / "t1", tmp_path / "t2"
    for d, c in zip((behind, current), codes, strict=True):
        cli(d, "enroll", "--server", demo.url, "--code", c)
    admin(demo, "reward", "set", "V50", "--name-th", "บัตรกำนัล 50 บาท", "--name-en", "50 baht voucher", "--cost",
          "150")
    member = cli(behind, "member", "enroll", "--name", "Somsri", "--phone", "0891234567")["id"]
    cli(behind, "award", "--member", member, "--amount", "10000", "--receipt", "B-1")  # 400 points
    for d in (behind, current):
        cli(d, "sync", "--once")  # V50 arrives as an ordinary reward
    admin(demo, "voucher", "reward", "--reward", "V50", "--value", "50.00", "--valid-days", "30")
    cli(current, "sync", "--once")  # only this counter learns that V50 buys a voucher
    plain = cli(behind, "redeem", "--member", member, "--reward", "V50")
    assert plain["balance_after"] == 250
    bought = cli(current, "voucher", "buy", "--member", member, "--reward", "V50")
    assert bought["balance_after"] == 250  # this counter has not seen the other redemption yet; the server has
    for d in (current, behind, behind):
        cli(d, "sync", "--once")  # uploads; the second round of the behind counter brings its branch's flags
    assert demo.balance(member) == 100  # both redemptions stand: nothing lost, nothing refused
    flags = [f for f in json.loads(admin(demo, "--json", "flags", "list").stdout)
             if f["kind"] == "voucher_reward_redeemed"]
    assert len(flags) == 1, flags
    flag = flags[0]
    assert (flag["member_id"], flag["details"]["reward_code"], flag["details"]["points"]) == (member, "V50", 150)
    assert flag["details"]["reason"] == (
        f"reward V50 buys a voucher but was redeemed without one at terminal {flag['terminal_id']}")
    i18n.set_language("en")
    services = open_terminal(behind)
    try:
        presenter = FlagsPresenter()
        presenter.show(branch_flags(services))
        rows = [r[1] for r in presenter.rows()]
    finally:
        services.close()
    assert "Voucher reward redeemed without a voucher\nReward V50 buys a voucher; none was issued for these points" \
        in rows
