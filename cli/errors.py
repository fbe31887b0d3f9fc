"""How every command reports a failure: one printable `error:` line on stderr, and an exit code."""

from __future__ import annotations

import math
import sys
from typing import Any, TextIO

from graph.messages import one_line
from i18n import localize, msg

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130


def fail(message: str, code: int = EXIT_FAILED, err: TextIO | None = None) -> int:
    """Print `error: message` as one printable line, in the chosen language; return `code`."""
    line = localize(msg("error: {message}", message=one_line(localize(message))))
    print(line, file=err or sys.stderr, flush=True)
    return code


def json_safe(value: Any) -> Any:
    """`value` with every NaN or infinity made null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
