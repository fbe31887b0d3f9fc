"""How problem messages name things: nodes, ports, counts, and user text made safe to print.

Every message that echoes user text (a label, an id, a type, a file name) passes it through
`printable`, so a newline or a terminal escape in a label cannot forge a second line of output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.model_types import Node
    from graph.spec import LayerSpec


def printable(text: str) -> str:
    """`text` on one line: newlines, terminal escapes, other control characters and unpaired
    surrogates (which no terminal can encode) are shown escaped: `\\n`, `\\x1b`, `\\ud800`."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def title(node: Node) -> str:
    """How messages name a node: `Linear 'fc1'`."""
    return f"{printable(str(node.type))} '{printable(node.name)}'"


def quoted(node: Node) -> str:
    """How messages name a node in passing: `'fc1'` (its label, or its id)."""
    return f"'{printable(node.name)}'"


def port_phrase(spec: LayerSpec, port: int) -> str:
    """`its input`, `its query input`, `its input 3`: an input port as a message names it."""
    if len(spec.inputs) == 1 and not spec.variadic:
        return "its input"
    name = spec.inputs[port] if port < len(spec.inputs) else f"input {port}"
    return f"its {name} input" if not name.startswith("input") else f"its {name}"


def count_phrase(n: int, word: str) -> str:
    """`no inputs`, `one output`, `3 inputs`."""
    return f"{'no' if n == 0 else 'one' if n == 1 else n} {word}{'' if n == 1 else 's'}"
