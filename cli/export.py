"""`main.py export`: write the model (and optionally a training script) for a project file.

Failures are one line on stderr: exit 2 when a file cannot be read or written, 1 when the
drawing or its training settings have errors (the first is named; `check` lists them all).
"""

from __future__ import annotations

import argparse
import keyword
import os
import sys
from pathlib import Path

from cli.errors import EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE, fail
from codegen.model_gen import CodegenError, generate_model
from graph import ProjectFileError, load_project
from i18n import localize, message_of, msg
from recipe.settings import read_training
from runtime.code_runner import apply_trust

# modules the exported script imports: a model file of that name would be imported instead
_SHADOWED = {"torch", "numpy", "sklearn", "PIL", "model_gen"} | set(sys.stdlib_module_names)


def run_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return fail(message_of(exc), EXIT_UNREADABLE)
    apply_trust(project, args.trust)
    out = Path(args.output)
    refused = _refused_output(Path(args.file), out, args.train_script)
    if refused:
        return fail(refused, EXIT_FAILED)
    report = project.validate()
    if not report.valid:
        errors = report.errors
        count = len(errors) - 1
        more = msg(" (and {count} more; see `check`)", count=count) if count else ""
        return fail(
            msg(
                "{file}: cannot export, the drawing has errors: {message}{more}",
                file=args.file,
                message=errors[0].message,
                more=more,
            )
        )
    if args.train_script:
        _, problems = read_training(project.training, str(Path(args.file).resolve().parent))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            return fail(
                msg(
                    "{file}: cannot export, {field}: {message}",
                    file=args.file,
                    field=errors[0].location,
                    message=errors[0].message,
                )
            )
    try:
        model = generate_model(project, report)
    except CodegenError as exc:
        return fail(msg("{file}: cannot export: {error}", file=args.file, error=exc))
    try:
        out.write_text(model.source, encoding="utf-8")
        if args.train_script:
            from codegen.train_script import generate_train_script

            script = generate_train_script(project, model, model_module=out.stem)
            Path(args.train_script).write_text(script, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = exc.filename or out
        return fail(
            msg("cannot write {path}: {reason}", path=where, reason=reason), EXIT_UNREADABLE
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
    return EXIT_OK


def _refused_output(project: Path, out: Path, script: str | None) -> str | None:
    """Why these output paths are refused, or None: never overwrite the project with Python,
    never write a model file the training script could not import."""
    targets = [out] + ([Path(script)] if script else [])
    for target in targets:
        if _same_file(target, project):
            return msg(
                "{path}: refusing to overwrite the project file itself; choose another name",
                path=target,
            )
    if script and _same_file(Path(script), out):
        return msg(
            "{path}: the training script and the model need two different files", path=script
        )
    if out.suffix != ".py":
        return msg("{path}: the model file must end in .py", path=out)
    if script:
        module = out.stem
        if keyword.iskeyword(module) or module in _SHADOWED:
            return msg(
                "{path}: the training script could not import a module named '{module}' "
                "(a Python keyword or a module it uses); choose another name",
                path=out,
                module=module,
            )
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
