"""Run every benchmark script in this folder, one after another, each in its own interpreter.

Each script prints its own figures; a separate process per script keeps one benchmark's imports,
caches and threads from colouring the next one's timings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def bench_modules() -> list[str]:
    """`bench.bench_validate`, ... for every bench_*.py here, in name order."""
    return [f"bench.{path.stem}" for path in sorted(HERE.glob("bench_*.py"))]


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    failures = 0
    for module in bench_modules():
        if wanted and not any(w in module for w in wanted):
            continue
        print(f"== {module}", flush=True)
        done = subprocess.run([sys.executable, "-m", module], cwd=HERE.parent, check=False)
        if done.returncode:
            print(f"!! {module} exited with {done.returncode}", flush=True)
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
