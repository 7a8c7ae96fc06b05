"""Run every fuzz target for a while and collect what they find:
``python fuzz/run.py --minutes N [--targets yaml,json,pb,bundle,convert]``.

Each target runs for N minutes (one after the other: the machine is shared) on its corpus in
``fuzz/corpus/<target>/`` (seeded by ``fuzz/build_corpus.py`` when missing; the fuzzer adds what
reaches new code). libFuzzer stops at a crash, so a target that crashed is started again for the
rest of its minutes. Crashes (exceptions, broken invariants), timeouts (an input running over
``--timeout`` seconds) and out-of-memory inputs land in ``fuzz/crashes/<target>/``; each becomes a
regression in ``fuzz/regressions/<target>/`` once fixed (tests/test_fuzz_regressions.py replays
them). The log of every run is in ``fuzz/logs/``.

An input that runs longer than libFuzzer's slow-unit limit (10 s, instrumented) is written there
too, named ``slow-unit-*``; it is no crash (the run goes on) and is counted apart, to be looked at.

At the end a table gives, per target, the minutes run, the inputs tried, the crashes and the slow
units found;
``fuzz/logs/summary.json`` keeps every run's figures, so that they can be quoted.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TypedDict

REPO = Path(__file__).resolve().parent.parent
FUZZ = REPO / "fuzz"
TARGETS = ("yaml", "json", "pb", "bundle", "convert")
_UNITS = re.compile(rb"stat::number_of_executed_units:\s*(\d+)")
_STATUS = re.compile(rb"^#(\d+)\s", re.M)
_ARTIFACT = re.compile(rb"Test unit written to (\S+)")


def _is_slow(artifact: str) -> bool:
    """Whether libFuzzer wrote ``artifact`` for a slow input rather than a crash."""
    return Path(artifact).name.startswith("slow-unit-")


class Run(TypedDict):
    """One target's figures, as ``fuzz/logs/summary.json`` keeps them."""
    target: str
    seconds: float
    inputs: int
    crashes: list[str]
    slow: list[str]  # inputs over libFuzzer's slow-unit limit: no crash, listed to be looked at
    restarts: int
    log: str


def run_target(name: str, seconds: float, timeout: int, rss_mb: int) -> Run:
    """Fuzz one target for ``seconds``; its figures."""
    corpus = FUZZ / "corpus" / name
    crashes = FUZZ / "crashes" / name
    logs = FUZZ / "logs"
    for d in (corpus, crashes, logs):
        d.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    start = time.monotonic()
    executed, restarts = 0, 0
    found: list[str] = []
    while True:
        left = seconds - (time.monotonic() - start)
        if left < 5:
            break
        cmd = [sys.executable, str(FUZZ / "target.py"), name, f"-max_total_time={int(left)}",
               f"-artifact_prefix={crashes}/", "-max_len=65536", f"-timeout={timeout}",
               f"-rss_limit_mb={rss_mb}", "-print_final_stats=1", str(corpus)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=REPO, check=False)
        with log.open("ab") as f:
            f.write(proc.stdout)
        units = _UNITS.findall(proc.stdout)
        status = _STATUS.findall(proc.stdout)
        executed += int(units[-1]) if units else int(status[-1]) if status else 0
        found += [a.decode() for a in _ARTIFACT.findall(proc.stdout)]
        if proc.returncode == 0:
            break
        restarts += 1
        if restarts > 50:  # the same crash over and over: it needs fixing, not more minutes
            break
    return {"target": name, "seconds": round(time.monotonic() - start, 1),
            "inputs": executed, "crashes": [a for a in found if not _is_slow(a)],
            "slow": sorted({a for a in found if _is_slow(a)}), "restarts": restarts,
            "log": str(log.relative_to(REPO))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0, help="per target (default 5)")
    ap.add_argument("--targets", default=",".join(TARGETS),
                    help=f"comma-separated, of {', '.join(TARGETS)}")
    ap.add_argument("--timeout", type=int, default=60, help="seconds one input may take")
    ap.add_argument("--rss-mb", type=int, default=3072, help="memory one run may use")
    args = ap.parse_args()
    names = [t for t in args.targets.split(",") if t]
    unknown = set(names) - set(TARGETS)
    if unknown:
        sys.exit(f"unknown targets: {', '.join(sorted(unknown))}")
    if not all((FUZZ / "corpus" / t).is_dir() and any((FUZZ / "corpus" / t).iterdir())
               for t in names):
        subprocess.run([sys.executable, str(FUZZ / "build_corpus.py")], check=True)
    rows: list[Run] = []
    for name in names:
        print(f"fuzzing {name} for {args.minutes:g} minutes ...", flush=True)
        row = run_target(name, args.minutes * 60, args.timeout, args.rss_mb)
        rows.append(row)
        print(f"  {row['inputs']} inputs in {row['seconds']} s, "
              f"{len(row['crashes'])} crashes, {len(row['slow'])} slow units", flush=True)
    print(f"\n{'target':<10}{'minutes':>9}{'inputs':>12}{'inputs/s':>10}{'crashes':>9}"
          f"{'slow':>6}")
    total_s = total_n = total_c = total_w = 0.0
    for r in rows:
        s, n, c, w = r["seconds"], r["inputs"], len(r["crashes"]), len(r["slow"])
        total_s, total_n, total_c, total_w = total_s + s, total_n + n, total_c + c, total_w + w
        print(f"{r['target']:<10}{s / 60:>9.1f}{n:>12}{n / max(s, 1):>10.1f}{c:>9}{w:>6}")
    print(f"{'total':<10}{total_s / 60:>9.1f}{int(total_n):>12}"
          f"{total_n / max(total_s, 1):>10.1f}{int(total_c):>9}{int(total_w):>6}")
    for r in rows:
        for crash in r["crashes"]:
            print(f"crash ({r['target']}): {crash}")
        for slow in r["slow"]:
            print(f"slow unit ({r['target']}): {slow}")
    summary = FUZZ / "logs" / "summary.json"
    history = json.loads(summary.read_text()) if summary.exists() else []
    history.append({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": rows})
    summary.write_text(json.dumps(history, indent=1) + "\n")


if __name__ == "__main__":
    main()
