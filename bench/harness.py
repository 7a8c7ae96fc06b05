"""The benchmark harness: timing, interleaving, medians, peak memory, the table and the JSON.

A measurement returns a ``Sample``: wall time, CPU time (user + system: what contention on a
shared machine disturbs least) and, for a process, its peak resident set size. ``interleave``
runs the measured commands round by round (A B A B ...), so a ratio is always the median of
per-round ratios taken minutes apart at most, never of medians taken at different times.
"""
from __future__ import annotations

import ast
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss: int | None = None  # KiB: a process's peak RSS, or what a step added to it (memory())


def plain(obj: object) -> list[float | int | None]:
    """A Sample as JSON (``json.dumps(..., default=plain)``); ``Sample(*that)`` reads it back."""
    if isinstance(obj, Sample):
        return [obj.wall, obj.cpu, obj.rss]
    raise TypeError(f"not JSON: {type(obj).__name__}")


class Failed(Exception):
    """A measured command did not do what it is measured doing (a wrong exit status)."""


# Runs the measured command for run_process: forks it, waits for it, and writes its wall time,
# CPU time, peak RSS and exit status to the file descriptor argv[1]. A child's ru_maxrss starts at
# the high-water mark of the process that forked it (Linux copies it at fork and keeps it across
# exec), so the fork happens here, in a fresh interpreter of a few MiB, and not in the harness,
# which may have grown to hundreds of MiB generating inputs.
LAUNCHER = """\
import os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
os.write(int(sys.argv[1]), repr((wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss,
                                 os.waitstatus_to_exitcode(status))).encode())
"""


def run_process(cmd: Sequence[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,),
                env: dict[str, str] | None = None, timeout: float = 900) -> Sample:
    """Run ``cmd`` to its end: its wall time, CPU time (with its children's) and peak RSS (KiB),
    measured by ``LAUNCHER`` around fork and ``wait4``. Raises ``Failed`` (with the end of its
    output) when it exits with a status not in ``ok``, or runs past ``timeout`` seconds."""
    if env is None:
        # as a user's shell runs them: Python tools keep their compiled bytecode between runs
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    read, write = os.pipe()
    try:
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(write),
                                     *cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, pass_fds=(write,),
                                    start_new_session=True)
            os.close(write)
            write = -1
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command
                proc.wait()
                raise Failed(f"{' '.join(cmd)} ran for more than {timeout} s") from None
            got = os.read(read, 4096)
            if proc.returncode != 0 or not got:
                raise Failed(f"the launcher of {' '.join(cmd)} failed ({proc.returncode})")
            wall, cpu, rss, code = ast.literal_eval(got.decode())
            if code not in ok:
                out.seek(0)
                tail = out.read()[-2000:].decode("utf-8", "replace")
                raise Failed(f"{' '.join(cmd)} exited with {code}:\n{tail}")
    finally:
        os.close(read)
        if write != -1:
            os.close(write)
    return Sample(wall, cpu, rss)


