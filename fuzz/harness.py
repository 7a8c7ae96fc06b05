"""What every fuzz target checks, in one place, so that a crash replays without atheris.

A target turns the fuzzer's bytes into an input (a YAML, JSON or ``.pb`` file, a bundle) and runs
specc on it in process: ``compile`` with ``-o`` and ``--bundle`` and the four reporters, or
``convert`` to every form. The invariants (``Violation`` when one breaks, which the fuzzer counts
as a crash):

- no exception escapes, and no internal error (SPC900) is reported: a pass that raised is a bug;
- every diagnostic has a catalogue code, a file, and a place in it (line and column, or a JSON
  pointer; a whole-file diagnostic of the load stage names the file alone);
- every reporter's output encodes as strict UTF-8; the JSON and SARIF outputs parse, and hold as
  many results as there are diagnostics;
- nothing is written outside the output asked for, and nothing at all when there are errors;
  a run that writes leaves no temporary file.

``replay(target, data)`` runs one input through a target (tests/test_fuzz_regressions.py replays
every input in ``fuzz/regressions/``).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from specc import driver
from specc.codes import CODES
from specc.reporters import REPORTERS, render

FORMS = ("yaml", "json", "pb", "specc")
# a file named so, for the pb target (pyflyte's _1/_2/_3 say what the file holds; others decode)
PB_NAMES = ("0_t_1.pb", "1_w_2.pb", "2_lp_3.pb", "closure.pb")


class Violation(AssertionError):
    """An invariant of the module docstring broke: the fuzzer's crash."""


def _workdir() -> Path:
    """A fresh folder for one input's files (on tmpfs when there is one: thousands per minute)."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="specc-fuzz-", dir=base))


def check_result(result: driver.Result, where: str) -> None:
    """The invariants about the diagnostics of one run, and the four reporters' outputs."""
    if result.internal_error:
        raise Violation(f"{where}: internal error: {[d.message for d in result.diagnostics]}")
    for d in result.diagnostics:
        if d.code not in CODES:
            raise Violation(f"{where}: unknown code {d.code}")
        if d.code.startswith("SPC9"):
            raise Violation(f"{where}: {d.code} {d.message}")
        if not d.file:
            raise Violation(f"{where}: {d.code} has no file: {d.message}")
        if d.span is None and d.pointer is None and d.pass_name != "load":
            raise Violation(f"{where}: {d.code} has no line, column or pointer: {d.message}")
    for fmt in REPORTERS:
        text = render(fmt, result, statistics=True)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise Violation(f"{where}: {fmt} output is not UTF-8: {e}") from e
        if fmt == "json":
            got = json.loads(text)
            if len(got["diagnostics"]) != len(result.diagnostics):
                raise Violation(f"{where}: json lists {len(got['diagnostics'])} diagnostics")
        elif fmt == "sarif":
            got = json.loads(text)
            run = got["runs"][0]
            n = len(run["results"]) + len(run["invocations"][0].get(
                "toolExecutionNotifications", []))
            if n != len(result.diagnostics):
                raise Violation(f"{where}: sarif holds {n} results")


