"""Frame sources: a camera (device index), a video file, a folder (or list) of images, and a fake camera
for tests, all behind one interface so the same pipeline runs for all of them.

``read()`` returns the next BGR frame, ``None`` at the end of a file/folder, and raises ``SourceError``
when a live camera stops delivering (unplugged, taken by another program).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})
VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg", ".m4v", ".wmv"})


class SourceError(Exception):
    """``code`` is stable ("camera_unavailable", "camera_lost", "unreadable", "not_found");
    ``str()`` is English for logs, the app shows its own translation of the code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@runtime_checkable
class FrameSource(Protocol):
    name: str
    live: bool  # a camera: reconnect on loss, drop frames when busy; a file: play to the end

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


class _Pacer:
    """Deliver at most ``fps`` frames per second (to play a file like a camera); ``None`` = as fast as read."""

    def __init__(self, fps: float | None) -> None:
        self.period = 1.0 / fps if fps else 0.0
        self._next = 0.0

    def wait(self) -> None:
        if not self.period:
            return
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
            now = self._next
        self._next = max(now, self._next) + self.period


class OpenCVSource:
    """``cv2.VideoCapture`` on a device index (live camera) or a video file.

    ``width``/``height``/``fps`` are requests to the camera (it may pick the nearest mode it supports);
    for a file, ``realtime=True`` plays it at its own frame rate (or ``fps``) like a camera would, and
    ``loop=True`` starts again at the end (demo camera).
    """

    def __init__(self, spec: int | str | Path, width: int | None = None, height: int | None = None,
                 fps: float | None = None, realtime: bool = False, loop: bool = False,
                 backend: int = cv2.CAP_ANY) -> None:
        self.spec = spec
        self.live = isinstance(spec, int)
        self.name = f"camera {spec}" if self.live else str(spec)
        self.width, self.height, self.fps = width, height, fps
        self.realtime, self.loop, self.backend = realtime, loop, backend
        self._cap: cv2.VideoCapture | None = None
        self._pacer = _Pacer(None)

    def open(self) -> None:
        if not self.live and not Path(str(self.spec)).is_file():
            raise SourceError("not_found", f"{self.spec}: no such file")
        cap = cv2.VideoCapture(self.spec if self.live else str(self.spec), self.backend)
        if not cap.isOpened():
            cap.release()
            if self.live:
                raise SourceError("camera_unavailable", f"camera {self.spec} is unplugged or busy")
            raise SourceError("unreadable", f"{self.spec}: not a video OpenCV can read")
        if self.live:
            if self.width:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            if self.height:
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            if self.fps:
                cap.set(cv2.CAP_PROP_FPS, self.fps)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # we want the newest frame, not a backlog
        self._cap = cap
        if not self.live and self.realtime:
            self._pacer = _Pacer(self.fps or cap.get(cv2.CAP_PROP_FPS) or 30.0)

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise SourceError("camera_lost", f"{self.name} is not open")
        ok, frame = self._cap.read()
        if not ok or frame is None:
            if self.live:
                raise SourceError("camera_lost", f"{self.name} stopped delivering frames (unplugged or busy)")
            if self.loop and self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0):
                ok, frame = self._cap.read()
            if not ok or frame is None:
                return None
        self._pacer.wait()
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageFilesSource:
    """Still images from a folder (sorted by name) or an explicit list, one frame each."""

    live = False

    def __init__(self, paths: Path | str | Sequence[Path | str], fps: float | None = None, loop: bool = False) -> None:
        self._arg = paths
        self.name = str(paths) if isinstance(paths, (str, Path)) else f"{len(paths)} images"
        self.loop = loop
        self.fps = fps
        self._files: list[Path] = []
        self._i = 0
        self._pacer = _Pacer(fps)

    def open(self) -> None:
        if isinstance(self._arg, (str, Path)):
            p = Path(self._arg)
            if p.is_dir():
                self._files = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
            elif p.is_file():
                self._files = [p]
            else:
                raise SourceError("not_found", f"{p}: no such file or folder")
        else:
            self._files = [Path(x) for x in self._arg]
        self._i = 0
        self._pacer = _Pacer(self.fps)

    def read(self) -> np.ndarray | None:
        while True:
            if self._i >= len(self._files):
                if not self.loop or not self._files:
                    return None
                self._i = 0
            path = self._files[self._i]
            self._i += 1
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is None:
                if len(self._files) == 1:
                    raise SourceError("unreadable", f"{path}: not an image OpenCV can read")
                continue  # skip unreadable files inside a folder
            self._pacer.wait()
            return frame

    def close(self) -> None:
        self._files = []


class FakeCamera:
    """A stand-in for a USB camera (tests, demos without hardware), behind the same interface.

    ``frames``: an iterable of BGR frames or a function ``index -> frame``. ``busy_opens``: how many
    ``open()`` calls fail first ("busy"); ``unplug_at``: frame indices at which the camera "disappears"
    (``read`` raises camera_lost, and the next ``unplugged_opens`` opens fail). ``fps`` paces delivery like
    a real camera (``None`` = as fast as the consumer reads). Ends (``read() -> None``) when frames run out.
    """

    live = True

    def __init__(self, frames: Iterable[np.ndarray] | Callable[[int], np.ndarray | None], fps: float | None = None,
                 busy_opens: int = 0, unplug_at: Iterable[int] = (), unplugged_opens: int = 1,
                 name: str = "fake camera") -> None:
        self.name = name
        self._frames = frames
        self.fps = fps
        self.busy_opens = busy_opens
        self.unplug_at = set(unplug_at)
        self.unplugged_opens = unplugged_opens
        self.opens = 0
        self.index = 0
        self._it: Iterator[np.ndarray] | None = None
        self._is_open = False
        self._refuse = 0
        self._pacer = _Pacer(fps)
        self._lock = threading.Lock()

    def open(self) -> None:
        self.opens += 1
        if self.busy_opens > 0:
            self.busy_opens -= 1
            raise SourceError("camera_unavailable", f"{self.name} is unplugged or busy")
        if self._refuse > 0:
            self._refuse -= 1
            raise SourceError("camera_unavailable", f"{self.name} is unplugged or busy")
        if self._it is None and not callable(self._frames):
            self._it = iter(self._frames)
        self._is_open = True

    def read(self) -> np.ndarray | None:
        if not self._is_open:
            raise SourceError("camera_lost", f"{self.name} is not open")
        i = self.index
        if i in self.unplug_at:
            self.unplug_at.discard(i)
            self._is_open = False
            self._refuse = self.unplugged_opens
            raise SourceError("camera_lost", f"{self.name} stopped delivering frames (unplugged or busy)")
        self.index += 1
        if callable(self._frames):
            frame = self._frames(i)
        else:
            assert self._it is not None
            frame = next(self._it, None)
        self._pacer.wait()
        return frame

    def close(self) -> None:
        self._is_open = False


def open_source(spec: int | str | Path, width: int | None = None, height: int | None = None,
                fps: float | None = None, realtime: bool = False, loop: bool = False) -> FrameSource:
    """A camera for an int (or digit string) index, a folder of images, an image file or a video file."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return OpenCVSource(int(spec), width, height, fps)
    path = Path(os.fspath(spec))
    if path.is_dir() or path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageFilesSource(path, fps=fps if realtime else None, loop=loop)
    return OpenCVSource(path, fps=fps, realtime=realtime, loop=loop)
