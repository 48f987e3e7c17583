"""Success per condition and decode time: our decoder vs the bare zxing-cpp call vs bare pyzbar, same frames.

Frames come from ``tests/hardware/frames.py`` (``corpus``): every condition at 640x480 and 1280x720, QR and
Code128, frames without a code of ours (clutter, other symbologies' barcodes, printed text). ``--split
heldout`` (the default) uses seeds from ``frames.HELDOUT_BASE`` up, which nothing was tuned on; ``--split
heldout2`` a second held-out block (seeds from 2 x HELDOUT_BASE), kept fresh until the decoder of
2026-11-29 was final; ``--split heldout3`` a third (seeds from 3 x HELDOUT_BASE), added before the round of
2026-11-30 and kept unseen until its decoder was final; ``--split heldout4`` a fourth (seeds from 4 x
HELDOUT_BASE), added before the next round of 2026-11-30 and kept unseen until its decoder was final;
``--split heldout5`` a fifth (seeds from 5 x HELDOUT_BASE), added before the round that studied the frames
nothing reads, and kept unseen until that round's decoder is final; ``--split tune`` uses the tuning
seeds (what the decoder's passes were chosen on). The three decoders see the same frames in one run,
interleaved frame by frame with the order rotated, so they share the machine's state. A false read is any text that is not the frame's own code.

    python bench/bench_decode.py                      # held-out report, ~3 min on 2 shared cores
    python bench/bench_decode.py --split tune --per-qr 4 --per-code128 2 --hard 20   # quick tuning look
    python bench/bench_decode.py --markdown           # the table for docs/hardware.md
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
from frames import CONDITIONS, HELDOUT_BASE, SPLITS, corpus  # noqa: E402
from pyzbar import pyzbar  # noqa: E402

from hardware.scanner import make_decoder  # noqa: E402

ZX_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
ZB_SYMBOLS = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128]
OURS, BARE, ZBAR = "ours", "bare zxing-cpp", "bare pyzbar"


def bare_zxing(frame):
    """The baseline: zxing-cpp's default options, the chain's two formats (unrestricted is 3-6x slower)."""
    return [r.text for r in zxingcpp.read_barcodes(frame, formats=ZX_FORMATS)]


def bare_pyzbar(frame):
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [r.data.decode("utf-8", "replace") for r in pyzbar.decode(gray, symbols=ZB_SYMBOLS)]


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=tuple(SPLITS), default="heldout")
    ap.add_argument("--per-qr", type=int, default=8, help="QR frames per (condition, size) [8]")
    ap.add_argument("--per-code128", type=int, default=4, help="Code128 frames per (condition, size) [4]")
    ap.add_argument("--hard", type=int, default=60, help="extra hard_mix QR frames per size [60]")
    ap.add_argument("--markdown", action="store_true", help="print the per-condition table as Markdown")
    args = ap.parse_args()

    t0 = time.perf_counter()
    frames = corpus(args.split, args.per_qr, args.per_code128, args.hard)
    random.Random(7).shuffle(frames)
    seeds = sorted(f.spec.seed for f in frames)
    print(f"{args.split}: {len(frames)} frames, seeds {seeds[0]}..{seeds[-1]} "
          f"({'all <' if args.split == 'tune' else 'all >='} {SPLITS[args.split] or HELDOUT_BASE}), "
          f"generated in {time.perf_counter() - t0:.0f} s", flush=True)

    ours = make_decoder("zxing")
    decoders = {OURS: lambda f: [s.text for s in ours.decode(f)], BARE: bare_zxing, ZBAR: bare_pyzbar}
    for fn in decoders.values():  # warm up
        fn(frames[0].image)

    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    ok: dict[tuple[str, str], int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    false_reads: dict[tuple[str, str], int] = defaultdict(int)
    order = list(decoders)
    t_run = time.perf_counter()
    for k, f in enumerate(frames):
        sym = f.spec.symbology
        row = f.spec.condition if sym in ("qr", "none") else f"{f.spec.condition} (code128)"
        groups = [row, "ALL", "EMPTY" if f.text is None else "CODE"]
        if sym == "qr":
            groups.append("QR")
        for g in groups:
            count[g] += 1
        for name in order[k % len(order):] + order[: k % len(order)]:  # rotate who goes first
            t = time.perf_counter()
            texts = decoders[name](f.image)
            dt = time.perf_counter() - t
            for g in groups:
                times[name, g].append(dt)
                ok[name, g] += f.text is not None and f.text in texts
                false_reads[name, g] += sum(1 for x in texts if x != f.text)
    run_s = time.perf_counter() - t_run

    rows = [c for c in CONDITIONS if c in count] + [f"{c} (code128)" for c in CONDITIONS if f"{c} (code128)" in count]

    def rate(name, g):
        if g.startswith("no_code"):
            return "-" if not false_reads[name, g] else f"{false_reads[name, g]} false"
        fr = f" ({false_reads[name, g]} false)" if false_reads[name, g] else ""
        return f"{100 * ok[name, g] / count[g]:.0f}%{fr}"

    def mean_ms(name, g):
        return 1000 * statistics.fmean(times[name, g])

    print()
    if args.markdown:
        print("| condition | n | ours | bare zxing-cpp | bare pyzbar | ours ms (mean) | bare zxing-cpp ms (mean) |")
        print("|---|---|---|---|---|---|---|")
        for g in rows:
            print(f"| {g} | {count[g]} | {rate(OURS, g)} | {rate(BARE, g)} | {rate(ZBAR, g)} | "
                  f"{mean_ms(OURS, g):.1f} | {mean_ms(BARE, g):.1f} |")
    else:
        print(f"{'condition':<28}{'n':>4} {'ours':>12} {'bare zxing':>12} {'bare pyzbar':>12}  ms: ours / bare")
        for g in rows:
            print(f"{g:<28}{count[g]:>4} {rate(OURS, g):>12} {rate(BARE, g):>12} {rate(ZBAR, g):>12}  "
                  f"{mean_ms(OURS, g):6.1f} / {mean_ms(BARE, g):6.1f}")

    def ratio(g, q=None):
        a, b = times[OURS, g], times[BARE, g]
        return (pct(a, q) / pct(b, q)) if q else statistics.fmean(a) / statistics.fmean(b)

    print()
    print(f"decoding took {run_s:.0f} s for {len(order)} decoders")
    h = "hard_mix"
    for name in order:
        print(f"hard mixed QR, single frame, {name}: {100 * ok[name, h] / count[h]:.1f}% of {count[h]}"
              + (" (target >= 90%)" if name == OURS else ""))
    print(f"false reads over all {count['ALL']} frames ({count['EMPTY']} without a code of ours): "
          + ", ".join(f"{name} {false_reads[name, 'ALL']}" for name in order) + " (target 0 for ours)")
    print("success on frames with a code: " + ", ".join(
        f"{name} {100 * ok[name, 'CODE'] / count['CODE']:.1f}%" for name in order))
    for g, label in (("ALL", "all frames"), ("CODE", "frames with a code"), ("EMPTY", "frames without a code")):
        print(f"time, {label}: ours {mean_ms(OURS, g):.2f} ms vs bare zxing-cpp {mean_ms(BARE, g):.2f} ms mean "
              f"-> ratio {ratio(g):.3f}; p95 {1000 * pct(times[OURS, g], 0.95):.1f} vs "
              f"{1000 * pct(times[BARE, g], 0.95):.1f} ms -> p95 ratio {ratio(g, 0.95):.3f}"
              + (" (target mean ratio <= 1.2)" if g == "ALL" else ""))
    print(f"decoder stats: {getattr(ours, 'stats', {})}")
    # a live camera mostly sees no code: the empty frames alone, as a stream, through a fresh decoder
    empty = [f.image for f in frames if f.text is None] * 3
    fresh = make_decoder("zxing")
    t_ours, t_bare = [], []
    for k, img in enumerate(empty):
        pair = [(t_ours, lambda im=img: fresh.decode(im)), (t_bare, lambda im=img: bare_zxing(im))]
        for sink, fn in (pair if k % 2 else pair[::-1]):
            t = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - t)
    print(f"time, a stream of only frames without a code ({len(empty)}, fresh decoder): ours "
          f"{1000 * statistics.fmean(t_ours):.2f} vs bare {1000 * statistics.fmean(t_bare):.2f} ms mean -> ratio "
          f"{statistics.fmean(t_ours) / statistics.fmean(t_bare):.3f}; p95 ratio "
          f"{pct(t_ours, 0.95) / pct(t_bare, 0.95):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
