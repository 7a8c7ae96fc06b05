"""The benchmark suite runs: ``bench/run.py --quick`` on two cheap cases writes its table and a JSON
object per row with every field. A smoke test of the harness, never of the timings."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

STAT = {"median", "min", "max", "n", "unit"}


def _stat(s: dict) -> None:
    assert set(s) >= STAT, s
    assert s["min"] <= s["median"] <= s["max"] and s["n"] >= 1


def test_quick_run_writes_the_table_and_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json",
                        str(out), "--only", "big-bundle", "long-arrays"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    doc = json.loads(out.read_text())
    assert doc["meta"]["quick"] is True and doc["meta"]["commit"]
    names = [c["name"] for c in doc["cases"]]
    assert names == ["big-bundle/compile", "big-bundle/compile -o", "long-arrays/args/time",
                     "long-arrays/args/memory", "long-arrays/collection/time",
                     "long-arrays/collection/memory"], names
    for case in doc["cases"]:
        assert set(case) == {"name", "what", "figures", "baseline", "ratio", "ratio_cpu",
                             "target", "note"}, case
        assert case["note"] is None, case["note"]  # every case ran
        assert case["what"] and case["figures"] and case["baseline"]["what"]
        for s in [*case["figures"].values(), *case["baseline"]["figures"].values()]:
            _stat(s)
        target = case["target"]
        assert set(target) == {"text", "metric", "max", "min", "pass"}
        if case["name"].endswith("/memory"):
            assert set(case["figures"]) == {"rss_added"}
            assert case["figures"]["rss_added"]["unit"] == "KiB"
            assert case["ratio"] is None or case["ratio"]["of"] == "rss"
        else:
            assert case["figures"]["wall"]["unit"] == "s" and "cpu" in case["figures"]
            assert case["ratio"]["of"] == "wall" and case["ratio_cpu"]["of"] == "cpu"
            _stat(case["ratio"])
            assert isinstance(target["pass"], bool)
    for name in names:  # the table too
        assert name in r.stdout
