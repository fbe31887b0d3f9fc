"""A Code node's source, read without running it: one `nn.Module` class, its ports and arguments.

Only `ast` looks at the text here, so a project can be opened, checked for syntax and drawn
with its ports without executing a line of it (running happens in runtime/code_worker.py).

Before its class, a source may hold what the class needs from its own module (an imported
model's class keeps its helpers): imports from torch and a few standard modules (`IMPORTABLE`),
functions and other classes. The last statement is the node's class; nothing else runs at
module level (no assignments, no calls).
"""

from __future__ import annotations

import ast
import hashlib
import keyword
from dataclasses import dataclass
from functools import lru_cache

from i18n import msg

# The names a Code node's source may use without importing them; the exported module has them.
PROVIDED = ("torch", "nn", "F", "math")
_MODULE_PREFIXES = ("nn.", "torch.nn.")  # nn.Module, or a torch.nn layer it extends
# What a source may import besides torch: standard modules that name types and small helpers.
IMPORTABLE = frozenset(
    {"typing", "math", "functools", "collections", "types", "numbers", "itertools", "operator"}
)

TEMPLATE = '''class MyLayer(nn.Module):
    """Your own layer: build it in __init__, compute it in forward."""

    def __init__(self, scale: float = 2.0):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        return x * self.scale
'''


class CodeSourceError(ValueError):
    """The source is not one nn.Module class; `line` is the user's line at fault (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class CodeClass:
    """What the text of a Code node defines, as read by `ast`."""

    name: str  # the class name: `CenteredLayer`
    inputs: tuple[str, ...]  # forward's positional parameters without defaults: the input ports
    init_args: tuple[str, ...]  # __init__'s keyword-able parameters
    required_args: tuple[str, ...]  # those without a default
    any_kwargs: bool  # __init__ takes **kwargs


def source_digest(source: str) -> str:
    """A short stable hash of a source: what shape results are remembered by."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@lru_cache(maxsize=256)
def read_code_class(source: str) -> CodeClass:
    """The class the source defines, or CodeSourceError naming the line at fault."""
    if not isinstance(source, str) or not source.strip():
        raise CodeSourceError(msg("the code is empty; write one nn.Module class"))
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CodeSourceError(
            msg("line {line}: {error}", line=exc.lineno or 1, error=exc.msg), exc.lineno or 1
        ) from None
    except (ValueError, MemoryError, RecursionError) as exc:  # null bytes, absurd nesting
        raise CodeSourceError(msg("the code cannot be read: {error}", error=str(exc))) from None
    body = list(tree.body)
    if body and _is_docstring(body[0]):
        body = body[1:]
    for statement in body:
        problem = _module_level_problem(statement)
        if problem is not None:
            raise CodeSourceError(problem, statement.lineno)
    classes = [n for n in body if isinstance(n, ast.ClassDef)]
    if not classes or body[-1] is not classes[-1]:
        line = body[-1].lineno if body else 1
        raise CodeSourceError(_one_class(line), line)
    cls = classes[-1]  # the node's class; classes before it are helpers it uses
    bases = [ast.unparse(b) for b in cls.bases]
    if (
        cls.decorator_list
        or cls.keywords
        or len(bases) != 1
        or not bases[0].startswith(_MODULE_PREFIXES)
        or not bases[0].rpartition(".")[2].isidentifier()
    ):
        raise CodeSourceError(
            msg(
                "line {line}: class {name} must be written `class {name}(nn.Module):`",
                line=cls.lineno,
                name=cls.name,
            ),
            cls.lineno,
        )
    if cls.name in PROVIDED or keyword.iskeyword(cls.name):
        raise CodeSourceError(
            msg("line {line}: a class may not be named {name}", line=cls.lineno, name=cls.name),
            cls.lineno,
        )
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}
    forward = methods.get("forward")
    if forward is None:
        raise CodeSourceError(
            msg("line {line}: class {name} needs a forward method", line=cls.lineno, name=cls.name),
            cls.lineno,
        )
    inputs = _positional_without_default(forward.args)
    if not inputs:
        raise CodeSourceError(
            msg(
                "line {line}: forward must take at least one tensor, as in `def forward(self, x)`",
                line=forward.lineno,
            ),
            forward.lineno,
        )
    init = methods.get("__init__")
    init_args: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # A class without its own __init__ takes its torch.nn base's arguments (LayerNorm2d
    # extends nn.LayerNorm): which they are is only known when it runs.
    any_kwargs = init is None and bases[0] not in ("nn.Module", "torch.nn.Module")
    if init is not None:
        a = init.args
        named = [*a.posonlyargs, *a.args][1:] + a.kwonlyargs
        init_args = tuple(p.arg for p in named if p not in a.posonlyargs)
        positional = [*a.posonlyargs, *a.args][1:]
        first_default = len(positional) - len(a.defaults)
        required = tuple(p.arg for p in positional[:first_default]) + tuple(
            p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is None
        )
        any_kwargs = a.kwarg is not None
    return CodeClass(cls.name, inputs, init_args, required, any_kwargs)


