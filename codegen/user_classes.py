"""The user's own classes (Code nodes) in the exported source: verbatim, once per distinct source.

A source reaches the output only after `ast` has read it as exactly one `nn.Module` class with
the imports and functions it needs (graph/code_source.py). Its class and functions are written
as the user typed them, their indentation made flush and trailing spaces dropped; its imports
go after the header's, each once. Two different sources may not define the same class or
function name: the exported module could hold only one of them.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field

from codegen.emitters import CodegenError, literal
from codegen.layout import Call, Expr, Keyword, Seq
from graph import Node, Project
from graph.code_source import PROVIDED, CodeSourceError, read_code_class
from i18n import msg

# The header's own imports of the provided names: a source repeating one adds nothing.
_HEADER_IMPORTS = frozenset(
    {"import torch", "from torch import nn", "import torch.nn.functional as F", "import math"}
)


@dataclass
class UserCode:
    """What the Code nodes add to the exported module."""

    classes: dict[str, str] = field(default_factory=dict)  # class name -> its text
    functions: dict[str, str] = field(default_factory=dict)  # helper name -> its text
    imports: list[str] = field(default_factory=list)  # import statements, each once
    order: list[str] = field(default_factory=list)  # class and function names, first use first

    @property
    def names(self) -> set[str]:
        """Every name the Code nodes define at module level."""
        return set(self.classes) | set(self.functions)

    def definitions(self) -> list[str]:
        """The texts of the functions and classes, in first-use order."""
        return [self.functions.get(name) or self.classes[name] for name in self.order]


def formatted(source: str) -> str:
    """The source as written into the module: flush left, no trailing spaces, no blank ends."""
    lines = [line.rstrip() for line in textwrap.dedent(source.expandtabs(4)).splitlines()]
    return "\n".join(lines).strip("\n")


def user_classes(project: Project) -> UserCode:
    """The classes, functions and imports of every Code node of every drawing, in first-use
    order; CodegenError if a source is not one class or two sources define a name differently."""
    found = UserCode()
    drawings = [project, *(b.body for b in project.blocks)]
    for drawing in drawings:
        for node in drawing.nodes:
            if node.type != "Code":
                continue
            text = formatted(str(node.params.get("source", "")))
            try:
                name = read_code_class(text).name
            except CodeSourceError as exc:
                raise CodegenError(
                    msg("'{name}': {error}", name=node.name, error=exc.message)
                ) from None
            _add_source(found, name, text)
    return found


def _add_source(found: UserCode, class_name: str, text: str) -> None:
    lines = text.splitlines()
    for statement in ast.parse(text).body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            line = ast.unparse(statement)
            if line not in _HEADER_IMPORTS and line not in found.imports:
                found.imports.append(line)
            continue
        if not isinstance(statement, ast.ClassDef | ast.FunctionDef):
            continue  # the module's docstring
        first = min([statement.lineno, *(d.lineno for d in statement.decorator_list)])
        piece = "\n".join(lines[first - 1 : statement.end_lineno])
        is_class = isinstance(statement, ast.ClassDef)
        table = found.classes if is_class else found.functions
        other = found.functions if is_class else found.classes
        if table.get(statement.name, piece) != piece or statement.name in other:
            if is_class:
                raise CodegenError(
                    msg(
                        "two Code nodes define different classes named {name}; rename one of "
                        "them (one module cannot hold both)",
                        name=class_name,
                    )
                )
            raise CodegenError(
                msg(
                    "two Code nodes define different functions named {name}; rename one of "
                    "them (one module cannot hold both)",
                    name=statement.name,
                )
            )
        if statement.name not in table:
            table[statement.name] = piece
            found.order.append(statement.name)


def provided_names(code: UserCode) -> set[str]:
    """Which of torch, nn, F and math the sources use: the header imports those."""
    used: set[str] = set()
    for text in [*code.definitions(), *code.imports]:
        used |= {n.id for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Name)}
    return used & set(PROVIDED)


def user_module(node: Node, class_name: str, args: dict) -> Expr:
    """`MyLinear(in_units=64, out_units=8)`: the class called with the node's arguments, lists
    written as lists (the class may call `.copy()` on one, as Swin's attention does)."""
    return Call(class_name, tuple(Keyword(k, _argument(v)) for k, v in args.items()))


def _argument(value: object) -> Expr:
    if isinstance(value, list | tuple):
        return Seq(tuple(_argument(v) for v in value), "[]")
    return literal(value)
