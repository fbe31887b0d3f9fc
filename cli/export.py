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
from recipe.settings import read_training

# modules the exported script imports: a model file of that name would be imported instead
_SHADOWED = {"torch", "numpy", "sklearn", "PIL", "model_gen"} | set(sys.stdlib_module_names)


def run_export(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return fail(str(exc), EXIT_UNREADABLE)
    out = Path(args.output)
    refused = _refused_output(Path(args.file), out, args.train_script)
    if refused:
        return fail(refused, EXIT_FAILED)
    report = project.validate()
    if not report.valid:
        errors = report.errors
        more = f" (and {len(errors) - 1} more; see `check`)" if len(errors) > 1 else ""
        first = errors[0].message
        return fail(f"{args.file}: cannot export, the drawing has errors: {first}{more}")
    if args.train_script:
        _, problems = read_training(project.training, str(Path(args.file).resolve().parent))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            return fail(f"{args.file}: cannot export, {errors[0].location}: {errors[0].message}")
    try:
        model = generate_model(project, report)
    except CodegenError as exc:
        return fail(f"{args.file}: cannot export: {exc}")
    try:
        out.write_text(model.source, encoding="utf-8")
        if args.train_script:
            from codegen.train_script import generate_train_script

            script = generate_train_script(project, model, model_module=out.stem)
            Path(args.train_script).write_text(script, encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write {exc.filename or out}: {exc.strerror or exc}", EXIT_UNREADABLE)
    print(
        f"wrote {out} ({model.class_name})"
        + (f" and {args.train_script}" if args.train_script else "")
    )
    return EXIT_OK


def _refused_output(project: Path, out: Path, script: str | None) -> str | None:
    """Why these output paths are refused, or None: never overwrite the project with Python,
    never write a model file the training script could not import."""
    targets = [out] + ([Path(script)] if script else [])
    for target in targets:
        if _same_file(target, project):
            return f"{target}: refusing to overwrite the project file itself; choose another name"
    if script and _same_file(Path(script), out):
        return f"{script}: the training script and the model need two different files"
    if out.suffix != ".py":
        return f"{out}: the model file must end in .py"
    if script:
        module = out.stem
        if keyword.iskeyword(module) or module in _SHADOWED:
            return (
                f"{out}: the training script could not import a module named '{module}' "
                "(a Python keyword or a module it uses); choose another name"
            )
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
