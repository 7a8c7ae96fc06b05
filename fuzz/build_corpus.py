"""Seed the fuzz corpora from specc's fixtures and examples (and the conformance corpus beside
the checkout, when it is there): ``python fuzz/build_corpus.py [--out fuzz/corpus]``.

Each target gets the inputs of its form, prefixed the way its harness reads them
(``fuzz.harness``): the pb target's first byte picks the file name (pyflyte's ``_1``/``_2``/``_3``
for the kinds the file's name says), the bundle target's an even byte for a raw archive, the
convert target's the input form. Seeds are named by their digest, so running it again adds
nothing twice; files above ``MAX_SEED`` bytes are left out (they slow every mutation down).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAX_SEED = 64 * 1024


def _sources() -> Iterator[Path]:
    shared = Path(os.environ.get("SPECC_SHARED", REPO.parent / "shared")) / "conformance"
    for root in (REPO / "fixtures", REPO / "examples", shared):
        if root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _pb_prefix(name: str) -> bytes:
    for i, suffix in enumerate(("_1.pb", "_2.pb", "_3.pb")):
        if name.endswith(suffix):
            return bytes([i])
    return bytes([3])


def seeds() -> Iterator[tuple[str, bytes]]:
    """(target, seed) for every usable file."""
    for path in _sources():
        name = path.name.lower()
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) > MAX_SEED:
            continue
        if name.endswith((".yaml", ".yml")):
            yield "yaml", data
            yield "convert", b"\0" + data
        elif name.endswith(".json"):
            yield "json", data
            yield "convert", b"\1" + data
        elif name.endswith(".pb"):
            yield "pb", _pb_prefix(name) + data
            yield "convert", b"\2" + data
        elif name.endswith((".tgz", ".tar.gz")):
            yield "bundle", b"\0" + data
            yield "convert", b"\3" + data
            yield from _members(path)


def _members(path: Path) -> Iterator[tuple[str, bytes]]:
    """The .pb members of a bundle, as pb seeds (pyflyte's bundles hold the real messages)."""
    try:
        with tarfile.open(path) as tf:
            for m in tf.getmembers():
                if m.isfile() and m.name.endswith(".pb") and m.size <= MAX_SEED:
                    f = tf.extractfile(m)
                    if f is not None:
                        yield "pb", _pb_prefix(m.name) + f.read()
    except (tarfile.TarError, OSError, EOFError):
        return


def build(out: Path) -> dict[str, int]:
    """Write every seed to ``out/<target>/<digest>``; the number of seeds per target."""
    counts: dict[str, int] = {}
    for target, data in seeds():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()
        path = folder / digest
        if not path.exists():
            path.write_bytes(data)
        counts[target] = counts.get(target, 0) + 1
    # the bundle target also starts from members built from bytes (odd first byte)
    folder = out / "bundle"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "built-seed").write_bytes(b"\x01\x40\x05hello\x02" + b"\x0a\x04" * 8)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "fuzz" / "corpus")
    args = ap.parse_args()
    for target, n in sorted(build(args.out).items()):
        print(f"{target}: {n} seeds")


if __name__ == "__main__":
    main()
