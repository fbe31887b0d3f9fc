"""Safe, unique Python identifiers made from user text (ids, labels, project names).

User text never reaches generated source as-is: it is reduced to ASCII letters, digits and
underscores, shortened, and kept clear of keywords, builtins and the names generated code relies
on (`torch`, `nn`, `F`, `self`, and every attribute of `nn.Module`).
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata

# Public attributes of nn.Module (torch 2.x) plus the names the generated module uses; a layer
# attribute or a local variable with one of these names would shadow it. A test keeps this list
# in step with the installed torch.
MODULE_ATTRIBUTES = frozenset(
    {
        "T_destination",
        "add_module",
        "apply",
        "bfloat16",
        "buffers",
        "call_super_init",
        "children",
        "compile",
        "cpu",
        "cuda",
        "double",
        "dump_patches",
        "eval",
        "extra_repr",
        "float",
        "forward",
        "get_buffer",
        "get_extra_state",
        "get_parameter",
        "get_submodule",
        "half",
        "ipu",
        "load_state_dict",
        "modules",
        "mps",
        "mtia",
        "named_buffers",
        "named_children",
        "named_modules",
        "named_parameters",
        "parameters",
        "register_backward_hook",
        "register_buffer",
        "register_forward_hook",
        "register_forward_pre_hook",
        "register_full_backward_hook",
        "register_full_backward_pre_hook",
        "register_load_state_dict_post_hook",
        "register_load_state_dict_pre_hook",
        "register_module",
        "register_parameter",
        "register_state_dict_post_hook",
        "register_state_dict_pre_hook",
        "requires_grad_",
        "set_extra_state",
        "set_submodule",
        "share_memory",
        "state_dict",
        "to",
        "to_empty",
        "train",
        "training",
        "type",
        "xpu",
        "zero_grad",
    }
)
GENERATED_NAMES = frozenset({"torch", "nn", "F", "self", "super", "Module", "Tensor"})
RESERVED = MODULE_ATTRIBUTES | GENERATED_NAMES
# Names pycodestyle calls ambiguous (E741: l, O, I look like 1 and 0); ruff flags them as locals.
AMBIGUOUS = frozenset({"l", "O", "I"})
MAX_LENGTH = 32  # long labels are cut at a word boundary so generated lines stay readable
CLASS_MAX_LENGTH = 40
_BUILTINS = frozenset(dir(builtins))


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")


@functools.lru_cache(maxsize=8192)  # the code preview regenerates the same labels on every edit
def identifier(text: str, fallback: str = "layer", max_length: int = MAX_LENGTH) -> str:
    """`conv 1` -> `conv_1`; `Ünïcode` -> `Unicode`; `__import__('os')` -> `import_os`.

    The result is ASCII letters, digits and single underscores, never starts with a digit or an
    underscore, and is at most `max_length` long (or "" if `text` has nothing usable and
    `fallback` is ""). It may still be a keyword or builtin: `Namespace.create` sees to those.
    """
    if len(text) <= max_length and _PLAIN.fullmatch(text):
        return text  # the common case: ids and labels such as conv1, fc_out
    name = re.sub(r"[^0-9A-Za-z]+", "_", _fold(text)).strip("_")
    if not name:
        return _shorten(fallback, max_length)
    if name[0].isdigit():
        name = f"{fallback or 'layer'}_{name}"
    return _shorten(name, max_length)


# Letters with no decomposition that still have a usual ASCII spelling.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L"}
)


def _fold(text: str) -> str:
    """Accents dropped (`é` -> `e`); other non-ASCII characters become separators, so
    "1×28×28" reads `1_28_28`, not `12828`."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_LETTERS)
    return "".join(
        ch if ch.isascii() else "" if unicodedata.combining(ch) else " " for ch in decomposed
    )


def _shorten(name: str, max_length: int) -> str:
    if len(name) <= max_length:
        return name
    cut = name[:max_length]
    word_end = cut.rfind("_")
    if word_end >= max_length // 2:
        cut = cut[:word_end]
    return cut.rstrip("_")


def is_safe(name: str) -> bool:
    """Whether `name` can be bound without shadowing a keyword, builtin or a generated name."""
    return not (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name in _BUILTINS
        or name in RESERVED
        or name in AMBIGUOUS
    )


def class_name(project_name: str) -> str:
    """A PascalCase class name: "LeNet" stays `LeNet`, "my cool net" becomes `MyCoolNet`."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", _fold(project_name)) if p]
    name = "".join(p[0].upper() + p[1:] for p in parts)
    if not name:
        name = "Net"
    if name[0].isdigit():
        name = f"Net{name}"
    name = _shorten(name, CLASS_MAX_LENGTH)
    if not is_safe(name):
        name = f"{name}Net"
    return name


class Namespace:
    """Hands out unique, safe identifiers; `create(text)` never returns a name twice.

    Deterministic: the same requests in the same order give the same names, so colliding labels
    ("conv 1" and "conv_1") become `conv_1` and `conv_1_2` every time.
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._used: set[str] = set(taken)
        self._next: dict[str, int] = {}  # base -> the next suffix to try, so repeats stay O(1)

    def create(self, text: str, fallback: str = "layer") -> str:
        """A new name made from `text`, or from `fallback` if `text` has no usable letters."""
        base = identifier(text, "") or identifier(fallback, "") or "layer"
        if not is_safe(base):
            base = f"{base}_"
        name, i = base, self._next.get(base, 1)
        if i > 1:
            name = f"{base.rstrip('_')}_{i}"
        while name in self._used:
            i += 1
            name = f"{base.rstrip('_')}_{i}"
        self._next[base] = i + 1
        self._used.add(name)
        return name

    def __contains__(self, name: str) -> bool:
        return name in self._used
