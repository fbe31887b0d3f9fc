"""Block parameter expressions: `"$planes"`, `"$planes * 4"`, `"($width + 1) // 2"`.

A param value inside a block that is a string containing `$` is an expression over the block's
own params. The grammar is small and parsed here by hand (never `eval`): integer literals, `$name`
references, `+ - * //`, unary minus and parentheses. A lone reference (`"$flag"`) passes any value
through; arithmetic works on whole numbers only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from i18n import msg

MAX_LENGTH = 200  # an expression is a few tokens; refuse something absurd before parsing it
MAX_DEPTH = 32  # nesting of parentheses and unary signs
MAX_VALUE = 2**63 - 1  # torch sizes are int64: a bigger intermediate result is a mistake

_TOKEN = re.compile(r"\s*(?:(\d+)|\$([A-Za-z_][A-Za-z0-9_]*)|(//|[-+*()]))")


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; the message is one sentence."""


@dataclass(frozen=True, slots=True)
class Num:
    value: int


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # one of + - * //
    left: Expr
    right: Expr


Expr = Num | Ref | Neg | BinOp


def is_expression(value: Any) -> bool:
    """Whether a param value is an expression rather than a plain value."""
    return isinstance(value, str) and "$" in value


def parse(text: str) -> Expr:
    """The expression tree of `text`; ExpressionError naming what is wrong and where."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            msg("the expression is longer than {limit} characters", limit=MAX_LENGTH)
        )
    tokens = _tokenize(text)
    parser = _Parser(text, tokens)
    expr = parser.expression(0)
    if parser.pos < len(tokens):
        raise ExpressionError(unexpected(tokens[parser.pos][1], text))
    return expr


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    end = len(text.rstrip())
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            bad = text[pos:].lstrip()[:1]
            if bad == "$":
                raise ExpressionError(
                    msg("'$' must be followed by a parameter name in '{text}'", text=text)
                )
            raise ExpressionError(
                msg(
                    "'{char}' is not allowed in '{text}' (use $name, whole numbers, + - * // "
                    "and parentheses)",
                    char=bad,
                    text=text,
                )
            )
        number, name, op = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("ref", name))
        else:
            tokens.append(("op", op))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent: expression := term (('+'|'-') term)*; term := unary (('*'|'//')
    unary)*; unary := '-' unary | '+' unary | atom; atom := number | $name | '(' expression ')'."""

    def __init__(self, text: str, tokens: list[tuple[str, str]]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _deeper(self, depth: int) -> int:
        if depth >= MAX_DEPTH:
            raise ExpressionError(msg("'{text}' is nested too deeply", text=self.text))
        return depth + 1

    def expression(self, depth: int) -> Expr:
        left = self.term(depth)
        while (token := self._peek()) is not None and token in (("op", "+"), ("op", "-")):
            self.pos += 1
            left = BinOp(token[1], left, self.term(depth))
        return left

    def term(self, depth: int) -> Expr:
        left = self.unary(depth)
        while (token := self._peek()) is not None and token in (("op", "*"), ("op", "//")):
            self.pos += 1
            left = BinOp(token[1], left, self.unary(depth))
        return left

    def unary(self, depth: int) -> Expr:
        token = self._peek()
        if token in (("op", "-"), ("op", "+")):
            self.pos += 1
            operand = self.unary(self._deeper(depth))
            return Neg(operand) if token[1] == "-" else operand
        return self.atom(depth)

    def atom(self, depth: int) -> Expr:
        token = self._peek()
        if token is None:
            raise ExpressionError(msg("'{text}' ends where a value is expected", text=self.text))
        self.pos += 1
        kind, text = token
        if kind == "num":
            value = int(text)
            if value > MAX_VALUE:
                raise ExpressionError(too_large(text))
            return Num(value)
        if kind == "ref":
            return Ref(text)
        if text == "(":
            inner = self.expression(self._deeper(depth))
            if self._peek() != ("op", ")"):
                raise ExpressionError(msg("a '(' is not closed in '{text}'", text=self.text))
            self.pos += 1
            return inner
        raise ExpressionError(unexpected(text, self.text))


def names(expr: Expr) -> list[str]:
    """The params `expr` refers to, each once, in order of appearance."""
    found: list[str] = []

    def walk(e: Expr) -> None:
        if isinstance(e, Ref):
            if e.name not in found:
                found.append(e.name)
        elif isinstance(e, Neg):
            walk(e.operand)
        elif isinstance(e, BinOp):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return found


def evaluate(expr: Expr, values: Mapping[str, Any]) -> Any:
    """The value of `expr` with `values` for its references; ExpressionError if one is unknown,
    arithmetic meets something that is not a whole number, or a result is out of range."""
    if isinstance(expr, Ref):
        if expr.name not in values:
            known = ", ".join(f"${n}" for n in values) or "-"
            raise ExpressionError(
                msg(
                    "there is no block parameter ${name} (known: {known})",
                    name=expr.name,
                    known=known,
                )
            )
        return values[expr.name]
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Neg):
        return -_whole(evaluate(expr.operand, values), expr.operand)
    left = _whole(evaluate(expr.left, values), expr.left)
    right = _whole(evaluate(expr.right, values), expr.right)
    if expr.op == "+":
        result = left + right
    elif expr.op == "-":
        result = left - right
    elif expr.op == "*":
        result = left * right
    else:
        if right == 0:
            raise ExpressionError(msg("{expr} divides by zero", expr=to_source(expr)))
        result = left // right
    if abs(result) > MAX_VALUE:
        raise ExpressionError(too_large(to_source(expr)))
    return result


def _whole(value: Any, where: Expr) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpressionError(
            msg(
                "{expr} is {value}; arithmetic needs whole numbers",
                expr=to_source(where),
                value=repr(value),
            )
        )
    return value


def unexpected(token: str, text: str) -> str:
    return msg("unexpected '{token}' in '{text}'", token=token, text=text)


def too_large(number: str) -> str:
    return msg("{number} is too large a number", number=number)


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2}


def to_source(expr: Expr, rename: Callable[[str], str] = lambda n: f"${n}") -> str:
    """The expression as text with the fewest parentheses: `$planes * 4` by default, or Python
    source when `rename` maps each param to its identifier in the generated code."""

    def write(e: Expr, level: int, right_side: bool = False) -> str:
        if isinstance(e, Num):
            return str(e.value)
        if isinstance(e, Ref):
            return rename(e.name)
        if isinstance(e, Neg):
            text = "-" + write(e.operand, 3)
            return f"({text})" if level > 2 else text
        mine = _PRECEDENCE[e.op]
        text = f"{write(e.left, mine)} {e.op} {write(e.right, mine, True)}"
        # a - (b - c) and a // (b * c) need their parentheses; a + (b + c) does not change.
        needs = mine < level or (right_side and mine == level)
        return f"({text})" if needs else text

    return write(expr, 0)
