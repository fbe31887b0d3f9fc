"""Start from weights: a saved state_dict loaded into the network before training, the one
implementation `train --weights`, the editor's Start from Weights and exported training scripts
(`python train.py --weights FILE`) share.

The file is read with `torch.load(weights_only=True)`, so it cannot run code. Partial (the
default, fine-tuning): what fits is loaded and what does not is reported, one line per layer
naming the parameters, never a traceback. Strict: anything that does not fit refuses the file,
in one line. A file that fits no layer at all is always refused.

Part of the recipe copied into exported training scripts: top-level imports are stdlib only,
torch is imported inside the functions; formatted for ruff's default 88 columns.
"""

from __future__ import annotations

from recipe.data import RecipeError, RecipeText

# fmt: off

class StartWeightsError(RecipeError):
    """The weights cannot be used at all; the message is one line."""


def read_state_dict(path):
    """The tensors of a saved state_dict (also inside {"state_dict": ...} or {"model": ...})."""
    import pickle

    import torch

    path = str(path)
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise StartWeightsError("{path}: no such file", path=path) from None
    except IsADirectoryError:
        raise StartWeightsError(
            "{path}: is a folder, not a weights file", path=path
        ) from None
    # what torch.load raises for a file that is no safe pickle: not a zip, a bad load key, a
    # global weights_only forbids, a file cut short, one not readable
    except (pickle.UnpicklingError, RuntimeError, ValueError, EOFError, OSError) as exc:
        lines = str(exc).strip().splitlines()
        raise StartWeightsError(
            "{path}: not a weights file torch can load safely ({why})",
            path=path,
            why=lines[0] if lines else type(exc).__name__,
        ) from None
    for wrapper in ("state_dict", "model"):
        if isinstance(data, dict) and isinstance(data.get(wrapper), dict):
            data = data[wrapper]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items()
    ):
        raise StartWeightsError(
            "{path}: holds no state_dict (names mapped to tensors)", path=path
        )
    return data


class WeightsFit:
    """How a state_dict fits a module: what loads, and what does not, by parameter name."""

    def __init__(self, own, state, unexpected=()):
        """Compare `state` with `own` (the module's state_dict); `unexpected`: keys of the
        file already known to match nothing."""
        self.fitting = {}
        self.mismatched = {}  # name -> (shape in the file, shape here)
        self.unexpected = list(unexpected)  # the file's, matching no parameter
        for key, value in state.items():
            target = own.get(key)
            if target is None:
                self.unexpected.append(key)
            elif tuple(target.shape) != tuple(value.shape):
                self.mismatched[key] = (tuple(value.shape), tuple(target.shape))
            else:
                self.fitting[key] = value
        # the module's, absent from the file
        self.missing = [
            k for k in own if k not in self.fitting and k not in self.mismatched
        ]

    @property
    def complete(self):
        return not (self.mismatched or self.missing or self.unexpected)


def describe_misfit(fit, owner_of):
    """One line per layer (`owner_of(name)`: `Linear 'fc'`) naming the parameters at fault."""
    lines = []
    for owner, keys in _grouped(fit.mismatched, owner_of).items():
        details = "; ".join(
            RecipeText(
                "{name} is {file_shape} in the file, {own_shape} here",
                name=key,
                file_shape=_shape(fit.mismatched[key][0]),
                own_shape=_shape(fit.mismatched[key][1]),
            )
            for key in keys
        )
        lines.append(
            RecipeText(
                "{node} keeps its own weights: {details}", node=owner, details=details
            )
        )
    for owner, keys in _grouped(fit.missing, owner_of).items():
        lines.append(
            RecipeText(
                "{node} keeps its own weights: {names} not in the file",
                node=owner,
                names=", ".join(keys),
            )
        )
    if fit.unexpected:
        extra = len(fit.unexpected) - 4
        more = RecipeText(" (and {count} more)", count=extra) if extra > 0 else ""
        lines.append(
            RecipeText(
                "tensors of the file that match no layer of this drawing are left out: "
                "{names}{more}",
                names=", ".join(fit.unexpected[:4]),
                more=more,
            )
        )
    return lines


def start_from_weights(module, state, path, strict, owner_of, unexpected=()):
    """Load `state` (read from `path`) into `module`: (a note for the run, the lines of what
    did not fit). StartWeightsError when nothing fits, or (strict) when anything does not."""
    import os

    fit = WeightsFit(module.state_dict(), state, unexpected)
    if not fit.fitting:
        raise StartWeightsError(
            "{path}: none of its {count} tensors fits a layer of this drawing",
            path=str(path),
            count=len(state) + len(unexpected),
        )
    lines = describe_misfit(fit, owner_of)
    if strict and lines:
        more = RecipeText(" (and {count} more)", count=len(lines) - 1)
        raise StartWeightsError(
            "{path} does not fit this drawing exactly: {problem}{more}",
            path=str(path),
            problem=lines[0],
            more=more if len(lines) > 1 else "",
        )
    module.load_state_dict(fit.fitting, strict=False)
    note = RecipeText(
        "starting from the weights in {file}: {loaded} of the network's {total} tensors "
        "loaded",
        file=os.path.basename(str(path)),
        loaded=len(fit.fitting),
        total=len(fit.fitting) + len(fit.mismatched) + len(fit.missing),
    )
    return note, lines


def layer_owner(module):
    """`owner_of` for a plain module: a parameter name -> `Linear 'fc'`, its layer."""
    layers = dict(module.named_modules())

    def owner_of(key):
        path = key.rpartition(".")[0]
        while path and path not in layers:
            path = path.rpartition(".")[0]
        return f"{type(layers[path]).__name__} '{path}'" if path else key

    return owner_of


def _grouped(keys, owner_of):
    grouped = {}
    for key in keys:
        grouped.setdefault(owner_of(key), []).append(key)
    return grouped


def _shape(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"
