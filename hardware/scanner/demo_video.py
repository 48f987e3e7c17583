"""A short video of a member card held up to a camera: the demo camera source and a pipeline check.

The card (any BGR image, e.g. a PNG from ``pos-terminal card render``; by default a plain QR of ``--text``)
drifts, turns and tilts in front of a cluttered counter for a few seconds, with an empty counter before and
after. Written with ``cv2.VideoWriter`` as MPEG-4 (``.mp4``, small) or MJPG (``.avi``).

    python -m hardware.scanner.demo_video --out resources/demo/card_demo.mp4 --card card.png
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import cv2
import numpy as np


def qr_card(text: str, module_px: int = 6) -> np.ndarray:
    """A white card with a QR code of ``text`` (BGR)."""
    import qrcode
    import qrcode.constants

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    m = np.array(qr.get_matrix(), dtype=bool)
    img: np.ndarray = np.where(m, 0, 255).astype(np.uint8)
    img = cv2.resize(img, (m.shape[1] * module_px, m.shape[0] * module_px), interpolation=cv2.INTER_NEAREST)
    h, w = img.shape
    (tw, th), _ = cv2.getTextSize("MEMBER", cv2.FONT_HERSHEY_SIMPLEX, 1.4, 3)
    card = np.full((h, w + tw + 30), 255, np.uint8)
    card[:, card.shape[1] - w:] = img  # the QR keeps its own quiet zone
    cv2.putText(card, "MEMBER", (20, 30 + th), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 40, 3)
    return cv2.cvtColor(card, cv2.COLOR_GRAY2BGR)


def _counter(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    img = np.full((h, w, 3), (150, 160, 170), np.uint8)
    for _ in range(12):
        color = tuple(int(c) for c in rng.integers(40, 230, 3))
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        cv2.rectangle(img, (x, y), (x + int(rng.integers(30, 160)), y + int(rng.integers(20, 120))), color, -1)
    return cv2.GaussianBlur(img, (0, 0), 1.0)


def card_frames(card: np.ndarray, n: int, size: tuple[int, int] = (640, 480), seed: int = 3,
                card_width_frac: float = 0.55) -> list[np.ndarray]:
    """``n`` frames: the card held in view, moving, turning and tilting a little."""
    rng = np.random.default_rng(seed)
    w, h = size
    bg = _counter(rng, w, h)
    ch, cw = card.shape[:2]
    scale = card_width_frac * w / cw
    out = []
    for i in range(n):
        t = i / max(1, n - 1)
        angle = math.radians(-8 + 16 * t + 3 * math.sin(6 * t))
        tilt = 0.18 * math.sin(2 * math.pi * t)  # perspective squeeze of one side
        cx = w / 2 + 40 * math.sin(2 * math.pi * t)
        cy = h / 2 + 20 * math.cos(3 * t)
        hw, hh = cw * scale / 2, ch * scale / 2
        pts = np.array([[-hw, -hh * (1 - tilt)], [hw, -hh * (1 + tilt)], [hw, hh * (1 + tilt)],
                        [-hw, hh * (1 - tilt)]])
        rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        dst = (pts @ rot.T + [cx, cy]).astype(np.float32)
        src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
        m = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(card, m, (w, h), flags=cv2.INTER_AREA)
        mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (w, h)) > 0
        frame = bg.copy()
        frame[mask] = warped[mask]
        if i % 5 == 0:  # a little hand shake now and then
            frame = cv2.GaussianBlur(frame, (0, 0), 1.2)
        out.append(frame)
    return out


def write_card_video(card: np.ndarray, path: Path, seconds_empty: float = 1.0, seconds_card: float = 4.0,
                     fps: float = 15.0, size: tuple[int, int] = (640, 480), seed: int = 3) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fourcc = cv2.VideoWriter.fourcc(*("mp4v" if path.suffix.lower() in (".mp4", ".m4v") else "MJPG"))
    writer = cv2.VideoWriter(str(path), fourcc, fps, size)
    if not writer.isOpened():
        raise OSError(f"cannot write a video to {path}")
    try:
        rng = np.random.default_rng(seed)
        empty = _counter(rng, *size)
        n_empty = int(seconds_empty * fps)
        for f in [empty] * n_empty + card_frames(card, int(seconds_card * fps), size, seed) + [empty] * n_empty:
            writer.write(f)
    finally:
        writer.release()
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a short video of a member card held up to a camera.")
    ap.add_argument("--out", type=Path, required=True, help=".mp4 (small) or .avi (MJPG)")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--card", type=Path, help="card image (PNG/JPEG), e.g. from `pos-terminal card render`")
    group.add_argument("--text", default="DEMO-MEMBER-CODE", help="QR content when no --card is given")
    args = ap.parse_args(argv)
    if args.card:
        card = cv2.imread(str(args.card), cv2.IMREAD_COLOR)
        if card is None:
            print(f"cannot read the card image {args.card}")
            return 2
    else:
        card = qr_card(args.text)
    write_card_video(card, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
