"""Tuning seeds only: the hard-mix QR frames that *nothing* reads, and why.

Every decoder at hand, with no time budget, on the tuning block's hard-mix QR frames (150 per size by
default, seeds ``corpus_seed("tune", "hard_mix", size, "qr", i)``): the bare zxing-cpp call, ours with every
pass and no budget (the second QR finder on, 8 candidate regions), pyzbar (the frame and its inverse), and,
on the frames those miss, OpenCV's ``QRCodeDetector`` and ``QRCodeDetectorAruco`` (each in a child process:
OpenCV's QR code has aborted a whole process before). The frames none of them reads are grouped by what
the generator drew for them (``frames._params_for``, replayed from the seed):

* **cut by the frame edge**: part of the symbol lies outside the frame (a large, dense code placed in a
  640x480 frame);
* **modules smeared**: the blur and motion together (``sqrt(sigma^2 + length^2 / 12)``, the spread of the
  two kernels) reach half a module or more, modules measured along the symbol's shortest side;
* **glare over the symbol**, **curved card**, **other**: the rest, in that order.

    python bench/bench_hard_misses.py              # ~2 min on 2 shared cores
    python bench/bench_hard_misses.py --per-size 60 --images /tmp/misses   # also write each miss as a PNG
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardware"))
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402


def opencv_reads(seed: int, w: int, h: int) -> None:
    """Child process: whether OpenCV's two QR detectors read the frame's own code (one JSON line)."""
    from frames import make_frame
    f = make_frame("hard_mix", (w, h), "qr", seed=seed)
    gray = cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY)
    out = {}
    for name, det in (("aruco", cv2.QRCodeDetectorAruco()), ("classic", cv2.QRCodeDetector())):
        try:
            ok, texts, _pts, _ = det.detectAndDecodeMulti(gray)
            out[name] = bool(ok) and f.text in list(texts)
        except cv2.error:
            out[name] = False
    print(json.dumps(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-size", type=int, default=150, help="hard-mix QR frames per size [150]")
    ap.add_argument("--images", type=Path, help="write a crop of each frame nothing reads here")
    ap.add_argument("--opencv-child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.opencv_child:
        opencv_reads(*args.opencv_child)
        return 0

    import zxingcpp
    from frames import _look, _params_for, corpus_seed, make_frame, qr_modules
    from pyzbar import pyzbar

    from hardware.scanner.zxing_backend import ZxingDecoder

    fmt = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
    ours = ZxingDecoder(budget_ratio=1000.0, budget_cap_s=10.0, borrow_s=10.0, located_limit=1000.0,
                        rectify=True, max_candidates=8)
    rows = []
    for si, size in enumerate(((640, 480), (1280, 720))):
        for i in range(args.per_size):
            seed = corpus_seed("tune", "hard_mix", si, "qr", i)
            f = make_frame("hard_mix", size, "qr", seed=seed)
            rng = np.random.default_rng(seed)  # the generator's draws, replayed in its order
            p = _params_for("hard_mix", rng, "qr", size)
            look = _look(rng, "qr")
            gray = cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY)
            bare = f.text in [r.text for r in zxingcpp.read_barcodes(f.image, formats=fmt)]
            mine = f.text in [s.text for s in ours.decode(f.image)]
            zbar = any(f.text == r.data.decode("utf-8", "replace")
                       for img in (gray, 255 - gray) for r in pyzbar.decode(img))
            n = qr_modules(f.text or "", 0, look.ecl).shape[0]
            c = np.asarray(f.corners, np.float32)
            module = min(float(np.linalg.norm(c[k] - c[(k + 1) % 4])) for k in range(4)) / n
            inside, _ = cv2.intersectConvexConvex(c, np.array([[0, 0], [size[0], 0], [size[0], size[1]],
                                                               [0, size[1]]], np.float32))
            rows.append(dict(seed=seed, size=size, bare=bare, ours=mine, zbar=zbar, module=module,
                             in_frame=inside / cv2.contourArea(c),
                             smear=math.hypot(p.blur_sigma, p.motion / math.sqrt(12)) / module,
                             glare=p.glare > 0, curve=p.curve > 0, frame=f))
    for r in rows:
        if not (r["bare"] or r["ours"] or r["zbar"]):
            w, h = r["size"]
            child = subprocess.run([sys.executable, __file__, "--opencv-child", str(r["seed"]), str(w), str(h)],
                                   capture_output=True, text=True, timeout=120)
            lines = [x for x in child.stdout.splitlines() if x.startswith("{")]
            r["opencv"] = any(json.loads(lines[-1]).values()) if lines else False  # an abort reads nothing
    n = len(rows)
    print(f"{n} tuning hard-mix QR frames; read with no budget by: bare zxing-cpp {sum(r['bare'] for r in rows)}, "
          f"ours {sum(r['ours'] for r in rows)}, pyzbar {sum(r['zbar'] for r in rows)}, "
          f"OpenCV (on the rest) {sum(r.get('opencv', False) for r in rows)}")
    misses = [r for r in rows if not (r["bare"] or r["ours"] or r["zbar"] or r.get("opencv"))]
    print(f"read by none: {len(misses)} ({100 * len(misses) / n:.1f}%); the best any single-frame method here "
          f"reaches is {100 * (n - len(misses)) / n:.1f}%")

    def kind(r: dict) -> str:
        if r["in_frame"] < 0.999:
            return "cut by the frame edge"
        if r["smear"] >= 0.5:
            return "modules smeared (blur and motion >= half a module)"
        if r["glare"]:
            return "glare over the symbol"
        return "curved card" if r["curve"] else "other"

    missed = {r["seed"] for r in misses}
    kinds = Counter(kind(r) for r in misses)
    for k, v in kinds.most_common():
        print(f"  {v:3}  {k}: " + " ".join(str(r["seed"]) for r in misses if kind(r) == k))
    print("smear / module (all frames): frames, read by any")
    bins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        b = min(int(r["smear"] / 0.1), 9)
        bins[b][0] += 1
        bins[b][1] += r["seed"] not in missed
    for b in sorted(bins):
        print(f"  {b / 10:.1f}{'+' if b == 9 else f'-{(b + 1) / 10:.1f}'}: {bins[b][0]:4} {bins[b][1]:4}")
    if args.images:
        args.images.mkdir(parents=True, exist_ok=True)
        for r in misses:
            f = r["frame"]
            c = np.asarray(f.corners)
            pad = 0.2 * float((c.max(axis=0) - c.min(axis=0)).max())
            x0, y0 = (max(0, int(v - pad)) for v in c.min(axis=0))
            x1, y1 = (int(v + pad) for v in c.max(axis=0))
            cv2.imwrite(str(args.images / f"{r['seed']}-{kind(r).split()[0]}.png"), f.image[y0:y1, x0:x1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
