"""Spelling out a spec's expression (graph/expressions.py) as source: inputs become the local
names that hold them, values become literals (escaped), calls and operators keep ruff's layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen.emitters import CodegenError, literal
from codegen.layout import Atom, BinOp, Call, Expr, Keyword, Seq
from graph.op_calls import Arg, Attribute, BatchSize, BinaryOp, OpCall, Subscript
from i18n import msg


@dataclass(frozen=True)
class Names:
    """What the expression's leaves stand for in `forward`."""

    args: list[str]  # the local name at each input port
    attribute: str | None = None  # `self.<attribute>` for a node that owns a tensor
    batch_source: str | None = None  # a local whose .size(0) is the batch size


def render(expr: Any, names: Names) -> Expr:
    """The layout tree of an expression; CodegenError if a leaf has nothing to stand for."""
    if isinstance(expr, Arg):
        return Atom(names.args[expr.port])
    if isinstance(expr, Attribute):
        if names.attribute is None:
            raise CodegenError(msg("an expression names the tensor of a node that owns none"))
        return Atom(f"self.{names.attribute}")
    if isinstance(expr, BatchSize):
        if names.batch_source is None:
            raise CodegenError(msg("a Parameter needs an Input to take the batch size from"))
        return Call(f"{names.batch_source}.size", (Atom("0"),))
    if isinstance(expr, OpCall):
        args = [render(a, names) for a in expr.args]
        keywords = tuple(Keyword(k, render(v, names)) for k, v in expr.keywords)
        function = expr.function
        if function.startswith("."):
            receiver = args.pop(0)
            if not isinstance(receiver, Atom):
                raise CodegenError(
                    msg("cannot call {function} on a compound expression", function=function)
                )
            function = receiver.text + function
        return Call(function, (*args, *keywords))
    if isinstance(expr, BinaryOp):
        operands = tuple(render(o, names) for o in expr.operands)
        return operands[0] if len(operands) == 1 else BinOp(expr.operator, operands)
    if isinstance(expr, Subscript):
        operand = render(expr.operand, names)
        if not isinstance(operand, Atom):
            raise CodegenError(msg("cannot slice a compound expression"))
        return Atom(f"{operand.text}[{expr.index_text()}]")
    if isinstance(expr, list):
        return Seq(tuple(render(v, names) for v in expr), "[]")
    if isinstance(expr, tuple):
        return Seq(tuple(render(v, names) for v in expr))
    return literal(expr)


def uses_module(expr: Any, module: str) -> bool:
    """Whether the expression calls a function of `module` (`math.prod`): it must be imported."""
    if isinstance(expr, OpCall):
        if expr.function.startswith(module + "."):
            return True
        return any(uses_module(a, module) for a in (*expr.args, *(v for _, v in expr.keywords)))
    if isinstance(expr, BinaryOp):
        return any(uses_module(o, module) for o in expr.operands)
    if isinstance(expr, list | tuple):
        return any(uses_module(v, module) for v in expr)
    return False
