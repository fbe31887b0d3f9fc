"""`main.py import SOURCE -o project.json --input-shape 3,224,224`: a model's code -> a drawing.

Importing runs the source's code (its module level and constructor): the command says so on
stderr before it does. Failures are one line: exit 2 for bad arguments or files, 1 when the model
cannot be imported.
"""

from __future__ import annotations

import argparse
import json
import sys

from graph import save_project
from graph.messages import one_line
from i18n import localize, message_of, msg
from importer import DTYPES, ImportFailed, import_model


def add_import_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import",
        help=msg("turn a PyTorch model (file.py:Name or torchvision:name) into a drawing"),
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help=msg("file.py:ClassName, file.py:function, torchvision:resnet18"),
    )
    parser.add_argument("-o", "--output", required=True, metavar="PROJECT_JSON")
    parser.add_argument(
        "--input-shape",
        action="append",
        required=True,
        metavar="C,H,W",
        help=msg("an input's shape without the batch; once per input"),
    )
    parser.add_argument(
        "--dtype", action="append", choices=DTYPES, help=msg("an input's dtype; once per input")
    )
    parser.add_argument(
        "--args", metavar="JSON", help=msg('constructor arguments, e.g. {{"num_classes": 10}}')
    )


def run_import(args: argparse.Namespace) -> int:
    try:
        shapes = [parse_shape(text) for text in args.input_shape]
        kwargs = parse_kwargs(args.args)
    except ValueError as exc:
        return _fail(message_of(exc), 2)
    note = msg("note: importing {source} runs its Python code", source=args.source)
    print(localize(note), file=sys.stderr)
    try:
        result = import_model(args.source, shapes, args.dtype, kwargs)
    except ImportFailed as exc:
        return _fail(message_of(exc), 1)
    for text in result.notes:
        print(localize(msg("note: {message}", message=text)), file=sys.stderr)
    try:
        save_project(result.project, args.output)
    except OSError as exc:
        why = exc.strerror or str(exc)
        return _fail(msg("cannot write {path}: {why}", path=args.output, why=why), 2)
    nodes = len(result.project.nodes)
    blocks = len(result.project.blocks)
    if blocks:
        made = msg("{nodes} nodes, {blocks} blocks", nodes=nodes, blocks=blocks)
    else:
        made = msg("{nodes} nodes", nodes=nodes)
    print(localize(msg("wrote {path} ({made})", path=args.output, made=made)))
    return 0


def parse_shape(text: str) -> tuple[int, ...]:
    """`3,224,224` -> (3, 224, 224); ValueError with one line when it is not that."""
    try:
        shape = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ValueError(
            msg("--input-shape {text}: give whole numbers separated by commas", text=repr(text))
        ) from None
    if any(v < 1 for v in shape):
        raise ValueError(msg("--input-shape {text}: every size must be 1 or more", text=repr(text)))
    return shape


def parse_kwargs(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(msg("--args is not valid JSON ({why})", why=exc.msg)) from None
    if not isinstance(value, dict):
        raise ValueError(msg("--args must be a JSON object of constructor arguments"))
    return value


def _fail(message: str, code: int) -> int:
    """`error: …` in one line on stderr (the import worker's caller reads that line)."""
    line = msg("error: {message}", message=one_line(localize(message)))
    print(localize(line), file=sys.stderr)
    return code
