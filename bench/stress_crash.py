"""Crash stress: thousands of SIGKILLs mid-award (the CI test runs 200).

    python bench/stress_crash.py --kills 5000 [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ledger.crash_harness import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        report = run(Path(folder), kills=args.kills, seed=args.seed, max_delay_ms=25.0)
        elapsed = time.perf_counter() - started
    print(f"kills={report.kills} acknowledged={report.acked} attempted={report.attempted} "
          f"entries={report.entries} lost={len(report.lost)} doubled={len(report.doubled)} "
          f"verify_ok={report.verify_ok} integrity={'ok' if not report.integrity else report.integrity[0]} "
          f"elapsed={elapsed:.1f}s")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