def call(fn: Callable[[], object]) -> Sample:
    """Time ``fn()`` in this process with the cyclic GC off, as specc's driver runs (it disables
    the collector during a run); garbage from earlier runs is collected first, untimed."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        c, t = time.process_time(), time.perf_counter()
        fn()
        return Sample(time.perf_counter() - t, time.process_time() - c)
    finally:
        if was:
            gc.enable()


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def peak_rss_kib() -> int:
    """This process's peak RSS (KiB) since it started or since ``reset_peak_rss``: its memory's
    own high-water mark (Linux's VmHWM), unlike ``ru_maxrss``, which starts at the forking
    process's."""
    return _status_kib("VmHWM")


def reset_peak_rss() -> int:
    """Lower the peak RSS to the current RSS (Linux, ``/proc/self/clear_refs``); the current RSS,
    KiB. ``peak_rss_kib()`` after a step, minus this before it, is the most the step added."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_kib("VmRSS")


def memory(fn: Callable[[], Sample]) -> Sample:
    """A step's sample, with ``rss`` what it added to this process's RSS at its peak."""
    before = reset_peak_rss()
    s = fn()
    return Sample(s.wall, s.cpu, peak_rss_kib() - before)


def interleave(steps: Sequence[Callable[[], Sample]], runs: int, warmup: int = 1,
               before: Callable[[int], None] | None = None) -> list[list[Sample]]:
    """Run the steps round by round (``before(i)`` first in each, for a step's set-up), after
    ``warmup`` untimed rounds; the samples of each step, in round order."""
    out: list[list[Sample]] = [[] for _ in steps]
    for r in range(warmup + runs):
        for i, step in enumerate(steps):
            if before is not None:
                before(i)
            s = step()
            if r >= warmup:
                out[i].append(s)
    return out


# ---- figures and rows ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Stat:
    median: float
    min: float
    max: float
    n: int
    unit: str

    @classmethod
    def of(cls, values: Sequence[float], unit: str) -> Stat:
        return cls(statistics.median(values), min(values), max(values), len(values), unit)

    def json(self) -> dict[str, Any]:
        return {"median": self.median, "min": self.min, "max": self.max, "n": self.n,
                "unit": self.unit}


def figures(samples: Sequence[Sample], rss: str = "peak_rss", times: bool = True
            ) -> dict[str, Stat]:
    """wall and cpu (unless not ``times``) and, where measured, the memory figure named ``rss``
    of a list of samples."""
    out = {"wall": Stat.of([s.wall for s in samples], "s"),
           "cpu": Stat.of([s.cpu for s in samples], "s")} if times else {}
    kib = [s.rss for s in samples if s.rss is not None]
    if kib:
        out[rss] = Stat.of(kib, "KiB")
    return out


def ratio(a: Sequence[Sample], b: Sequence[Sample], what: str = "wall") -> Stat | None:
    """The median of per-round ratios a/b of ``what`` (samples taken interleaved); rounds where
    b measured zero (a memory figure below the noise) are left out; None when none is left."""
    pairs = [(getattr(x, what), getattr(y, what)) for x, y in zip(a, b, strict=True)]
    values = [x / y for x, y in pairs if y]
    return Stat.of(values, "x") if values else None


@dataclass(frozen=True)
class Target:
    text: str  # as the issue states it
    metric: str  # 'ratio' or the name of a figure
    max: float | None = None
    min: float | None = None

    def check(self, value: float) -> bool:
        return (self.max is None or value <= self.max) and (self.min is None or value >= self.min)


@dataclass
class Row:
    """One line of the table, one object of the JSON."""

    name: str
    what: str
    figures: dict[str, Stat] = field(default_factory=dict)
    baseline: str | None = None
    baseline_figures: dict[str, Stat] = field(default_factory=dict)
    ratio: Stat | None = None  # of ``ratio_of`` (wall times unless said), per round
    ratio_cpu: Stat | None = None  # of CPU times, per round
    target: Target | None = None
    note: str | None = None
    ratio_of: str = "wall"

    @classmethod
    def compare(cls, name: str, what: str, mine: Sequence[Sample], baseline: str,
                theirs: Sequence[Sample], target: Target | None = None, of: str = "wall",
                rss: str = "peak_rss") -> Row:
        """specc's samples against the baseline's, taken interleaved; the ratio of ``of``
        (wall, cpu or rss) and, for times, of CPU times too."""
        times = of != "rss"
        return cls(name, what, figures(mine, rss, times), baseline, figures(theirs, rss, times),
                   ratio(mine, theirs, of), None if of == "rss" else ratio(mine, theirs, "cpu"),
                   target, ratio_of=of)

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        stat = self.ratio if self.target.metric == "ratio" else self.figures.get(
            self.target.metric)
        return None if stat is None else self.target.check(stat.median)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "what": self.what,
                               "figures": {k: v.json() for k, v in self.figures.items()}}
        out["baseline"] = None if self.baseline is None else {
            "what": self.baseline,
            "figures": {k: v.json() for k, v in self.baseline_figures.items()}}
        out["ratio"] = None if self.ratio is None else {"of": self.ratio_of,
                                                         **self.ratio.json()}
        out["ratio_cpu"] = None if self.ratio_cpu is None else {"of": "cpu",
                                                                **self.ratio_cpu.json()}
        out["target"] = None if self.target is None else {
            "text": self.target.text, "metric": self.target.metric, "max": self.target.max,
            "min": self.target.min, "pass": self.passed}
        out["note"] = self.note
        return out


# ---- output ------------------------------------------------------------------------------------

def _fmt(stat: Stat | None) -> str:
    if stat is None:
        return "-"
    v = stat.median
    if stat.unit == "s":
        return f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s"
    if stat.unit == "KiB":
        return f"{v / 1024:.0f} MiB" if v >= 10240 else f"{v:.0f} KiB"
    if stat.unit == "x":
        return f"{v:.2f}x"
    return f"{v:.3g} {stat.unit}"


MEMORY = ("peak_rss", "rss_added")  # the memory figures, as the table shows them: 12 MiB, +12 MiB


def _memory(figs: dict[str, Stat]) -> str:
    for key in MEMORY:
        if key in figs:
            return ("+" if key == "rss_added" else "") + _fmt(figs[key])
    return "-"


def table(rows: Sequence[Row]) -> str:
    """The rows as a fixed-width text table of medians (and the wall time's min-max)."""
    head = ("case", "wall", "(min-max)", "cpu", "memory", "baseline wall", "baseline mem",
            "ratio", "cpu ratio", "target", "")
    lines = []
    for r in rows:
        wall = r.figures.get("wall")
        first, spread = _fmt(wall), "-"
        if wall is not None:
            spread = f"{_fmt(Stat.of([wall.min], 's'))}-{_fmt(Stat.of([wall.max], 's'))}"
        elif r.figures and not set(r.figures) & set(MEMORY):  # derived figures
            first = ", ".join(f"{key} {_fmt(stat)}" for key, stat in r.figures.items())
        ratio = _fmt(r.ratio) + ("" if r.ratio is None or r.ratio_of == "wall"
                                 else f" ({r.ratio_of})")
        verdict = {True: "pass", False: "FAIL", None: ""}[r.passed]
        if r.note and not r.figures:
            verdict = f"not measured: {r.note}"
        lines.append((r.name, first, spread, _fmt(r.figures.get("cpu")), _memory(r.figures),
                      _fmt(r.baseline_figures.get("wall")), _memory(r.baseline_figures), ratio,
                      _fmt(r.ratio_cpu), r.target.text if r.target else "", verdict))
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
           for line in [head, *lines]]
    out.insert(1, "-" * max(len(x) for x in out))
    return "\n".join(out) + "\n"


def write_json(path: Path, rows: Sequence[Row], meta: dict[str, Any]) -> None:
    doc = {"meta": meta, "cases": [r.json() for r in rows]}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
