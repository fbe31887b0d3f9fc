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
from graph.messages import one_line
from i18n import localize, message_of, msg


def run_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return _fail(message_of(exc), 2)
    report = project.validate()
    if not report.valid:
        errors = report.errors
        count = len(errors) - 1
        more = msg(" (and {count} more; see `check`)", count=count) if count else ""
        return _fail(
            msg(
                "{file}: cannot export, the drawing has errors: {message}{more}",
                file=args.file,
                message=errors[0].message,
                more=more,
            ),
            1,
        )
    try:
        model = generate_model(project, report)
    except CodegenError as exc:
        return _fail(msg("{file}: cannot export: {error}", file=args.file, error=exc), 1)
    out = Path(args.output)
    try:
        out.write_text(model.source, encoding="utf-8")
        if args.train_script:
            from codegen.train_script import generate_train_script

            script = generate_train_script(project, model, model_module=out.stem)
            Path(args.train_script).write_text(script, encoding="utf-8")
    except OSError as exc:
        return _fail(
            msg(
                "cannot write {path}: {reason}",
                path=exc.filename or out,
                reason=exc.strerror or str(exc),
            ),
            2,
        )
    if args.train_script:
        done = msg(
            "wrote {path} ({name}) and {script}",
            path=out,
            name=model.class_name,
            script=args.train_script,
        )
    else:
        done = msg("wrote {path} ({name})", path=out, name=model.class_name)
    print(localize(done))
    return 0


def _fail(message: str, code: int) -> int:
    # labels and paths may hold line breaks and terminal escapes
    print(localize(msg("error: {message}", message=one_line(localize(message)))), file=sys.stderr)
    return code
