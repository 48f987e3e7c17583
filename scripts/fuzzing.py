"""The mutator the code fuzzers share (scripts/fuzz_member_codes.py, scripts/fuzz_vouchers.py): one to three
random edits of a genuine code, most of them blind (bits, runs, characters, fields, case, length), a few aimed at
one format's own fields (its prefix letter, its time fields, and one edit of its own). Stdlib only."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

THAI = "กขคงจฉชซญดตถทนบปผพฟภมยรลวสหอฮะาำิีึืุูเแโใไ่้๊๋็์๐๑๒๓๔๕๖๗๘๙"
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class CodeFormat:
    """What the mutator knows of one format: the characters it inserts (``alphabet``), the letters a wrong
    prefix is made of (``L`` + one of ``kinds`` + a number), the ``:``-separated fields that hold base-36 times,
    and one edit of the format's own (``own_edit``: e.g. a voucher's benefit, a member code's padding)."""

    alphabet: str
    kinds: str
    time_fields: tuple[int, ...]
    own_edit: Callable[[random.Random, str], str]


def pad_or_wrap(rng: random.Random, text: str) -> str:
    """What a scanner may wrap a code in: a byte-order mark, an AIM symbology id, line ends, a NUL."""
    return rng.choice(["", " ", "\r\n", "\ufeff", "]Q1"]) + text + rng.choice(["", "\r", "\n", "\t", "\x00"])


def mutate(rng: random.Random, text: str, fmt: CodeFormat) -> str:
    """One to three random edits of ``text``."""
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(12)
        pos = rng.randrange(len(text) + 1) if text else 0
        if choice == 0 and text:  # flip one bit of one character
            index = rng.randrange(len(text))
            text = text[:index] + chr(ord(text[index]) ^ (1 << rng.randrange(7))) + text[index + 1 :]
        elif choice == 1 and text:  # delete a run
            text = text[:pos] + text[pos + rng.randint(1, 8) :]
        elif choice == 2:  # insert characters
            text = text[:pos] + "".join(rng.choice(fmt.alphabet) for _ in range(rng.randint(1, 4))) + text[pos:]
        elif choice == 3:  # truncate
            text = text[: rng.randrange(len(text) + 1)]
        elif choice == 4 and text:  # replace one character
            index = rng.randrange(len(text))
            text = text[:index] + rng.choice(fmt.alphabet + THAI) + text[index + 1 :]
        elif choice == 5:  # swap two fields
            parts = text.split(":")
            if len(parts) > 2:
                i, j = rng.sample(range(len(parts)), 2)
                parts[i], parts[j] = parts[j], parts[i]
                text = ":".join(parts)
        elif choice == 6:  # duplicate or drop a field
            parts = text.split(":")
            i = rng.randrange(len(parts))
            if rng.random() < 0.5:
                parts.insert(i, parts[i])
            else:
                del parts[i]
            text = ":".join(parts)
        elif choice == 7:  # change case
            text = text.lower() if rng.random() < 0.5 else text.swapcase()
        elif choice == 8:  # change the version or kind
            text = "L" + rng.choice(fmt.kinds) + str(rng.randrange(12)) + text[3:]
        elif choice == 9:  # the format's own edit
            text = fmt.own_edit(rng, text)
        elif choice == 10:  # repeat a slice (long inputs)
            text = text + text[pos:] * rng.randint(1, 12)
        else:  # change a time field
            parts = text.split(":")
            if len(parts) > max(fmt.time_fields):
                i = rng.choice(fmt.time_fields)
                parts[i] = "".join(rng.choice(BASE36) for _ in parts[i])
                text = ":".join(parts)
    return text
