"""The docs' layer table, generated from the layer specs.

Regenerate with `python -m graph.layer_table > docs/layers.md`; a test keeps the file up to date.
"""

from __future__ import annotations

from typing import Any

from graph.params import ParamSpec
from graph.spec import LayerSpec, all_specs
from graph.torch_nn import ALIASES, EXCLUDED, LOSSES_REASON

_HEADER = """# Layer reference

Generated from the layer specs by `python -m graph.layer_table > docs/layers.md`; do not edit by
hand. Shapes leave out the batch; dims in params count the batch as 0, as torch does. *Inferred*
parameters follow from the incoming shape and are checked when set by hand.
"""


def render_markdown() -> str:
    """Every layer, category by category in palette order, as Markdown tables."""
    lines = [_HEADER]
    by_category: dict[str, list[LayerSpec]] = {}
    for spec in all_specs():
        by_category.setdefault(spec.category, []).append(spec)
    for category, specs in by_category.items():
        lines += [
            f"## {category}",
            "",
            "| Type | Inputs → outputs | Parameters | Description |",
            "|---|---|---|---|",
        ]
        lines += [_row(spec) for spec in specs]
        lines.append("")
    lines += _coverage()
    return "\n".join(lines)


def _coverage() -> list[str]:
    """The Lazy aliases and the torch.nn classes left out, with the reasons."""
    lines = [
        "## torch.nn coverage",
        "",
        "Every public `torch.nn` module class is in the library except those below.",
        "",
        "| torch.nn class | Why not |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {_escape(reason)} |" for name, reason in EXCLUDED.items()]
    lines += [f"| every loss (`…Loss`) | {LOSSES_REASON} |", ""]
    lines += ["`Lazy*` names are read as their layers (sizes are inferred anyway):", ""]
    for alias, (target, defaults) in ALIASES.items():
        extra = ", ".join(f"{k}={_value(v)}" for k, v in defaults.items())
        lines.append(f"- `{alias}` → **{target}**" + (f" with {extra}" if extra else ""))
    lines.append("")
    return lines


def _row(spec: LayerSpec) -> str:
    inputs = ", ".join(spec.inputs) + (", …" if spec.variadic else "") or "—"
    outputs = ", ".join(spec.outputs) or "—"
    params = "<br>".join(_param(p) for p in spec.params) or "—"
    torch_name = f"`nn.{spec.torch_class}`" if spec.torch_class else "built-in op"
    doc = f"{spec.doc} ({torch_name}; {_dtype(spec)})"
    cells = [f"**{spec.type}**", f"{inputs} → {outputs}", params, doc]
    return "| " + " | ".join(_escape(c) for c in cells) + " |"


def _param(p: ParamSpec) -> str:
    text = f"`{p.name}`: {p.describe_type()}"
    if p.required:
        text += ", required"
    elif p.inferred:
        text += ", inferred"
    else:
        text += f" = {_value(p.default)}"
    bounds = _bounds(p)
    if bounds:
        text += f" ({bounds})"
    if p.words:
        text += f", or {' / '.join(repr(w) for w in p.words)}"
    if p.optional and p.default is not None:
        text += ", or None"
    return f"{text} — {p.doc}" if p.doc else text


def _bounds(p: ParamSpec) -> str:
    if p.kind not in ("int", "float", "ints", "int_or_tuple", "float_or_tuple"):
        return ""
    lo, hi = p.minimum, p.maximum
    parts = []
    if lo is not None:
        parts.append(f"{'>' if p.exclusive_minimum else '≥'} {_value(lo)}")
    if hi is not None:
        parts.append(f"≤ {_value(hi)}")
    return ", ".join(parts)


def _value(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e6:
        return str(v)
    if isinstance(v, str):
        return repr(v)
    return str(v)


def _dtype(spec: LayerSpec) -> str:
    return {"float": "float input", "int": "int64 ids in", "any": "any dtype"}[spec.dtype]


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


if __name__ == "__main__":
    print(render_markdown(), end="")
