#!/usr/bin/env python
"""Fuzz the voucher parser: mutations of genuine voucher codes plus random text and bytes.

Every input goes through ``classify_scan`` and ``verify_voucher``. The run fails (exit 1) if either raises
anything but ``VoucherError``, or if a mutated code is accepted at all (a mutation that only adds the
whitespace a scanner may add is not a mutation: it is stripped before the check).

    python scripts/fuzz_vouchers.py                 # 100,000 inputs, seed 1
    python scripts/fuzz_vouchers.py --count 2000 --seed 7 --json

The CI test (tests/core/test_vouchers_fuzz.py) runs ``run()`` on a smaller sample.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.member_codes import public_key_bytes, sign_member_code
from pos_app.core.vouchers import Benefit, VoucherError, classify_scan, sign_voucher, verify_voucher

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared mutator, beside this script
from fuzzing import THAI, CodeFormat, mutate  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.*=+/ \r\n\t\x00"
BRANCH, MEMBER = "BKK01", "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"


@dataclass
class Report:
    inputs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "outcomes": dict(sorted(self.outcomes.items())),
            "crashes": len(self.crashes),
            "accepted": len(self.accepted),
            "seconds": round(self.seconds, 2),
            "inputs_per_second": round(self.inputs / self.seconds) if self.seconds else None,
        }


def _genuine() -> tuple[dict[str, bytes], list[str]]:
    chain = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    keys = {"K2026": public_key_bytes(chain), "K2027": public_key_bytes(other)}
    start, end = NOW - timedelta(days=3), NOW + timedelta(days=30)
    codes = [
        sign_voucher(chain, "K2026", "7QJ2M4KXA9PZ", Benefit("fixed", 5000), start, end),
        sign_voucher(other, "K2027", "B1", Benefit("percent", 10, cap_satang=10000), start, end, branch=BRANCH,
                     min_spend_satang=20000),
        sign_voucher(chain, "K2026", "C9", Benefit("item", reward_code="COFFEE"), start, end, owner=MEMBER),
        sign_voucher(chain, "K2026", "D0", Benefit("multiplier", 2), start, end),
        sign_member_code(chain, "K2026", MEMBER, start, end),  # a member code is never a voucher
    ]
    return keys, codes


def _benefit_or_scope(rng: random.Random, text: str) -> str:
    """Change the benefit, the branch, the minimum or the owner (the fields that say what a voucher is worth)."""
    parts = text.split(":")
    if len(parts) > 8:
        i = rng.choice([3, 6, 7, 8])
        parts[i] = rng.choice(["F500000", "P100C999999", "X10", "ICAKE", "*", "0", BRANCH, MEMBER, "1"])
        text = ":".join(parts)
    return text


VOUCHERS = CodeFormat(alphabet=ALPHABET, kinds="VMAX", time_fields=(4, 5), own_edit=_benefit_or_scope)


def _mutate(rng: random.Random, text: str) -> str:
    return mutate(rng, text, VOUCHERS)


def _random_input(rng: random.Random) -> str | bytes:
    kind = rng.randrange(5)
    length = rng.randint(0, 400)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(length))
    if kind == 1:
        return "".join(chr(rng.randrange(0x110000)) for _ in range(length // 4)).encode("utf-8", "surrogatepass")
    if kind == 2:
        return "".join(rng.choice(ALPHABET + THAI) for _ in range(length))
    if kind == 3:
        return "LV1:K2026:" + ":".join("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
                                       for _ in range(rng.randint(0, 9)))
    return "LV1:" + "".join(rng.choice(ALPHABET) for _ in range(length))


def run(count: int, seed: int) -> Report:
    rng = random.Random(seed)
    keys, codes = _genuine()
    report = Report()
    started = time.perf_counter()
    for _ in range(count):
        report.inputs += 1
        original: str | None = None
        data: str | bytes
        if rng.randrange(10) < 7:
            original = rng.choice(codes)
            data = _mutate(rng, original)
        else:
            data = _random_input(rng)
        if rng.random() < 0.1 and isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        _check_one(data, keys, original, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_one(data: str | bytes, keys: dict[str, bytes], original: str | None, report: Report) -> None:
    try:
        report.outcomes[f"classify:{classify_scan(data)}"] += 1
    except Exception:  # noqa: BLE001 - this is exactly what the fuzzer looks for
        report.crashes.append(f"classify {data!r}\n{traceback.format_exc()}")
    try:
        voucher = verify_voucher(data, keys, NOW, branch=BRANCH, member_id=MEMBER, spend_satang=50000)
    except VoucherError as error:
        report.outcomes[f"voucher:{error.reason}"] += 1
        return
    except Exception:  # noqa: BLE001
        report.crashes.append(f"voucher {data!r}\n{traceback.format_exc()}")
        return
    text = data.decode("ascii") if isinstance(data, bytes) else data
    if original is not None and text.strip() == original:
        report.outcomes["voucher:unchanged_genuine"] += 1  # only scanner whitespace was added
    else:
        report.accepted.append(f"{data!r} -> {voucher!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.count, args.seed)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        summary = report.as_dict()
        print(f"inputs: {report.inputs}  time: {summary['seconds']} s  ({summary['inputs_per_second']}/s)")
        for outcome, number in sorted(report.outcomes.items()):
            print(f"  {outcome:32} {number:8d}")
        print(f"crashes (anything but VoucherError): {len(report.crashes)}")
        print(f"mutated codes accepted: {len(report.accepted)}")
    for line in (report.crashes + report.accepted)[:5]:
        print(line, file=sys.stderr)
    return 1 if report.crashes or report.accepted else 0


if __name__ == "__main__":
    sys.exit(main())
