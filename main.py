"""Netwright's command line: the editor by default; `check`, `export` and `train` run headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_EXAMPLE = ROOT / "examples" / "lenet5.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netwright", description="Build PyTorch networks by drawing them."
    )
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="validate project files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"check", "export", "train"}
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        return _gui(argv)
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from graph.check_command import run_check

        return run_check(args.files, args.json)
    build_parser().print_help()
    return 2


def _gui(argv: list[str]) -> int:
    # Until the editor lands, show the example's check report.
    from graph.check_command import run_check

    return run_check([argv[0] if argv else str(DEFAULT_EXAMPLE)], False)


if __name__ == "__main__":
    sys.exit(main())
