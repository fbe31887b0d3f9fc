"""A torch function, tensor method or operator no layer matches, as a Code node.

`torch.special.erf(x)`, `x.cumsum(1)`, `x ** 2`, `x * 0.5`: where every argument besides the
tensors is a constant a project file can hold, the call becomes a small class whose forward
makes the same call, the constants its constructor arguments (named as torch names them where
its schema says, `arg1` ... otherwise):

    class Cumsum(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.dim = dim

        def forward(self, x):
            return x.cumsum(self.dim)

The node must act on each sample of a batch alone, as every node does: before it is made, the
call runs on a batch of three random inputs and on each of them alone, and must give that
batch's shapes and the same samples. A call that mixes samples (`x.cumsum(0)`), or that took
the batch size as a constant (`x.expand(2, 3, 8)`), is refused in one line, as is one with an
argument that is neither a tensor nor a plain value (a slice, a device). A dtype
(`x.sum(1, dtype=torch.float32)`) is written into the forward as torch names it; the node's
tensors must still be ones a drawing carries (float32, int64).
"""

from __future__ import annotations

import operator
from typing import Any

from codegen.namespace import is_safe
from graph.tensor import DTYPES
from i18n import msg
from importer.code_nodes import NoCodeNode
from importer.tracing import Facts
from importer.values import Port, Unmapped

# Python's operators on tensors, written as operators in the node's forward.
BINARY = {
    operator.add: "+",
    operator.sub: "-",
    operator.mul: "*",
    operator.truediv: "/",
    operator.floordiv: "//",
    operator.mod: "%",
    operator.pow: "**",
}
UNARY = {operator.neg: "-", operator.abs: "abs"}
# What a Code node making the operator's call is named after (`Times`: no layer type's name)
OPERATOR_NAMES = {
    operator.add: "plus",
    operator.sub: "minus",
    operator.mul: "times",
    operator.truediv: "divided_by",
    operator.floordiv: "floor_divided_by",
    operator.mod: "modulo",
    operator.pow: "power",
    operator.neg: "negative",
    operator.abs: "absolute",
}
CHECK_BATCH = 3  # the batch the call is run on again


class CodeOperations:
    """The builder's maker of Code nodes for calls; it needs its trace, names and library."""

    trace: Any
    names: Any
    library: Any

    def _code_node(self, *args: Any) -> Any: ...  # importer.code_calls.CodeFallback's

    def code_operation(self, n: Any, args: tuple, kwargs: dict, why: str) -> Any:
        """The call at fx node `n` (a call_function of torch's or an operator, or a
        call_method), its arguments mapped, as a Code node; Unmapped with `why` and the
        reason where it cannot be one."""

        try:
            call = _Call(n, args, kwargs)
            facts = [self.trace.facts.get(a, Facts()) for a in call.sources]
            name, source = self._claim(call)
            check_batch_free(source, name, call, facts, self.trace.facts.get(n, Facts()))
            node_id = self.names.fresh(call.stem)
            return self._code_node(
                n, node_id, source, call.constants, 0, None, call.tensors, call.sources
            )
        except Upstream as unmapped:
            return unmapped.value
        except NoCodeNode as exc:
            return Unmapped(msg("{why}; no Code node either: {reason}", why=why, reason=exc))

    def _claim(self, call: _Call) -> tuple[str, str]:
        """A class name and source for the call: its own name (`Cumsum`), or `Cumsum2` where
        another source has that name in this import."""
        stem = "".join(w[:1].upper() + w[1:] for w in call.stem.split("_") if w) or "Operation"
        k = 1
        while True:
            name = stem if k == 1 else f"{stem}{k}"
            source = call.source(name)
            if self.library.claim_class(name, source):
                return name, source
            k += 1


