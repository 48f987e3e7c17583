"""How the member code's density affects reading: the hard-mix QR frames of one split, rendered again with
only the member-code payload changed (a product question, not a decoder one: issue 8, part 3).

The corpus's member payload (``frames.member_like_payload``: 144 characters, byte mode, version 8 at error
correction M) is replaced, frame by frame with the same seed (the same random draws: the corpus payload is
drawn first, then mapped), by a real code of each design, signed with ``pos_app.core.member_codes``:

* ``LM1`` with a UUID member id (what the server signs; about 161 characters),
* the same with the UUID in upper case (the whole code in the QR alphanumeric mode),
* ``LT1`` (what an enrolled terminal signs at the counter: the chain's certificate embedded; about 334
  characters), with a lower- and an upper-case UUID.

A card prints its QR at one size (``hardware.cards``: at most 36 mm), so a denser code has smaller modules:
each frame keeps the corpus symbol's side in pixels and the module size shrinks by modules(corpus) /
modules(design). Everything else (error-correction level drawn by the generator, mask, quiet zone, ink,
geometry, degradations) is the corpus's. Only frames whose payload is a member code are counted (about 60%
of the hard mix). Decoders: the bare zxing-cpp call, ours with its budget, ours with no budget.

    python bench/bench_qr_density.py                  # tuning seeds, 136 hard-mix frames, ~2 min
    python bench/bench_qr_density.py --split heldout4
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardware"))
sys.path.insert(0, str(ROOT))

import frames  # noqa: E402
import zxingcpp  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from hardware.cards import qr_version  # noqa: E402
from hardware.scanner.zxing_backend import ZxingDecoder  # noqa: E402
from pos_app.core import member_codes as mc  # noqa: E402

ZX_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=tuple(frames.SPLITS), default="tune")
    ap.add_argument("--per-size", type=int, default=68, help="hard-mix QR frames per size [68]")
    args = ap.parse_args()

    chain = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    terminal = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    t0 = datetime(2026, 11, 23, tzinfo=UTC)
    cert = mc.issue_terminal_certificate(chain, "K1", mc.public_key_bytes(terminal), t0 + timedelta(days=1800))

    def member_id(corpus_text: str) -> str:
        return str(uuid.UUID(int=random.Random(corpus_text).getrandbits(128)))

    designs: dict[str, Callable[[str], str]] = {
        "corpus payload (LM1-like)": lambda s: s,
        "LM1, UUID member id": lambda s: mc.sign_member_code(chain, "K1", member_id(s), t0, t0 + timedelta(days=730)),
        "LM1, UUID in upper case": lambda s: mc.sign_member_code(chain, "K1", member_id(s).upper(), t0,
                                                                 t0 + timedelta(days=730)),
        "LT1, UUID member id": lambda s: mc.sign_member_code_as_terminal(terminal, cert, member_id(s), t0,
                                                                         t0 + timedelta(days=730)),
        "LT1, UUID in upper case": lambda s: mc.sign_member_code_as_terminal(terminal, cert, member_id(s).upper(),
                                                                             t0, t0 + timedelta(days=730)),
    }

    # one printed size: the design's symbol gets the corpus symbol's side (smaller modules when denser)
    corpus_of: dict[str, str] = {}
    ratio = [1.0]
    real_modules, real_quad, real_payload = frames.qr_modules, frames._code_quad, frames.member_like_payload

    def qr_modules(text, border=4, ecl="M", mask=None):
        m = real_modules(text, border, ecl, mask)
        if text in corpus_of:
            ratio[0] = real_modules(corpus_of[text], border, ecl, mask).shape[0] / m.shape[0]
        return m

    def code_quad(rng, w, h, side, *a, **k):
        r, ratio[0] = ratio[0], 1.0
        return real_quad(rng, w, h, side * r, *a, **k)

    frames.qr_modules, frames._code_quad = qr_modules, code_quad
    print(f"{args.split}: hard-mix QR frames, {args.per_size} per size, member-code payloads only")
    print("| member code | characters | QR version at M (modules) | frames | bare zxing-cpp | ours | ours, no budget |")
    print("|---|---|---|---|---|---|---|")
    for name, design in designs.items():
        def payload(rng, design=design):
            corpus_text = real_payload(rng)
            text = design(corpus_text)
            corpus_of[text] = corpus_text
            return text

        frames.member_like_payload = payload
        hard = [frames.make_frame("hard_mix", size, "qr",
                                  seed=frames.corpus_seed(args.split, "hard_mix", si, "qr", i))
                for si, size in enumerate(((640, 480), (1280, 720))) for i in range(args.per_size)]
        member = [f for f in hard if f.text is not None and f.text in corpus_of]
        ours = ZxingDecoder()
        unlimited = ZxingDecoder(budget_ratio=1000.0, budget_cap_s=10.0, borrow_s=10.0, located_limit=1000.0)
        hits = [0, 0, 0]
        for f in member:
            hits[0] += f.text in [r.text for r in zxingcpp.read_barcodes(f.image, formats=ZX_FORMATS)]
            hits[1] += f.text in [s.text for s in ours.decode(f.image)]
            hits[2] += f.text in [s.text for s in unlimited.decode(f.image)]
        lengths = sorted(len(f.text or "") for f in member)
        version = qr_version(member[0].text or "")
        n = len(member)
        print(f"| {name} | {lengths[0]}-{lengths[-1]} | {version} ({17 + 4 * version}) | {n} | "
              + " | ".join(f"{100 * h / n:.0f}%" for h in hits) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
