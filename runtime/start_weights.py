"""Start from weights in a run: recipe/weights.py's loading, with the drawing's names.

Keys may be the generated code's (`fc1.weight`, `layer1_0.conv1.weight` inside a block instance)
or, for an imported model, the original model's (`layer1.0.conv1.weight`, renamed through each
node's path); what does not fit is listed by node (`Linear 'head'`), as the drawing names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from codegen import GeneratedModel
from graph import Project
from importer.weights import translate_state_dict
from recipe.weights import StartWeightsError, read_state_dict, start_from_weights

__all__ = ["StartWeightsError", "StartedFrom", "load_start_weights", "read_state_dict"]


@dataclass
class StartedFrom:
    """What loading a weights file did: a note for the run, and warnings by node."""

    note: str
    lines: list[str]


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
    note, lines = start_from_weights(
        module, translation.state_dict, path, strict, owners.of, translation.unmatched
    )
    return StartedFrom(note, lines)


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
