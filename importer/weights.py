"""Weights across the round trip: the imported model's state_dict keys -> the drawing's code.

An imported node remembers its module's path in the module that calls it (`torch_path`); the
code Netwright writes names the same layer after the node. Mostly the two agree (a submodule
becomes a block instance named as in the model, its layers named as in its class), so the keys
need no renaming (a layer in a ModuleList keeps its container: codegen.containers); where they
do not (a layer two containers deep, `stages.0.1` -> `stages_0_1`; an nn.Sequential's
children named `block 0` in a body drawn as more than a chain), the key is
renamed one level at a time, down through the block instances. Keys already named as the
generated code names them pass unchanged, so a state_dict saved from the generated module loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph import Project
from importer.naming import PATH_KEY


@dataclass
class Translation:
    state_dict: dict[str, Any] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # keys no node claims


def translate_state_dict(
    project: Project,
    attributes: Mapping[str, str],
    state_dict: Mapping[str, Any],
    block_attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> Translation:
    """Rename `layer1.0.conv1.weight` to the generated code's key for the same tensor.

    `attributes` is codegen's node id -> attribute map, `block_attributes` the same per block.
    """
    levels = _Levels(project, attributes, block_attributes or {})
    out = Translation()
    for key, value in state_dict.items():
        new = levels.rename(key)
        if new is None:
            out.unmatched.append(key)
        else:
            out.state_dict[new] = value
    return out


class _Levels:
    """Per drawing (the model's, each block's): its nodes by original path and by attribute."""

    def __init__(
        self,
        project: Project,
        attributes: Mapping[str, str],
        block_attributes: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.project = project
        self.block_attributes = block_attributes
        self._top = self._index(project, attributes)
        self._cache: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    @staticmethod
    def _index(
        drawing: Project, attributes: Mapping[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """(local name -> node id, node id -> attribute): by path first, then by attribute."""
        names: dict[str, str] = {}
        for node in drawing.nodes:
            path = node.extra.get(PATH_KEY)
            # a node calling another's layer again has that layer's path: the path is the first's
            if isinstance(path, str) and node.id in attributes and not node.shares:
                names[path] = node.id
        for node_id, attr in attributes.items():
            names.setdefault(attr, node_id)
        return names, dict(attributes)

    def _level(self, block: str) -> tuple[dict[str, str], dict[str, str]]:
        if block not in self._cache:
            definition = self.project.blocks.get(block)
            attrs = self.block_attributes.get(block, {})
            assert definition is not None
            self._cache[block] = self._index(definition.body, attrs)
        return self._cache[block]

    def rename(self, key: str) -> str | None:
        parts = key.split(".")
        names, attrs = self._top
        drawing = self.project
        out: list[str] = []
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                node_id = names.get(".".join(parts[start:end]))
                if node_id is not None:
                    break
            else:
                return None
            out.append(attrs[node_id])
            start = end
            block = self.project.blocks.get(drawing.node(node_id).type)
            if block is None:
                return ".".join(out + parts[start:])
            drawing = block.body
            names, attrs = self._level(block.name)
        return ".".join(out)
