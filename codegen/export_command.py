"""`main.py export`: write the model (and optionally a training script) for a project file.

Failures are one line on stderr: exit 2 when a file cannot be read or written, 1 when the
drawing has errors (the first is named; `main.py check` lists them all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.model_gen import CodegenError, generate_model
from graph import ProjectFileError, load_project


def run_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return _fail(str(exc), 2)
    report = project.validate()
    if not report.valid:
        errors = report.errors
        more = f" (and {len(errors) - 1} more; see `check`)" if len(errors) > 1 else ""
        first = errors[0].message
        return _fail(f"{args.file}: cannot export, the drawing has errors: {first}{more}", 1)
    try:
        model = generate_model(project, report)
    except CodegenError as exc:
        return _fail(f"{args.file}: cannot export: {exc}", 1)
    out = Path(args.output)
    try:
        out.write_text(model.source, encoding="utf-8")
        if args.train_script:
            from codegen.train_script import generate_train_script

            script = generate_train_script(project, model, model_module=out.stem)
            Path(args.train_script).write_text(script, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or out}: {exc.strerror or exc}", 2)
    print(
        f"wrote {out} ({model.class_name})"
        + (f" and {args.train_script}" if args.train_script else "")
    )
    return 0


def _fail(message: str, code: int) -> int:
    one_line = " ".join(message.splitlines())  # labels and paths may hold line breaks
    print(f"error: {one_line}", file=sys.stderr)
    return code