class Upstream(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Call:
    """One call, split into its tensors (the node's inputs) and its constants."""

    def __init__(self, n: Any, args: tuple, kwargs: dict) -> None:

        self.method = n.op == "call_method"
        self.target = n.target
        self.function = "" if self.method else _function_text(n.target)
        self.stem = n.target if self.method else _stem(n.target)
        names = _argument_names(n, args, kwargs)
        self.inputs: list[str] = []
        self.tensors: list[Any] = []
        self.sources: list[Any] = []
        self.constants: dict[str, Any] = {}
        self.pieces: list[str] = []  # each argument in the forward's call
        given = [
            *zip(names, args, n.args, strict=False),
            *((k, v, n.kwargs[k]) for k, v in kwargs.items()),
        ]
        for i, (name, value, raw) in enumerate(given):
            keyword_ = i >= len(args)
            prefix = f"{name}=" if keyword_ else ""
            if isinstance(value, Unmapped):
                raise Upstream(value)
            if isinstance(value, Port):
                local = "x" if not self.inputs else f"x{len(self.inputs) + 1}"
                self.inputs.append(local)
                self.tensors.append(value)
                self.sources.append(raw)
                self.pieces.append(prefix + local)
            elif _holdable(value):
                constant = _constant_name(name, set(self.constants))
                self.constants[constant] = _plain(value)
                self.pieces.append(f"{prefix}self.{constant}")
            elif _dtype_text(value):  # written into the source: a file holds no dtype object
                self.pieces.append(prefix + _dtype_text(value))
            else:
                raise NoCodeNode(
                    msg(
                        "its argument {name} is {kind}, neither a tensor nor a plain value",
                        name=name,
                        kind=type(value).__name__,
                    )
                )
        if not self.inputs:
            raise NoCodeNode(msg("it takes no tensor"))
        if self.method and self.pieces[0] != "x":
            raise NoCodeNode(msg("it is called on something besides a tensor"))

    def expression(self) -> str:
        pieces = self.pieces
        if self.method:
            return f"{pieces[0]}.{self.target}({', '.join(pieces[1:])})"
        if self.target in BINARY and len(pieces) == 2 and "=" not in "".join(pieces):
            return f"{pieces[0]} {BINARY[self.target]} {pieces[1]}"
        if self.target in UNARY and len(pieces) == 1:
            symbol = UNARY[self.target]
            return f"abs({pieces[0]})" if symbol == "abs" else f"-{pieces[0]}"
        return f"{self.function}({', '.join(pieces)})"

    def source(self, name: str) -> str:
        lines = [f"class {name}(nn.Module):"]
        if self.constants:
            lines.append(f"    def __init__(self, {', '.join(self.constants)}):")
            lines.append("        super().__init__()")
            lines += [f"        self.{c} = {c}" for c in self.constants]
            lines.append("")
        lines.append(f"    def forward(self, {', '.join(self.inputs)}):")
        lines.append(f"        return {self.expression()}")
        return "\n".join(lines) + "\n"


def is_operation(target: Any) -> bool:
    """A function whose call can be written as a Code node: torch's, or Python's operators."""
    if target in BINARY or target in UNARY:
        return True
    return _function_text(target) != ""


_NAMESPACES = ("torch", "torch.special", "torch.fft", "torch.linalg", "torch.nn.functional")


def _function_text(target: Any) -> str:
    """`torch.special.erf`, `F.normalize`: where the exported module finds the function; "" if
    no public torch namespace has it."""
    import importlib

    name = getattr(target, "__name__", "")
    for space in _NAMESPACES:
        module = importlib.import_module(space)
        for attribute in (name, name.split("_", 1)[-1]):  # special_erf is torch.special.erf
            if attribute and getattr(module, attribute, None) is target:
                short = "F" if space == "torch.nn.functional" else space
                return f"{short}.{attribute}"
    return ""


def _stem(target: Any) -> str:
    if target in OPERATOR_NAMES:
        return OPERATOR_NAMES[target]
    return _function_text(target).rsplit(".", 1)[-1]


def _argument_names(n: Any, args: tuple, kwargs: dict) -> list[str]:
    """Names for the positional arguments: torch's, from its schema, where it has one that
    fits; `arg1`, `arg2`... (the tensor first) otherwise."""
    import torch
    from torch.fx.operator_schemas import normalize_function

    plain = [f"arg{i}" for i in range(len(args))]
    if n.op == "call_function" and n.target in BINARY:  # torch's names for the operand
        return ["input", "exponent" if n.target is operator.pow else "other"][: len(args)]
    target = getattr(torch, n.target, None) if n.op == "call_method" else n.target
    if target is None or n.target in UNARY:
        return plain
    examples = _examples(args)
    try:
        found = normalize_function(
            target,
            tuple(examples),
            dict(kwargs),
            arg_types=tuple(type(a) for a in examples),
            kwarg_types={k: type(v) for k, v in kwargs.items()},
            normalize_to_only_use_kwargs=True,
        )
    except Exception:  # no schema, or none that fits: positions it is
        return plain
    if found is None:
        return plain
    names = list(found.kwargs)[: len(args)]
    return names if len(names) == len(args) else plain


def _examples(args: tuple) -> list[Any]:
    """The arguments with a tensor standing in for each wired one (for schema matching)."""
    import torch

    return [torch.empty(0) if isinstance(a, Port) else a for a in args]


def _holdable(value: Any) -> bool:

    if isinstance(value, Port | Unmapped):
        return False
    if isinstance(value, tuple | list):
        return all(_holdable(v) for v in value)
    # a size read off a shape is an int too
    return value is None or isinstance(value, bool | int | float | str)


def _dtype_text(value: Any) -> str:
    """`torch.float64` for torch's dtype object, as the source writes it; "" for anything else.
    The text is torch's own name for the dtype, checked to give that dtype back."""
    import torch

    if not isinstance(value, torch.dtype):
        return ""
    name = str(value).removeprefix("torch.")
    if not name.isidentifier() or getattr(torch, name, None) is not value:
        return ""
    return f"torch.{name}"


def _plain(value: Any) -> Any:
    """As a project file holds it: lists for tuples, a size read off a shape as an int."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return value


def _constant_name(name: str, taken: set[str]) -> str:
    base = name if name.isidentifier() and not name.startswith("_") else "arg"
    if not is_safe(base):  # `input`, `type`: no builtin or nn.Module attribute is shadowed
        base = f"{base}_arg"
    found, k = base, 1
    while found in taken:
        k += 1
        found = f"{base}{k}"
    return found


def check_batch_free(source: str, name: str, call: _Call, given: list[Facts], out: Facts) -> None:
    """Run the node's class on a batch of CHECK_BATCH random inputs and on each alone:
    NoCodeNode unless it gives that batch the traced shapes and each sample the same."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    results = out.value if isinstance(out.value, tuple) else (out,)
    if not all(isinstance(f, Facts) and f.is_tensor and f.shape for f in (*given, *results)):
        raise NoCodeNode(msg("it takes or gives something besides tensors"))
    for f in (*given, *results):
        if f.dtype not in DTYPES:
            raise NoCodeNode(
                msg(
                    "it takes or gives {dtype} tensors, which a drawing cannot carry", dtype=f.dtype
                )
            )
    namespace: dict[str, Any] = {"torch": torch, "nn": nn, "F": F}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # torch's call, written above
    module = namespace[name](**call.constants)
    generator = torch.Generator().manual_seed(0)
    inputs = [_random(f, generator) for f in given]
    try:
        with torch.no_grad():
            whole = _tensors(module(*inputs))
            alone = [_tensors(module(*(x[i : i + 1] for x in inputs))) for i in range(CHECK_BATCH)]
    except Exception:  # whatever the error, the call needs the traced batch
        raise NoCodeNode(msg("it does not run on another batch size")) from None
    for k, traced in enumerate(results):
        w = whole[k] if k < len(whole) else None
        if not isinstance(w, torch.Tensor) or tuple(w.shape) != (CHECK_BATCH, *traced.shape[1:]):
            raise NoCodeNode(msg("it does not run on another batch size"))
        for i, sample in enumerate(alone):
            one = sample[k] if k < len(sample) else None
            if not (
                isinstance(one, torch.Tensor)
                and one.shape == w[i : i + 1].shape
                and torch.allclose(w[i : i + 1], one, rtol=1e-4, atol=1e-5, equal_nan=True)
            ):
                raise NoCodeNode(msg("its result depends on the other samples of the batch"))


def _tensors(result: Any) -> tuple:
    return tuple(result) if isinstance(result, tuple | list) else (result,)


def _random(facts: Facts, generator: Any) -> Any:
    import torch

    shape = (CHECK_BATCH, *facts.shape[1:])
    dtype = getattr(torch, facts.dtype or "float32", torch.float32)
    if dtype.is_floating_point or dtype.is_complex:
        return torch.randn(shape, generator=generator, dtype=dtype)
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=generator).bool()
    return torch.randint(0, 2, shape, generator=generator, dtype=dtype)
