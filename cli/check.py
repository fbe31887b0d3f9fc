"""`main.py check`: validate project files (the drawing and its `training` settings) and print a
table or JSON lines."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from cli.errors import json_safe
from graph.cost import deep_cost, format_bytes, format_macs, inner_costs, totals
from graph.fileio import ProjectFileError, load_project, save_project
from graph.fix_finder import fix_all, with_fixes
from graph.messages import printable
from graph.problem_codes import ProblemCode
from graph.project import Project
from graph.report import Report
from graph.tensor import format_shape
from i18n import display_width, localize, msg, pad
from recipe.settings import SettingProblem, read_training
from runtime.code_runner import apply_trust

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def run_check(
    files: list[str],
    as_json: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
    fix_to: str | None = None,
    trust: bool = False,
) -> int:
    """Check each file in order; the exit code is the worst outcome over all of them.

    With `as_json` every file gets its line on `out`, an unreadable one too (valid: false, its
    reason as the one error), so line i is always about file i. `out` and `err` default to the
    streams sys has at the call (not at import: a test capturing output replaces them).
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if fix_to is not None and len(files) != 1:
        print(localize(msg("error: --fix writes one fixed file: give exactly one FILE")), file=err)
        return EXIT_UNREADABLE
    worst = EXIT_VALID
    for path in files:
        try:
            project = load_project(path)
            apply_trust(project, trust)
            if fix_to is not None:
                for title in fix_all(project):
                    print(localize(msg("fixed: {title}", title=printable(title))), file=out)
                save_project(project, fix_to)
            report = project.validate()
            _, settings = read_training(project.training, os.path.dirname(os.path.abspath(path)))
            text = (
                json.dumps(_json(path, project, report, settings))
                if as_json
                else format_report(path, project, report, settings)
            )
        except ProjectFileError as exc:
            message = printable(localize(exc.args[0]))
        except OSError as exc:
            message = msg(
                "cannot write {path}: {reason}", path=printable(str(fix_to)), reason=exc.strerror
            )
        except Exception as exc:  # a bug of ours: still one line, never a traceback
            message = localize(
                msg(
                    "{path}: Netwright failed while checking it ({error}); please report this",
                    path=printable(path),
                    error=type(exc).__name__,
                )
            )
        else:
            print(text, file=out)
            if not report.valid or any(p.severity == "error" for p in settings):
                worst = max(worst, EXIT_INVALID)
            continue
        print(localize(msg("error: {message}", message=message)), file=err)
        if as_json:
            print(json.dumps(_unreadable_json(path, message)), file=out)
        worst = max(worst, EXIT_UNREADABLE)
    return worst


def _json(path: str, project: Project, report: Report, settings: list[SettingProblem]) -> dict:
    """The report's JSON (with costs and fixes) and the training problems (located by `field`)."""
    data = json_safe(
        {"file": path, **with_costs(project, report, with_fixes(project, report, report.to_json()))}
    )
    errors = [p.to_json() for p in settings if p.severity == "error"]
    warnings = [p.to_json() for p in settings if p.severity == "warning"]
    data["errors"] = data["errors"] + errors
    data["warnings"] = data["warnings"] + warnings
    data["valid"] = data["valid"] and not errors
    return data


def _unreadable_json(path: str, message: str) -> dict:
    return {
        "file": path,
        "valid": False,
        "total_params": 0,
        "nodes": {},
        "errors": [
            {
                "node": None,
                "port": None,
                "message": localize(message),
                "code": str(ProblemCode.UNREADABLE),
            }
        ],
        "warnings": [],
    }


def with_costs(project: Project, report: Report, data: dict) -> dict:
    """`report.to_json()` output with each node's `macs`, `activation_bytes` and
    `parameter_bytes` (one sample), and the totals."""
    for node in project.nodes:
        cost = deep_cost(project, node, report.nodes[node.id])
        if cost is not None:
            data["nodes"][node.id].update(
                macs=cost.macs,
                activation_bytes=cost.activation_bytes,
                parameter_bytes=cost.parameter_bytes,
            )
    for path, cost in inner_costs(project, report).items():
        if path in data.get("inner", {}):
            data["inner"][path].update(
                macs=cost.macs,
                activation_bytes=cost.activation_bytes,
                parameter_bytes=cost.parameter_bytes,
            )
    total = totals(project, report)
    data.update(
        total_macs=total.macs,
        total_activation_bytes=total.activation_bytes,
        total_parameter_bytes=total.parameter_bytes,
    )
    return data


def format_report(
    path: str, project: Project, report: Report, settings: list[SettingProblem] | None = None
) -> str:
    """A readable per-node table (name, type, output shape, params, MACs and activation memory
    for one sample), then the totals, the drawing's problems and the
    training settings' problems."""
    headers = (msg("name"), msg("type"), msg("output shape"), msg("params"), "MACs")
    rows = [(*(localize(h) for h in headers), localize(msg("activations")))]
    for node in project.nodes:
        r = report.nodes[node.id]
        shapes = r.output_shapes if r.outputs else r.input_shapes
        shape_text = "  ".join(format_shape(s) for s in shapes) or "-"
        cost = deep_cost(project, node, r)
        rows.append(
            (
                printable(node.name),
                printable(node.type),
                shape_text,
                f"{r.params:,}" if r.params else "-",
                format_macs(cost.macs) if cost and cost.macs else "-",
                format_bytes(cost.activation_bytes) if cost and r.outputs else "-",
            )
        )
    widths = [max(display_width(row[i]) for row in rows) for i in range(6)]
    lines = [f"{printable(path)}: {printable(project.name)}"]
    for i, row in enumerate(rows):
        cells = [pad(row[c], widths[c], right=c >= 3) for c in range(6)]
        lines.append("  " + "  ".join(cells).rstrip())
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    lines.append("  " + localize(msg("total parameters: {count:,}", count=report.total_params)))
    lines += ["  " + line for line in _cost_lines(project, report)]
    for p in report.problems:
        text = printable(localize(p.message))
        line = (
            msg("error: {message}", message=text)
            if p.severity == "error"
            else msg("warning: {message}", message=text)
        )
        lines.append("  " + localize(line))
    for p in settings or []:
        text = f"{p.location}: {printable(localize(p.message))}"
        line = (
            msg("error: {message}", message=text)
            if p.severity == "error"
            else msg("warning: {message}", message=text)
        )
        lines.append("  " + localize(line))
    errors = len(report.errors) + sum(p.severity == "error" for p in settings or [])
    verdict = msg("invalid: {count} error(s)", count=errors) if errors else msg("valid")
    lines.append("  " + localize(verdict))
    return "\n".join(lines)


def _cost_lines(project: Project, report: Report) -> list[str]:
    total = totals(project, report)
    lines = [
        localize(
            msg(
                "per sample: {macs} MACs, {activations} of activations, {weights} of parameters",
                macs=format_macs(total.macs),
                activations=format_bytes(total.activation_bytes),
                weights=format_bytes(total.parameter_bytes),
            )
        )
    ]
    training = project.training
    batch, optimizer = training.get("batch_size"), training.get("optimizer")
    if isinstance(batch, int) and batch > 0 and isinstance(optimizer, str):
        estimate = total.training_bytes(batch, optimizer.lower(), training.get("momentum", 0.9))
        lines.append(
            localize(
                msg(
                    "training memory for a batch of {batch} with {optimizer}: about {size}",
                    batch=batch,
                    optimizer=optimizer,
                    size=format_bytes(estimate),
                )
            )
        )
    return lines
