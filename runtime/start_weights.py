"""Start from weights in a run: recipe/weights.py's loading, with the drawing's names.

Keys may be the generated code's (`fc1.weight`, `layer1_0.conv1.weight` inside a block instance)
or, for an imported model, the original model's (`layer1.0.conv1.weight`, renamed through each
node's path); what does not fit is listed by node (`Linear 'head'`), as the drawing names it.

A run on several processes loads its start weights in the exported script, which knows nothing
of the drawing: `write_group_weights` fits the file here first (renamed, listed by node, refused
in one line as above) and writes what fits, named as the generated code names it, for the
script's `--weights`; every process loads that one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from codegen import GENERATED_FILENAME, GeneratedModel
from graph import Project, project_from_dict
from importer.weights import translate_state_dict
from recipe.weights import StartWeightsError, WeightsFit, read_state_dict, start_from_weights

__all__ = [
    "GroupWeights",
    "StartWeightsError",
    "StartedFrom",
    "load_start_weights",
    "read_state_dict",
    "write_group_weights",
]


@dataclass
class StartedFrom:
    """What loading a weights file did: a note for the run, and warnings by node."""

    note: str
    lines: list[str]
    loaded: list[str] = field(default_factory=list)  # the module's keys the file set


def load_start_weights(
    module: torch.nn.Module,
    project: Project,
    code: GeneratedModel,
    path: str | Path,
    strict: bool = False,
) -> StartedFrom:
    """Load the file at `path` into `module`; what did not fit is listed by node.

    Raises StartWeightsError when nothing fits, or (strict) when anything does not.
    """
    state = read_state_dict(path)
    translation = translate_state_dict(project, code.attributes, state, code.block_attributes)
    owners = _Owners(project, code)
    loaded = list(WeightsFit(module.state_dict(), translation.state_dict).fitting)
    note, lines = start_from_weights(
        module, translation.state_dict, path, strict, owners.of, translation.unmatched
    )
    return StartedFrom(note, lines, loaded)


@dataclass
class GroupWeights:
    """What fitting start weights for a run on several processes needs (plain data: it may be
    sent to another process)."""

    project: dict[str, Any]  # project_to_dict of the drawing the script was written from
    code: GeneratedModel  # its generated model, as written to the run folder
    seed: int
    path: str  # the file chosen
    strict: bool
    out: str  # where the tensors that fit are written, for the script's --weights


def write_group_weights(job: GroupWeights) -> StartedFrom:
    """Fit the file to the generated module and write the tensors that fit to `job.out`.

    Raises StartWeightsError as load_start_weights does, or when the module cannot be built.
    """
    namespace: dict[str, Any] = {"__name__": "netwright_model"}  # as the run builds it
    try:
        exec(compile(job.code.source, GENERATED_FILENAME, "exec"), namespace)
        torch.manual_seed(job.seed)
        module = namespace[job.code.class_name]()
    except Exception as exc:  # the run itself would fail the same way; say it here, once
        lines = str(exc).strip().splitlines()
        raise StartWeightsError(
            "cannot build the network to fit {path} to it: {reason}",
            path=job.path,
            reason=lines[0] if lines else type(exc).__name__,
        ) from None
    project = project_from_dict(job.project)
    started = load_start_weights(module, project, job.code, job.path, job.strict)
    own = module.state_dict()
    torch.save({key: own[key] for key in started.loaded}, job.out)
    return started


class _Owners:
    """Which node a parameter name of the generated module belongs to (longest attribute)."""

    def __init__(self, project: Project, code: GeneratedModel) -> None:
        self.project = project
        self.by_attr = {attr: node_id for node_id, attr in code.attributes.items()}

    def of(self, key: str) -> str:
        parts = key.split(".")
        for end in range(len(parts) - 1, 0, -1):
            node_id = self.by_attr.get(".".join(parts[:end]))
            if node_id is not None and self.project.has_node(node_id):
                node = self.project.node(node_id)
                return f"{node.type} '{node.name}'"
        return ".".join(parts[:-1]) or key
