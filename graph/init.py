"""How a layer's weights start: torch's default, or one of nn.init's schemes, per tensor.

A node's `init` maps a tensor of its module ("weight", "bias") to a scheme and its arguments:
`{"weight": {"kind": "normal", "mean": 0.0, "std": 0.01}, "bias": {"kind": "zeros"}}`.
It is saved in the node, checked with the drawing, and written into the exported module as
`nn.init` calls in `__init__`, so what trains is what was drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from graph.messages import title
from graph.model_types import Node
from graph.problem_codes import ProblemCode
from graph.report import Problem
from i18n import msg

# kind -> its arguments with torch's defaults, in nn.init's order.
KINDS: dict[str, tuple[tuple[str, Any], ...]] = {
    "default": (),
    "normal": (("mean", 0.0), ("std", 1.0)),
    "uniform": (("a", 0.0), ("b", 1.0)),
    "constant": (("val", 0.0),),
    "zeros": (),
    "ones": (),
    "xavier_uniform": (("gain", 1.0),),
    "xavier_normal": (("gain", 1.0),),
    "kaiming_uniform": (("a", 0.0), ("mode", "fan_in"), ("nonlinearity", "leaky_relu")),
    "kaiming_normal": (("a", 0.0), ("mode", "fan_in"), ("nonlinearity", "leaky_relu")),
    "orthogonal": (("gain", 1.0),),
}
CHOICES = {
    "mode": ("fan_in", "fan_out"),
    "nonlinearity": ("leaky_relu", "relu", "tanh", "sigmoid", "linear", "selu"),
}
# Schemes that need a fan-in and fan-out: a tensor of two or more dims.
MATRIX_KINDS = (
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "orthogonal",
)

Tensors = Callable[[dict[str, Any]], dict[str, int]]  # resolved params -> {tensor: its dims}


def weight_and_bias(dims: int, bias: str | None = "bias") -> Tensors:
    """A module with `weight` of `dims` dims and, when `bias` is on, a 1-d `bias`."""

    def tensors(params: dict[str, Any]) -> dict[str, int]:
        found = {"weight": dims}
        if bias is None or params.get(bias, True):
            found["bias"] = 1
        return found

    return tensors


def affine(switch: str) -> Tensors:
    """Normalisations: a 1-d weight and bias when `switch` (affine, elementwise_affine) is on."""

    def tensors(params: dict[str, Any]) -> dict[str, int]:
        if not params.get(switch):
            return {}
        return {"weight": 1, "bias": 1} if params.get("bias", True) else {"weight": 1}

    return tensors


def arguments(scheme: dict[str, Any]) -> dict[str, Any]:
    """The scheme's arguments with torch's defaults filled in (kind left out)."""
    return {name: scheme.get(name, default) for name, default in KINDS[scheme["kind"]]}


def init_problems(node: Node, spec: Any, params: dict[str, Any]) -> list[Problem]:
    """What is wrong with a node's `init`: an unknown tensor or scheme, a bad argument, a
    matrix scheme on a 1-d tensor."""
    if not node.init:
        return []
    tensors = spec.init_tensors(params) if spec.init_tensors is not None else {}
    problems = []
    for tensor, scheme in node.init.items():
        reason = _reason(tensor, scheme, tensors)
        if reason is not None:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_INIT,
                    msg("{node}: {reason}", node=title(node), reason=reason),
                    node.id,
                    None,
                    "init",
                )
            )
    return problems


def _number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and abs(value) < 1e300


def _reason(tensor: str, scheme: Any, tensors: dict[str, int]) -> str | None:
    if tensor not in tensors:
        if not tensors:
            return msg("has no weights to initialise")
        return msg(
            "has no tensor '{tensor}' to initialise (it has {names})",
            tensor=tensor,
            names=", ".join(tensors),
        )
    if not isinstance(scheme, dict) or scheme.get("kind") not in KINDS:
        kind = scheme.get("kind") if isinstance(scheme, dict) else scheme
        return msg(
            "initialises {tensor} with '{kind}', which is not one of {kinds}",
            tensor=tensor,
            kind=kind,
            kinds=", ".join(KINDS),
        )
    kind = scheme["kind"]
    if kind in MATRIX_KINDS and tensors[tensor] < 2:
        return msg(
            "cannot initialise the 1-d {tensor} with {kind}, which needs a weight matrix; use "
            "zeros, constant, normal or uniform",
            tensor=tensor,
            kind=kind,
        )
    known = dict(KINDS[kind])
    for name, value in scheme.items():
        if name == "kind":
            continue
        if name not in known:
            return msg("{kind} takes no argument '{name}'", kind=kind, name=name)
        if name in CHOICES:
            if value not in CHOICES[name]:
                return msg(
                    "{name} must be one of {choices}", name=name, choices=", ".join(CHOICES[name])
                )
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return msg("{name} of {kind} must be a number", name=name, kind=kind)
    args = arguments(scheme)
    if kind == "normal" and args["std"] < 0:
        return msg("std of normal must be 0 or more")
    if kind == "uniform" and args["a"] > args["b"]:
        return msg("uniform needs a ≤ b")
    return None


def init_calls(
    node: Node, spec: Any, params: dict[str, Any]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(`nn.init.normal_`, tensor, [(argument, Python literal), ...]) for each tensor to set, in
    the module's tensor order; torch's default needs no call. Literals are numbers or one of
    `CHOICES`, never user text."""
    tensors = spec.init_tensors(params) if spec.init_tensors is not None else {}
    calls = []
    for tensor in tensors:
        scheme = node.init.get(tensor)
        if not isinstance(scheme, dict) or scheme.get("kind", "default") == "default":
            continue
        args = [
            (name, f'"{value}"' if name in CHOICES else repr(float(value)))
            for name, value in arguments(scheme).items()
        ]
        calls.append((f"nn.init.{scheme['kind']}_", tensor, args))
    return calls
