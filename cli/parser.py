"""The command line's grammar: `check`, `export` and `train`, every option with its help.

The training options are made from the settings schema (recipe.settings), so their names,
types, choices and help are the ones the GUI form, `check` and the exported script use.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from cli.errors import EXIT_UNREADABLE, fail
from cli.trust import add_trust_flag
from recipe.settings import SETTINGS, Setting, bounds


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error (the usage is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        fail(f"{self.prog}: {message}", EXIT_UNREADABLE)
        sys.exit(EXIT_UNREADABLE)


def setting_help(s: Setting) -> str:
    """The --help text of a setting's option: its sentence, its choices or range, its default."""
    parts = [s.help]
    if s.choices:
        parts.append("one of " + ", ".join(str(v) for v in s.values if v is not None))
    elif s.kind in ("int", "float") and (s.low is not None or s.high is not None):
        parts.append(bounds(s))
    return "; ".join(parts) + f" (default: the project file's value, else {default_text(s)})"


def default_text(s: Setting) -> str:
    """A setting's default in words: `0.001`, `off`, `the task's default`."""
    if s.default is None:
        return "the task's default" if s.kind == "choice" else "off"
    if isinstance(s.default, bool):
        return "on" if s.default else "off"
    return f"{s.default:g}" if isinstance(s.default, float) else str(s.default)


def _add_setting(parser: argparse.ArgumentParser, s: Setting) -> None:
    metavar = s.name.upper()
    if s.kind == "bool":
        parser.add_argument(s.option, action=argparse.BooleanOptionalAction, help=setting_help(s))
    elif s.kind in ("int", "float"):
        kind = int if s.kind == "int" else float
        parser.add_argument(s.option, type=kind, metavar=metavar, help=setting_help(s))
    else:
        parser.add_argument(s.option, metavar=metavar, help=setting_help(s))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netwright", description="Build PyTorch networks by drawing them.")
    parser.add_argument("--lang", metavar="LANG", help="language: en or zh_CN (default: $LANG)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="validate project files and their training settings")
    check.add_argument("files", nargs="+", metavar="FILE", help="project files (.json)")
    check.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    check.add_argument(
        "--fix", action="store_true", help="apply the first fix of each problem until none is left"
    )
    check.add_argument("-o", "--output", metavar="FIXED_JSON", help="where --fix writes the result")
    add_trust_flag(check)

    export = sub.add_parser("export", help="write the network as PyTorch code")
    export.add_argument("file", metavar="FILE", help="the project file (.json)")
    export.add_argument("-o", "--output", metavar="MODEL_PY", help="the model file to write (.py)")
    export.add_argument("--onnx", metavar="MODEL_ONNX", help="also write ONNX (torch.onnx)")
    export.add_argument("--torchscript", metavar="MODEL_PT", help="also write TorchScript")
    export.add_argument(
        "--exported-program", metavar="MODEL_PT2", help="also write a torch.export program"
    )
    export.add_argument(
        "--train-script",
        metavar="TRAIN_PY",
        help="also write a training script that imports the model file",
    )
    add_trust_flag(export)

    train = sub.add_parser(
        "train",
        help="train the network headless",
        description="Train a project's network. Options override the project file's "
        "`training` settings, which override the defaults.",
    )
    train.add_argument("file", metavar="FILE", help="the project file (.json)")
    for s in SETTINGS:
        if s.flag:
            _add_setting(train, s)
    train.add_argument(
        "--out", metavar="DIR", help="folder for weights and metrics (default: a new temp folder)"
    )
    train.add_argument(
        "--resume",
        metavar="DIR",
        help="continue the run saved in DIR (its state.pt); writes there unless --out is given",
    )
    train.add_argument(
        "--threads", type=int, metavar="N", help="CPU threads torch may use (default: all)"
    )
    train.add_argument("--json", action="store_true", help="end with one JSON summary line")
    add_trust_flag(train)
    from importer.import_command import add_import_parser

    add_import_parser(sub)
    return parser
