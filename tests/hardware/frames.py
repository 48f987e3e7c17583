"""Synthetic camera frames on real pixels, reproducible from a seed.

A code (QR from ``qrcode``, Code128 and EAN-13 from ``python-barcode``: real encoders, real module patterns)
is drawn the way *other* generators draw it (error-correction level, mask pattern, quiet zone of 1-6 modules,
card margin, ink and card colours, square, gapped, dotted or rounded modules, ink spread), placed in a 640x480
or 1280x720 frame with rotation, 3-D tilt or a curved card, over a plain or cluttered background (shapes,
text, finder look-alikes, other symbologies' barcodes), then degraded the way counter cameras degrade: JPEG
at several qualities, sensor noise at several levels at low contrast, glare, uneven light and hard shadows,
phone screens (the sub-pixel grid sampled by the sensor: moiré; dark mode; low brightness), a thumb over a
corner, 1-2 px modules, defocus (Gaussian or disk) and motion blur. ``no_code*`` frames hold no code of
ours (for false-read checks). See ``CONDITIONS``.

Everything is drawn from ``numpy.random.Generator(PCG64(seed))`` (and OpenCV's generator seeded from it):
the same seed gives the same pixels. Seeds below ``HELDOUT_BASE`` are for tuning and tests; seeds from
``HELDOUT_BASE`` up are the held-out set that only ``bench/bench_decode.py --split heldout`` reports on.

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

# Single conditions (each degrades one thing), the random "hard" mix used for the headline rate, and frames
# without a code of ours (false-read checks).
CONDITIONS: tuple[str, ...] = (
    "clean",
    "small",
    "tiny",
    "rotated",
    "tilt",
    "curved",
    "blur",
    "motion",
    "noise",
    "low_contrast",
    "noise_lc_8",
    "noise_lc_16",
    "noise_lc_28",
    "jpeg_q50",
    "jpeg_q25",
    "jpeg_q10",
    "glare",
    "uneven_light",
    "finger",
    "clutter",
    "inverted",
    "screen_moire",
    "screen_dark",
    "screen_dim",
    "hard_mix",
    "no_code",
    "no_code_barcodes",
)
CODE_CONDITIONS: tuple[str, ...] = tuple(c for c in CONDITIONS if not c.startswith("no_code"))

_B64 = string.ascii_letters + string.digits + "-_"


def member_like_payload(rng: np.random.Generator) -> str:
    """A string shaped like a signed member QR (prefix, key id, member id, dates, 64-byte signature)."""
    member = "".join(rng.choice(list("0123456789abcdef"), 32))
    sig = "".join(rng.choice(list(_B64), 86))
    return f"LM1.k{int(rng.integers(1, 9))}.{member}.20261123.20281123.{sig}"


def card_number(rng: np.random.Generator) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, 12))


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


# barcodes of symbologies the chain does not use (product labels, parcel stickers): never to be read
_OTHER_KINDS = ("ean13", "ean8", "upca", "code39", "itf", "codabar")


def _other_payload(rng: np.random.Generator, kind: str) -> str:
    digits = lambda n: "".join(str(int(d)) for d in rng.integers(0, 10, n))  # noqa: E731
    if kind == "ean13":
        return digits(12)
    if kind == "ean8":
        return digits(7)
    if kind == "upca":
        return digits(11)
    if kind == "itf":
        return digits(2 * int(rng.integers(3, 7)))
    if kind == "codabar":
        return "A" + digits(int(rng.integers(6, 12))) + "B"
    return "".join(rng.choice(list(string.ascii_uppercase + string.digits), int(rng.integers(4, 9))))


def _draw_other_codes(rng: np.random.Generator, img: np.ndarray, n: int) -> None:
    """Stickers with other symbologies' barcodes and lines of printed text (in place, uint8 BGR)."""
    h, w = img.shape[:2]
    for _ in range(n):
        kind = str(rng.choice(_OTHER_KINDS))
        bits = barcode.get(kind, _other_payload(rng, kind)).build()[0]
        row = np.array([c == "1" for c in bits], dtype=bool)
        px = float(rng.uniform(1.6, 3.2))
        bw = int(len(row) * px) + 24
        bh = int(rng.uniform(0.25, 0.5) * bw)
        sticker = np.full((bh + 22, bw, 3), 245, np.uint8)
        xs = ((np.arange(bw - 24) / px).astype(int)).clip(0, len(row) - 1)
        sticker[6:bh, 12:bw - 12][:, row[xs]] = 20
        txt = "".join(rng.choice(list(string.digits), int(rng.integers(8, 13))))
        cv2.putText(sticker, txt, (12, bh + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (20, 20, 20), 1)
        if rng.random() < 0.3:
            sticker = np.ascontiguousarray(np.rot90(sticker))
        sh, sw = sticker.shape[:2]
        if sh >= h or sw >= w:
            continue
        x, y = int(rng.integers(0, w - sw)), int(rng.integers(0, h - sh))
        img[y:y + sh, x:x + sw] = sticker
    for _ in range(int(rng.integers(2, 6))):  # printed text (receipt lines, labels)
        txt = " ".join("".join(rng.choice(list(string.ascii_uppercase + string.digits), int(rng.integers(2, 9))))
                       for _ in range(int(rng.integers(1, 4))))
        x, y = int(rng.integers(0, max(1, w - 100))), int(rng.integers(20, h))
        cv2.putText(img, txt, (x, y), int(rng.choice([cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN,
                                                     cv2.FONT_HERSHEY_DUPLEX])),
                    float(rng.uniform(0.5, 1.4)), (int(rng.integers(0, 80)),) * 3, int(rng.integers(1, 3)))


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


def _disk_kernel(radius: float) -> np.ndarray:
    """Defocus: a uniform disk (what an out-of-focus lens does), not a Gaussian."""
    r = int(math.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float32)
    k = np.clip(radius + 0.5 - np.sqrt(xx * xx + yy * yy), 0, 1)
    return (k / k.sum()).astype(np.float32)


# ------------------------------------------------------------------------ how "other generators" render
@dataclass
class _Look:
    """How the code was produced: encoder settings and rendering (varied for every frame)."""

    ecl: str = "M"  # QR error correction L/M/Q/H
    border: int = 4  # quiet zone in modules (QR); Code128 uses ``quiet``
    quiet: int = 10
    margin: float = 1.25  # card (or screen) size relative to the code with its quiet zone
    ink: tuple[float, float, float] = (0.0, 0.0, 0.0)  # BGR of dark modules
    paper: tuple[float, float, float] = (255.0, 255.0, 255.0)
    style: str = "square"  # square | gap | dots | rounded
    spread: float = 0.0  # ink gain (+) or loss (-), fraction of a module
    bar_height: float = 0.25  # Code128 bar height relative to its width


def _look(rng: np.random.Generator, symbology: str) -> _Look:
    lk = _Look()
    lk.ecl = str(rng.choice(["L", "M", "M", "Q", "H"]))
    lk.border = int(rng.choice([1, 2, 3, 4, 4, 6]))
    lk.quiet = int(rng.integers(6, 14))
    lk.margin = float(rng.uniform(1.0, 1.35))
    if rng.random() < 0.3:  # a brand colour instead of black
        hue = int(rng.integers(0, 180))
        hsv = np.array([[[hue, int(rng.integers(120, 256)), int(rng.integers(30, 90))]]], np.uint8)
        lk.ink = tuple(float(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])  # type: ignore[assignment]
    else:
        lk.ink = (float(rng.uniform(0, 45)),) * 3  # type: ignore[assignment]
    if rng.random() < 0.3:  # tinted card stock
        hue = int(rng.integers(0, 180))
        hsv = np.array([[[hue, int(rng.integers(20, 90)), int(rng.integers(190, 250))]]], np.uint8)
        lk.paper = tuple(float(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])  # type: ignore[assignment]
    else:
        lk.paper = (float(rng.uniform(215, 255)),) * 3  # type: ignore[assignment]
    lk.style = str(rng.choice(["square", "square", "square", "gap", "dots", "rounded"])) if symbology == "qr" \
        else "square"
    lk.spread = float(rng.uniform(-0.12, 0.12))
    lk.bar_height = float(rng.uniform(0.15, 0.35))
    return lk


def qr_modules(text: str, border: int = 4, ecl: str = "M", mask: int | None = None) -> np.ndarray:
    """Module matrix (True = dark) with a quiet zone of ``border`` modules; ``mask`` None lets the encoder
    choose the mask pattern (slow: it scores all eight), 0-7 forces one, as some encoders do."""
    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    qr = qrcode.QRCode(error_correction=levels[ecl], border=border, mask_pattern=mask)
    qr.add_data(text)
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


def code128_modules(text: str, quiet: int = 12, kind: str = "code128") -> np.ndarray:
    """1-D module row (True = bar) with quiet zones, as a 1xN matrix (``kind`` "code128" or "ean13")."""
    bits = barcode.get(kind, text).build()[0]
    row = np.array([c == "1" for c in bits], dtype=bool)
    pad = np.zeros(quiet, dtype=bool)
    return np.concatenate([pad, row, pad])[None, :]


def _ink_canvas(modules: np.ndarray, res: int, look: _Look, qr_border: int) -> np.ndarray:
    """Ink coverage (float32 0..1, 1 = dark) at ``res`` pixels per module, in the style of ``look``."""
    if modules.shape[0] == 1:  # 1-D
        n = modules.shape[1]
        bars = np.repeat(modules[0].astype(np.float32), res)
        if look.spread:  # bar width gain/loss
            k = max(1, int(round(abs(look.spread) * res * 2)))
            b8 = (bars * 255).astype(np.uint8)[None, :]
            op = cv2.dilate if look.spread > 0 else cv2.erode
            bars = op(b8, np.ones((1, k), np.uint8))[0].astype(np.float32) / 255
        height = max(12 * res, int(look.bar_height * n * res))
        return np.repeat(bars[None, :], height, axis=0)
    big = np.kron(modules.astype(np.float32), np.ones((res, res), np.float32))
    if look.style == "square" and not look.spread:
        return big
    n = modules.shape[0]
    # data modules drawn in the style; the three finder patterns stay solid squares, as generators keep them
    finder = np.zeros_like(modules)
    b = qr_border
    for y0, x0 in ((b, b), (b, n - b - 7), (n - b - 7, b)):
        finder[y0:y0 + 7, x0:x0 + 7] = True
    yy, xx = np.mgrid[0:res, 0:res].astype(np.float32) + 0.5
    d = np.sqrt((xx - res / 2) ** 2 + (yy - res / 2) ** 2) / res
    if look.style == "dots":
        cell = (d <= 0.42 + look.spread / 2).astype(np.float32)
    elif look.style == "gap":
        g = max(0.0, 0.12 - look.spread)
        inside = (np.abs(xx / res - 0.5) <= 0.5 - g) & (np.abs(yy / res - 0.5) <= 0.5 - g)
        cell = inside.astype(np.float32)
    else:  # square with ink spread, or rounded
        cell = np.ones((res, res), np.float32)
    data = np.kron((modules & ~finder).astype(np.float32), cell)
    out = np.maximum(data, np.kron(finder & modules, np.ones((res, res), np.float32)))
    if look.style == "rounded":  # rounded module corners: smooth, then re-threshold
        out = (cv2.GaussianBlur(out, (0, 0), res * 0.3) > 0.5).astype(np.float32)
    if look.spread and look.style in ("square", "rounded"):
        k = max(1, int(round(abs(look.spread) * res * 2)))
        op = cv2.dilate if look.spread > 0 else cv2.erode
        out = op(out, np.ones((k, k), np.uint8))
    return out


def _curve_canvas(img: np.ndarray, arc_deg: float) -> np.ndarray:
    """A card bent around a vertical axis, seen from the front: edges foreshortened and bulging."""
    h, w = img.shape[:2]
    phi_max = math.radians(arc_deg)
    xd = np.linspace(-1, 1, w, dtype=np.float32)
    s = np.clip(xd * math.sin(phi_max), -1, 1)
    phi = np.arcsin(s)
    xs = (phi / phi_max + 1) * (w - 1) / 2  # where this output column comes from on the flat card
    depth = (1 - np.cos(phi)) / max(1e-6, 1 - math.cos(phi_max))  # 0 centre, 1 edges
    yscale = 1.0 + 0.12 * depth  # nearer the camera at the edges? no: farther; shrink the edges' height
    yd = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    ys = (yd * yscale[None, :] + 1) * (h - 1) / 2
    map_x = np.broadcast_to(xs[None, :], (h, w)).astype(np.float32)
    map_y = ys.astype(np.float32)
    return cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


@dataclass
class _Params:
    module_px: float = 4.0  # apparent pixels per module (before tilt)
    angle: float = 0.0
    tilt: float = 0.0
    curve: float = 0.0  # half-arc of a bent card, degrees
    blur_sigma: float = 0.0
    defocus: float = 0.0  # disk radius, pixels
    motion: int = 0
    noise: float = 2.0
    contrast: float = 1.0  # 1 = full range; 0.3 = grey on grey
    gradient: float = 0.0  # uneven light amplitude (additive)
    shading: float = 0.0  # multiplicative light fall-off across the frame (0..1)
    shadow: float = 0.0  # a hard-edged shadow across the code: light kept in it (0 = none)
    glare: float = 0.0  # specular highlight amplitude
    finger: bool = False
    clutter: bool = False
    other_codes: int = 0  # stickers with other symbologies' barcodes, and printed text
    inverted: bool = False
    screen: str = ""  # "" | "moire" | "dim": a phone screen (pixel grid, backlight levels)
    jpeg: int = 92


def _params_for(condition: str, rng: np.random.Generator, symbology: str, size: tuple[int, int]) -> _Params:
    p = _Params()
    big = size[0] >= 1280
    qr = symbology == "qr"
    p.module_px = float(rng.uniform(3.0, 6.0)) if qr else float(rng.uniform(2.0, 3.5))
    p.angle = float(rng.uniform(-12, 12))
    if condition == "small":
        p.module_px = float(rng.uniform(1.9, 2.6)) if qr else float(rng.uniform(1.4, 1.9))
    elif condition == "tiny":  # 1-2 px modules
        p.module_px = float(rng.uniform(1.0, 2.0))
    elif condition == "rotated":
        p.angle = float(rng.uniform(0, 360))
    elif condition == "tilt":
        p.tilt = float(rng.uniform(30, 50))
    elif condition == "curved":
        p.curve = float(rng.uniform(20, 45))
        p.tilt = float(rng.uniform(0, 15))
    elif condition == "blur":  # defocus: half Gaussian, half a true disk
        if rng.random() < 0.5:
            p.blur_sigma = float(rng.uniform(1.2, 2.0)) * (1.3 if big else 1.0)
        else:
            p.defocus = float(rng.uniform(1.8, 3.2)) * (1.3 if big else 1.0)
    elif condition == "motion":
        p.motion = int(rng.integers(5, 10))
    elif condition == "noise":
        p.noise = float(rng.uniform(14, 24))
    elif condition == "low_contrast":
        p.contrast = float(rng.uniform(0.14, 0.25))
        p.gradient = float(rng.uniform(20, 50))
    elif condition.startswith("noise_lc_"):  # sensor noise at several levels, at low contrast
        level = float(condition.rsplit("_", 1)[1])
        p.noise = float(rng.uniform(0.8, 1.2)) * level
        p.contrast = float(rng.uniform(0.2, 0.32))
        p.gradient = float(rng.uniform(5, 25))
    elif condition.startswith("jpeg_q"):
        p.jpeg = int(condition[len("jpeg_q"):])
        p.noise = float(rng.uniform(3, 8))
    elif condition == "glare":
        p.glare = float(rng.uniform(120, 260))
        p.gradient = float(rng.uniform(0, 30))
    elif condition == "uneven_light":
        p.shading = float(rng.uniform(0.3, 0.6))
        p.shadow = float(rng.uniform(0.35, 0.6))
    elif condition == "finger":
        p.finger = True
    elif condition == "clutter":
        p.clutter = True
        p.other_codes = int(rng.integers(1, 4))
        p.angle = float(rng.uniform(0, 360))
    elif condition == "inverted":
        p.inverted = True
        if qr:  # a QR reads at any angle; a 1-D code at an angle is the "rotated" condition
            p.angle = float(rng.uniform(0, 360))
    elif condition == "screen_moire":
        p.screen = "moire"
    elif condition == "screen_dark":
        p.screen = "moire"
        p.inverted = True
    elif condition == "screen_dim":
        p.screen = "dim"
        p.noise = float(rng.uniform(4, 10))
    elif condition == "hard_mix":
        # two to four hard conditions at once, each a bit milder than alone
        picks = rng.choice(["small", "tilt", "blur", "motion", "noise", "low_contrast", "inverted", "jpeg",
                            "glare", "uneven", "curved", "screen"], int(rng.integers(2, 5)), replace=False)
        p.angle = float(rng.uniform(0, 360))
        p.clutter = bool(rng.random() < 0.6)
        p.other_codes = int(rng.integers(0, 3)) if p.clutter else 0
        p.jpeg = int(rng.integers(60, 90))
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
            elif c == "jpeg":
                p.jpeg = int(rng.integers(25, 50))
            elif c == "glare":
                p.glare = float(rng.uniform(100, 200))
            elif c == "uneven":
                p.shading = float(rng.uniform(0.2, 0.4))
                p.shadow = float(rng.uniform(0.45, 0.7))
            elif c == "curved":
                p.curve = float(rng.uniform(15, 30))
            elif c == "screen":
                p.screen = "moire"
    elif condition == "no_code":
        p.clutter = True
    elif condition == "no_code_barcodes":
        p.clutter = bool(rng.random() < 0.5)
        p.other_codes = int(rng.integers(2, 6))
    return p


def _payload(rng: np.random.Generator, symbology: str) -> str:
    r = rng.random()
    if symbology == "qr":
        if r < 0.6:
            return member_like_payload(rng)
        if r < 0.8:
            return "https://loyalty.example/m/" + "".join(rng.choice(list(_B64), 16))
        return card_number(rng)
    if r < 0.6:
        return card_number(rng)
    return "".join(rng.choice(list(string.ascii_uppercase + string.digits), int(rng.integers(6, 14))))


def _screen_pattern(m_inv: np.ndarray, x0: int, y0: int, w: int, h: int, period: float, ss: int = 3) -> np.ndarray:
    """What a camera sees of a phone screen's pixel grid: RGB sub-pixel stripes with dark gaps between device
    pixels (``period`` canvas pixels per device pixel), integrated over each camera pixel with ``ss`` x ``ss``
    samples. The sensor's sampling of the grid is what makes moiré. BGR weights, mean about 1."""
    acc = np.zeros((h, w, 3), np.float32)
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float64) + x0, np.arange(h, dtype=np.float64) + y0)
    for oy in range(ss):
        for ox in range(ss):
            px, py = xs + (ox + 0.5) / ss - 0.5, ys + (oy + 0.5) / ss - 0.5
            den = m_inv[2, 0] * px + m_inv[2, 1] * py + m_inv[2, 2]
            u = (m_inv[0, 0] * px + m_inv[0, 1] * py + m_inv[0, 2]) / den / period
            v = (m_inv[1, 0] * px + m_inv[1, 1] * py + m_inv[1, 2]) / den / period
            sub = np.floor((u - np.floor(u)) * 3).astype(np.int8)
            lit = ((v - np.floor(v)) < 0.8).astype(np.float32)
            for c_bgr, c_sub in ((2, 0), (1, 1), (0, 2)):
                acc[:, :, c_bgr] += (sub == c_sub) * lit
    return acc * (3.0 / 0.8 / (ss * ss))


