"""Would ZBar (pyzbar) help as a fallback pass of our decoder? Tuning seeds only (issue 8 part 3).

ZBar fails differently from zxing-cpp, so on the frames our decoder reads nothing on it might read some. This
measures, with no time budget, on the frames of ``corpus("tune", ...)`` where our decoder (the committed one,
with its budget) reads nothing: how many ZBar reads on the whole grey frame, on the inverted frame and on the
crops our passes make (located symbols, lone QR finders, texture candidates; plain and 1.5x), with false reads,
and its cost per frame in bare zxing-cpp calls timed on the same frames. Then ZBar's false reads (grey and
inverted) on more noisy Code128 frames and frames without a code of ours. The budgeted runs that decided
against adding the pass are described in docs/hardware.md. Held-out seeds are never read here.

    python bench/bench_zbar_fallback.py        # ~3 min on 2 shared cores
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardware"))
sys.path.insert(0, str(ROOT))

import zxingcpp  # noqa: E402
from frames import corpus, corpus_seed, make_frame  # noqa: E402
from pyzbar import pyzbar  # noqa: E402

from hardware.scanner import make_decoder  # noqa: E402
from hardware.scanner.zxing_backend import _NAMES, _QR_PARTS, _hint_boxes, _located_boxes, texture_candidates  # noqa: E402

ZX = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
ZB = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128]
NOISY_CODE128 = ("noise", "noise_lc_8", "noise_lc_16", "noise_lc_28", "jpeg_q10", "jpeg_q25", "clutter", "motion",
                 "blur")


def zbar(gray: np.ndarray) -> list[str]:
    return [r.data.decode("utf-8", "replace") for r in pyzbar.decode(gray, symbols=ZB)]


def crops(gray: np.ndarray, frame: np.ndarray) -> list[np.ndarray]:
    res = zxingcpp.read_barcodes(frame, formats=ZX, return_errors=True)
    located = [r for r in res if not r.valid and (r.format in _NAMES or r.format in _QR_PARTS)]
    boxes = _located_boxes([r for r in located if r.format in _NAMES], gray.shape)
    boxes += _hint_boxes([r for r in located if r.format in _QR_PARTS], gray.shape)
    boxes += [b for b in texture_candidates(gray, 3) if not any(b.overlaps(o) for o in boxes)]
    out = []
    for b in boxes:
        c = np.ascontiguousarray(gray[b.y0:b.y1, b.x0:b.x1])
        out += [c, cv2.resize(c, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-qr", type=int, default=8)
    ap.add_argument("--per-code128", type=int, default=4)
    ap.add_argument("--hard", type=int, default=60)
    ap.add_argument("--extra", type=int, default=16, help="extra noisy Code128 frames per condition and size [16]")
    args = ap.parse_args()

    frames = corpus("tune", args.per_qr, args.per_code128, args.hard)
    random.Random(7).shuffle(frames)
    ours = make_decoder("zxing")
    ours.decode(frames[0].image)
    missed = [f for f in frames if not ours.decode(f.image)]
    with_code = [f for f in missed if f.text is not None]
    print(f"tune: {len(frames)} frames; ours read nothing on {len(missed)} ({len(with_code)} with a code, "
          f"{sum(f.spec.condition == 'hard_mix' for f in with_code)} of them hard mix)")
    ways = {"whole grey frame": lambda g, f: zbar(g), "inverted frame": lambda g, f: zbar(255 - g),
            "our crops (plain, 1.5x)": lambda g, f: [t for c in crops(g, f) for t in zbar(c)],
            "half-size frame": lambda g, f: zbar(cv2.resize(g, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))}
    t_bare: list[float] = []
    t_way: dict[str, list[float]] = {w: [] for w in ways}
    read: dict[str, set[int]] = {w: set() for w in ways}
    false: dict[str, int] = dict.fromkeys(ways, 0)
    for k, f in enumerate(missed):
        t = time.perf_counter()
        zxingcpp.read_barcodes(f.image, formats=ZX)
        t_bare.append(time.perf_counter() - t)
        for w, fn in ways.items():
            t = time.perf_counter()
            texts = fn(cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY), f.image)
            t_way[w].append(time.perf_counter() - t)
            if f.text is not None and f.text in texts:
                read[w].add(k)
            false[w] += sum(1 for x in texts if x != f.text)
    bare = statistics.fmean(t_bare)
    for w in ways:
        hard = sum(missed[k].spec.condition == "hard_mix" for k in read[w])
        print(f"  ZBar, {w}: reads {len(read[w])} of {len(with_code)} ({hard} hard mix), false reads {false[w]}, "
              f"{1000 * statistics.fmean(t_way[w]):.1f} ms = {statistics.fmean(t_way[w]) / bare:.2f}x a bare "
              f"zxing-cpp call ({1000 * bare:.1f} ms) on the same frames")
    union = set().union(*(read[w] for w in ways))
    print(f"  any of them: {len(union)}; by condition: "
          + ", ".join(sorted(f"{missed[k].spec.condition}/{missed[k].spec.symbology}" for k in union)))

    plan = [(c, "qr", 3 * args.extra) for c in ("no_code", "no_code_barcodes")] + \
        [(c, "code128", args.extra) for c in NOISY_CODE128]
    n, bad = 0, []
    for cond, sym, count in plan:
        for si, size in enumerate(((640, 480), (1280, 720))):
            for i in range(8, 8 + count):  # past the seeds of the corpus above
                f = make_frame(cond, size, sym, seed=corpus_seed("tune", cond, si, sym, i))
                g = cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY)
                n += 1
                bad += [(cond, f.spec.seed, f.text, x) for img in (g, 255 - g) for x in zbar(img) if x != f.text]
    print(f"ZBar false reads (grey and inverted) on {n} more tuning frames (noisy Code128, no code of ours): "
          f"{len(bad)}")
    for cond, seed, text, got in bad:
        print(f"  {cond} seed {seed}: {got!r} (the frame's code: {text!r})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
