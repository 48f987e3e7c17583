"""Signed releases of the terminal program (the update channel, docs/installing-terminals.md "Update channel").

One module for both ends: head office signs (``loyalty-server release sign``), the server only hosts, and the
terminal verifies with the public key pinned at install (``[update] public_key`` of terminal.toml). Standard
library and ``cryptography`` only.

What is signed is the statement ``(version, sha256, size)`` of the package file, written as the bytes of
:func:`statement` (domain-separated, so a signature over a member code can never pass as one over a package):
a server or a mirror can only serve a package head office signed, for the version head office signed it as.
A ``.deb`` (``kind="deb"``) is signed with one more line, ``kind=deb``, so that a signature over a .deb can never
pass for a tarball kit of the same version or the other way round; a kit's statement is unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

VERSION_PATTERN = re.compile(r"^(\d{1,6}(?:\.\d{1,6}){1,3})(?:(a|b|rc)(\d{1,6}))?(?:\.post(\d{1,6}))?(?:\.dev(\d{1,6}))?$")
"""A release version in the PEP 440 forms a build gets: ``0.2.0``, ``0.2.0rc1``, ``0.1.0.post7``, ``0.3.0.dev2``;
ordered as PEP 440 orders them (numbers numerically, never as text)."""
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
CHANNEL_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest package the channel carries (the onedir kit is about 170 MB compressed)."""
_DOMAIN = b"pos-terminal release v1\n"
KIND_TAR = "tar"
KIND_DEB = "deb"
KINDS = (KIND_TAR, KIND_DEB)
"""What a release carries: ``tar`` the terminal kit (``upgrade.sh`` installs it), ``deb`` the Debian package
(``apt-get install`` installs it, its maintainer scripts doing the same backup, doctor and rollback)."""


class ReleaseError(ValueError):
    """A release that must not be installed or published; ``code`` is stable, ``message`` one English line."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> a tuple that sorts as PEP 440 does: ``0.9 < 0.10``, ``0.2.0rc1 < 0.2.0 < 0.2.0.post1``,
    ``0.3.0.dev1 < 0.3.0a1``; missing release parts are 0."""
    match = VERSION_PATTERN.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise ReleaseError("bad_version", f"{str(version)[:40]!r} is not a release version such as 1.2.0")
    release, pre_kind, pre_n, post, dev = match.groups()
    parts = [int(x) for x in release.split(".")]
    if pre_kind:
        pre = (1, ("a", "b", "rc").index(pre_kind), int(pre_n))
    elif dev is not None and post is None:
        pre = (0, 0, 0)  # 1.0.dev1 comes before 1.0a1
    else:
        pre = (2, 0, 0)
    return (*parts, *[0] * (4 - len(parts)), *pre, int(post) if post is not None else -1,
            int(dev) if dev is not None else 10**9)


def debian_version(version: str) -> str:
    """The Debian version of a release (the ``.deb``'s ``Version:``), ordered by ``dpkg --compare-versions`` as
    PEP 440 orders the releases: ``1.2.0.dev3`` -> ``1.2.0~~dev3``, ``1.2.0a1`` -> ``1.2.0~a1``, ``1.2.0rc1``
    -> ``1.2.0~rc1``, ``1.2.0`` -> ``1.2.0``, ``1.2.0.post1`` -> ``1.2.0+post1``. The release numbers are written
    with at least three parts and without trailing zeros beyond them (``1.2`` and ``1.2.0.0`` are the same release
    as ``1.2.0`` for PEP 440, and must be for dpkg); numbers lose leading zeros. ``packaging/lib.sh``'s
    ``deb_version`` is the same mapping in shell (the .deb is built without Python)."""
    match = VERSION_PATTERN.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise ReleaseError("bad_version", f"{str(version)[:40]!r} is not a release version such as 1.2.0")
    release, pre_kind, pre_n, post, dev = match.groups()
    parts = [int(x) for x in release.split(".")]
    parts += [0] * (3 - len(parts))
    while len(parts) > 3 and parts[-1] == 0:
        parts.pop()
    text = ".".join(str(n) for n in parts)
    if pre_kind:
        text += f"~{pre_kind}{int(pre_n)}"
    if post is not None:
        text += f"+post{int(post)}"
    if dev is not None:
        text += f"~dev{int(dev)}" if (pre_kind or post is not None) else f"~~dev{int(dev)}"
    return text


