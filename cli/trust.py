"""`--trust`: whether `check`, `export` and `train` may run a project's Code nodes.

Without it a project's code never runs, and its Code nodes are reported unchecked (exit 1);
with it runtime/code_runner.apply_trust gives the project the command's warm worker.
"""

from __future__ import annotations

import argparse

from i18n import msg


def add_trust_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trust",
        action="store_true",
        help=msg(
            "run the project's Code nodes (your own Python layers); without it they are not "
            "run and are reported unchecked"
        ),
    )
