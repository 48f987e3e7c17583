"""Synthetic camera frames on real pixels, reproducible from a seed.

A code (QR or Code128) is rendered from its real module matrix, printed on a white card, placed in a
640x480 or 1280x720 frame with rotation and 3-D tilt (a perspective warp), over a plain or cluttered
background, then degraded the way counter cameras degrade: uneven light, low contrast, defocus or motion
blur, sensor noise, JPEG compression; ``inverted`` draws a phone screen in dark mode (light code on black).
``no_code`` frames carry clutter and card-like shapes but no code (for false-read checks).

Everything is drawn from ``numpy.random.Generator(PCG64(seed))``: the same seed gives the same pixels.

Run as a script to look at one sample per condition:  ``python tests/hardware/frames.py --samples /tmp/f``
(the demo video is written by ``python -m hardware.scanner.demo_video``).
"""

from __future__ import annotations

import argparse
import math
import os
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import barcode
import cv2
import numpy as np
import qrcode
import qrcode.constants

SIZES: dict[str, tuple[int, int]] = {"640x480": (640, 480), "1280x720": (1280, 720)}

# Single conditions (each degrades one thing) and the random "hard" mix used for the headline rate.
CONDITIONS: tuple[str, ...] = (
    "clean",
    "small",
    "rotated",
    "tilt",
    "blur",
    "motion",
    "noise",
    "low_contrast",
    "clutter",
    "inverted",
    "hard_mix",
    "no_code",
)

_B64 = string.ascii_letters + string.digits + "-_"


def member_like_payload(rng: np.random.Generator) -> str:
    """A string shaped like a signed member QR (prefix, key id, member id, dates, 64-byte signature)."""
    member = "".join(rng.choice(list("0123456789abcdef"), 32))
    sig = "".join(rng.choice(list(_B64), 86))
    return f"LM1.k{int(rng.integers(1, 9))}.{member}.20261123.20281123.{sig}"


def card_number(rng: np.random.Generator) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, 12))


def qr_modules(text: str, border: int = 4) -> np.ndarray:
    """Module matrix (True = dark) with a quiet zone of ``border`` modules."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


def code128_modules(text: str, quiet: int = 12, kind: str = "code128") -> np.ndarray:
    """1-D module row (True = bar) with quiet zones, as a 1xN matrix (``kind`` "code128" or "ean13")."""
    bits = barcode.get(kind, text).build()[0]
    row = np.array([c == "1" for c in bits], dtype=bool)
    pad = np.zeros(quiet, dtype=bool)
    return np.concatenate([pad, row, pad])[None, :]


@dataclass(frozen=True)
class FrameSpec:
    condition: str
    size: tuple[int, int]
    symbology: str  # "qr" | "code128" | "ean13" | "none"
    text: str | None
    seed: int


@dataclass
class Frame:
    image: np.ndarray  # BGR uint8
    spec: FrameSpec
    corners: np.ndarray | None = field(default=None)  # 4x2 float32: code corners in the frame

    @property
    def text(self) -> str | None:
        return self.spec.text


# --------------------------------------------------------------------------------------------- drawing
def _background(rng: np.random.Generator, w: int, h: int, cluttered: bool) -> np.ndarray:
    base = rng.integers(60, 200, 3).astype(np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[:] = base
    # gentle colour gradient, like a counter top
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :, None]
    img += gx * rng.uniform(-30, 30, 3).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if cluttered:
        for _ in range(int(rng.integers(25, 60))):
            kind = int(rng.integers(0, 4))
            color = tuple(int(c) for c in rng.integers(0, 256, 3))
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            if kind == 0:
                cv2.rectangle(img, (x, y), (x + int(rng.integers(10, 200)), y + int(rng.integers(10, 150))),
                              color, int(rng.choice([-1, 1, 2, 4])))
            elif kind == 1:
                cv2.circle(img, (x, y), int(rng.integers(5, 80)), color, int(rng.choice([-1, 2, 3])))
            elif kind == 2:
                cv2.line(img, (x, y), (int(rng.integers(0, w)), int(rng.integers(0, h))), color,
                         int(rng.integers(1, 5)))
            else:
                txt = "".join(rng.choice(list(string.ascii_uppercase + string.digits), int(rng.integers(3, 12))))
                cv2.putText(img, txt, (x, y), cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.4, 2.0)), color,
                            int(rng.integers(1, 4)))
        # a few checkerboard-ish patches: finder-pattern look-alikes that must not read as codes
        for _ in range(int(rng.integers(1, 4))):
            n = int(rng.integers(4, 10))
            cell = int(rng.integers(3, 12))
            patch = (rng.random((n, n)) > 0.5).astype(np.uint8) * 255
            patch = cv2.resize(patch, (n * cell, n * cell), interpolation=cv2.INTER_NEAREST)
            x, y = int(rng.integers(0, max(1, w - n * cell))), int(rng.integers(0, max(1, h - n * cell)))
            img[y:y + n * cell, x:x + n * cell] = patch[:, :, None]
    return img


def _code_quad(rng: np.random.Generator, w: int, h: int, side: float, aspect: float, angle_deg: float,
               tilt_deg: float) -> np.ndarray:
    """Corners of the code's (quiet-zone) rectangle in the frame after rotation and 3-D tilt."""
    cw, ch = side, side * aspect
    # rectangle in 3-D, centred at origin, rotated about the optical axis, then tilted about a random axis
    pts = np.array([[-cw / 2, -ch / 2, 0], [cw / 2, -ch / 2, 0], [cw / 2, ch / 2, 0], [-cw / 2, ch / 2, 0]],
                   np.float64)
    a = math.radians(angle_deg)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    axis_angle = rng.uniform(0, 2 * math.pi)
    axis = np.array([math.cos(axis_angle), math.sin(axis_angle), 0.0])
    t = math.radians(tilt_deg)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rt = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)
    pts = pts @ rz.T @ rt.T
    focal = max(w, h) * 1.1
    dist = focal  # object plane at one focal length: the card's apparent size is about ``side`` pixels
    proj = pts[:, :2] * focal / (dist + pts[:, 2:3])
    half = np.abs(proj).max(axis=0)
    margin = 4.0
    cx = rng.uniform(half[0] + margin, max(half[0] + margin + 1, w - half[0] - margin))
    cy = rng.uniform(half[1] + margin, max(half[1] + margin + 1, h - half[1] - margin))
    return (proj + np.array([cx, cy])).astype(np.float32)


