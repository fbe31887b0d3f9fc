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
from i18n import localize, message_of, msg
from runtime.code_runner import apply_trust
from runtime.formats import ExportFailed, export_program, exportable, write_onnx, write_torchscript


def run_format_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return _fail(message_of(exc), 2)
    apply_trust(project, getattr(args, "trust", False))
    report = project.validate()
    if not report.valid:
        first = report.errors[0].message
        return _fail(
            msg(
                "{file}: cannot export, the drawing has errors: {message}",
                file=args.file,
                message=first,
            ),
            1,
        )
    import torch

    try:
        item = exportable(project)
        program = None
        if args.exported_program or args.onnx:
            program = export_program(item)
        if args.exported_program:
            torch.export.save(program, args.exported_program)
            print(
                localize(
                    msg("wrote {path} (torch.export ExportedProgram)", path=args.exported_program)
                )
            )
        if args.onnx:
            write_onnx(item, Path(args.onnx), program)
            print(localize(msg("wrote {path} (ONNX)", path=args.onnx)))
        if args.torchscript:
            how = write_torchscript(item, Path(args.torchscript))
            kind = msg("scripted") if how == "scripted" else msg("traced")
            print(
                localize(msg("wrote {path} (TorchScript, {how})", path=args.torchscript, how=kind))
            )
    except ExportFailed as exc:
        return _fail(msg("{file}: {problem}", file=args.file, problem=message_of(exc)), 1)
    except OSError as exc:
        return _fail(
            msg("cannot write {path}: {why}", path=exc.filename or "", why=exc.strerror or exc), 2
        )
    return 0


def _fail(message: str, code: int) -> int:
    text = " ".join(localize(message).splitlines())
    print(localize(msg("error: {message}", message=text)), file=sys.stderr)
    return code
