"""Suite-wide test settings."""

from __future__ import annotations

import os

from hypothesis import settings

# Locally every run explores new random cases; CI replays a fixed sequence, so a submission
# lands or fails on its own merits, not on the luck of the draw.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
