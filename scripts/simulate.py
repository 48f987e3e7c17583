#!/usr/bin/env python
"""Run the deterministic sync simulation (tests/sync/sim/sim.py) for many seeds, or replay one.

    python scripts/simulate.py --seeds 5000 --workers 2     # thousands of seeds
    python scripts/simulate.py --seed 1234                  # replay one seed exactly; prints `state <sha256>`
    python scripts/simulate.py --seeds 3 --states           # each seed's final state digest

Exit status 1 when any seed fails; every failing seed is printed with the command that replays it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.sync.sim.sim import Config, run_many  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=200, help="number of seeds to run (from --start)")
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--seed", type=int, help="replay exactly this seed (and print its schedule)")
    parser.add_argument("--workers", type=int, default=1, help="processes")
    parser.add_argument("--terminals", type=int, default=8)
    parser.add_argument("--steps", type=int, default=Config.steps)
    parser.add_argument("--states", action="store_true", help="print each seed's final state digest")
    args = parser.parse_args(argv)
    config = Config(terminals=args.terminals, steps=args.steps)
    seeds = [args.seed] if args.seed is not None else list(range(args.start, args.start + args.seeds))
    started = time.perf_counter()
    result = run_many(seeds, workers=args.workers if args.seed is None else 1, config=config,
                      trace=args.seed is not None)
    elapsed = time.perf_counter() - started
    print(f"{result['seeds']} seeds x {args.terminals} terminals x {args.steps} steps in {elapsed:.1f} s "
          f"({elapsed / max(1, result['seeds']):.3f} s/seed, {args.workers} worker(s)); "
          f"{result['overdrafts']} overdrawn members checked")
    print("operations and faults:", dict(sorted(result["totals"].items())))
    if args.seed is not None or args.states:
        for seed, digest in sorted(result["states"].items()):
            print(f"seed {seed} state {digest}" if args.states else f"state {digest}")
    for seed, text in sorted(result["failures"].items()):
        print(f"\nFAILED seed {seed}  (replay: python scripts/simulate.py --seed {seed})\n{text}")
    if result["failures"]:
        print(f"\n{len(result['failures'])} of {result['seeds']} seeds FAILED")
        return 1
    print("all seeds passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