def _one_class(line: int) -> str:
    return msg(
        "line {line}: the code must end with one nn.Module class, the node's, after the "
        "imports, functions and classes it needs; torch, nn, F and math are there without "
        "imports",
        line=line,
    )


def _module_level_problem(statement: ast.stmt) -> str | None:
    """Why a statement cannot stand at the source's module level, or None: imports of torch
    and the modules of IMPORTABLE, function definitions and the class."""
    line = statement.lineno
    if isinstance(statement, ast.FunctionDef) and statement.name in PROVIDED:
        return msg(
            "line {line}: a function may not be named {name}", line=line, name=statement.name
        )
    if isinstance(statement, ast.ClassDef | ast.FunctionDef):
        return None
    if isinstance(statement, ast.Import | ast.ImportFrom):
        if isinstance(statement, ast.ImportFrom):
            modules = [statement.module or ""] if not statement.level else [""]
            star = any(a.name == "*" for a in statement.names)
        else:
            modules = [a.name for a in statement.names]
            star = False
        if not star and all(_importable(m) for m in modules):
            return None
        return msg(
            "line {line}: a Code node may import only from torch and {modules}",
            line=line,
            modules=", ".join(sorted(IMPORTABLE)),
        )
    return _one_class(line)


def _importable(module: str) -> bool:
    top = module.split(".")[0]
    return top == "torch" or (module in IMPORTABLE or module == "collections.abc")


def _positional_without_default(args: ast.arguments) -> tuple[str, ...]:
    positional = [*args.posonlyargs, *args.args][1:]  # self left out
    count = len(positional) - len(args.defaults)
    return tuple(p.arg for p in positional[:count])


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def args_problem(code: CodeClass, args: dict) -> str | None:
    """Why `args` cannot be passed to the class's constructor, or None when they can."""
    for name in args:
        if name not in code.init_args and not code.any_kwargs:
            accepted = ", ".join(code.init_args) or msg("no arguments")
            return msg(
                "{name}() has no argument {arg}; it takes {accepted}",
                name=code.name,
                arg=name,
                accepted=accepted,
            )
    missing = [a for a in code.required_args if a not in args]
    if missing:
        return msg(
            "{name}() needs the argument {arg}; give it under args",
            name=code.name,
            arg=missing[0],
        )
    return None


def is_argument_name(name: object) -> bool:
    """An `args` key must be a plain identifier (it becomes a keyword in the exported call)."""
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)


def parse_args_text(text: str) -> dict:
    """`in_units=64, out_units=8` (as typed in the inspector) -> {"in_units": 64, ...}; values
    are Python literals. ValueError with a sentence if the text is not of that form."""
    text = text.strip()
    if not text:
        return {}
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except SyntaxError:
        call = None
    if not isinstance(call, ast.Call) or call.args:
        raise ValueError(msg("write the arguments as name=value, separated by commas"))
    found = {}
    for item in call.keywords:
        if item.arg is None:
            raise ValueError(msg("write the arguments as name=value, separated by commas"))
        try:
            found[item.arg] = ast.literal_eval(item.value)
        except ValueError:
            raise ValueError(
                msg("{name}: the value must be a number, True/False, text or a list", name=item.arg)
            ) from None
    return found


def format_args(args: dict) -> str:
    """The inverse of `parse_args_text`: `in_units=64, out_units=8`."""
    return ", ".join(f"{name}={value!r}" for name, value in args.items())
