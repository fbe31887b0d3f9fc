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
from importer import DTYPES, ImportFailed, import_model

RUNS_CODE_NOTE = "note: importing {source} runs its Python code"


def add_import_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import", help="turn a PyTorch model (file.py:Name or torchvision:name) into a drawing"
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="file.py:ClassName, file.py:function, torchvision:resnet18"
    )
    parser.add_argument("-o", "--output", required=True, metavar="PROJECT_JSON")
    parser.add_argument(
        "--input-shape",
        action="append",
        required=True,
        metavar="C,H,W",
        help="an input's shape without the batch; once per input",
    )
    parser.add_argument(
        "--dtype", action="append", choices=DTYPES, help="an input's dtype; once per input"
    )
    parser.add_argument(
        "--args", metavar="JSON", help='constructor arguments, e.g. {"num_classes": 10}'
    )


def run_import(args: argparse.Namespace) -> int:
    try:
        shapes = [parse_shape(text) for text in args.input_shape]
        kwargs = parse_kwargs(args.args)
    except ValueError as exc:
        return _fail(str(exc), 2)
    print(RUNS_CODE_NOTE.format(source=args.source), file=sys.stderr)
    try:
        result = import_model(args.source, shapes, args.dtype, kwargs)
    except ImportFailed as exc:
        return _fail(str(exc), 1)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    try:
        save_project(result.project, args.output)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}", 2)
    nodes = len(result.project.nodes)
    blocks = len(result.project.blocks)
    made = f"{nodes} nodes, {blocks} blocks" if blocks else f"{nodes} nodes"
    print(f"wrote {args.output} ({made})")
    return 0


def parse_shape(text: str) -> tuple[int, ...]:
    """`3,224,224` -> (3, 224, 224); ValueError with one line when it is not that."""
    try:
        shape = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ValueError(
            f"--input-shape {text!r}: give whole numbers separated by commas"
        ) from None
    if any(v < 1 for v in shape):
        raise ValueError(f"--input-shape {text!r}: every size must be 1 or more")
    return shape


def parse_kwargs(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--args is not valid JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ValueError("--args must be a JSON object of constructor arguments")
    return value


def _fail(message: str, code: int) -> int:
    print(f"error: {' '.join(message.splitlines())}", file=sys.stderr)
    return code