def is_newer(candidate: str, installed: str) -> bool:
    """Whether ``candidate`` is strictly newer than ``installed`` (an unreadable installed version: never)."""
    try:
        return version_key(candidate) > version_key(installed)
    except ReleaseError:
        return False


def kind_of_file(path: Path) -> str:
    """The kind of a package by its name: ``.deb`` files are ``deb``, anything else a kit (``tar``)."""
    return KIND_DEB if path.name.endswith(".deb") else KIND_TAR


def statement(version: str, sha256: str, size: int, kind: str = KIND_TAR) -> bytes:
    """The exact bytes that are signed."""
    version_key(version)
    if kind not in KINDS:
        raise ReleaseError("bad_kind", f"{str(kind)[:20]!r} is not a package kind ({', '.join(KINDS)})")
    if not SHA256_PATTERN.fullmatch(sha256):
        raise ReleaseError("bad_hash", "the package hash is not 64 lowercase hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_PACKAGE_BYTES:
        raise ReleaseError("bad_size", f"the package size must be 1 to {MAX_PACKAGE_BYTES} bytes")
    text = f"version={version}\nsha256={sha256}\nsize={size}\n" + ("" if kind == KIND_TAR else f"kind={kind}\n")
    return _DOMAIN + text.encode("ascii")


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """The pinned key: base64 of the 32 raw bytes (what ``release keygen`` prints and writes to ``.pub``)."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ReleaseError("bad_public_key", "the update public key is not the base64 of a 32-byte Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_text(key: Ed25519PublicKey) -> str:
    return b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def fingerprint(public_key_b64: str) -> str:
    """Short name of a public key for humans: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def new_private_key() -> tuple[bytes, str]:
    """A new signing key: (PKCS#8 PEM, public key base64)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return pem, public_key_text(key.public_key())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ReleaseError("bad_private_key", f"{path} is not an unencrypted Ed25519 PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ReleaseError("bad_private_key", f"{path} is not an Ed25519 key")
    return key


@dataclass(frozen=True)
class SignedRelease:
    """What head office signed, and the signature (base64); the server hosts it, the terminal checks it."""

    version: str
    sha256: str
    size: int
    signature: str
    kind: str = KIND_TAR

    def as_dict(self) -> dict[str, object]:
        return {"version": self.version, "sha256": self.sha256, "size": self.size, "signature": self.signature,
                "kind": self.kind}


def sign_file(path: Path, version: str, key: Ed25519PrivateKey, kind: str | None = None) -> SignedRelease:
    """Sign ``path`` as ``version``; its kind from its name unless given."""
    kind = kind or kind_of_file(path)
    sha, size = file_digest(path)
    return SignedRelease(version, sha, size, b64(key.sign(statement(version, sha, size, kind))), kind)


def check_signature(release: SignedRelease, public_key_b64: str) -> None:
    """Raise :class:`ReleaseError` unless ``release`` is signed by the key (``bad_signature``)."""
    key = public_key_from_text(public_key_b64)
    try:
        signature = base64.b64decode(release.signature, validate=True)
        key.verify(signature, statement(release.version, release.sha256, release.size, release.kind))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        if isinstance(exc, ReleaseError):
            raise
        raise ReleaseError("bad_signature", f"the signature of release {release.version} is not by the pinned "
                                            f"update key ({fingerprint(public_key_b64)})") from exc


def check_file(path: Path, release: SignedRelease) -> None:
    """Raise :class:`ReleaseError` unless the file is exactly the signed one (size first, then SHA-256)."""
    sha, size = file_digest(path)
    if size != release.size:
        raise ReleaseError("wrong_size", f"the downloaded package has {size} bytes, the release says {release.size}")
    if sha != release.sha256:
        raise ReleaseError("wrong_hash", f"the downloaded package's SHA-256 is {sha[:16]}..., the release says "
                                         f"{release.sha256[:16]}...")