def _finger(rng: np.random.Generator, img: np.ndarray, corners: np.ndarray) -> None:
    """A thumb over one corner of the code (in place, float BGR): soft-edged, shaded skin."""
    h, w = img.shape[:2]
    centre = corners.mean(axis=0)
    side = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)]))
    corner = corners[int(rng.integers(0, 4))]
    u = (corner - centre) / max(1e-6, float(np.linalg.norm(corner - centre)))
    half_w = float(rng.uniform(0.16, 0.26)) * side
    half_l = half_w * 1.8
    depth = float(rng.uniform(0.02, 0.12)) * side  # how far the tip reaches past the corner, inwards
    c = corner + u * (half_l - depth)
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (int(c[0]), int(c[1])), (int(half_l), int(half_w)),
                math.degrees(math.atan2(float(u[1]), float(u[0]))), 0, 360, 1.0, -1, cv2.LINE_AA)
    soft = cv2.GaussianBlur(mask, (0, 0), max(1.0, half_w / 6))
    shade = cv2.GaussianBlur(mask, (0, 0), max(1.0, half_w / 2))
    skin = np.array([rng.uniform(90, 150), rng.uniform(120, 175), rng.uniform(170, 235)], np.float32)
    img[:] = img * (1 - soft[:, :, None]) + (skin[None, None, :] * (0.6 + 0.4 * shade[:, :, None])) * soft[:, :, None]


