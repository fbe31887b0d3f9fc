"""Weights across the round trip: the imported model's state_dict keys -> the drawing's code.

An imported node remembers its module's path in the original model (`torch_path`); the code
Netwright writes names the same layer after the node. Translating the keys lets the original
weights load, strictly, into the generated module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph import Project
from importer.build import PATH_KEY


@dataclass
class Translation:
    state_dict: dict[str, Any] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # keys no node claims


def translate_state_dict(
    project: Project, attributes: Mapping[str, str], state_dict: Mapping[str, Any]
) -> Translation:
    """Rename `layer1.0.conv1.weight` to the generated `layer1_0_conv1.weight`.

    `attributes` is codegen's node id -> attribute map. Keys already named as the generated code
    names them pass unchanged, so a state_dict saved from the generated module loads too.
    """
    prefixes: dict[str, str] = {}
    for node in project.nodes:
        path = node.extra.get(PATH_KEY)
        attr = attributes.get(node.id)
        if isinstance(path, str) and attr is not None:
            prefixes[path + "."] = attr + "."
    known = {attr + "." for attr in attributes.values()}
    out = Translation()
    for key, value in state_dict.items():
        new = _renamed(key, prefixes, known)
        if new is None:
            out.unmatched.append(key)
        else:
            out.state_dict[new] = value
    return out


def _renamed(key: str, prefixes: Mapping[str, str], known: set[str]) -> str | None:
    head, _, leaf = key.rpartition(".")
    owner = head + "."
    if owner in prefixes:
        return prefixes[owner] + leaf
    if owner in known:
        return key
    return None
