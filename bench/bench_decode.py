"""Decode time per frame and success rate per condition: our pipeline vs bare zxing-cpp vs bare pyzbar.

Same seeded frames for every decoder (tests/hardware/frames.py), decoders interleaved frame by frame so they
share the machine's state; frames without a code included (a false read is any text that is not the
frame's code). Prints a table and the headline figures against the targets.

    python bench/bench_decode.py                 # ~2-3 min on 2 cores
    python bench/bench_decode.py --per 5 --hard 40   # quick look
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardware"))
sys.path.insert(0, str(ROOT))

import zxingcpp  # noqa: E402
from frames import CONDITIONS, make_frame  # noqa: E402
from pyzbar import pyzbar  # noqa: E402

from hardware.scanner import make_decoder  # noqa: E402

ZX_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
ZB_SYMBOLS = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128]


def bare_zxing(frame):
    return [r.text for r in zxingcpp.read_barcodes(frame, formats=ZX_FORMATS)]


def bare_pyzbar(frame):
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [r.data.decode("utf-8", "replace") for r in pyzbar.decode(gray, symbols=ZB_SYMBOLS)]


def pct(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per", type=int, default=15, help="frames per (condition, size) [15]")
    ap.add_argument("--hard", type=int, default=100, help="extra hard_mix QR frames per size [100]")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--no-isolated", action="store_true", help="skip the isolated pyzbar column")
    args = ap.parse_args()

    t0 = time.perf_counter()
    frames = []
    for ci, cond in enumerate(CONDITIONS):
        n = args.per + (args.hard if cond == "hard_mix" else 0)
        for size in ((640, 480), (1280, 720)):
            for i in range(n):
                frames.append(make_frame(cond, size, "qr", seed=args.seed * 100_000 + ci * 1000 + i * 2 + size[0]))
    for cond in ("clean", "rotated", "blur", "clutter"):  # card numbers (Code128)
        for size in ((640, 480), (1280, 720)):
            for i in range(args.per):
                frames.append(make_frame(cond, size, "code128", seed=args.seed * 7 + i * 3 + size[1]))
    random.Random(args.seed).shuffle(frames)
    print(f"generated {len(frames)} frames in {time.perf_counter() - t0:.0f} s", flush=True)

    ours = make_decoder("zxing")
    decoders = {
        "ours (zxing+retries)": lambda f: [s.text for s in ours.decode(f)],
        "bare zxing-cpp": bare_zxing,
        "bare pyzbar": bare_pyzbar,
    }
    iso = None
    if not args.no_isolated:
        iso = make_decoder("pyzbar")  # isolated worker
        iso.decode(frames[0].image)  # warm up
        decoders["pyzbar ours (isolated)"] = lambda f: [s.text for s in iso.decode(f)]
    # warm up every decoder once
    for fn in decoders.values():
        fn(frames[0].image)

    times = defaultdict(list)  # (decoder, group) -> seconds
    ok = defaultdict(int)
    count = defaultdict(int)
    false_reads = defaultdict(int)
    order = list(decoders)
    for k, f in enumerate(frames):
        group = f"{f.spec.condition}{'' if f.spec.symbology in ('qr', 'none') else ' (code128)'}"
        sizegroup = f"{group} {f.spec.size[1]}p"
        rot = order[k % len(order):] + order[: k % len(order)]  # rotate who goes first
        for name in rot:
            t = time.perf_counter()
            texts = decoders[name](f.image)
            dt = time.perf_counter() - t
            for g in (group, sizegroup, "ALL"):
                times[name, g].append(dt)
                count[name, g] += 1
                if f.text is not None and f.text in texts:
                    ok[name, g] += 1
                false_reads[name, g] += sum(1 for x in texts if x != f.text)
    if iso is not None:
        iso.close()

    groups = sorted({g for (_, g) in count if g != "ALL"}, key=lambda g: (g.split(" ")[0] not in CONDITIONS,
                                                                          CONDITIONS.index(g.split(" ")[0]) if g.split(" ")[0] in CONDITIONS else 0, g))
    head = f"{'condition':<24}{'n':>4} " + " ".join(f"{n[:20]:>30}" for n in order)
    print()
    print("success % | p50 ms | p95 ms   per decoder (false reads, if any, in brackets)")
    print(head)
    for g in [*groups, "ALL"]:
        n = count[order[0], g]
        cells = []
        for name in order:
            t = times[name, g]
            has_code = not g.startswith("no_code")
            rate = f"{100 * ok[name, g] / n:5.1f}%" if has_code else "  -   "
            fr = f" [{false_reads[name, g]}]" if false_reads[name, g] else ""
            cells.append(f"{rate} {1000 * statistics.median(t):6.1f} {1000 * pct(t, 0.95):6.1f}{fr}".rjust(30))
        print(f"{g:<24}{n:>4} " + " ".join(cells))

    def mean(name, g="ALL"):
        return statistics.fmean(times[name, g])

    print()
    bare, our = "bare zxing-cpp", "ours (zxing+retries)"
    hard = "hard_mix"
    print(f"time per frame, all frames: ours {1000 * mean(our):.2f} ms vs bare zxing {1000 * mean(bare):.2f} ms "
          f"-> ratio {mean(our) / mean(bare):.3f} (target <= 1.2)")
    for g in ("no_code", hard):
        print(f"time per frame, {g}: ratio {mean(our, g) / mean(bare, g):.3f}")
    for name in order:
        n = count[name, hard]
        print(f"hard mixed QR single-frame success, {name}: {100 * ok[name, hard] / n:.1f}% of {n}")
    total_false = {name: false_reads[name, "ALL"] for name in order}
    print(f"false reads (all {count[order[0], 'ALL']} frames, {count[order[0], 'no_code']} without a code): {total_false}")
    if not args.no_isolated:
        # the price of isolation alone: the same pyzbar backend in-process vs in its worker process
        inproc, isolated = make_decoder("pyzbar", isolated=False), make_decoder("pyzbar")
        sample = [f.image for f in frames[:120]]
        isolated.decode(sample[0])
        t_in, t_iso = [], []
        for img in sample:
            t = time.perf_counter()
            inproc.decode(img)
            t_in.append(time.perf_counter() - t)
            t = time.perf_counter()
            isolated.decode(img)
            t_iso.append(time.perf_counter() - t)
        isolated.close()
        print(f"isolation alone (same pyzbar backend in a worker vs in-process, {len(sample)} frames): "
              f"+{1000 * (statistics.fmean(t_iso) - statistics.fmean(t_in)):.2f} ms/frame mean")
    print(f"decoder stats: {getattr(ours, 'stats', {})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
