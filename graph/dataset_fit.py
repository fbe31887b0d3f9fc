"""Does the network fit its dataset? The Input against the samples, the Output against the targets.

Checked with the drawing, not when training starts: a learner who forgot a Flatten sees the
problem on the Output (and the layer that feeds it) while drawing, instead of a training error
that marks no node.
"""

from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, Any

from graph.datasets import DatasetInfo, describe
from graph.messages import title
from graph.model_types import Node
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem, Report
from graph.tensor import Shape, format_shape
from i18n import msg

if TYPE_CHECKING:
    from graph.project import Project

DATASET_INPUT = ProblemCode.DATASET_INPUT
DATASET_OUTPUT = ProblemCode.DATASET_OUTPUT

# Params that set how many values a layer produces, by layer type.
SIZE_PARAMS = ("out_features", "out_channels", "hidden_size", "num_classes", "embedding_dim")


def input_node(nodes: list[Node]) -> Node | None:
    """The network's one Input (the recipe feeds one tensor); None when there are several."""
    inputs = [n for n in nodes if n.type == "Input"]
    return inputs[0] if len(inputs) == 1 else None


def output_node(nodes: list[Node]) -> Node | None:
    outputs = [n for n in nodes if n.type == "Output"]
    return outputs[0] if len(outputs) == 1 else None


def expected_output(info: DatasetInfo, training: dict[str, Any]) -> tuple[Shape, ...] | None:
    """The output shapes the recipe can train against this dataset (first: the usual one)."""
    if info.task == "classification" and info.num_classes:
        shapes: tuple[Shape, ...] = ((info.num_classes,),)
        loss = str(training.get("loss") or "").lower().replace("_", "")
        if info.num_classes == 2 and loss.startswith("bce"):
            shapes = ((1,), *shapes)  # one logit for two classes
        return shapes
    if info.task == "regression" and info.target_shape:
        return (info.target_shape,)
    return None


def dataset_problems(
    nodes: list[Node],
    reports: dict[str, NodeReport],
    feeders: dict[str, Node],
    info: DatasetInfo,
    training: dict[str, Any],
) -> list[Problem]:
    """Problems of the drawing against `info`; `feeders` maps a node id to the node wired
    into its first input."""
    problems: list[Problem] = []
    inp = input_node(nodes)
    if inp is not None and info.sample_shape is not None and not info.follows_input:
        shape = _shape_of(reports.get(inp.id), output=True)
        if shape is not None and prod(shape) != prod(info.sample_shape):
            fits = " or ".join(format_shape(s) for s in (info.sample_shape, *info.fits_input))
            problems.append(
                Problem(
                    "error",
                    DATASET_INPUT,
                    msg(
                        "{node} has shape {shape} ({count} values), but the samples of dataset "
                        "'{dataset}' are {sample} ({sample_count} values); an Input of {fits} "
                        "would fit",
                        node=title(inp),
                        shape=format_shape(shape),
                        count=prod(shape),
                        dataset=info.name,
                        sample=format_shape(info.sample_shape),
                        sample_count=prod(info.sample_shape),
                        fits=fits,
                    ),
                    inp.id,
                    None,
                    "shape",
                )
            )
    out = output_node(nodes)
    wanted = expected_output(info, training)
    if out is None or wanted is None:
        return problems
    got = _shape_of(reports.get(out.id), output=False)
    if got is None or _fits(got, wanted, info):
        return problems
    if info.task == "classification":
        need = msg(
            "the dataset '{dataset}' has {classes} classes, so the network's output must be "
            "{wanted} (one score per class)",
            dataset=info.name,
            classes=info.num_classes,
            wanted=format_shape(wanted[-1]),
        )
    else:
        need = msg(
            "the targets of dataset '{dataset}' are {wanted} ({count} values)",
            dataset=info.name,
            wanted=format_shape(wanted[0]),
            count=prod(wanted[0]),
        )
    problems.append(
        Problem(
            "error",
            DATASET_OUTPUT,
            msg(
                "{node} receives {shape}, but {need}",
                node=title(out),
                shape=format_shape(got),
                need=need,
            ),
            out.id,
            0,
        )
    )
    feeder = feeders.get(out.id)
    if feeder is not None and feeder.type not in ("Input",):
        param = next((p for p in SIZE_PARAMS if p in reports[feeder.id].resolved), None)
        problems.append(
            Problem(
                "error",
                DATASET_OUTPUT,
                msg(
                    "{node} produces {shape} for the network's output, but {need}",
                    node=title(feeder),
                    shape=format_shape(got),
                    need=need,
                ),
                feeder.id,
                None,
                param,
            )
        )
    return problems


def _fits(got: Shape, wanted: tuple[Shape, ...], info: DatasetInfo) -> bool:
    if info.task == "regression":
        # The recipe reshapes targets to the output when the value counts agree.
        return any(prod(got) == prod(w) for w in wanted)
    return got in wanted


def _shape_of(report: NodeReport | None, output: bool) -> Shape | None:
    if report is None:
        return None
    tensors = report.outputs if output else report.inputs
    if len(tensors) != 1 or tensors[0] is None:
        return None
    return tensors[0].shape


class DatasetCheck:
    """Adds the dataset's problems to a Project's report, re-reading the dataset's description
    only when the training settings (or the Input, which sincos follows) change."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._described: tuple[Any, DatasetInfo | None] | None = None
        self._last: tuple[Report, Any, Report] | None = None

    def info(self) -> DatasetInfo | None:
        project = self._project
        inp = input_node(project.nodes)
        shape = inp.params.get("shape") if inp is not None else None
        shape = tuple(shape) if isinstance(shape, list | tuple) else None
        training = project.training
        key = (repr(training.get("dataset")), repr(training.get("dataset_options")), shape)
        if self._described is None or self._described[0] != key:
            self._described = (key, describe(training, shape))
        return self._described[1]

    def apply(self, report: Report) -> Report:
        """`report` with the dataset's problems merged in (the same object when there are none)."""
        info = self.info()
        key = (info, self._project.training.get("loss"))
        if self._last is not None and self._last[0] is report and self._last[1] == key:
            return self._last[2]
        result = report
        if info is not None:
            project = self._project
            feeders = {}
            for node in project.nodes:
                if node.type == "Output":
                    wires = project.in_edges(node.id)
                    if len(wires) == 1:
                        feeders[node.id] = project.node(wires[0].source)
            found = dataset_problems(project.nodes, report.nodes, feeders, info, project.training)
            if found:
                result = _merged(project.nodes, report, found)
        self._last = (report, key, result)
        return result


def _merged(nodes: list[Node], report: Report, found: list[Problem]) -> Report:
    in_nodes = {id(p) for r in report.nodes.values() for p in r.problems}
    project_wide = [p for p in report.problems if id(p) not in in_nodes]
    reports = dict(report.nodes)
    for problem in found:
        r = reports[problem.node]
        reports[problem.node] = NodeReport(
            r.node_id, r.inputs, r.outputs, r.resolved, r.params, [*r.problems, problem]
        )
    problems = [p for n in nodes for p in reports[n.id].problems]
    return Report(reports, report.order, problems + project_wide)
