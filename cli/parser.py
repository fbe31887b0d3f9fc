"""The command line's grammar: `check`, `export` and `train`, every option with its help.

The training options are made from the settings schema (recipe.settings), so their names,
types, choices and help are the ones the GUI form, `check` and the exported script use.
Every text is an i18n message, shown in the language chosen by --lang or LANG; argparse's own
words ("usage:", "options", its errors) come from the same catalog (see speak_our_language).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

import i18n
from cli.errors import EXIT_UNREADABLE, fail
from cli.trust import add_trust_flag
from i18n import Message, display_width, localize, msg, term
from recipe.settings import (
    SETTINGS,
    STRICT_WEIGHTS_HELP,
    TENSORBOARD_HELP,
    WEIGHTS_HELP,
    Setting,
    bounds,
)


def speak_our_language() -> None:
    """argparse says its words through GNU gettext's `_` and `ngettext`, looked up when it says
    them: these answer from our catalog (which lists argparse's messages, i18n.catalogs) in the
    current language. English stays argparse's own text."""
    argparse._ = i18n.gettext  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Formatter(argparse.HelpFormatter):
    """Help and descriptions are messages, rendered in the language of the moment they show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return localize(action.help) if action.help else action.help

    def add_text(self, text: str | None) -> None:
        super().add_text(localize(text) if text else text)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(" ".join(text.split()), width))


# a word of Latin script with the spaces after it, or one character of any other script
_PIECE = re.compile(r"[\x00-\u02ff]+?(?:\s+|$)|[\x00-\u02ff]+?(?=[^\x00-\u02ff])|.", re.S)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns: Latin words stay whole, Chinese
    breaks between any two characters (which take two columns each)."""
    lines, line = [], ""
    for piece in _PIECE.findall(text):
        if line and display_width(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*lines, line.rstrip()] if line.strip() else lines


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error (the usage is one `--help` away)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        fail(msg("{prog}: {message}", prog=self.prog, message=message), EXIT_UNREADABLE)
        sys.exit(EXIT_UNREADABLE)


def setting_help(s: Setting) -> Message:
    """The --help text of a setting's option: its sentence, its choices or range, its default."""
    detail = None
    if s.choices:
        detail = msg("one of {values}", values=", ".join(str(v) for v in s.values if v is not None))
    elif s.kind in ("int", "float") and (s.low is not None or s.high is not None):
        detail = bounds(s)
    if detail is None:
        return msg(
            "{help} (default: the project file's value, else {default})",
            help=term(s.help),
            default=default_text(s),
        )
    return msg(
        "{help}; {detail} (default: the project file's value, else {default})",
        help=term(s.help),
        detail=detail,
        default=default_text(s),
    )


def default_text(s: Setting) -> str:
    """A setting's default in words: `0.001`, `off`, `the task's default`."""
    if s.default is None:
        return msg("the task's default") if s.kind == "choice" else msg("off")
    if isinstance(s.default, bool):
        return msg("on") if s.default else msg("off")
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
    speak_our_language()
    parser = _Parser(prog="netwright", description=msg("Build PyTorch networks by drawing them."))
    parser.add_argument(
        "--lang", metavar="LANG", help=msg("language: en or zh_CN (default: $LANG)")
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help=msg("validate project files and their training settings"))
    check.add_argument("files", nargs="+", metavar="FILE", help=msg("project files (.json)"))
    check.add_argument(
        "--json", action="store_true", help=msg("one JSON object per file, per line")
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help=msg("apply the first fix of each problem until none is left"),
    )
    check.add_argument(
        "-o", "--output", metavar="FIXED_JSON", help=msg("where --fix writes the result")
    )
    add_trust_flag(check)

    export = sub.add_parser("export", help=msg("write the network as PyTorch code"))
    export.add_argument("file", metavar="FILE", help=msg("the project file (.json)"))
    export.add_argument(
        "-o", "--output", metavar="MODEL_PY", help=msg("the model file to write (.py)")
    )
    export.add_argument("--onnx", metavar="MODEL_ONNX", help=msg("also write ONNX (torch.onnx)"))
    export.add_argument("--torchscript", metavar="MODEL_PT", help=msg("also write TorchScript"))
    export.add_argument(
        "--exported-program", metavar="MODEL_PT2", help=msg("also write a torch.export program")
    )
    export.add_argument(
        "--train-script",
        metavar="TRAIN_PY",
        help=msg("also write a training script that imports the model file"),
    )
    add_trust_flag(export)

    train = sub.add_parser(
        "train",
        help=msg("train the network headless"),
        description=msg(
            "Train a project's network. Options override the project file's `training` "
            "settings, which override the defaults."
        ),
    )
    train.add_argument("file", metavar="FILE", help=msg("the project file (.json)"))
    for s in SETTINGS:
        if s.flag:
            _add_setting(train, s)
    train.add_argument(
        "--out",
        metavar="DIR",
        help=msg(
            "folder for weights and metrics (default: a new folder in the project's run "
            "history, beside the project file)"
        ),
    )
    train.add_argument(
        "--resume",
        metavar="DIR",
        help=msg(
            "continue the run saved in DIR (its state.pt); writes there unless --out is given"
        ),
    )
    train.add_argument("--weights", metavar="STATE_DICT_PT", help=WEIGHTS_HELP)
    train.add_argument("--strict-weights", action="store_true", help=STRICT_WEIGHTS_HELP)
    train.add_argument("--tensorboard", metavar="DIR", help=TENSORBOARD_HELP)
    train.add_argument(
        "--nproc",
        type=int,
        metavar="N",
        help=msg(
            "train on N processes under torchrun --standalone (gloo on CPU, nccl on CUDA): the "
            "exported model and training script are written into the output folder and run there"
        ),
    )
    train.add_argument(
        "--find-lr",
        action="store_true",
        help=msg(
            "run the learning-rate range test instead of training and suggest a learning rate"
        ),
    )
    train.add_argument("--json", action="store_true", help=msg("end with one JSON summary line"))
    add_trust_flag(train)
    from importer.import_command import add_import_parser

    add_import_parser(sub)
    return parser
