"""Lay out generated statements exactly as `ruff format` (default settings) would.

Generated code must come out unchanged by the formatter, so statements are built as small
expression trees and broken the way ruff breaks them: flat if the line fits in 88 columns;
otherwise a call's arguments go on one indented line (hugged) or one per line with a trailing
comma; a right-hand side whose head does not fit is parenthesised. Only the expression forms the
generator emits are supported. A test compares these layouts with ruff on random statements.
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_LENGTH = 88  # ruff's default
INDENT = 4


@dataclass(frozen=True, slots=True)
class Atom:
    """A name, number or string literal: never broken."""

    text: str


@dataclass(frozen=True, slots=True)
class Keyword:
    name: str
    value: Expr


@dataclass(frozen=True, slots=True)
class Call:
    """`func(args)`; `func` is a dotted name such as `nn.Conv2d` or `x.reshape`."""

    func: str
    args: tuple[Expr | Keyword, ...] = ()


@dataclass(frozen=True, slots=True)
class Seq:
    """A tuple `(a, b)` or a list `[a, b]` literal; brackets "" for a bare tuple `a, b`."""

    items: tuple[Expr, ...]
    brackets: str = "()"


@dataclass(frozen=True, slots=True)
class BinOp:
    """`a + b + c`: one operator between every pair of operands."""

    op: str
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    """`*[item for _ in range(count)]`: N copies of a module, as an argument of nn.Sequential."""

    item: Expr
    count: str  # source: `4`, `convs - 1`


Expr = Atom | Call | Seq | BinOp | Repeat


def flat(expr: Expr | Keyword) -> str:
    """The expression on one line."""
    if isinstance(expr, Atom):
        return expr.text
    if isinstance(expr, Keyword):
        return f"{expr.name}={flat(expr.value)}"
    if isinstance(expr, Call):
        return f"{expr.func}({', '.join(flat(a) for a in expr.args)})"
    if isinstance(expr, Repeat):
        return f"*[{flat(expr.item)} for _ in range({expr.count})]"
    if isinstance(expr, Seq):
        body = ", ".join(flat(i) for i in expr.items)
        if len(expr.items) == 1 and expr.brackets != "[]":
            body += ","
        return f"{expr.brackets[:1]}{body}{expr.brackets[1:]}"
    return f" {expr.op} ".join(flat(o) for o in expr.operands)


def _fits(line: str) -> bool:
    return len(line) <= LINE_LENGTH


def item_lines(expr: Expr | Keyword, indent: int, trail: str, separator: str = "=") -> list[str]:
    """`expr` as one item of an exploded bracket (or a whole value) at `indent`; a Keyword's
    name and value joined by `separator` (`": "` for a dict's entry)."""
    pad = " " * indent
    prefix = pad
    if isinstance(expr, Keyword):
        prefix, expr = f"{pad}{expr.name}{separator}", expr.value
    line = prefix + flat(expr) + trail
    if _fits(line):
        return [line]
    if isinstance(expr, Call) and expr.args:
        return _bracket_lines(prefix + expr.func, "(", ")", expr.args, indent, trail, hug=True)
    if isinstance(expr, Seq) and expr.items:
        o, c = expr.brackets
        return _bracket_lines(prefix, o, c, expr.items, indent, trail, hug=False)
    if isinstance(expr, Repeat):
        inner = indent + INDENT
        loop = f"{' ' * inner}for _ in range({expr.count})"
        return [prefix + "*[", *item_lines(expr.item, inner, ""), loop, f"{pad}]{trail}"]
    return [prefix + flat(expr) + trail]  # an atom too long for any line: ruff leaves it too


def _bracket_lines(
    head: str,
    open_: str,
    close: str,
    items: tuple[Expr | Keyword, ...],
    indent: int,
    trail: str,
    hug: bool,
) -> list[str]:
    """Break a bracket: its items on one indented line (calls only), else one per line."""
    inner = indent + INDENT
    if hug:
        body = " " * inner + ", ".join(flat(i) for i in items)
        if _fits(body):
            return [head + open_, body, " " * indent + close + trail]
    lines = [head + open_]
    if len(items) == 1 and isinstance(items[0], Repeat):
        # ruff splits a lone `*[...]` argument inside its own brackets, with no trailing comma
        return [*lines, *item_lines(items[0], inner, ""), " " * indent + close + trail]
    for item in items:
        lines += item_lines(item, inner, ",")
    lines.append(" " * indent + close + trail)
    return lines


def assignment(target: str | Seq, value: Expr, indent: int, comment: str = "") -> list[str]:
    """`target = value  # comment` laid out as ruff would, the comment moved above if it would
    force a break (ruff counts trailing comments in the line length).

    `target` is a name or attribute, or a bare tuple `Seq(..., brackets="")` to unpack into.
    """
    pad = " " * indent
    target_text = target if isinstance(target, str) else flat(target)
    line = f"{pad}{target_text} = {flat(value)}"
    tail = f"  # {comment}" if comment else ""
    if _fits(line + tail):
        return [line + tail]
    above = [f"{pad}# {comment}"] if comment else []
    if isinstance(target, Seq) and not _fits(f"{pad}{target_text} = ("):
        # Not even `target = (` fits: ruff breaks the target tuple instead, one name per line.
        names = [line for item in target.items for line in item_lines(item, indent + INDENT, ",")]
        return [*above, f"{pad}(", *names, *_rhs_lines(f"{pad}) = ", value, indent)]
    return above + _rhs_lines(f"{pad}{target_text} = ", value, indent)


def _rhs_lines(head: str, value: Expr, indent: int) -> list[str]:
    line = head + flat(value)
    if _fits(line) or isinstance(value, Atom):
        return [line]
    if isinstance(value, Call) and value.args and _fits(head + value.func + "("):
        return _bracket_lines(head + value.func, "(", ")", value.args, indent, "", hug=True)
    inner = indent + INDENT
    body = " " * inner + flat(value)
    if _fits(body) or not isinstance(value, BinOp):
        return [head + "(", *item_lines(value, inner, ""), " " * indent + ")"]
    first, *rest = value.operands
    operands = [" " * inner + flat(first)]
    operands += [f"{' ' * inner}{value.op} {flat(o)}" for o in rest]
    return [head + "(", *operands, " " * indent + ")"]


def exploded_call(func: str, items: tuple[Expr, ...], indent: int) -> list[list[str]]:
    """`func(` then each item on its own line(s) with a trailing comma, then `)`: the magic
    trailing comma keeps ruff from joining them, so every item keeps lines of its own.
    Returns the opening line, each item's lines, and the closing line, as separate lists."""
    pad = " " * indent
    parts = [[f"{pad}{func}("]]
    parts += [item_lines(item, indent + INDENT, ",") for item in items]
    parts.append([f"{pad})"])
    return parts


def statement(value: Expr, indent: int) -> list[str]:
    """An expression on its own (`super().__init__(...)`), broken as ruff breaks it."""
    return _rhs_lines(" " * indent, value, indent)


def return_statement(values: list[Expr], indent: int) -> list[str]:
    """`return x` or `return a, b` (a tuple), broken as ruff breaks it."""
    pad = " " * indent
    if not values:
        return [f"{pad}return"]
    line = f"{pad}return {', '.join(flat(v) for v in values)}"
    if _fits(line) or len(values) == 1:
        return [line] if _fits(line) else _rhs_lines(f"{pad}return ", values[0], indent)
    return _bracket_lines(f"{pad}return ", "(", ")", tuple(values), indent, "", hug=False)


def function_header(name: str, params: list[str], returns: str, indent: int) -> list[str]:
    """`def name(params) -> returns:`, its parameters one per line when they do not fit."""
    pad = " " * indent
    line = f"{pad}def {name}({', '.join(params)}) -> {returns}:"
    if _fits(line):
        return [line]
    inner = " " * (indent + INDENT)
    return [f"{pad}def {name}(", *(f"{inner}{p}," for p in params), f"{pad}) -> {returns}:"]