def make_frame(condition: str, size: tuple[int, int] = (640, 480), symbology: str = "qr", seed: int = 0,
               text: str | None = None) -> Frame:
    """One frame. ``condition`` is one of CONDITIONS; ``symbology`` "qr", "code128" or "ean13"."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    rng = np.random.default_rng(seed)
    w, h = size
    if condition.startswith("no_code"):
        symbology = "none"
    p = _params_for(condition, rng, symbology, size)
    look = _look(rng, symbology)
    bg = _background(rng, w, h, p.clutter)
    if p.other_codes:
        _draw_other_codes(rng, bg, p.other_codes)
    img = bg.astype(np.float32)
    corners = None
    side = 0.0
    if symbology != "none":
        if text is None:
            text = _payload(rng, symbology)
            if symbology == "code128" and text.startswith("99"):
                text = "1" + text[1:]  # python-barcode 0.16 drops a leading "99" (encodes it as "Code C")
        border = 0
        if symbology == "qr":
            border = look.border
            modules = qr_modules(text, border, look.ecl, mask=int(rng.integers(0, 8)))
        else:
            modules = code128_modules(text, quiet=look.quiet, kind="ean13" if symbology == "ean13" else "code128")
            if symbology == "ean13":
                text = barcode.get("ean13", text).get_fullcode()  # with its check digit, as decoders report
        res = 6
        ink = _ink_canvas(modules, res, look, border)
        ch, cw = ink.shape
        pad = int(round(max(ch, cw) * (look.margin - 1) / 2))
        ink = np.pad(ink, pad)
        card = np.pad(np.ones((ch, cw), np.float32), pad)
        paper = np.array(look.paper, np.float32)
        dark = np.array(look.ink, np.float32)
        if p.screen:  # backlight levels of a phone screen; "dim": brightness turned down
            white = float(rng.uniform(45, 100)) if p.screen == "dim" else float(rng.uniform(170, 235))
            black = float(rng.uniform(4, 12)) if p.screen == "dim" else float(rng.uniform(8, 25))
            paper, dark = np.full(3, white, np.float32), np.full(3, black, np.float32)
        if p.inverted:  # dark mode: light modules on a near-black screen
            if p.screen:
                paper, dark = dark, paper
            else:
                paper = np.full(3, float(rng.uniform(10, 25)), np.float32)
                dark = np.full(3, float(rng.uniform(190, 235)), np.float32)
        colour = paper[None, None, :] * (1 - ink[:, :, None]) + dark[None, None, :] * ink[:, :, None]
        colour *= card[:, :, None]
        if p.curve:
            colour = _curve_canvas(colour, p.curve)
            card = _curve_canvas(card, p.curve)
        scale = res / p.module_px
        if not p.screen and scale > 1.5:  # optics low-pass; a screen's pixel grid is left to alias (moiré)
            colour = cv2.GaussianBlur(colour, (0, 0), 0.4 * scale)
        canvas_h, canvas_w = card.shape
        side = canvas_w / res * p.module_px
        quad = _code_quad(rng, w, h, side, canvas_h / canvas_w, p.angle, p.tilt)
        src_quad = np.array([[0, 0], [canvas_w, 0], [canvas_w, canvas_h], [0, canvas_h]], np.float32)
        m = cv2.getPerspectiveTransform(src_quad, quad)
        if p.screen:  # the phone's black bezel around the screen
            centre = quad.mean(axis=0)
            bezel = (centre + (quad - centre) * 1.1).astype(np.int32)
            cv2.fillConvexPoly(img, bezel, (12.0, 12.0, 12.0), cv2.LINE_AA)
        # warp into the card's bounding box only (a full-frame float warp is most of a frame's cost)
        x0, y0 = (int(max(0, math.floor(v))) for v in quad.min(axis=0))
        x1, y1 = int(min(w, math.ceil(quad[:, 0].max()) + 1)), int(min(h, math.ceil(quad[:, 1].max()) + 1))
        mb = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ m
        layer = cv2.warpPerspective(colour, mb, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderValue=0)
        mask = cv2.warpPerspective(card, mb, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderValue=0)
        if p.screen:  # the screen's pixel grid (6-14 device pixels per module), as the sensor samples it
            period = res / float(rng.uniform(6.0, 14.0))
            layer *= _screen_pattern(np.linalg.inv(m), x0, y0, x1 - x0, y1 - y0, period)
            layer = cv2.GaussianBlur(layer, (0, 0), float(rng.uniform(0.4, 0.8)))  # the lens
        roi = img[y0:y1, x0:x1]
        roi[:] = roi * (1 - mask[:, :, None]) + layer
        b = pad + border * res
        inner = np.array([[b, b], [canvas_w - b, b], [canvas_w - b, canvas_h - b], [b, canvas_h - b]], np.float32)
        if symbology != "qr":
            inner = np.array([[pad, pad], [canvas_w - pad, pad], [canvas_w - pad, canvas_h - pad],
                              [pad, canvas_h - pad]], np.float32)
        corners = cv2.perspectiveTransform(inner[None], m)[0]
        if p.finger:
            _finger(rng, img, corners)
    # lighting and contrast
    if p.gradient or p.shading or p.shadow or p.glare:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if p.gradient:
        ang = rng.uniform(0, 2 * math.pi)
        ramp = (xx * math.cos(ang) + yy * math.sin(ang)) / max(w, h)
        img += (ramp[:, :, None] - 0.5) * 2 * p.gradient
    if p.shading:  # light falling off across the frame (a lamp to one side)
        ang = rng.uniform(0, 2 * math.pi)
        ramp = (xx * math.cos(ang) + yy * math.sin(ang)) / max(w, h)
        ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
        img *= (1 - p.shading * ramp)[:, :, None]
    if p.shadow:  # the shadow of a hand or the terminal, its edge across the code
        cx, cy = corners.mean(axis=0) if corners is not None else (w / 2, h / 2)
        ang = rng.uniform(0, 2 * math.pi)
        dist = (xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang) + rng.uniform(-0.3, 0.3) * max(side, 50)
        edge = 1 / (1 + np.exp(np.clip(-dist / float(rng.uniform(1.0, 6.0)), -50, 50)))
        img *= (1 - (1 - p.shadow) * edge)[:, :, None]
    if p.contrast != 1.0:
        mid = float(rng.uniform(100, 160))
        img = (img - 128) * p.contrast + mid
    if p.glare:  # a specular highlight on the card or screen
        if corners is not None:
            lo, hi = corners.min(axis=0), corners.max(axis=0)
            gx, gy = float(rng.uniform(lo[0], hi[0])), float(rng.uniform(lo[1], hi[1]))
        else:
            gx, gy = float(rng.uniform(0, w)), float(rng.uniform(0, h))
        sigma = float(rng.uniform(0.05, 0.14)) * max(side, 80)
        img += (p.glare * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sigma * sigma)))[:, :, None]
    if p.blur_sigma:
        img = cv2.GaussianBlur(img, (0, 0), p.blur_sigma)
    if p.defocus:
        img = cv2.filter2D(img, -1, _disk_kernel(p.defocus))
    if p.motion:
        img = cv2.filter2D(img, -1, _motion_kernel(p.motion, float(rng.uniform(0, 180))))
    if p.noise:
        noise = np.empty(img.shape, np.float32)
        cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))  # cv2's generator: fast, seeded from the frame's
        cv2.randn(noise, 0.0, float(p.noise))
        img += noise
    out = np.clip(img, 0, 255).astype(np.uint8)
    if p.jpeg < 100:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, p.jpeg])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    spec = FrameSpec(condition, size, symbology, text if symbology != "none" else None, seed)
    return Frame(out, spec, corners)


def frame_set(conditions: Sequence[str], n_per: int, seed: int = 1234, symbology: str = "qr",
              sizes: Sequence[tuple[int, int]] = ((640, 480), (1280, 720))) -> list[Frame]:
    """``n_per`` frames per (condition, size), seeds derived from ``seed`` (all in the tuning range)."""
    frames = []
    for ci, cond in enumerate(conditions):
        for si, size in enumerate(sizes):
            for i in range(n_per):
                s = (seed * 1_000_003 + ci * 10_007 + si * 1_009 + i) % HELDOUT_BASE
                frames.append(make_frame(cond, size, symbology, seed=s))
    return frames


# ------------------------------------------------------------------------------ tuning and held-out sets
# Seeds below HELDOUT_BASE are for tuning (tests, experiments, choosing the decoder's passes); seeds from
# HELDOUT_BASE up are held out, used only by ``bench/bench_decode.py`` to report: "heldout" (seeds from
# 1,000,000,000) was reported on after each round of tuning, "heldout2" (seeds from 2,000,000,000) was kept
# fresh, looked at once, after the decoder of 2026-11-29 was final (and is now as seen as the first);
# "heldout3" (seeds from 3,000,000,000) was added on 2026-11-30 before that round of tuning and is looked at
# once, after its decoder is final; "heldout4" (seeds from 4,000,000,000) was added on 2026-11-30 before the
# round that tried a second QR detector, and is looked at once, after that round's decoder is final;
# "heldout5" (seeds from 5,000,000,000) was added on 2026-11-30 before the round that studied the frames
# nothing reads (tuning seeds only), and is looked at once, after that round's decoder is final. A later
# round adds a sixth block rather than tuning on these.
HELDOUT_BASE = 1_000_000_000
SPLITS: dict[str, int] = {"tune": 0, "heldout": HELDOUT_BASE, "heldout2": 2 * HELDOUT_BASE,
                          "heldout3": 3 * HELDOUT_BASE, "heldout4": 4 * HELDOUT_BASE,
                          "heldout5": 5 * HELDOUT_BASE}


def corpus_seed(split: str, condition: str, size_index: int, symbology: str, i: int) -> int:
    block = (CONDITIONS.index(condition) * 2 + size_index) * 2 + (symbology != "qr")
    return SPLITS[split] + block * 1_000_000 + i


def corpus(split: str, per_qr: int, per_code128: int, hard_extra: int = 0,
           sizes: Sequence[tuple[int, int]] = ((640, 480), (1280, 720))) -> list[Frame]:
    """Every condition at every size: ``per_qr`` QR frames (``+ hard_extra`` for hard_mix), ``per_code128``
    Code128 frames (none for the no-code conditions), each from its own seed of ``split``."""
    frames = []
    for cond in CONDITIONS:
        for si, size in enumerate(sizes):
            for i in range(per_qr + (hard_extra if cond == "hard_mix" else 0)):
                frames.append(make_frame(cond, size, "qr", seed=corpus_seed(split, cond, si, "qr", i)))
            if cond in CODE_CONDITIONS and cond != "hard_mix":
                for i in range(per_code128):
                    frames.append(make_frame(cond, size, "code128",
                                             seed=corpus_seed(split, cond, si, "code128", i)))
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
            for sym in ("qr", "code128") if cond in CODE_CONDITIONS else ("qr",):
                f = make_frame(cond, (1280, 720), sym, seed=corpus_seed("tune", cond, 1, sym, 5))
                cv2.imwrite(str(args.samples / f"{cond}-{sym}.png"), f.image)
        print(f"wrote samples to {args.samples}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
