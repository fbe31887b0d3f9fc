"""Start from weights: a saved state_dict loaded into the drawing's module before training.

The file is read with `torch.load(weights_only=True)`, so it cannot run code. Its keys may be the
generated code's (`fc1.weight`) or, for an imported model, the original model's
(`layer1.0.conv1.weight`, renamed through each node's path). What fits is loaded; what does not is
listed by node, one line each, never as a traceback. A file that fits no layer at all is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from codegen import GeneratedModel
from graph import Project
from i18n import msg
from importer.weights import translate_state_dict


class StartWeightsError(ValueError):
    """The weights cannot be used at all; the message is one line."""


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a saved state_dict (also inside a {"state_dict": ...} or {"model": ...})."""
    try:
        data = torch.load(str(path), map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise StartWeightsError(msg("{path}: no such file", path=str(path))) from None
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StartWeightsError(
            msg(
                "{path}: not a weights file torch can load safely ({why})",
                path=str(path),
                why=first,
            )
        ) from None
    for wrapper in ("state_dict", "model"):
        if isinstance(data, dict) and isinstance(data.get(wrapper), dict):
            data = data[wrapper]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items()
    ):
        raise StartWeightsError(
            msg("{path}: holds no state_dict (names mapped to tensors)", path=str(path))
        )
    return data


def load_start_weights(
    module: torch.nn.Module, project: Project, code: GeneratedModel, path: str | Path
) -> list[str]:
    """Load what fits into `module`; the lines about what did not, grouped by node."""
    state = read_state_dict(path)
    translation = translate_state_dict(project, code.attributes, state)
    own = module.state_dict()
    node_of = {attr: node_id for node_id, attr in code.attributes.items()}
    fitting: dict[str, torch.Tensor] = {}
    mismatched: dict[str, list[str]] = {}
    for key, value in translation.state_dict.items():
        target = own.get(key)
        if target is None:
            translation.unmatched.append(key)
        elif tuple(target.shape) != tuple(value.shape):
            mismatched.setdefault(_owner(key), []).append(
                f"{key.rsplit('.', 1)[-1]} {_shape(value)} in the file, {_shape(target)} here"
            )
        else:
            fitting[key] = value
    if not fitting:
        raise StartWeightsError(
            msg(
                "{path}: none of its {count} tensors fits a layer of this drawing",
                path=str(path),
                count=len(state),
            )
        )
    module.load_state_dict(fitting, strict=False)
    lines = []
    for attr, details in mismatched.items():
        node = project.node(node_of[attr]) if attr in node_of else None
        name = f"{node.type} '{node.name}'" if node else attr
        lines.append(
            msg("{node} keeps its own weights: {details}", node=name, details="; ".join(details))
        )
    missing = _by_owner(k for k in own if k not in fitting and _owner(k) not in mismatched)
    for attr, names in missing.items():
        node = project.node(node_of[attr]) if attr in node_of else None
        name = f"{node.type} '{node.name}'" if node else attr
        lines.append(msg("{node} is not in the file: {names}", node=name, names=", ".join(names)))
    for owner, names in _by_owner(translation.unmatched).items():
        lines.append(
            msg("the file's {owner} matches no node: {names}", owner=owner, names=", ".join(names))
        )
    return lines


def _owner(key: str) -> str:
    return key.rsplit(".", 1)[0] if "." in key else ""


def _by_owner(keys: Any) -> Mapping[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key in keys:
        grouped.setdefault(_owner(key), []).append(key.rsplit(".", 1)[-1])
    return grouped


def _shape(t: torch.Tensor) -> str:
    return "[" + ", ".join(str(d) for d in t.shape) + "]"
