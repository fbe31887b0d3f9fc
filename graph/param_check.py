"""Checking a node's own settings: its layer type, and its params against the spec's schema."""

from __future__ import annotations

import difflib
from typing import Any

from graph.messages import printable, quoted, title
from graph.model_types import Node
from graph.params import ParamBoundsError, ParamSpec, ParamTypeError
from graph.problem_codes import ProblemCode
from graph.report import Problem
from graph.spec import LayerSpec, get_spec, layer_types
from i18n import msg, term

_SPECS: dict[str, LayerSpec] = {}
_DEFAULTS: dict[str, dict[str, Any]] = {}
_REQUIRED: dict[str, tuple[ParamSpec, ...]] = {}


def spec_of(layer_type: str) -> LayerSpec | None:
    """get_spec, memoised: it runs several times per node on the checker's hot path."""
    spec = _SPECS.get(layer_type)
    if spec is None:
        spec = get_spec(layer_type)
        if spec is not None:
            _SPECS[layer_type] = spec
    return spec


_SIMPLE = (int, float, str, bool, type(None))
_CHECKED: dict[tuple, tuple[dict[str, Any], frozenset[str]]] = {}  # params that passed, by value
_CHECKED_LIMIT = 4096


def _value_key(value: Any) -> Any:
    """A hashable stand-in for a param value that tells apart what checks tell apart (True is
    not 1, [3, 3] is not 3); None when the value is too unusual to be worth remembering."""
    if isinstance(value, _SIMPLE):
        return (type(value), value)
    if isinstance(value, list | tuple) and all(isinstance(v, _SIMPLE) for v in value):
        return (list, tuple((type(v), v) for v in value))
    return None


def check_params(
    node: Node, spec: LayerSpec
) -> tuple[dict[str, Any], frozenset[str], list[Problem]]:
    """Resolve a node's params against its spec: defaults filled, types and bounds checked.

    Networks repeat the same settings (every 3×3 padding-1 convolution of a VGG), so params that
    passed are remembered by value: a first check of a big drawing then spends its time on
    shapes, not on re-checking `kernel_size=3` a thousand times.
    """
    key: tuple | None = (spec.type,)
    for name, value in node.params.items():
        value_key = _value_key(value)
        if value_key is None:
            key = None
            break
        key += (name, value_key)
    if key is not None:
        hit = _CHECKED.get(key)
        if hit is not None:
            return dict(hit[0]), hit[1], []
    params, given, problems = _check_params(node, spec)
    if key is not None and not problems:
        if len(_CHECKED) >= _CHECKED_LIMIT:
            _CHECKED.clear()
        _CHECKED[key] = (dict(params), given)
    return params, given, problems


def _check_params(
    node: Node, spec: LayerSpec
) -> tuple[dict[str, Any], frozenset[str], list[Problem]]:
    defaults = _DEFAULTS.get(spec.type)
    if defaults is None:
        defaults = _DEFAULTS[spec.type] = spec.defaults()
    params = dict(defaults)
    problems: list[Problem] = []
    index = spec.param_index
    for name, value in node.params.items():
        param = index.get(name)
        if param is None:
            hint = difflib.get_close_matches(name, list(index), n=1)
            suggestion = msg(" (did you mean '{hint}'?)", hint=hint[0]) if hint else ""
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PARAM,
                    msg(
                        "{node}: {type} has no parameter '{name}'{suggestion}",
                        node=title(node),
                        type=spec.type,
                        name=printable(name),
                        suggestion=suggestion,
                    ),
                    node.id,
                    param=name,
                )
            )
            continue
        try:
            params[name] = param.check(value)
        except (ParamTypeError, ParamBoundsError) as exc:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PARAM,
                    msg("{node}: {exc}", node=title(node), exc=exc),
                    node.id,
                    param=name,
                )
            )
    required = _REQUIRED.get(spec.type)
    if required is None:
        required = _REQUIRED[spec.type] = tuple(p for p in spec.params if p.required)
    for param in required:
        if param.name not in node.params:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PARAM,
                    msg(
                        "{node} needs {name} to be set ({doc})",
                        node=title(node),
                        name=param.name,
                        doc=term(param.doc),
                    ),
                    node.id,
                    param=param.name,
                )
            )
    return params, frozenset(node.params), problems


def unknown_type_problem(node: Node) -> Problem:
    """A node whose type no spec has, with a suggestion when one is close."""
    known = layer_types()
    lowered = {t.lower(): t for t in known}
    hint = lowered.get(node.type.lower()) if isinstance(node.type, str) else None
    if hint is None and isinstance(node.type, str):
        close = difflib.get_close_matches(node.type, known, n=1)
        hint = close[0] if close else None
    suggestion = msg(" (did you mean '{hint}'?)", hint=hint) if hint else ""
    return Problem(
        "error",
        ProblemCode.UNKNOWN_TYPE,
        msg(
            "{node} has type '{type}', which Netwright does not know{suggestion}",
            node=quoted(node),
            type=printable(str(node.type)),
            suggestion=suggestion,
        ),
        node.id,
    )
