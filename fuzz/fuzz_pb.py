"""The pb fuzz target: ``python fuzz/fuzz_pb.py [libFuzzer options] [CORPUS]`` (see
``fuzz.harness.target_pb`` for what it feeds specc)."""
from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.argv.insert(1, "pb")
    from fuzz.target import main

    main()
