#!/usr/bin/env python
"""Fuzz the member-code parsers: mutations of genuine codes plus random text and bytes.

Every input goes through ``classify_scan``, ``verify_member_code``, ``verify_app_code``,
and ``parse_card_number``. The run fails (exit 1) if any of them raises anything but
``MemberCodeError``, or if a mutated code is accepted as naming a different member or validity than the
genuine code it came from.

    python scripts/fuzz_member_codes.py                 # 100,000 inputs, seed 1
    python scripts/fuzz_member_codes.py --count 2000 --seed 7 --json

The CI test (tests/core/test_member_codes_fuzz.py) runs ``run()`` on a smaller sample.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.member_codes import (
    MemberCode,
    MemberCodeError,
    ReplayGuard,
    app_code,
    classify_scan,
    issue_app_credential,
    issue_terminal_certificate,
    parse_card_number,
    public_key_bytes,
    sign_member_code,
    sign_member_code_as_terminal,
    verify_app_code,
    verify_member_code,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared mutator, beside this script
from fuzzing import THAI, CodeFormat, mutate, pad_or_wrap  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.=+/ \r\n\t\x00"
APP_MEMBER = "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"


@dataclass
class Report:
    inputs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    wrongly_accepted: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "outcomes": dict(sorted(self.outcomes.items())),
            "crashes": len(self.crashes),
            "wrongly_accepted": len(self.wrongly_accepted),
            "seconds": round(self.seconds, 2),
            "inputs_per_second": round(self.inputs / self.seconds) if self.seconds else None,
        }


def _genuine() -> tuple[dict[str, bytes], list[tuple[str, MemberCode]], Callable[[datetime], str]]:
    chain = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    member = Ed25519PrivateKey.from_private_bytes(b"\x03" * 32)
    keys = {"K2026": public_key_bytes(chain), "K2027": public_key_bytes(other)}
    codes: list[tuple[str, MemberCode]] = []
    for key, key_id, member_id in ((chain, "K2026", "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"),
                                   (other, "K2027", "M42"), (chain, "K2026", "a.b_c-D")):
        text = sign_member_code(key, key_id, member_id, NOW - timedelta(days=3), NOW + timedelta(days=300))
        codes.append((text, verify_member_code(text, keys, NOW)))
    # a card printed by an enrolled terminal: its own key, certified by the chain (LK1 inside an LT1 code)
    terminal = Ed25519PrivateKey.from_private_bytes(b"\x05" * 32)
    certificate = issue_terminal_certificate(chain, "K2026", public_key_bytes(terminal), NOW + timedelta(days=900))
    text = sign_member_code_as_terminal(terminal, certificate, "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c",
                                        NOW - timedelta(days=3), NOW + timedelta(days=300))
    codes.append((text, verify_member_code(text, keys, NOW)))
    credential = issue_app_credential(chain, "K2026", APP_MEMBER,
                                      public_key_bytes(member), NOW + timedelta(days=30))
    return keys, codes, lambda moment: app_code(member, credential, moment)


MEMBER_CODES = CodeFormat(alphabet=ALPHABET, kinds="MACX", time_fields=(3, 4), own_edit=pad_or_wrap)


def _mutate(rng: random.Random, text: str) -> str:
    return mutate(rng, text, MEMBER_CODES)


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
        return "".join(rng.choice("0123456789 -+()") for _ in range(rng.randint(0, 24)))
    return "LM1:" + "".join(rng.choice(ALPHABET) for _ in range(length))


def run(count: int, seed: int) -> Report:
    rng = random.Random(seed)
    keys, codes, make_app_code = _genuine()
    report = Report()
    started = time.perf_counter()
    for _ in range(count):
        report.inputs += 1
        moment = NOW + timedelta(seconds=rng.randrange(-3600, 3600))
        source = rng.randrange(10)
        genuine: MemberCode | None = None
        app_member: str | None = None
        data: str | bytes
        if source < 4:
            text, genuine = rng.choice(codes)
            data = _mutate(rng, text)
        elif source < 7:
            data = _mutate(rng, make_app_code(moment))
            app_member = APP_MEMBER
        else:
            data = _random_input(rng)
        if rng.random() < 0.1 and isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        _check_one(data, keys, moment, genuine, app_member, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_one(data: str | bytes, keys: dict[str, bytes], moment: datetime, genuine: MemberCode | None,
               app_member: str | None, report: Report) -> None:
    calls: tuple[tuple[str, Callable[[], object]], ...] = (
        ("classify", lambda: classify_scan(data)),
        ("member_qr", lambda: verify_member_code(data, keys, NOW)),
        ("app_code", lambda: verify_app_code(data, keys, moment, ReplayGuard())),
        ("card", lambda: parse_card_number(data)),  # type: ignore[arg-type]
    )
    for name, call in calls:
        try:
            result = call()
        except MemberCodeError as error:
            report.outcomes[f"{name}:{error.reason}"] += 1
            continue
        except Exception:  # noqa: BLE001 - this is exactly what the fuzzer looks for
            report.crashes.append(f"{name} {data!r}\n{traceback.format_exc()}")
            continue
        if name == "classify":
            report.outcomes[f"classify:{result}"] += 1
        elif name == "member_qr":
            report.outcomes["member_qr:accepted"] += 1
            if not isinstance(result, MemberCode) or result != genuine:
                report.wrongly_accepted.append(f"{data!r} -> {result!r}")
        elif name == "app_code":
            report.outcomes["app_code:accepted"] += 1
            if not isinstance(result, MemberCode) or result.member_id != app_member:
                report.wrongly_accepted.append(f"{data!r} -> {result!r}")
        else:
            report.outcomes[f"{name}:{'none' if result is None else 'ok'}"] += 1


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
        print(f"crashes (anything but MemberCodeError): {len(report.crashes)}")
        print(f"mutated codes accepted as a different member/validity: {len(report.wrongly_accepted)}")
    for line in (report.crashes + report.wrongly_accepted)[:5]:
        print(line, file=sys.stderr)
    return 1 if report.crashes or report.wrongly_accepted else 0


if __name__ == "__main__":
    sys.exit(main())