def _render_code(modules: np.ndarray, px: int, bar_height: int | None = None) -> np.ndarray:
    """Module matrix to a crisp grey image (0 = dark), ``px`` pixels per module."""
    img = np.where(modules, 0, 255).astype(np.uint8)
    if modules.shape[0] == 1:  # 1-D: stretch bars vertically
        img = np.repeat(img, max(1, (bar_height or modules.shape[1] // 3)), axis=0)
        return cv2.resize(img, (img.shape[1] * px, img.shape[0] * px), interpolation=cv2.INTER_NEAREST)
    return cv2.resize(img, (img.shape[1] * px, img.shape[0] * px), interpolation=cv2.INTER_NEAREST)


def _motion_kernel(length: int, angle: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1.0
    m = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    k = cv2.warpAffine(k, m, (length, length))
    return k / max(k.sum(), 1e-6)


@dataclass
class _Params:
    module_px: float = 4.0  # apparent pixels per module (before tilt)
    angle: float = 0.0
    tilt: float = 0.0
    blur_sigma: float = 0.0
    motion: int = 0
    noise: float = 2.0
    contrast: float = 1.0  # 1 = full range; 0.3 = grey on grey
    gradient: float = 0.0  # uneven light amplitude
    clutter: bool = False
    inverted: bool = False
    jpeg: int = 92


def _params_for(condition: str, rng: np.random.Generator, symbology: str, size: tuple[int, int]) -> _Params:
    p = _Params()
    big = size[0] >= 1280
    p.module_px = float(rng.uniform(3.0, 6.0)) if symbology == "qr" else float(rng.uniform(2.0, 3.5))
    p.angle = float(rng.uniform(-12, 12))
    if condition == "small":
        p.module_px = float(rng.uniform(1.9, 2.6)) if symbology == "qr" else float(rng.uniform(1.4, 1.9))
    elif condition == "rotated":
        p.angle = float(rng.uniform(0, 360))
    elif condition == "tilt":
        p.tilt = float(rng.uniform(30, 50))
    elif condition == "blur":
        p.blur_sigma = float(rng.uniform(1.2, 2.0)) * (1.3 if big else 1.0)
    elif condition == "motion":
        p.motion = int(rng.integers(5, 10))
    elif condition == "noise":
        p.noise = float(rng.uniform(14, 24))
    elif condition == "low_contrast":
        p.contrast = float(rng.uniform(0.14, 0.25))
        p.gradient = float(rng.uniform(20, 50))
    elif condition == "clutter":
        p.clutter = True
        p.angle = float(rng.uniform(0, 360))
    elif condition == "inverted":
        p.inverted = True
        p.angle = float(rng.uniform(0, 360))
    elif condition == "hard_mix":
        # two to four hard conditions at once, each a bit milder than alone
        picks = rng.choice(["small", "tilt", "blur", "motion", "noise", "low_contrast", "inverted"],
                           int(rng.integers(2, 5)), replace=False)
        p.angle = float(rng.uniform(0, 360))
        p.clutter = bool(rng.random() < 0.6)
        for c in picks:
            if c == "small":
                p.module_px = float(rng.uniform(2.2, 3.0))
            elif c == "tilt":
                p.tilt = float(rng.uniform(20, 40))
            elif c == "blur":
                p.blur_sigma = float(rng.uniform(0.9, 1.6))
            elif c == "motion":
                p.motion = int(rng.integers(3, 7))
            elif c == "noise":
                p.noise = float(rng.uniform(8, 18))
            elif c == "low_contrast":
                p.contrast = float(rng.uniform(0.18, 0.35))
                p.gradient = float(rng.uniform(10, 35))
            elif c == "inverted":
                p.inverted = True
        p.jpeg = int(rng.integers(60, 90))
    elif condition == "no_code":
        p.clutter = True
    return p


def make_frame(condition: str, size: tuple[int, int] = (640, 480), symbology: str = "qr", seed: int = 0,
               text: str | None = None) -> Frame:
    """One frame. ``condition`` is one of CONDITIONS; ``symbology`` "qr" or "code128"."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    rng = np.random.default_rng(seed)
    w, h = size
    if condition == "no_code":
        symbology = "none"
    p = _params_for(condition, rng, symbology, size)
    img = _background(rng, w, h, p.clutter).astype(np.float32)
    corners = None
    if symbology != "none":
        if text is None:
            text = member_like_payload(rng) if symbology == "qr" else card_number(rng)
        if symbology == "qr":
            modules = qr_modules(text)
        else:
            modules = code128_modules(text, kind="ean13" if symbology == "ean13" else "code128")
            if symbology == "ean13":
                text = barcode.get("ean13", text).get_fullcode()  # with its check digit, as decoders report
        src = _render_code(modules, 4, bar_height=max(12, modules.shape[1] // 4))
        sh, sw = src.shape
        side = sw / 4 * p.module_px
        quad = _code_quad(rng, w, h, side, sh / sw, p.angle, p.tilt)
        # the white card/screen around the code (a bit larger than the quiet zone)
        center = quad.mean(axis=0)
        card_quad = center + (quad - center) * 1.25
        src_quad = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
        m = cv2.getPerspectiveTransform(src_quad, quad)
        code_layer = cv2.warpPerspective(src, m, (w, h), flags=cv2.INTER_AREA, borderValue=255).astype(np.float32)
        mask = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(mask, card_quad.astype(np.int32), 255)
        if p.inverted:  # phone in dark mode: light modules on a near-black screen
            code_layer = 255 - code_layer
            code_layer = code_layer * 0.85 + 15
        maskf = (mask > 0)[:, :, None]
        img = np.where(maskf, code_layer[:, :, None], img)
        # corners of the symbol itself (inside the quiet zone)
        if symbology == "qr":
            b = 4 * 4
            inner = np.array([[b, b], [sw - b, b], [sw - b, sh - b], [b, sh - b]], np.float32)
            corners = cv2.perspectiveTransform(inner[None], m)[0]
        else:
            corners = quad
    # lighting and contrast
    if p.gradient:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang = rng.uniform(0, 2 * math.pi)
        ramp = (xx * math.cos(ang) + yy * math.sin(ang)) / max(w, h)
        img += (ramp[:, :, None] - 0.5) * 2 * p.gradient
    if p.contrast != 1.0:
        mid = float(rng.uniform(100, 160))
        img = (img - 128) * p.contrast + mid
    if p.blur_sigma:
        img = cv2.GaussianBlur(img, (0, 0), p.blur_sigma)
    if p.motion:
        img = cv2.filter2D(img, -1, _motion_kernel(p.motion, float(rng.uniform(0, 180))))
    if p.noise:
        img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(p.noise)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if p.jpeg < 100:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, p.jpeg])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    spec = FrameSpec(condition, size, symbology, text if symbology != "none" else None, seed)
    return Frame(out, spec, corners)


def frame_set(conditions: Sequence[str], n_per: int, seed: int = 1234, symbology: str = "qr",
              sizes: Sequence[tuple[int, int]] = ((640, 480), (1280, 720))) -> list[Frame]:
    """``n_per`` frames per (condition, size), seeds derived from ``seed``."""
    frames = []
    for ci, cond in enumerate(conditions):
        for si, size in enumerate(sizes):
            for i in range(n_per):
                s = seed * 1_000_003 + ci * 10_007 + si * 1_009 + i
                frames.append(make_frame(cond, size, symbology, seed=s))
    return frames


# ------------------------------------------------------------------------------------- held card video
def held_card_frames(text: str, n: int, seed: int = 7, size: tuple[int, int] = (1280, 720),
                     hard: bool = True) -> Iterator[np.ndarray]:
    """A card held up to the camera: it drifts, turns and tilts a little between frames; each frame
    gets its own blur/noise. Yields BGR frames."""
    rng = np.random.default_rng(seed)
    w, h = size
    bg = _background(rng, w, h, cluttered=True)
    modules = qr_modules(text)
    src = _render_code(modules, 4)
    sh, sw = src.shape
    module_px = float(rng.uniform(2.6, 4.0)) if hard else 5.0
    side = sw / 4 * module_px
    cx, cy = w / 2 + rng.uniform(-w / 6, w / 6), h / 2 + rng.uniform(-h / 8, h / 8)
    angle, tilt = float(rng.uniform(0, 360)), float(rng.uniform(5, 30)) if hard else 0.0
    inverted = hard and rng.random() < 0.2
    contrast = float(rng.uniform(0.3, 1.0)) if hard else 1.0
    for i in range(n):
        angle += float(rng.normal(0, 2))
        tilt = float(np.clip(tilt + rng.normal(0, 2), 0, 40))
        cx += float(rng.normal(0, 4))
        cy += float(rng.normal(0, 3))
        quad = _code_quad(np.random.default_rng(seed * 1000 + i), w, h, side, 1.0, angle, tilt)
        quad = quad - quad.mean(axis=0) + np.array([cx, cy], np.float32)
        center = quad.mean(axis=0)
        card_quad = center + (quad - center) * 1.3
        src_quad = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
        m = cv2.getPerspectiveTransform(src_quad, quad.astype(np.float32))
        layer = cv2.warpPerspective(src, m, (w, h), flags=cv2.INTER_AREA, borderValue=255).astype(np.float32)
        if inverted:
            layer = (255 - layer) * 0.85 + 15
        mask = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(mask, card_quad.astype(np.int32), 255)
        img = np.where((mask > 0)[:, :, None], layer[:, :, None], bg.astype(np.float32))
        img = (img - 128) * contrast + 128
        sigma = float(rng.uniform(0.0, 1.8)) if hard else 0.3
        if sigma > 0.2:
            img = cv2.GaussianBlur(img, (0, 0), sigma)
        img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(rng.uniform(2, 12) if hard else 2)
        yield np.clip(img, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------------ a decoder that aborts
ABORT_MARK = 13  # a frame whose top-left pixel is 13 makes AbortingDecoder abort()


class AbortingDecoder:
    """Stands in for a C library that asserts on some inputs (pyzbar, OpenCV): a real ``abort()`` of the
    worker process on a marked frame, a real zxing decode otherwise."""

    name = "aborting"

    def __init__(self) -> None:
        from hardware.scanner.zxing_backend import ZxingDecoder

        self._inner = ZxingDecoder(enhance=False)

    def decode(self, frame: np.ndarray) -> list:
        if int(frame.reshape(-1)[0]) == ABORT_MARK:
            os.abort()
        return self._inner.decode(frame)

    def close(self) -> None:
        pass


def make_aborting_decoder() -> AbortingDecoder:
    return AbortingDecoder()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=Path, help="write one PNG per condition into this folder")
    args = ap.parse_args(argv)
    if args.samples:
        args.samples.mkdir(parents=True, exist_ok=True)
        for cond in CONDITIONS:
            f = make_frame(cond, (1280, 720), "qr", seed=5)
            cv2.imwrite(str(args.samples / f"{cond}.png"), f.image)
        print(f"wrote samples to {args.samples}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
