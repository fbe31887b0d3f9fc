"""`main.py export`: write the model (and optionally a training script) for a project file."""

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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        model = generate_model(project)
    except CodegenError as exc:
        print(f"error: {args.file}: cannot export, {exc}", file=sys.stderr)
        return 1
    out = Path(args.output)
    try:
        out.write_text(model.source, encoding="utf-8")
        if args.train_script:
            from codegen.train_script import generate_train_script

            script = generate_train_script(project, model, model_module=out.stem)
            Path(args.train_script).write_text(script, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(
        f"wrote {out} ({model.class_name})"
        + (f" and {args.train_script}" if args.train_script else "")
    )
    return 0
