"""zxing-cpp backend (the default) and the improvements on top of a bare call.

``ZxingDecoder(enhance=False)`` is the bare call: ``zxingcpp.read_barcodes(frame, formats=...)`` with every
other option at zxing-cpp's default (downscaled passes, rotation, inversion), restricted to the chain's
symbologies. ``enhance=True`` (the default) makes **that same call first**, on the frame exactly as given,
and returns its result whenever it found a code: so it can never read fewer codes than the bare call, by
construction (``tests/hardware/test_decoders.py`` checks it over generated frames of every condition),
with one exception: two different texts read from *one* 1-D barcode (Code128's mod-103 check lets a misread
scan line through now and then) are a misread, at most one of them right. That barcode is read again on its
own; a text that only one of the re-reads' texts matches is kept, otherwise neither is returned for that
frame (the next frame is the rescan). Nothing the bare call did not read is ever added by this.
Only a frame where the bare call found nothing gets extra attempts:

* on *candidate regions*: first where zxing located a symbol it could not decode (``return_errors``), then
  high-texture, code-shaped blobs found by a cheap detector (located on a quarter-size energy map; decoding
  always sees full-resolution pixels), those around a lone QR finder pattern first (zxing-cpp 3 reports one
  as a Micro QR or rMQR symbol with an error). A crop is read for the format zxing located there, for QR
  alone when it is square (5x cheaper than a read that also scans for 1-D codes in every direction), and
  without the column scan when it is bar-shaped and near horizontal. Each crop is tried half size with the
  global-histogram binarizer, 1.5x, closed (dark or light modules grown: dotted modules), 1.5x sharpened,
  global histogram, locally normalised 2x with a fixed threshold (glare, shadows), 2x sharpened, blurred
  2x; a bar-shaped box held at an angle is rotated upright; a frame with light bars on a dark screen is
  read inverted for 1-D codes (zxing's ``try_invert`` covers 2-D only); where zxing located a QR code that
  no crop reads, the symbol is resampled upright from zxing's own corners, flat and as if on a card bent
  around either pair of its sides (``unbend``, on by default); where zxing located a QR code (or a
  finder of one) that no crop reads, a second finder, OpenCV's ``QRCodeDetectorAruco`` on the half-size
  frame, gives corners from which the symbol is warped upright and read again by zxing (``rectify``);
* within a time budget: every frame earns ``budget_ratio`` x the time of its own first pass as credit
  (capped), extra work (candidate search included) spends it, and an overrun is a debt repaid before the
  next extra attempt; a frame where zxing located a symbol may borrow up to ``borrow_s`` ahead and spends
  at most ``located_limit`` x its own first pass. The average cost per frame therefore stays within
  ``(1 + budget_ratio)`` x our first pass (the bare call plus ``return_errors``, about 3% dearer) by
  construction, plus one borrow over the whole run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
import zxingcpp

from .types import CODE128, DEFAULT_SYMBOLOGIES, EAN13, QR, Point, Scan, check_symbologies, to_gray

_FORMATS = {
    QR: zxingcpp.BarcodeFormat.QRCode,
    CODE128: zxingcpp.BarcodeFormat.Code128,
    EAN13: zxingcpp.BarcodeFormat.EAN13,
}
_NAMES = {
    zxingcpp.BarcodeFormat.QRCode: QR,
    zxingcpp.BarcodeFormat.Code128: CODE128,
    zxingcpp.BarcodeFormat.EAN13: EAN13,
}


def bare_input(frame: np.ndarray) -> np.ndarray:
    """The frame as a bare ``zxingcpp.read_barcodes(frame)`` call takes it: grey or BGR uint8, contiguous
    (other layouts, which that call refuses, are converted to grey). Bad frames raise ``DecoderError``."""
    if isinstance(frame, np.ndarray) and frame.dtype == np.uint8 and frame.size and (
            frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 3)):
        return np.ascontiguousarray(frame)
    return to_gray(frame)


def zxing_formats(symbologies: Iterable[str]) -> tuple[zxingcpp.BarcodeFormat, ...]:
    return tuple(_FORMATS[s] for s in check_symbologies(symbologies))


def _corners(position: zxingcpp.Position, dx: float = 0.0, dy: float = 0.0,
             scale: float = 1.0) -> tuple[Point, Point, Point, Point]:
    pts = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    c = [(round(p.x / scale + dx), round(p.y / scale + dy)) for p in pts]
    return (c[0], c[1], c[2], c[3])


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int
    angle: float = 0.0  # degrees that turn the region's long side horizontal
    elongated: bool = False  # shaped like a 1-D barcode
    located: zxingcpp.BarcodeFormat | None = None  # the format zxing located here, if it did

    @property
    def area(self) -> int:
        return max(0, self.x1 - self.x0) * max(0, self.y1 - self.y0)

    def overlaps(self, other: Box) -> bool:
        ix = min(self.x1, other.x1) - max(self.x0, other.x0)
        iy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return ix > 0 and iy > 0 and ix * iy > 0.5 * min(self.area, other.area)


def _sharpen(img: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    blurred = cv2.GaussianBlur(img, (0, 0), sigma)
    return cv2.addWeighted(img, 1.0 + amount, blurred, -amount, 0)


def _up2(img: np.ndarray) -> np.ndarray:
    return cv2.resize(img, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)


def _up(img: np.ndarray, f: float) -> np.ndarray:
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)


_K3 = np.ones((3, 3), np.uint8)


def _local_norm(img: np.ndarray, sigma: float) -> np.ndarray:
    """Contrast normalised to the local mean and spread (glare, shadows, low contrast), centred on 128."""
    f = img.astype(np.float32)
    mean = cv2.GaussianBlur(f, (0, 0), sigma)
    sd = np.sqrt(cv2.GaussianBlur((f - mean) ** 2, (0, 0), sigma)) + 4.0
    return np.clip(128.0 + 60.0 * (f - mean) / sd, 0, 255).astype(np.uint8)


def _half(img: np.ndarray) -> np.ndarray:
    return cv2.resize(img, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)


# (name, transform, scale of the transformed crop relative to the frame, zxing options), in the order they
# are tried, each on every candidate box. Chosen greedily (codes recovered per millisecond, without a budget)
# on the bare call's failures in *tuning* frames only (seeds below frames.HELDOUT_BASE: 300 hard-mix QR frames
# and 392 frames of every condition): the half-size crop with the global-histogram binarizer is nearly free
# and reads noisy screens and Code128 (averaging 2x2 pixels removes moire and noise); 1.5x, plain and
# sharpened, reads most blurred and small codes; a 3x3 close (erode: dark modules grow, dilate: light ones)
# joins dotted and gapped modules; local normalisation with a fixed threshold reads codes under glare and
# shadow edges; the 2x sharpened and blurred crops read defocused, noisy and JPEG-blocky ones.
# Tried and dropped (little or nothing per millisecond on the same failures): plain crop, plain 2x and 3x,
# 3x sharpened, CLAHE, median 3x3, Gaussian Wiener deconvolution (sigma 1-3: as good as 2x sharpening, 3-5x
# dearer), a 2x2 or 4x4 close, GlobalHistogram on the 2x crop; earlier: FixedThreshold on raw crops,
# bilateral and non-local-means denoising, a blurred full frame.
_ATTEMPTS: tuple[tuple[str, object, float, dict[str, object]], ...] = (
    ("half-gh", _half, 0.5, {"binarizer": zxingcpp.Binarizer.GlobalHistogram}),
    ("up1.5", lambda c: _up(c, 1.5), 1.5, {}),
    ("close-dark", lambda c: cv2.erode(c, _K3), 1.0, {}),
    ("up1.5-sharp", lambda c: _sharpen(_up(c, 1.5), 2.0, 1.5), 1.5, {}),
    ("close-light", lambda c: cv2.dilate(c, _K3), 1.0, {}),
    ("gh", lambda c: c, 1.0, {"binarizer": zxingcpp.Binarizer.GlobalHistogram}),
    ("norm6-up2-fixed", lambda c: _up2(_local_norm(c, 6.0)), 2.0, {"binarizer": zxingcpp.Binarizer.FixedThreshold}),
    ("up2-sharp3", lambda c: _sharpen(_up2(c), 3.0, 3.0), 2.0, {}),
    ("blur-up2", lambda c: _up2(cv2.GaussianBlur(c, (0, 0), 1.0)), 2.0, {}),
)
_DESKEW_AFTER = "up1.5"  # the 1-D deskew runs after this attempt


# zxing-cpp 3 reports a QR finder pattern it could not complete as a Micro QR or rMQR symbol with an error
_QR_PARTS = (zxingcpp.BarcodeFormat.MicroQRCode, zxingcpp.BarcodeFormat.RMQRCode)

# A QR code zxing located but could not sample, read again from its own corners on an upright grid: flat
# (arc 0: a plain perspective warp with a fresh quiet zone), then as if printed on a card bent around an axis
# parallel to one pair of its sides, by 15 and 25 degrees of arc across the symbol (a card kept in a wallet
# or held by its edges). Each upright image is read plain and blurred by a pixel (dotted modules joined).
# Chosen on tuning frames only: on the 300 tuning hard-mix QR frames, 5 of the 42 that nothing else read
# (no budget: our passes, OpenCV's two QR detectors, pyzbar, quirc, WeChat's detector without its models)
# were located by zxing, and this reads all 5 (3 at 15-25 degrees, 2 only blurred), 0 false reads.
_UNBEND_ARCS = (0.0, 15.0, 25.0)
_UNBEND_BULGE = 0.12  # the bent edges are farther from the camera: they look this much shorter than the middle
_UNBEND_MARGIN = 0.15  # quiet zone added around the symbol, as a fraction of its half side


def unbend_maps(quad: np.ndarray, side: int, arc_deg: float, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """``cv2.remap`` maps that sample an upright ``side`` x ``side`` image of the symbol whose corners (top
    left, top right, bottom right, bottom left, in frame pixels) are ``quad``, as if it were printed on a
    cylinder bent by ``arc_deg`` across it around an axis parallel to its sides ``axis`` 0 (left and right)
    or 1 (top and bottom), seen from the front: modules bunch up towards the bent edges, which also look
    shorter than the middle. ``arc_deg`` 0 is the plain perspective warp from the four corners."""
    # the maps are smooth: computed on a grid 6x coarser and enlarged (cv2.resize samples pixel centres the
    # same way), which is 20-30x cheaper than one sine and one perspective division per output pixel
    n = max(8, side // 6)
    t = (np.arange(n, dtype=np.float32) + 0.5) / n * (2 + 2 * _UNBEND_MARGIN) - (1 + _UNBEND_MARGIN)
    u, v = np.meshgrid(t, t)  # flat coordinates, the symbol in [-1, 1]
    if axis == 1:
        u, v = v, u
    if arc_deg > 0:
        phi = np.float32(np.radians(arc_deg))
        x = np.sin(u * phi) / np.sin(phi)
        depth = (1 - np.cos(u * phi)) / (1 - np.cos(phi))  # 0 in the middle, 1 at the corners' columns
        y = v * (1 + _UNBEND_BULGE) / (1 + _UNBEND_BULGE * depth)
    else:
        x, y = u, v
    if axis == 1:
        x, y = y, x
    m = cv2.getPerspectiveTransform(np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float32),
                                    np.asarray(quad, np.float32))
    pts = cv2.perspectiveTransform(np.stack([x, y], -1).reshape(-1, 1, 2).astype(np.float32), m)
    mx, my = cv2.split(cv2.resize(pts.reshape(n, n, 2), (side, side), interpolation=cv2.INTER_LINEAR))
    return mx, my


def _centre(p: zxingcpp.Position) -> tuple[float, float]:
    pts = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return (sum(pt.x for pt in pts) / 4.0, sum(pt.y for pt in pts) / 4.0)


def _contains(b: Box, points: Iterable[tuple[float, float]]) -> bool:
    return any(b.x0 <= x < b.x1 and b.y0 <= y < b.y1 for x, y in points)


def _hint_boxes(parts: Iterable[zxingcpp.Barcode], shape: tuple[int, ...]) -> list[Box]:
    """A square around a lone finder pattern, wide enough for the QR code it may belong to (any side of it)."""
    h, w = shape[:2]
    out: list[Box] = []
    for r in parts:
        p = r.position
        xs = [pt.x for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        ys = [pt.y for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        cx, cy = _centre(p)
        reach = max(24, int(3 * max(max(xs) - min(xs), max(ys) - min(ys))))
        box = Box(max(0, int(cx) - reach), max(0, int(cy) - reach), min(w, int(cx) + reach), min(h, int(cy) + reach),
                  located=zxingcpp.BarcodeFormat.QRCode)
        if box.area >= 64 and not any(box.overlaps(o) for o in out):
            out.append(box)
    return out[:2]


def _needs_rotation(b: Box) -> bool:
    """zxing-cpp scans 1-D codes along rows, and along columns only with ``try_rotate`` (which doubles the
    time of a crop without a code): a texture region whose long side is within 30 degrees of horizontal
    needs no column scan. Located regions and square ones keep it (their orientation is not measured)."""
    if b.located is not None or not b.elongated:
        return True
    return abs(((b.angle + 90.0) % 180.0) - 90.0) > 30.0


def _located_boxes(located: Iterable[zxingcpp.Barcode], shape: tuple[int, ...]) -> list[Box]:
    """Boxes around symbols zxing located but could not decode, padded by a quarter of their size (at least 12 px)."""
    h, w = shape[:2]
    out: list[Box] = []
    for r in located:
        p = r.position
        xs = [pt.x for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        ys = [pt.y for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        bw, bh = max(xs) - min(xs), max(ys) - min(ys)
        pad = max(12, int(0.25 * max(bw, bh)))
        box = Box(max(0, min(xs) - pad), max(0, min(ys) - pad), min(w, max(xs) + pad), min(h, max(ys) + pad),
                  elongated=max(bw, bh) >= 1.8 * max(1, min(bw, bh)), located=r.format)
        if box.area >= 64 and not any(box.overlaps(o) for o in out):
            out.append(box)
    return out[:3]


def texture_candidates(gray: np.ndarray, max_boxes: int = 3) -> list[Box]:
    """Code-shaped, high-texture regions (frame coordinates). Cheap: works on a quarter-size edge map.

    The quarter-size image is used only to find *where* to look; decoding uses full-resolution pixels.
    """
    h, w = gray.shape
    f = 4
    # edge energy at full resolution (blurred small modules vanish if the image is shrunk first), then
    # averaged into 4x4 cells: a code is a block of cells that are busy *relative to their local range*
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    energy = cv2.resize(grad, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    local_max = cv2.dilate(energy, np.ones((7, 7), np.uint8))
    bw: np.ndarray = ((energy.astype(np.int16) * 2 > local_max) & (energy > 6)).astype(np.uint8)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    bw = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    scored: list[tuple[float, Box]] = []
    sh, sw = energy.shape
    for i in range(1, n):
        x, y, bw_, bh, area = (int(v) for v in stats[i])
        if max(bw_, bh) < 8 or min(bw_, bh) < 6 or bw_ * bh > 0.6 * sw * sh:
            continue
        fill = area / float(bw_ * bh)
        # the component's own orientation: a 1-D code held at an angle fills its rotated rectangle, not
        # its upright bounding box
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw_] == i)
        (_cx, _cy), (rw, rh), angle = cv2.minAreaRect(np.column_stack((xs, ys)).astype(np.float32))
        short, long_ = min(rw, rh) + 1.0, max(rw, rh) + 1.0
        fill = max(fill, area / (short * long_))
        aspect = long_ / short
        if fill < 0.45 or aspect > 6.0 or short < 6:
            continue
        density = float(energy[y:y + bh, x:x + bw_].mean())
        pad = max(bw_, bh) * 0.15
        if rw < rh:  # angle that turns the long side horizontal
            angle += 90.0
        box = Box(max(0, int((x - pad) * f)), max(0, int((y - pad) * f)),
                  min(w, int((x + bw_ + pad) * f)), min(h, int((y + bh + pad) * f)),
                  angle=float(angle), elongated=aspect >= 1.8)
        scored.append((density * fill * min(area, 4000) ** 0.5, box))
    scored.sort(key=lambda t: -t[0])
    return [b for _, b in scored[:max_boxes]]


def _bounds(scan: Scan) -> tuple[int, int, int, int]:
    xs = [p[0] for p in scan.corners]
    ys = [p[1] for p in scan.corners]
    return min(xs), min(ys), max(xs), max(ys)


def same_place(a: Scan, b: Scan) -> bool:
    """Whether two reads of the same 1-D symbology cover the same symbol: a 1-D read's corners span the scan
    lines it was read on, so two lines of one barcode give boxes that overlap once each is widened by a
    quarter of its longer side (two cards side by side are further apart than that)."""
    if a.symbology != b.symbology:
        return False
    boxes = []
    for s in (a, b):
        x0, y0, x1, y1 = _bounds(s)
        grow = max(8, (max(x1 - x0, y1 - y0)) // 4)
        boxes.append((x0 - grow, y0 - grow, x1 + grow, y1 + grow))
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes
    return min(ax1, bx1) > max(ax0, bx0) and min(ay1, by1) > max(ay0, by0)


def conflicts(scans: Sequence[Scan]) -> list[list[Scan]]:
    """Groups of 1-D reads that cover the same symbol with different texts: misreads of one barcode (Code128's
    mod-103 check lets a misread line through now and then; a QR code's error correction does not)."""
    one_d = [s for s in scans if s.symbology in (CODE128, EAN13)]
    groups: list[list[Scan]] = []
    for s in one_d:
        for g in groups:
            if any(same_place(s, o) for o in g):
                g.append(s)
                break
        else:
            groups.append([s])
    return [g for g in groups if len({s.text for s in g}) > 1]


class ZxingDecoder:
    """zxing-cpp, restricted to ``symbologies``; ``enhance`` adds budgeted attempts on candidate crops."""

    def __init__(self, symbologies: Sequence[str] = DEFAULT_SYMBOLOGIES, enhance: bool = True,
                 budget_ratio: float = 0.12, budget_cap_s: float = 0.120, max_candidates: int = 3,
                 borrow_s: float = 0.100, located_limit: float = 5.0, rectify: bool = False,
                 unbend: bool = True) -> None:
        self.symbologies = check_symbologies(symbologies)
        self._formats = zxing_formats(self.symbologies)
        self.enhance = enhance
        self.name = "zxing" if enhance else "zxing-bare"
        self.budget_ratio = budget_ratio
        self.budget_cap_s = budget_cap_s
        self.max_candidates = max_candidates
        self.borrow_s = borrow_s
        self.located_limit = located_limit
        self.rectify = rectify
        self.unbend = unbend
        self._qr_detector = cv2.QRCodeDetectorAruco() if enhance and rectify else None
        self._one_d = any(sym in (CODE128, EAN13) for sym in self.symbologies)
        self._one_d_formats = zxing_formats([sym for sym in self.symbologies if sym in (CODE128, EAN13)]) \
            if self._one_d else ()
        self._credit = 0.0
        self.stats = {"frames": 0, "first_pass": 0, "recovered": 0, "extra_attempts": 0, "conflicts": 0,
                      "settled": 0, "refused": 0}

    def close(self) -> None:
        return None

    def _read(self, gray: np.ndarray, formats: Sequence[zxingcpp.BarcodeFormat] | None = None,
              **kw: object) -> list[zxingcpp.Barcode]:
        return zxingcpp.read_barcodes(gray, formats=formats or self._formats, **kw)  # type: ignore[arg-type]

    def _box_formats(self, b: Box) -> tuple[zxingcpp.BarcodeFormat, ...]:
        """What to look for in a crop: the format zxing located there; QR alone in a square region (a 2-D
        read is 5x cheaper than one that also scans for 1-D codes in every direction); everything otherwise."""
        if b.located is not None:
            return (b.located,)
        if not b.elongated and zxingcpp.BarcodeFormat.QRCode in self._formats:
            return (zxingcpp.BarcodeFormat.QRCode,)
        return self._formats

    def _to_scans(self, results: Iterable[zxingcpp.Barcode], backend: str, dx: float = 0.0, dy: float = 0.0,
                  scale: float = 1.0) -> list[Scan]:
        out: list[Scan] = []
        seen: set[tuple[str, str]] = set()
        for r in results:
            if not r.valid or r.format not in _NAMES:
                continue
            key = (r.text, _NAMES[r.format])
            if key in seen:
                continue
            seen.add(key)
            out.append(Scan(r.text, _NAMES[r.format], _corners(r.position, dx, dy, scale), backend))
        return out

    def decode(self, frame: np.ndarray) -> list[Scan]:
        t0 = time.perf_counter()
        self.stats["frames"] += 1
        if not self.enhance:
            return self._to_scans(self._read(bare_input(frame)), self.name)
        # the first pass IS the bare call: zxing-cpp's defaults (downscaled passes, rotation, inversion) on
        # the frame exactly as given, restricted to the chain's formats. ``return_errors`` only adds entries
        # for symbols zxing located but could not decode (same passes, same valid results; about 2% dearer
        # on the tuning frames, paid for by knowing where to look). Everything
        # else runs only when no code was read, so this decoder never reads fewer codes than the bare call.
        results = self._read(bare_input(frame), return_errors=True)
        scans = self._to_scans(results, self.name)
        first = time.perf_counter() - t0
        self._credit = min(self.budget_cap_s, self._credit + self.budget_ratio * first)
        if scans:
            self.stats["first_pass"] += 1
            return self._settle(scans, frame)
        # A located-but-unread symbol (or a lone QR finder pattern, reported as a Micro QR or rMQR symbol
        # with an error) is strong evidence of a code: on the tuning frames none of 152 frames without a
        # code had one, and most of the hard QR frames the extra passes recover did. Such a frame may borrow
        # up to ``borrow_s`` ahead, but gives up after ``located_limit`` x its own first pass (on the tuning
        # frames the recovered ones nearly all took less than 3x; the rest took 10x and more in vain); any
        # other frame only spends credit it has.
        located = [r for r in results if not r.valid and (r.format in _NAMES or r.format in _QR_PARTS)]
        floor = -self.borrow_s if located else 0.0
        if self._credit <= floor:
            return []
        t_extra = time.perf_counter()
        try:
            allowed = self._credit - floor
            if located:
                allowed = min(allowed, self.located_limit * first)
            found = self._extra_passes(to_gray(frame), t_extra, allowed, located)
            # an extra pass that reads one 1-D symbol two ways has read nothing certain there
            bad = {id(s) for g in conflicts(found) for s in g}
            return [s for s in found if id(s) not in bad]
        finally:  # every extra microsecond, candidate search included, is paid from the credit; debts are
            # repaid by later frames, so the extra time stays within budget_ratio x the first passes' time
            # (plus at most one borrow and one attempt's overrun), whatever the frames are
            self._credit -= time.perf_counter() - t_extra

    def _settle(self, scans: list[Scan], frame: np.ndarray) -> list[Scan]:
        """Two different texts read from one 1-D symbol are a misread (at most one is right): the symbol is
        read again, on its own and in other ways (a crop, half size with the global-histogram binarizer,
        global histogram, 1.5x); a text that only one of them returns is kept, otherwise the symbol answers
        no code in this frame (the counter's next frame is the rescan). Either way nothing is returned that
        the bare call did not read, and a symbol of a frame whose reads agree is untouched."""
        groups = conflicts(scans)
        if not groups:
            return scans
        gray = to_gray(frame)
        h, w = gray.shape
        drop: set[Scan] = set()
        for group in groups:
            self.stats["conflicts"] += 1
            x0 = min(_bounds(s)[0] for s in group)
            y0 = min(_bounds(s)[1] for s in group)
            x1 = max(_bounds(s)[2] for s in group)
            y1 = max(_bounds(s)[3] for s in group)
            pad = max(16, max(x1 - x0, y1 - y0) // 4)
            crop = np.ascontiguousarray(gray[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)])
            fmt = tuple(_FORMATS[sym] for sym in dict.fromkeys(s.symbology for s in group))
            texts = {s.text for s in group}
            reread: set[str] = set()
            for img, options in ((crop, {}), (_half(crop), {"binarizer": zxingcpp.Binarizer.GlobalHistogram}),
                                 (crop, {"binarizer": zxingcpp.Binarizer.GlobalHistogram}), (_up(crop, 1.5), {})):
                reread |= {r.text for r in self._read(img, fmt, try_downscale=False, **options) if r.valid}
            kept = texts & reread
            keep = next(iter(kept)) if len(kept) == 1 else None
            drop |= {s for s in group if s.text != keep}
            self.stats["settled" if keep is not None else "refused"] += 1
        return [s for s in scans if s not in drop]

    def _extra_passes(self, gray: np.ndarray, t_extra: float, allowed: float,
                      located: list[zxingcpp.Barcode]) -> list[Scan]:
        def spent() -> bool:
            return time.perf_counter() - t_extra >= allowed

        # first where zxing located a symbol (padded: its corners are often a little off), then high-texture,
        # code-shaped blobs elsewhere
        boxes = _located_boxes([r for r in located if r.format in _NAMES], gray.shape)
        found = self._try_boxes(gray, boxes, spent) if boxes else []
        if found or spent():
            return found or []
        # zxing located a QR code and none of those crops reads it: the symbol from zxing's own corners on an
        # upright grid, flat and as if on a bent card
        if self.unbend:
            found = self._unbent(gray, [r for r in located if r.format == zxingcpp.BarcodeFormat.QRCode], spent)
            if found or spent():
                return found
        # zxing saw a QR code (or a finder of one) and could not sample it: a second finder, and the symbol
        # warped upright from its corners (on the tuning frames: about one more hard-mix frame in 136 at no measurable
        # cost; before the crops it read fewer, the crops being cheaper on the frames both read)
        if self.rectify and zxingcpp.BarcodeFormat.QRCode in self._formats and any(
                r.format == zxingcpp.BarcodeFormat.QRCode or r.format in _QR_PARTS for r in located):
            found = self._rectified(gray, spent)
            if found or spent():
                return found
        others = [b for b in texture_candidates(gray, self.max_candidates) if not any(b.overlaps(o) for o in boxes)]
        # a finder pattern zxing took for a Micro QR or rMQR symbol: the QR code it belongs to is in the
        # candidate region around it (or, if the detector missed it, in a region a few times its size)
        hints = [_centre(r.position) for r in located if r.format in _QR_PARTS]
        if hints:
            hinted = [replace(b, located=zxingcpp.BarcodeFormat.QRCode) for b in others if _contains(b, hints)]
            others = hinted + [b for b in others if not _contains(b, hints)] if hinted else \
                _hint_boxes([r for r in located if r.format in _QR_PARTS], gray.shape) + others
        # square regions first (read for QR alone: cheap), then light bars on a dark screen (zxing-cpp's
        # try_invert covers 2-D codes only), then bar-shaped regions (1-D reads in every direction: dear)
        square = [b for b in others if b.located is not None or not b.elongated]
        found = self._try_boxes(gray, square, spent)
        if found or spent():
            return found or []
        if self._one_d_formats:
            self.stats["extra_attempts"] += 1
            found = self._to_scans(zxingcpp.read_barcodes(cv2.bitwise_not(gray), formats=self._one_d_formats,
                                                          try_invert=False, try_downscale=False),
                                   "zxing+invert-1d")
            if found:
                self.stats["recovered"] += 1
                return found
            if spent():
                return []
        found = self._try_boxes(gray, [b for b in others if b not in square], spent)
        return found or []

    def _unbent(self, gray: np.ndarray, located: list[zxingcpp.Barcode], spent: Callable[[], bool]) -> list[Scan]:
        """A QR code zxing located but could not sample, read from its own corners on an upright grid (see
        ``unbend_maps``): flat, then bent by each of ``_UNBEND_ARCS`` around either pair of sides; each image
        read plain, then blurred by a pixel. Corners of what it reads are mapped back to frame pixels."""
        qr_only = (zxingcpp.BarcodeFormat.QRCode,)
        for r in located[:2]:
            p = r.position
            quad = np.array([[c.x, c.y] for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], np.float32)
            size = float(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[1] - quad[2])))
            side = int(max(120.0, min(400.0, 1.3 * size)))  # 400: 5 px a module for a version-12 symbol
            for arc in _UNBEND_ARCS:
                for axis in (0, 1) if arc else (0,):
                    if spent():
                        return []
                    try:
                        mx, my = unbend_maps(quad, side, arc, axis)
                    except (cv2.error, np.linalg.LinAlgError, ValueError):  # a degenerate quadrilateral
                        break
                    if not (np.isfinite(mx).all() and np.isfinite(my).all()):
                        break
                    upright = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
                    for img in (upright, cv2.GaussianBlur(upright, (0, 0), 1.0)):
                        self.stats["extra_attempts"] += 1
                        results = [x for x in self._read(img, qr_only, try_downscale=False) if x.valid]
                        if results:
                            self.stats["recovered"] += 1
                            return [self._unbent_scan(x, mx, my) for x in results]
        return []

    @staticmethod
    def _unbent_scan(r: zxingcpp.Barcode, mx: np.ndarray, my: np.ndarray) -> Scan:
        h, w = mx.shape
        c4 = []
        for pt in (r.position.top_left, r.position.top_right, r.position.bottom_right, r.position.bottom_left):
            x, y = min(w - 1, max(0, pt.x)), min(h - 1, max(0, pt.y))
            c4.append((round(float(mx[y, x])), round(float(my[y, x]))))
        return Scan(r.text, QR, (c4[0], c4[1], c4[2], c4[3]), "zxing+unbent")

    def _rectified(self, gray: np.ndarray, spent: Callable[[], bool]) -> list[Scan]:
        """A second QR finder: OpenCV's ArUco-based QR detector, on the half-size frame (its finder search
        differs from zxing's and still finds a blurred, tilted symbol zxing located but could not sample);
        each quadrilateral it finds is warped upright from the full-resolution frame (a clean crop with a
        quiet zone) and read by zxing for QR alone. OpenCV's own decoding is not used."""
        if self._qr_detector is None:
            return []
        small = _half(gray)
        try:
            ok, quads = self._qr_detector.detectMulti(small)
        except cv2.error:
            return []
        if not ok or quads is None:
            return []
        for quad in list(quads)[:2]:
            if spent():
                return []
            try:
                found = self._read_quad(gray, quad)
            except (cv2.error, np.linalg.LinAlgError, ValueError):  # a degenerate quadrilateral: nothing here
                continue
            if found:
                self.stats["recovered"] += 1
                return found
        return []

    def _read_quad(self, gray: np.ndarray, quad: np.ndarray) -> list[Scan]:
        """One quadrilateral of the second finder, warped upright and read; the scans' corners in frame pixels."""
        pts = np.asarray(quad, np.float32).reshape(4, 2) * 2.0
        side = float(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[1] - pts[2])))
        out = int(max(160.0, min(800.0, 1.5 * side)))
        m = 0.12 * out
        dst = np.float32([[m, m], [out - m, m], [out - m, out - m], [m, out - m]])
        h = cv2.getPerspectiveTransform(pts, dst)
        upright = cv2.warpPerspective(gray, h, (out, out), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        self.stats["extra_attempts"] += 1
        results = [r for r in self._read(upright, (zxingcpp.BarcodeFormat.QRCode,), try_downscale=False)
                   if r.valid and r.format == zxingcpp.BarcodeFormat.QRCode]
        if not results:
            return []
        inv = np.linalg.inv(h)
        out_scans = []
        for r in results:
            q = r.position
            src = np.array([[[c.x, c.y] for c in (q.top_left, q.top_right, q.bottom_right, q.bottom_left)]],
                           np.float32)
            back = cv2.perspectiveTransform(src, inv)[0]
            c4 = [(round(float(x)), round(float(y))) for x, y in back]
            out_scans.append(Scan(r.text, QR, (c4[0], c4[1], c4[2], c4[3]), "zxing+rectified"))
        return out_scans

    def _try_boxes(self, gray: np.ndarray, boxes: list[Box], spent: Callable[[], bool]) -> list[Scan] | None:
        """The attempts on each box in turn: the scans found, [] if none, None when the budget ran out."""
        for name, transform, scale, options in _ATTEMPTS:
            for b in boxes:
                if spent():
                    return None
                crop = np.ascontiguousarray(gray[b.y0:b.y1, b.x0:b.x1])
                img = transform(crop)  # type: ignore[operator]
                self.stats["extra_attempts"] += 1
                found = self._to_scans(self._read(img, self._box_formats(b), try_downscale=False,
                                                  try_rotate=_needs_rotation(b), **options),
                                       f"zxing+{name}",
                                       dx=b.x0, dy=b.y0, scale=scale)
                if found:
                    self.stats["recovered"] += 1
                    return found
            if name == _DESKEW_AFTER and self._one_d:  # a 1-D code at an angle: one rotation of its box
                for b in boxes:
                    if not b.elongated or abs(((b.angle + 45.0) % 90.0) - 45.0) < 8.0:
                        continue  # not bar-shaped, or near 0/90 degrees: zxing already scans rows and columns
                    if spent():
                        return None
                    self.stats["extra_attempts"] += 1
                    found = self._deskewed(gray, b)
                    if found:
                        self.stats["recovered"] += 1
                        return found
        return []

    def _deskewed(self, gray: np.ndarray, b: Box) -> list[Scan]:
        """A 1-D code at an angle: rotate the crop so its bars stand upright, read, map corners back."""
        crop = gray[b.y0:b.y1, b.x0:b.x1]
        ch, cw = crop.shape
        m = cv2.getRotationMatrix2D((cw / 2.0, ch / 2.0), b.angle, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(ch * sin + cw * cos) + 1, int(ch * cos + cw * sin) + 1
        m[0, 2] += nw / 2.0 - cw / 2.0
        m[1, 2] += nh / 2.0 - ch / 2.0
        rotated = cv2.warpAffine(crop, m, (nw, nh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        results = [r for r in self._read(rotated, try_downscale=False) if r.valid and r.format in _NAMES]
        if not results:
            return []
        inv = cv2.invertAffineTransform(m)
        out = []
        for r in results:
            pts = np.array([[p.x, p.y] for p in (r.position.top_left, r.position.top_right,
                                                 r.position.bottom_right, r.position.bottom_left)], np.float32)
            back = cv2.transform(pts[None], inv)[0] + np.array([b.x0, b.y0], np.float32)
            c = [(round(float(x)), round(float(y))) for x, y in back]
            out.append(Scan(r.text, _NAMES[r.format], (c[0], c[1], c[2], c[3]), "zxing+deskew"))
        return out
