"""What does not map becomes a Code node holding the original module's class (or function).

A Code node needs the class's source and its exact constructor arguments. The source comes from
`inspect`, with what it uses from its module: imports of torch and standard modules are written
as imports, the module's own functions and classes (torchvision's `shifted_window_attention`,
googlenet's `BasicConv2d`) are copied before the class. Constructor arguments cannot be read
back from an arbitrary class's attributes, so they are recorded while the importer builds the
model (`recording_constructors`: a profile hook sees each `nn.Module.__init__` call with exactly
the arguments it was given).
Only arguments the project file can hold (numbers, booleans, text, lists, None) are kept;
anything else makes the Code node impossible, and the caller says so in one line.

Importing runs the model's code anyway (the user agreed to that); the Code node's source is only
ever run again where the project is trusted.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import inspect
import math
import sys
import textwrap
import types
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from codegen.user_classes import formatted
from graph.code_runs import CodeOutcome, CodeRequest
from graph.code_source import IMPORTABLE, PROVIDED, CodeSourceError, read_code_class
from graph.params import _is_plain
from i18n import msg


class NoCodeNode(ValueError):
    """Why a module or function cannot become a Code node (one line)."""


@dataclass(frozen=True)
class _Call:
    init: Any  # the __init__ function that ran first for the object (its class's own, or a base's)
    arguments: dict[str, Any]  # its arguments as given, self left out


_calls: weakref.WeakKeyDictionary[Any, _Call] = weakref.WeakKeyDictionary()


@contextlib.contextmanager
def recording_constructors() -> Iterator[None]:
    """Record the constructor arguments of every nn.Module built inside (this thread). Under
    a profiler (which holds the one hook) nothing is recorded, and no Code node can be made."""
    import torch.nn as nn

    module_type = nn.Module
    if sys.getprofile() is not None:  # a profiler runs already: it keeps the hook
        yield
        return

    def profile(frame: Any, event: str, _arg: Any) -> None:
        if event != "call" or frame.f_code.co_name != "__init__":
            return
        code = frame.f_code
        if not code.co_argcount:
            return
        local = frame.f_locals
        obj = local.get(code.co_varnames[0])
        if not isinstance(obj, module_type):
            return
        try:
            if obj in _calls:
                return  # a base class's __init__ called from the class's own: not the call
        except TypeError:
            return  # not hashable or weak-referenceable: it cannot become a Code node
        init = _init_function(type(obj), code)
        if init is None:
            return
        names = inspect.signature(init).parameters
        arguments = {name: _snapshot(local[name]) for name in list(names)[1:] if name in local}
        with contextlib.suppress(TypeError):
            _calls[obj] = _Call(init, arguments)

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)


def _init_function(cls: type, code: Any) -> Any:
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if getattr(init, "__code__", None) is code:
            return init
    return None


class _NotPlain:
    """A recorded argument the project file cannot hold (an object, a function, a class)."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _snapshot(value: Any) -> Any:
    """The value as the file would hold it (tuples as lists), copied now: the constructor may
    change a list it was given."""
    if isinstance(value, tuple | list) and _is_plain(value):
        return [_snapshot(v) for v in value]
    if _is_plain(value):
        return value
    return _NotPlain(value)


def constructor_args(module: Any) -> dict[str, Any]:
    """The keyword arguments that build `module` again; NoCodeNode saying why there are none."""
    call = _calls.get(module)
    if call is None:
        raise NoCodeNode(msg("its constructor arguments were not seen while it was built"))
    found: dict[str, Any] = {}
    for name, parameter in list(inspect.signature(call.init).parameters.items())[1:]:
        value = call.arguments.get(name)
        if parameter.kind is parameter.VAR_POSITIONAL:
            if value is None or (isinstance(value, list) and not value):
                continue
            raise NoCodeNode(msg("it was built with positional arguments (*{name})", name=name))
        if parameter.kind is parameter.POSITIONAL_ONLY:
            raise NoCodeNode(msg("its constructor takes positional-only arguments"))
        if parameter.kind is parameter.VAR_KEYWORD:
            items = value.value.items() if isinstance(value, _NotPlain) else ()
            for key, item in items:
                found[key] = _plain_argument(key, _snapshot(item))
            continue
        default = parameter.default
        if isinstance(value, _NotPlain):
            if value.value is default:
                continue
            raise NoCodeNode(
                msg(
                    "its constructor argument {name} is {kind}, which a project file cannot hold",
                    name=name,
                    kind=type(value.value).__name__,
                )
            )
        if default is not parameter.empty and _same(value, default):
            continue
        found[name] = value
    return found


