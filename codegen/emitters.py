"""One emitter per node kind: the `nn.X(...)` constructor and the expression in `forward`.

Values become source through `literal`, which writes numbers, booleans and strings the way
`ruff format` normalises them; strings are escaped, so parameter text stays data.
"""

from __future__ import annotations

import math
from typing import Any

from codegen.layout import Atom, BinOp, Call, Expr, Keyword, Seq
from graph import LayerSpec, Node, NodeReport
from graph.params import ParamSpec, as_tuple
from i18n import msg


class CodegenError(ValueError):
    """The drawing cannot become code (it has errors, or a value cannot be written)."""


RECURRENT = frozenset({"RNN", "GRU", "LSTM"})
# Merges of more inputs than this are written as `sum(...)` / `math.prod(...)`, not `a + b + …`:
# Python's compiler nests a chain as deep as it is long and gives up at a few thousand.
CHAIN_LIMIT = 64


def needs_math(node: Node, n_inputs: int) -> bool:
    """Whether the node's expression calls `math.prod` (the module then imports math)."""
    return node.type == "Multiply" and n_inputs > CHAIN_LIMIT


def literal(value: Any) -> Expr:
    """Source for a param value: numbers and strings as ruff writes them, tuples as tuples;
    an Atom (a block param's name in a block's class) as it is."""
    if isinstance(value, Atom):
        return value
    if isinstance(value, bool) or value is None:
        return Atom(repr(value))
    if isinstance(value, int):
        return Atom(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CodegenError(msg("cannot write the number {value!r} into code", value=value))
        return Atom(repr(value).replace("e+", "e"))
    if isinstance(value, str):
        return Atom(string_literal(value))
    if isinstance(value, tuple | list):
        return Seq(tuple(literal(v) for v in value))
    raise CodegenError(msg("cannot write {kind} values into code", kind=type(value).__name__))


def string_literal(text: str) -> str:
    """A quoted, fully escaped string: double quotes unless that needs more escapes (ruff's
    rule); everything outside printable ASCII as a \\x, \\u or \\U escape."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\" or ch == quote:
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return quote + "".join(out) + quote


def _compact(param: ParamSpec, value: Any) -> Any:
    """(3, 3) -> 3: torch takes one number for a square kernel, and people write it that way.

    Only for int-or-tuple params, and only where one number means the same tuple: for a fixed
    arity when all items agree, for a free arity (LayerNorm's normalized_shape) a 1-tuple.
    """
    if param.kind not in ("int_or_tuple", "float_or_tuple") or not isinstance(value, tuple):
        return value
    if not value or any(v is None or v != value[0] for v in value):
        return value
    if param.arity == 0 and len(value) != 1:
        return value
    return value[0]


def _is_default(param: ParamSpec, value: Any) -> bool:
    if value == param.default:
        return True
    default = param.default
    if isinstance(value, tuple) and default is not None and not isinstance(default, tuple):
        return value == as_tuple(default, len(value))
    return False


def _is_pool_stride(param: ParamSpec, value: Any, resolved: dict[str, Any]) -> bool:
    """A pooling stride equal to the kernel is what torch's stride=None means: leave it out."""
    if param.name != "stride" or param.default is not None or "kernel_size" not in resolved:
        return False
    kernel = resolved["kernel_size"]
    if value is None or isinstance(value, str) or isinstance(kernel, str):
        return False
    n = max((len(v) for v in (value, kernel) if isinstance(v, tuple)), default=1)
    return as_tuple(value, n) == as_tuple(kernel, n)


def positional_params(spec: LayerSpec) -> list[ParamSpec]:
    """The leading required or inferred params, written positionally in torch's order."""
    prefix = _PREFIXES.get(spec.type)
    if prefix is None:
        prefix = []
        for param in spec.params:
            if not (param.required or param.inferred):
                break
            prefix.append(param)
        _PREFIXES[spec.type] = prefix
    return prefix


_PREFIXES: dict[str, list[ParamSpec]] = {}


def constructor(node: Node, spec: LayerSpec, report: NodeReport) -> Call:
    """`nn.Linear(400, 120)`, `nn.Conv2d(1, 6, 5, padding=2)`: inferred values written out, other
    arguments only where they differ from torch's defaults."""
    resolved = report.resolved
    prefix = positional_params(spec)
    args: list[Expr | Keyword] = [literal(_compact(p, resolved.get(p.name))) for p in prefix]
    for param in spec.params[len(prefix) :]:
        value = resolved.get(param.name)
        inferred = param.inferred and value is not None
        if _is_pool_stride(param, value, resolved):
            continue
        if inferred or (param.name in node.params and not _is_default(param, value)):
            args.append(Keyword(param.name, literal(_compact(param, value))))
    return Call(f"nn.{spec.torch_class}", tuple(args))


def layer_call(node: Node, attr: str, args: list[str], used_ports: set[int]) -> Call:
    """`self.conv1(x)`; attention is self-attention: `self.attn(x, x, x)`."""
    operands: tuple[Expr | Keyword, ...] = tuple(Atom(a) for a in args)
    if node.type == "MultiheadAttention":
        (x,) = operands
        operands = (x, x, x)
        if 1 not in used_ports:  # the weights are not wired: do not compute them
            operands += (Keyword("need_weights", Atom("False")),)
    return Call(f"self.{attr}", operands)


def op_expression(node: Node, resolved: dict[str, Any], args: list[str]) -> Expr:
    """The inline expression for a node without a torch module (merges and reshapes)."""
    atoms = tuple(Atom(a) for a in args)
    if node.type == "Add":
        if len(atoms) > CHAIN_LIMIT:  # the same left-to-right sum, without the deep nesting
            return Call("sum", (Seq(atoms[1:]), atoms[0]))
        return Call("torch.add", atoms) if len(atoms) == 2 else BinOp("+", atoms)
    if node.type == "Multiply":
        if len(atoms) > CHAIN_LIMIT:
            return Call("math.prod", (Seq(atoms[1:]), Keyword("start", atoms[0])))
        return BinOp("*", atoms)
    if node.type == "Concat":
        return Call("torch.cat", (Seq(atoms, "[]"), Keyword("dim", literal(resolved["dim"]))))
    (x,) = args
    if node.type == "Reshape":
        sizes = tuple(literal(v) for v in resolved["shape"])
        return Call(f"{x}.reshape", (Call(f"{x}.size", (Atom("0"),)), *sizes))
    if node.type == "Permute":
        return Call(f"{x}.permute", tuple(literal(d) for d in resolved["dims"]))
    if node.type == "Index":
        return Call(f"{x}.select", (literal(resolved["dim"]), literal(resolved["index"])))
    raise CodegenError(msg("no code emitter for {type} nodes", type=node.type))


def unpack_target(node: Node, names: list[str]) -> str | Seq:
    """What the node's result is assigned to: `x`, `x, h_n` or `x, (h_n, c_n)` for an LSTM;
    `_` stands for an output nothing uses."""
    if len(names) == 1 or all(n == "_" for n in names):
        return names[0] if len(names) == 1 else "_"
    atoms = [Atom(n) for n in names]
    if node.type == "LSTM":
        state = atoms[1] if names[1:] == ["_", "_"] else Seq(tuple(atoms[1:]))
        return Seq((atoms[0], state), "")
    return Seq(tuple(atoms), "")
