"""Start from weights: a saved state_dict loaded into the drawing's module before training.

The file is read with `torch.load(weights_only=True)`, so it cannot run code. Its keys may be the
generated code's (`fc1.weight`, `layer1_0.conv1.weight` inside a block instance) or, for an
imported model, the original model's (`layer1.0.conv1.weight`, renamed through each node's path).
Partial (the default, fine-tuning): what fits is loaded and what does not is reported, one line
per node naming the parameters, never a traceback. Strict: anything that does not fit refuses
the file, in one line. A file that fits no layer at all is always refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    except IsADirectoryError:
        raise StartWeightsError(
            msg("{path}: is a folder, not a weights file", path=str(path))
        ) from None
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


@dataclass
class WeightsFit:
    """How a state_dict fits a module: what loads, and what does not, by parameter name."""

    fitting: dict[str, torch.Tensor] = field(default_factory=dict)
    mismatched: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # the module's, absent from the file
    unexpected: list[str] = field(default_factory=list)  # the file's, matching no parameter

    @property
    def complete(self) -> bool:
        return not (self.mismatched or self.missing or self.unexpected)


def fit_state_dict(
    module: torch.nn.Module,
    project: Project,
    code: GeneratedModel,
    state: Mapping[str, torch.Tensor],
) -> WeightsFit:
    """Compare `state` (keys renamed for an imported model) with the module's own state_dict."""
    translation = translate_state_dict(project, code.attributes, state, code.block_attributes)
    own = module.state_dict()
    fit = WeightsFit(unexpected=list(translation.unmatched))
    for key, value in translation.state_dict.items():
        target = own.get(key)
        if target is None:
            fit.unexpected.append(key)
        elif tuple(target.shape) != tuple(value.shape):
            fit.mismatched[key] = (tuple(value.shape), tuple(target.shape))
        else:
            fit.fitting[key] = value
    fit.missing = [k for k in own if k not in fit.fitting and k not in fit.mismatched]
    return fit


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
    fit = fit_state_dict(module, project, code, state)
    if not fit.fitting:
        raise StartWeightsError(
            msg(
                "{path}: none of its {count} tensors fits a layer of this drawing",
                path=str(path),
                count=len(state),
            )
        )
    lines = describe_misfit(fit, project, code)
    if strict and lines:
        more = msg(" (and {count} more)", count=len(lines) - 1) if len(lines) > 1 else ""
        raise StartWeightsError(
            msg(
                "{path} does not fit this drawing exactly: {problem}{more}",
                path=str(path),
                problem=lines[0],
                more=more,
            )
        )
    module.load_state_dict(fit.fitting, strict=False)
    note = msg(
        "starting from the weights in {file}: {loaded} of the network's {total} tensors loaded",
        file=Path(path).name,
        loaded=len(fit.fitting),
        total=len(fit.fitting) + len(fit.mismatched) + len(fit.missing),
    )
    return StartedFrom(note, lines)


def describe_misfit(fit: WeightsFit, project: Project, code: GeneratedModel) -> list[str]:
    """One line per node (or per unknown owner in the file) naming the parameters at fault."""
    owners = _Owners(project, code)
    lines = []
    shapes = _grouped(fit.mismatched, owners)
    for node, keys in shapes.items():
        details = "; ".join(
            msg(
                "{name} is {file_shape} in the file, {own_shape} here",
                name=key,
                file_shape=_shape(fit.mismatched[key][0]),
                own_shape=_shape(fit.mismatched[key][1]),
            )
            for key in keys
        )
        lines.append(msg("{node} keeps its own weights: {details}", node=node, details=details))
    for node, keys in _grouped(fit.missing, owners).items():
        lines.append(
            msg(
                "{node} keeps its own weights: {names} not in the file",
                node=node,
                names=", ".join(keys),
            )
        )
    if fit.unexpected:
        shown = ", ".join(fit.unexpected[:4])
        extra = len(fit.unexpected) - 4
        more = msg(" (and {count} more)", count=extra) if extra > 0 else ""
        lines.append(
            msg(
                "tensors of the file that match no layer of this drawing are left out: "
                "{names}{more}",
                names=shown,
                more=more,
            )
        )
    return lines


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


def _grouped(keys: Iterable[str], owners: _Owners) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key in keys:
        grouped.setdefault(owners.of(key), []).append(key)
    return grouped


def _shape(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"