def _plain_argument(name: str, value: Any) -> Any:
    if isinstance(value, _NotPlain):
        raise NoCodeNode(
            msg(
                "its constructor argument {name} is {kind}, which a project file cannot hold",
                name=name,
                kind=type(value.value).__name__,
            )
        )
    return value


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, tuple):
        default = _snapshot(default)
    return type(value) is type(default) and value == default


# --- sources -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def class_source(cls: type) -> str:
    """The class's source with the imports and functions it needs from its module, formatted
    as the exported module writes it; NoCodeNode saying why not."""
    if cls.__qualname__ != cls.__name__:  # inside a function: names of its scope are lost
        raise NoCodeNode(msg("{name} is defined inside a function or class", name=cls.__qualname__))
    text = _source_of(cls)
    module = sys.modules.get(cls.__module__)
    return _assemble(text, cls.__name__, vars(module) if module is not None else {})


def function_source(function: Any, inputs: tuple[str, ...], constants: tuple[str, ...]) -> str:
    """A Code node's source for one call of `function`: a class whose forward calls it, taking
    the tensors as inputs and the other arguments (`constants`) as constructor arguments."""
    name = "".join(w[:1].upper() + w[1:] for w in function.__name__.split("_") if w)
    if not name.isidentifier() or name in PROVIDED:
        raise NoCodeNode(msg("{name}() has no name a class can take", name=function.__name__))
    lines = [f"class {name}(nn.Module):"]
    if constants:
        lines.append(f"    def __init__(self, {', '.join(constants)}):")
        lines.append("        super().__init__()")
        lines += [f"        self.{c} = {c}" for c in constants]
        lines.append("")
    given = [*inputs, *(f"{c}=self.{c}" for c in constants)]
    lines.append(f"    def forward(self, {', '.join(inputs)}):")
    lines.append(f"        return {function.__name__}({', '.join(given)})")
    names = {**function.__globals__, function.__name__: function}
    return _assemble("\n".join(lines), name, names)


def is_function_class(module: Any) -> bool:
    """A module of a class as `function_source` writes one, without weights: the exported form
    of a Code node calling a function (one the model wrapped for fx, such as swin's
    `_patch_merging_pad`). Imported again it is that Code node, not a block of the function's
    body (which fx follows once the function is no longer wrapped)."""
    cls = type(module)
    forward, init = cls.__dict__.get("forward"), cls.__dict__.get("__init__")
    if forward is None or any(True for _ in module.children()) or module.state_dict():
        return False
    try:
        (statement,) = ast.parse(textwrap.dedent(inspect.getsource(forward))).body[0].body
        function = vars(sys.modules[cls.__module__])[statement.value.func.id]
        inputs = tuple(inspect.signature(forward).parameters)[1:]
        constants = tuple(inspect.signature(init).parameters)[1:] if init is not None else ()
        return class_source(cls) == function_source(function, inputs, constants)
    except (NoCodeNode, AttributeError, KeyError, TypeError, ValueError, SyntaxError):
        return False  # any other form: not such a class


def torch_layer_source(cls: type) -> str:
    """A Code node's source for a torch.nn layer kept but not called: the layer itself, under
    its own name (`class Linear(nn.Linear):`), built with the arguments the model gave it."""
    import torch.nn as nn

    name = cls.__name__
    if getattr(nn, name, None) is not cls or not isinstance(cls, type):
        raise NoCodeNode(msg("{name} is not a layer of torch.nn", name=name))
    text = (
        f"class {name}(nn.{name}):\n    def forward(self, x):\n        return super().forward(x)\n"
    )
    return _assemble(formatted(text), name, {})


def _source_of(obj: Any) -> str:
    try:
        return formatted(inspect.getsource(obj))
    except (OSError, TypeError):
        raise NoCodeNode(
            msg("the source of {name} cannot be found", name=getattr(obj, "__qualname__", obj))
        ) from None


