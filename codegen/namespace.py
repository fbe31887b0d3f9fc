"""Safe, unique Python identifiers made from user text (ids, labels, project names).

User text never reaches generated source as-is: it is reduced to ASCII letters, digits and
underscores, kept clear of keywords, builtins and the names generated code relies on.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

# Names the generated module and nn.Module itself use; an attribute must not shadow them.
RESERVED = frozenset(
    {
        "torch",
        "nn",
        "F",
        "self",
        "forward",
        "training",
        "parameters",
        "named_parameters",
        "buffers",
        "named_buffers",
        "children",
        "named_children",
        "modules",
        "named_modules",
        "state_dict",
        "load_state_dict",
        "to",
        "cpu",
        "cuda",
        "mps",
        "float",
        "double",
        "half",
        "bfloat16",
        "train",
        "eval",
        "apply",
        "zero_grad",
        "register_buffer",
        "register_parameter",
        "register_module",
        "add_module",
        "get_submodule",
        "get_parameter",
        "get_buffer",
        "requires_grad_",
        "type",
        "extra_repr",
        "share_memory",
        "dump_patches",
        "call_super_init",
        "compile",
        "ipu",
        "xpu",
        "mtia",
        "set_submodule",
        "set_extra_state",
        "get_extra_state",
        "register_forward_hook",
        "register_forward_pre_hook",
        "register_full_backward_hook",
        "register_backward_hook",
        "register_full_backward_pre_hook",
        "register_load_state_dict_post_hook",
        "register_state_dict_pre_hook",
        "T_destination",
    }
)
_BUILTINS = frozenset(dir(builtins))


def identifier(text: str, fallback: str = "layer") -> str:
    """`conv 1` -> `conv_1`; `Ünïcode` -> `unicode`; `__import__('os')` -> `import_os`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^0-9A-Za-z_]+", "_", folded).strip("_")
    name = re.sub(r"_+", "_", name)
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def class_name(project_name: str) -> str:
    """A PascalCase class name: "LeNet" stays `LeNet`, "my cool net" becomes `MyCoolNet`."""
    folded = unicodedata.normalize("NFKD", project_name).encode("ascii", "ignore").decode("ascii")
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", folded) if p]
    name = "".join(p[0].upper() + p[1:] for p in parts)
    if not name:
        name = "Net"
    if name[0].isdigit():
        name = f"Net{name}"
    if keyword.iskeyword(name) or name in _BUILTINS or name in RESERVED or name == "Module":
        name = f"{name}Net"
    return name


class Namespace:
    """Hands out unique identifiers; `create(text)` never returns a name twice."""

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._used: set[str] = set(taken)

    def create(self, text: str, fallback: str = "layer") -> str:
        base = identifier(text, fallback)
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base = f"{base}_"
        if base in _BUILTINS or base in RESERVED or base.startswith("_"):
            base = f"{base.lstrip('_') or fallback}_layer"
        name, i = base, 1
        while name in self._used:
            i += 1
            name = f"{base}_{i}"
        self._used.add(name)
        return name

    def reserve(self, name: str) -> None:
        self._used.add(name)
