"""The user's own classes (Code nodes) in the exported source: verbatim, once per distinct source.

A source reaches the output only after `ast` has read it as exactly one `nn.Module` class
(graph/code_source.py), and is written as the user typed it, its indentation made flush and
trailing spaces dropped. Two different sources may not define the same class name: the
exported module could hold only one of them.
"""

from __future__ import annotations

import ast
import textwrap

from codegen.emitters import CodegenError, literal
from codegen.layout import Call, Expr, Keyword
from graph import Node, Project
from graph.code_source import PROVIDED, CodeSourceError, read_code_class
from i18n import msg


def formatted(source: str) -> str:
    """The source as written into the module: flush left, no trailing spaces, no blank ends."""
    lines = [line.rstrip() for line in textwrap.dedent(source.expandtabs(4)).splitlines()]
    return "\n".join(lines).strip("\n")


def user_classes(project: Project) -> dict[str, str]:
    """Class name -> formatted source, for every Code node of every drawing, in first-use
    order; CodegenError if a source is not one class or two sources share a name."""
    found: dict[str, str] = {}
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
            if found.get(name, text) != text:
                raise CodegenError(
                    msg(
                        "two Code nodes define different classes named {name}; rename one of "
                        "them (one module cannot hold both)",
                        name=name,
                    )
                )
            found[name] = text
    return found


def provided_names(sources: dict[str, str]) -> set[str]:
    """Which of torch, nn, F and math the sources use: the header imports those."""
    used: set[str] = set()
    for text in sources.values():
        used |= {n.id for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Name)}
    return used & set(PROVIDED)


def user_module(node: Node, class_name: str, args: dict) -> Expr:
    """`MyLinear(in_units=64, out_units=8)`: the class called with the node's arguments."""
    return Call(class_name, tuple(Keyword(k, literal(v)) for k, v in args.items()))