def _written(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def compile_file(name: str, data: bytes) -> driver.Result:
    """``specc compile NAME -o out/ --bundle out.tgz`` on ``data``, with every check."""
    work = _workdir()
    try:
        src = work / "in"
        src.mkdir()
        path = src / name
        path.write_bytes(data)
        out, bundle = work / "out", work / "out.tgz"
        opts = driver.Options(paths=[path], out=out, bundle=bundle, cache=False,
                              use_config=False)
        try:
            result = driver.compile_paths(opts)
        except driver.UsageError as e:
            # a usage error may only be about the outputs (nothing to bundle, cannot write)
            if "--bundle" not in str(e) and "cannot write" not in str(e):
                raise Violation(f"compile {name}: usage error {e}") from e
            result = None
        if result is not None:
            check_result(result, f"compile {name}")
        wrote = _written(work) - {"in", f"in/{name}"}
        if result is None or result.errors or result.withheld:
            if wrote:
                raise Violation(f"compile {name}: errors, yet it wrote {sorted(wrote)}")
        else:
            said = [str(p.relative_to(work)) for p in result.written]
            if len(set(said)) != len(said):  # two artifacts, one file: one overwrote the other
                raise Violation(f"compile {name}: wrote one file twice: {said}")
            if wrote - {"out"} != set(said):
                raise Violation(f"compile {name}: wrote {sorted(wrote)}, said {sorted(said)}")
        return result if result is not None else driver.Result([], 1, [])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def convert_file(name: str, data: bytes, forms: tuple[str, ...] = FORMS) -> None:
    """``specc convert --to FORM --out out/ NAME`` on ``data`` for every form, with every check:
    a usage error is allowed (names that clash), an exception is not; written exactly when
    nothing is reported."""
    from specc import convert

    work = _workdir()
    try:
        path = work / name
        path.write_bytes(data)
        for to in forms:
            out = work / f"out-{to}"
            try:
                result = convert.convert_paths([path], to, out)
            except convert.ConvertError:
                if out.exists():
                    raise Violation(f"convert --to {to} {name}: refused, yet wrote") from None
                continue
            check_result(result, f"convert --to {to} {name}")
            wrote = _written(out) if out.exists() else set()
            if result.errors and wrote:
                raise Violation(f"convert --to {to} {name}: errors, yet it wrote {wrote}")
            if not result.errors and wrote != {p.name for p in result.written}:
                raise Violation(f"convert --to {to} {name}: wrote {wrote}, said "
                                f"{[p.name for p in result.written]}")
        stray = set(os.listdir(work)) - {name} - {f"out-{to}" for to in forms}
        if stray:
            raise Violation(f"convert {name}: wrote {sorted(stray)} outside its output folders")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- the targets: bytes in, checks ---------------------------------------------------------------

def target_yaml(data: bytes) -> None:
    compile_file("spec.yaml", data)


def target_json(data: bytes) -> None:
    compile_file("spec.json", data)


def target_pb(data: bytes) -> None:
    """The first byte picks the file name (and so the kind pyflyte's naming says)."""
    if not data:
        return
    compile_file(PB_NAMES[data[0] % len(PB_NAMES)], data[1:])


def target_bundle(data: bytes) -> None:
    """The bytes as a .tgz; from an odd first byte on, members built from the bytes instead (a
    fuzzer rarely gets a gzip checksum right by mutation)."""
    if data[:1] and data[0] % 2 == 1:
        data = build_bundle(data[1:])
    compile_file("bundle.tgz", data)


def target_convert(data: bytes) -> None:
    """The first byte picks the input form; then every output form."""
    if not data:
        return
    name = ("spec.yaml", "spec.json", "0_t_1.pb", "bundle.tgz")[data[0] % 4]
    convert_file(name, data[1:])


TARGETS: dict[str, Callable[[bytes], None]] = {
    "yaml": target_yaml, "json": target_json, "pb": target_pb, "bundle": target_bundle,
    "convert": target_convert,
}


def build_bundle(data: bytes) -> bytes:
    """A gzipped tar made from ``data``: a header byte per member (its kind and whether its
    name is hostile), then its name and its bytes, each length-prefixed. Deterministic."""
    import gzip
    import io
    import tarfile

    kinds = (tarfile.REGTYPE, tarfile.REGTYPE, tarfile.REGTYPE, tarfile.DIRTYPE,
             tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE)
    raw = io.BytesIO()
    pos = 0
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for _ in range(16):
            if pos + 3 > len(data):
                break
            head, nlen = data[pos], data[pos + 1] % 48
            pos += 2
            name = data[pos: pos + nlen].decode("utf-8", "replace").replace("\0", "") or "m"
            pos += nlen
            size = data[pos] * 8 if pos < len(data) else 0
            pos += 1
            blob = data[pos: pos + size]
            pos += size
            if head & 0x80:
                name = ("../", "/", "a/../../", "./.hidden/")[head & 3] + name
            if not name.endswith(".pb") and head & 0x40:
                name += ".pb"
            info = tarfile.TarInfo(name)
            info.type = kinds[(head >> 3) & 7]
            if info.type in (tarfile.REGTYPE,):
                info.size = len(blob)
                tf.addfile(info, io.BytesIO(blob))
            else:
                info.linkname = "target.pb"
                tf.addfile(info)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def replay(target: str, data: bytes) -> None:
    """Run one input through a target (a crash file, a regression)."""
    TARGETS[target](data)
