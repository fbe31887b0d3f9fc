"""How property tests draw their cases: replayed in `make test`, explored in `make fuzz`.

`make test` is deterministic on every machine, with or without `CI` set: hypothesis is
derandomized (each test draws the same sequence of cases everywhere) and keeps no database, so a
run passes or fails on the code, never on the luck of the draw. `make fuzz` (NETWRIGHT_FUZZ=1)
explores instead: fresh random cases, FUZZ_FACTOR times as many, failures remembered in
.hypothesis/. Every case it finds becomes an `@example` on its test, so `make test` replays it.
"""

from __future__ import annotations

import os

from hypothesis import settings

FUZZING = bool(os.environ.get("NETWRIGHT_FUZZ"))
FUZZ_FACTOR = 20

settings.register_profile("replay", derandomize=True, database=None, print_blob=True)
settings.register_profile(
    "fuzz", derandomize=False, print_blob=True, max_examples=100 * FUZZ_FACTOR
)
settings.load_profile("fuzz" if FUZZING else "replay")


def examples(n: int) -> int:
    """`n` cases in `make test`; FUZZ_FACTOR times as many in `make fuzz`."""
    return n * FUZZ_FACTOR if FUZZING else n