def _assemble(class_text: str, class_name: str, names: dict[str, Any]) -> str:
    imports: list[str] = []
    functions: list[str] = []
    seen: set[str] = {class_name}
    _collect(class_text, names, imports, functions, seen)
    pieces = ["\n".join(imports)] if imports else []
    pieces += [*functions, class_text]
    source = "\n\n\n".join(pieces) + "\n"
    try:
        read_code_class(source)
    except CodeSourceError as exc:
        raise NoCodeNode(exc.message) from None
    return source


def _collect(
    text: str, names: dict[str, Any], imports: list[str], functions: list[str], seen: set[str]
) -> None:
    """Imports and functions for the module-level names `text` uses, in order of first use."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        raise NoCodeNode(msg("its source cannot be read on its own")) from None
    for name in _loaded_names(tree):
        if name in seen or name not in names:
            continue  # a builtin, a local, or done already
        seen.add(name)
        value = names[name]
        if name in PROVIDED and value is _provided(name):
            continue
        line = _import_line(name, value)
        if line is not None:
            if line not in imports:
                imports.append(line)
            continue
        if isinstance(value, types.FunctionType) and _own_function(name, value):
            function_text = _source_of(value)
            _collect(function_text, value.__globals__, imports, functions, seen)
            functions.append(function_text)
            continue
        if isinstance(value, type) and value.__qualname__ == name:  # googlenet's BasicConv2d
            owner = sys.modules.get(value.__module__)
            class_text = _source_of(value)
            _collect(class_text, vars(owner) if owner else {}, imports, functions, seen)
            functions.append(class_text)
            continue
        raise NoCodeNode(
            msg(
                "it uses {name} ({kind}) from its module, which a Code node cannot hold",
                name=name,
                kind=type(value).__name__,
            )
        )


def _loaded_names(tree: ast.AST) -> list[str]:
    """The names the text reads, builtins left out, in order of first use."""
    uses = sorted(
        (node.lineno, node.col_offset, node.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    )
    found: dict[str, None] = {}
    for _, _, name in uses:
        if not hasattr(builtins, name):
            found.setdefault(name)
    return list(found)


def _provided(name: str) -> Any:
    import torch
    import torch.nn.functional as F
    from torch import nn

    return {"torch": torch, "nn": nn, "F": F, "math": math}[name]


def _importable(module: str) -> bool:
    return module.split(".")[0] == "torch" or module in IMPORTABLE or module == "collections.abc"


def _import_line(name: str, value: Any) -> str | None:
    """`from torch import Tensor`, `from typing import Optional`, `import torch.fx`: how the
    exported module gets the value under `name`; None where no import of torch or a standard
    module gives it."""
    if isinstance(value, types.ModuleType):
        full = value.__name__
        if not _importable(full):
            return None
        if full == name:
            return f"import {name}"
        parent, _, last = full.rpartition(".")
        if parent and last == name:
            return f"from {parent} import {name}"
        return f"import {full} as {name}"
    owner = getattr(value, "__module__", None)
    if not isinstance(owner, str) or not _importable(owner):
        # `types.FunctionType` says it is from builtins: found where the standard module has it
        owner = next(
            (m for m in sorted(IMPORTABLE) if getattr(sys.modules.get(m), name, None) is value),
            None,
        )
        if owner is None:
            return None
    module = sys.modules.get(owner)
    for attribute in (name, getattr(value, "__name__", None)):
        if isinstance(attribute, str) and getattr(module, attribute, None) is value:
            return (
                f"from {owner} import {name}"
                if attribute == name
                else f"from {owner} import {attribute} as {name}"
            )
    return None


def _own_function(name: str, function: Any) -> bool:
    """A plain module-level function of the model's code, copied beside the class."""
    return (
        function.__name__ == name
        and function.__qualname__ == name
        and function.__closure__ is None
        and function.__name__ not in PROVIDED
    )


# --- shapes ------------------------------------------------------------------------------------


class KnownShapes:
    """The importer's CodeRunner: a Code node it made gives the shapes the original module gave
    in the traced run (the import ran the model's code already); anything else is refused, so
    an edited node waits for the trusted worker of the editor or the command line."""

    def __init__(self) -> None:
        self._known: dict[str, CodeOutcome] = {}

    def add(self, request: CodeRequest, outcome: CodeOutcome) -> None:
        self._known[request.key()] = outcome

    def run(self, request: CodeRequest) -> CodeOutcome | None:
        found = self._known.get(request.key())
        if found is not None:
            return found
        return CodeOutcome(failure="crash", detail=msg("it was changed after the import"))
