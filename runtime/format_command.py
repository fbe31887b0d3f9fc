"""`main.py export FILE --onnx m.onnx --torchscript m.pt --exported-program m.pt2`.

Runs after (or instead of) the Python export: the same drawing, written in the other formats.
Failures are one line on stderr: exit 2 for files, 1 for a drawing or format that cannot be
exported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph import ProjectFileError, load_project
from runtime.formats import ExportFailed, export_program, exportable, write_onnx, write_torchscript


def run_format_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return _fail(str(exc), 2)
    report = project.validate()
    if not report.valid:
        return _fail(
            f"{args.file}: cannot export, the drawing has errors: {report.errors[0].message}", 1
        )
    import torch

    try:
        item = exportable(project)
        program = None
        if args.exported_program or args.onnx:
            program = export_program(item)
        if args.exported_program:
            torch.export.save(program, args.exported_program)
            print(f"wrote {args.exported_program} (torch.export ExportedProgram)")
        if args.onnx:
            write_onnx(item, Path(args.onnx), program)
            print(f"wrote {args.onnx} (ONNX)")
        if args.torchscript:
            how = write_torchscript(item, Path(args.torchscript))
            print(f"wrote {args.torchscript} (TorchScript, {how})")
    except ExportFailed as exc:
        return _fail(f"{args.file}: {exc}", 1)
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or ''}: {exc.strerror or exc}", 2)
    return 0


def _fail(message: str, code: int) -> int:
    print(f"error: {' '.join(message.splitlines())}", file=sys.stderr)
    return code
