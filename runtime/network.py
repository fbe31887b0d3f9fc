"""The trained network is the exported one: codegen's source, compiled and instantiated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from codegen import GENERATED_FILENAME, GeneratedModel, generate_model
from graph import Project, Report
from graph.fileio import project_from_dict, project_to_dict
from graph.fix_finder import fixes_for
from graph.problem_codes import ProblemCode
from i18n import msg


class NetworkError(ValueError):
    """The drawing cannot be trained; `node_id` names the node at fault when known."""

    def __init__(
        self, message: str, node_id: str | None = None, path: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.node_id = node_id
        self.path = path  # inside a block: from node_id down to the inner node at fault


@dataclass
class Network:
    module: torch.nn.Module
    code: GeneratedModel
    report: Report
    input_node: str  # the one Input the datasets feed
    output_node: str

    @property
    def input_shape(self) -> list[int]:
        return list(self.report.nodes[self.input_node].outputs[0].shape)

    @property
    def output_shape(self) -> list[int]:
        """The shape reaching the Output node (batch left out)."""
        tensor = self.report.nodes[self.output_node].inputs[0]
        return list(tensor.shape) if tensor is not None else []

    def last_layer(self, project: Project) -> str | None:
        """The id of the node wired into the Output: the one that makes the output."""
        edges = project.in_edges(self.output_node)
        return edges[0].source if edges else None

    def last_layer_type(self, project: Project) -> str | None:
        """The type of the node wired into the Output (Softmax, LogSoftmax, Linear...)."""
        last = self.last_layer(project)
        return project.node(last).type if last is not None else None

    def node_for_exception(self, exc: BaseException) -> str | None:
        return self.code.node_for_exception(exc)

    def path_for_exception(self, exc: BaseException) -> list[str]:
        """From the top-level node (an instance) down to the node inside its block."""
        return self.code.path_for_exception(exc)


# The settings the drawing is checked against (graph/dataset_fit.py): what is fed and what is
# compared with the output.
FIT_SETTINGS = ("dataset", "dataset_options", "loss")


def project_for_run(project: Project, training: dict[str, Any]) -> Project:
    """The project as a run with `training` sees it.

    A run may feed another dataset or use another loss than the project's own settings
    (`train --dataset moons`). The drawing is checked against what the run will feed before a
    single weight is allocated: an Input of 300,000,000 values against digits must fail in
    milliseconds, naming the Input, not after building the weights. The user's project is left
    untouched; the copy has the same node ids, so problems still point at the drawn nodes.
    """
    if all(project.training.get(k) == training.get(k) for k in FIT_SETTINGS):
        return project
    copy = project_from_dict(project_to_dict(project))
    copy.set_code_runner(project.code_runner)  # trusted code stays trusted in the copy
    copy.set_training({**project.training, **training})
    return copy


def check_trainable(project: Project) -> Report:
    """The validation report of a drawing that can be trained; NetworkError (naming the node at
    fault and the fix the editor would offer) when it cannot. Cheap: nothing is allocated."""
    report = project.validate()
    if not report.valid:
        # The drawing's own errors first: whether it fits the data is worth fixing only then.
        fit = (ProblemCode.DATASET_INPUT, ProblemCode.DATASET_OUTPUT)
        first = min(report.errors, key=lambda p: p.code in fit)
        count = len(report.errors) - 1
        more = msg(" (and {count} more)", count=count) if count else ""
        # The same one-click fix the editor offers (tried on a copy), so that a learner who
        # forgot a Flatten is told to add one, not only what does not fit.
        fixes = fixes_for(project, first, limit=1)
        hint = msg("; to fix it: {fix}", fix=fixes[0].title) if fixes else ""
        raise NetworkError(
            msg(
                "the drawing has errors: {message}{more}{hint}",
                message=first.message,
                more=more,
                hint=hint,
            ),
            first.node,
        )
    inputs = [n.id for n in project.nodes if n.type == "Input"]
    outputs = [n.id for n in project.nodes if n.type == "Output"]
    if len(inputs) != 1:
        raise NetworkError(
            msg(
                "training needs exactly one Input node; this network has {count}", count=len(inputs)
            )
        )
    if len(outputs) != 1:
        raise NetworkError(
            msg(
                "training needs exactly one Output node; this network has {count}",
                count=len(outputs),
            )
        )
    return report


def build_network(project: Project, seed: int) -> Network:
    """Generate, compile and instantiate the project's module (weights seeded by `seed`)."""
    report = check_trainable(project)
    inputs = [n.id for n in project.nodes if n.type == "Input"]
    outputs = [n.id for n in project.nodes if n.type == "Output"]
    code = generate_model(project, report)
    namespace: dict[str, object] = {"__name__": "netwright_model"}  # user code may read it
    try:
        exec(compile(code.source, GENERATED_FILENAME, "exec"), namespace)
        torch.manual_seed(seed)
        module = namespace[code.class_name]()
    except Exception as exc:  # a layer torch refuses to build: name its node
        node = code.node_for_exception(exc)
        path = code.path_for_exception(exc)
        inner = tuple(path) if len(path) > 1 else ()
        raise NetworkError(describe_failure(exc, node, project, path), node, inner) from None
    if not isinstance(module, torch.nn.Module):
        raise NetworkError(
            msg("the generated class {class_name} is not an nn.Module", class_name=code.class_name)
        )
    return Network(module, code, report, inputs[0], outputs[0])


def exception_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its kind when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def describe_failure(
    exc: BaseException, node_id: str | None, project: Project, path: list[str] | None = None
) -> str:
    """One line about an exception raised by the network, naming its node when known (and,
    inside a block, the path down to the inner node: `layer2.conv1`)."""
    text = exception_line(exc)
    if node_id is None:
        return f"{type(exc).__name__}: {text}"
    node = project.node(node_id)
    if path and len(path) > 1:
        return msg(
            "{type} '{name}' failed at {path}: {error}",
            type=node.type,
            name=node.name,
            path=".".join(path),
            error=text,
        )
    return msg("{type} '{name}' failed: {error}", type=node.type, name=node.name, error=text)
