"""How problem messages name things: nodes, ports, counts, and user text made safe to print.

Every message that echoes user text (a label, an id, a type, a file name) passes it through
`printable`, so a newline or a terminal escape in a label cannot forge a second line of output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n import msg, term

if TYPE_CHECKING:
    from graph.model_types import Node
    from graph.spec import LayerSpec


def printable(text: str) -> str:
    """`text` on one line: newlines, terminal escapes, other control characters and unpaired
    surrogates (which no terminal can encode) are shown escaped: `\\n`, `\\x1b`, `\\ud800`."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def one_line(text: str) -> str:
    """A message of several lines (a list of errors) as one printable line: line breaks become
    spaces, other control characters are escaped as `printable` does."""
    return printable(" ".join(text.splitlines()))


def title(node: Node) -> str:
    """How messages name a node: `Linear 'fc1'`."""
    return f"{printable(str(node.type))} '{printable(node.name)}'"


def quoted(node: Node) -> str:
    """How messages name a node in passing: `'fc1'` (its label, or its id)."""
    return f"'{printable(node.name)}'"


def port_phrase(spec: LayerSpec, port: int) -> str:
    """`its input`, `its query input`, `its input 3`: an input port as a message names it."""
    if len(spec.inputs) == 1 and not spec.variadic:
        return msg("its input")
    if port >= len(spec.inputs):
        return msg("its input {port}", port=port)
    name = spec.inputs[port]
    if name.startswith("input"):
        return msg("its {name}", name=term(name))
    return msg("its {name} input", name=term(name))


def count_phrase(n: int, word: str) -> str:
    """`no inputs`, `one output`, `3 inputs` (word: "input" or "output")."""
    if word == "input":
        return (
            msg("no inputs") if n == 0 else msg("one input") if n == 1 else msg("{n} inputs", n=n)
        )
    return msg("no outputs") if n == 0 else msg("one output") if n == 1 else msg("{n} outputs", n=n)
