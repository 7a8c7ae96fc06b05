"""File names for artifacts named after entities: safe on every file system, distinct for distinct
names, the same on every run.

An entity's name may hold anything a string can: ``/``, ``..``, NUL, control characters, a
name Windows reserves, hundreds of characters. ``file_stem`` keeps letters (any script), digits,
``.``, ``_``, ``-`` and ``~`` as they are and writes every other character as ``%XX`` per byte of
its UTF-8 form (``%`` itself included, so no two names get one stem); a leading dot, a trailing
dot or space and a Windows device name are escaped too, and a stem longer than ``MAX_STEM_BYTES``
is cut and given a hash of the whole name. Two names can still need one file where the file
system ignores case or Unicode normalization (macOS, Windows): ``fold`` says which stems those
are, so that a clash is reported on every system, not only where it would overwrite.
"""
from __future__ import annotations

import unicodedata

MAX_STEM_BYTES = 200  # a file name holds 255 bytes; the rest is for suffixes such as .closure.json
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-~")
_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                      *(f"lpt{i}" for i in range(10))})


def _escape(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def _kept(ch: str) -> bool:
    # ASCII: the portable set only; beyond it, letters, digits and marks of any script (but no
    # spaces, separators, controls or unassigned code points)
    if ch < "\x80":
        return ch in _KEPT
    return unicodedata.category(ch)[0] in "LNM"


def file_stem(name: str, empty: str = "workflow") -> str:
    """A file name (without suffix) for an entity named ``name`` (``empty`` for no name).

    Guarantees: only the characters above, never a path separator, never ``.`` or ``..`` or a
    hidden name, at most ``MAX_STEM_BYTES`` bytes of UTF-8, and ``file_stem(a) != file_stem(b)``
    for ``a != b`` (but for a cut name's 64-bit hash)."""
    if not name:
        return empty
    out = "".join(ch if _kept(ch) else _escape(ch) for ch in name)
    if out[0] == ".":
        out = "%2E" + out[1:]
    if out[-1] == ".":
        out = out[:-1] + "%2E"
    if out.split(".", 1)[0].lower() in _DEVICES:  # Windows: CON, con.txt, COM1.x, ...
        out = _escape(out[0]) + out[1:]
    if len(out.encode("utf-8")) > MAX_STEM_BYTES:
        import hashlib  # only for names too long for a file name (hashlib loads OpenSSL)

        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        cut = out.encode("utf-8")[: MAX_STEM_BYTES - len(digest) - 1].decode("utf-8", "ignore")
        if cut.endswith("%") or cut[-2:-1] == "%":  # do not leave half an escape
            cut = cut[: cut.rfind("%")]
        out = f"{cut}~{digest}"
    return out


def fold(stem: str) -> str:
    """What a case- and normalization-insensitive file system (APFS, NTFS) compares: stems with
    the same fold are one file there."""
    return unicodedata.normalize("NFC", stem).casefold()
