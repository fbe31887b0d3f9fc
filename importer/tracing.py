"""Tracing a module into a torch.fx graph, with the concrete value of every node recorded.

torch.nn layers are leaves (they become layer nodes), and so are the model's own submodules and
its `nn.Sequential`s (they become block instances, each traced in turn as its block's drawing),
unless a call passes or returns something besides tensors: such a submodule is traced through,
inline. A symbolic trace comes first; where shape-dependent Python defeats it (a loop over
`x.size()`, as in the classic `num_flat_features`), the trace is repeated with concrete sizes:
shapes then read as plain numbers, which is what a drawing holds anyway.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from i18n import msg
from importer.errors import ImportFailed

BATCH = 2  # the batch of the example inputs: BatchNorm in training mode needs more than one


@dataclass
class Facts:
    """What one fx node produced when the example inputs ran through the trace."""

    shape: tuple[int, ...] | None = None  # a tensor's shape, batch included
    dtype: str | None = None
    value: Any = None  # a non-tensor result (a size, an int, a tuple's structure)
    is_tensor: bool = False


class Captures:
    """Every call of a would-be block in the model's first run: its inputs and its output.

    A block body is traced and run on the inputs its call received; the blocks inside it then
    give the outputs they gave in that first run instead of computing them again, so however
    deep the nesting, the example input goes through each layer about twice, not once per level.
    """

    def __init__(self) -> None:
        self._calls: dict[int, list[tuple[tuple, Any]]] = {}

    def hook(self, module: Any, args: tuple, output: Any) -> None:
        self._calls.setdefault(id(module), []).append((tuple(args), output))

    def output_for(self, module: Any, args: tuple) -> Any:
        """What `module` gave for these very inputs in the first run, or None."""
        import torch

        for seen, output in self._calls.get(id(module), ()):
            if len(seen) == len(args) and all(
                isinstance(a, torch.Tensor)
                and isinstance(b, torch.Tensor)
                and a.shape == b.shape
                and a.dtype == b.dtype
                and torch.equal(a, b)
                for a, b in zip(seen, args, strict=True)
            ):
                return output
        return None


@dataclass
class Trace:
    graph_module: Any  # torch.fx.GraphModule
    facts: dict[Any, Facts] = field(default_factory=dict)  # fx node -> facts
    concrete_sizes: bool = False  # the fallback trace, sizes read as numbers
    root: Any = None  # the traced module itself (the GraphModule keeps only what was called)
    call_args: dict[Any, tuple] = field(default_factory=dict)  # block call -> its real inputs
    captures: Captures | None = None  # the model's first run, shared by every body's trace
    stack_traces: bool = True  # source lines for messages (they cost a third of an import)
    # block call given a list of tensors -> the dim its body first concatenates that list along
    # (densenet's dense layers): the caller draws the Concat, the body takes one tensor
    concatenated: dict[Any, int] = field(default_factory=dict)


def is_layer_module(module: Any) -> bool:
    """A torch.nn module that is one layer (not a container): a leaf of every trace."""
    import torch.nn as nn

    return type(module).__module__.startswith("torch.nn") and not isinstance(
        module, nn.Sequential | nn.ModuleList | nn.ModuleDict
    )


def is_block_module(module: Any) -> bool:
    """A submodule that becomes a block: the model's own classes and nn.Sequential (a
    ModuleList or ModuleDict only where the model's class gives it a forward)."""
    import torch.nn as nn

    if is_layer_module(module):
        return False
    if isinstance(module, nn.ModuleList | nn.ModuleDict):
        return type(module).forward is not nn.Module.forward
    return True


MAX_RETRACES = 50  # each retrace inlines at least one more submodule


def trace(
    module: Any,
    examples: list[Any],
    captures: Captures | None = None,
    stack_traces: bool = True,
    concat_dim: int | None = None,
) -> Trace:
    """The fx trace of `module` run on `examples`; ImportFailed with one line if it cannot be.

    The model's own trace (no `captures`) records every submodule call of its run; a block
    body's trace is given those records. Without `stack_traces`, messages cannot name source
    lines: an import that fails is traced again with them, to say where. With `concat_dim`,
    the one example is a list of tensors that forward first concatenates along that dim: the
    trace starts from the concatenated tensor instead."""
    if captures is not None:
        return _trace(module, examples, captures, stack_traces, concat_dim)
    captures = Captures()
    handles = [
        m.register_forward_hook(captures.hook)
        for path, m in module.named_modules()
        if path and is_block_module(m)
    ]
    try:
        return _trace(module, examples, captures, stack_traces)
    finally:
        for handle in handles:
            handle.remove()


def _trace(
    module: Any,
    examples: list[Any],
    captures: Captures,
    stack_traces: bool,
    hoist: int | None = None,
) -> Trace:
    inline: set[str] = set()
    for _ in range(MAX_RETRACES):
        result = _trace_once(module, examples, frozenset(inline), captures, stack_traces, hoist)
        more = _not_blocks(result)
        if not more:
            return result
        inline |= more
    everything = frozenset(_all_blocks(module))
    return _trace_once(module, examples, everything, captures, stack_traces, hoist)


def _trace_once(
    module: Any,
    examples: list[Any],
    inline: frozenset[str],
    captures: Captures,
    stack_traces: bool,
    hoist: int | None = None,
) -> Trace:
    import torch
    import torch.fx as fx

    module.eval()
    try:
        gm = _symbolic(module, inline, stack_traces)
        concrete = False
    except Exception as exc:  # TraceError, or any Python error a Proxy provokes
        first = exc
        try:
            gm = _concrete(module, examples, inline, stack_traces)
            concrete = True
        except Exception:
            raise ImportFailed(msg("cannot trace the model: {why}", why=_why(first))) from None
    assert isinstance(gm, fx.GraphModule)
    if hoist is not None:  # the caller draws the concatenation: start from its result
        if _concatenation_dim(gm.graph) != hoist:
            raise ImportFailed(
                msg(
                    "cannot trace {name}: its forward no longer starts by concatenating its list",
                    name=type(module).__name__,
                )
            )
        _start_from_concatenation(gm)
        examples = [torch.cat(list(examples[0]), hoist)]
    result = Trace(gm, concrete_sizes=concrete, root=module, captures=captures)
    result.stack_traces = stack_traces
    _Recorder(gm, result).run(*examples)
    result.concatenated = _list_calls(result)
    return result


CONCATENATIONS = ("cat", "concat", "concatenate")  # torch's names for one function


def _concatenation_dim(graph: Any) -> int | None:
    """The dim along which forward's one input goes first and only into torch.cat, or None."""
    import torch

    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1 or len(placeholders[0].users) != 1:
        return None
    (user,) = placeholders[0].users
    is_cat = user.op == "call_function" and any(
        user.target is getattr(torch, name) for name in CONCATENATIONS
    )
    if not is_cat or user.args[:1] != (placeholders[0],):
        return None
    dim = user.args[1] if len(user.args) > 1 else user.kwargs.get("dim", 0)
    return dim if isinstance(dim, int) and not isinstance(dim, bool) else None


def _start_from_concatenation(gm: Any) -> None:
    """forward(inputs) whose first step is torch.cat(inputs, d) -> forward(x) from that result."""
    graph = gm.graph
    (placeholder,) = [n for n in graph.nodes if n.op == "placeholder"]
    (cat,) = placeholder.users
    with graph.inserting_before(placeholder):
        joined = graph.placeholder("x")
    cat.replace_all_uses_with(joined)
    graph.erase_node(cat)
    graph.erase_node(placeholder)
    gm.recompile()


def _list_calls(traced: Trace) -> dict[Any, int]:
    """Block calls given one list of tensors that their forward first concatenates: the dim."""
    import torch.fx as fx

    found: dict[Any, int] = {}
    for n in traced.graph_module.graph.nodes:
        if n.op != "call_module" or n not in traced.call_args or n.kwargs or len(n.args) != 1:
            continue
        items = n.args[0]
        if not isinstance(items, list | tuple) or not items:
            continue
        if not all(isinstance(a, fx.Node) and traced.facts[a].is_tensor for a in items):
            continue
        try:
            tracer = _LeafTracer.make(frozenset(), False)
            dim = _concatenation_dim(tracer.trace(traced.graph_module.get_submodule(n.target)))
        except Exception:  # a forward no symbolic trace gets through: it is traced inline
            continue
        if dim is not None:
            found[n] = dim
    return found


def trains_otherwise(module: Any, traced: Trace) -> bool:
    """Whether `module`'s forward reads `self.training` and it hands its input on in eval, or
    its trace in training mode is another graph (stochastic depth drops its input only in
    training): the drawing, traced in eval mode, would train without that."""
    forward = getattr(type(module).forward, "__code__", None)
    if forward is None or "training" not in forward.co_names:
        return False
    output = next(n for n in traced.graph_module.graph.nodes if n.op == "output")
    if getattr(output.args[0], "op", None) == "placeholder":
        return True  # it hands its input on in eval: what it is for happens in training
    module.train()
    try:
        training = _symbolic(module, frozenset(), stack_traces=False).graph
    except Exception:  # what cannot be traced in training surely acts otherwise there
        return True
    finally:
        module.eval()
    ops = [(n.op, str(n.target)) for n in training.nodes]
    return ops != [(n.op, str(n.target)) for n in traced.graph_module.graph.nodes]


def _not_blocks(traced: Trace) -> set[str]:
    """Submodule calls that cannot be block instances: arguments or results besides tensors
    (but for a list of tensors that the body first concatenates)."""
    import torch.fx as fx

    bad = set()
    for n in traced.graph_module.graph.nodes:
        if n.op != "call_module" or n not in traced.call_args:
            continue
        facts = traced.facts.get(n, Facts())
        inputs_ok = n in traced.concatenated or (
            not n.kwargs
            and all(
                isinstance(a, fx.Node) and traced.facts.get(a, Facts()).is_tensor for a in n.args
            )
        )
        if isinstance(facts.value, tuple):
            outputs_ok = all(isinstance(f, Facts) and f.is_tensor for f in facts.value)
        else:
            outputs_ok = facts.is_tensor
        if not (inputs_ok and outputs_ok and n.args):
            bad.add(n.target)
    return bad


def _all_blocks(module: Any) -> list[str]:
    return [path for path, m in module.named_modules() if path and is_block_module(m)]


class _LeafTracer:
    """Built lazily so that importing this module does not import torch."""

    @staticmethod
    def make(inline: frozenset[str], stack_traces: bool) -> Any:
        import torch
        import torch.fx as fx

        class LeafTracer(fx.Tracer):
            # a buffer read in forward is a get_attr of its own, as a parameter is, so what
            # forward does with it (`self.mean.expand(n, 3, 1, 1)`) is traced, not computed
            proxy_buffer_attributes = True

            def __init__(self) -> None:
                super().__init__()
                self.record_stack_traces = stack_traces

            def is_leaf_module(self, m: torch.nn.Module, qualname: str) -> bool:
                if is_layer_module(m):
                    return True
                return is_block_module(m) and qualname not in inline

        return LeafTracer()


def _symbolic(module: Any, inline: frozenset[str], stack_traces: bool) -> Any:
    import torch.fx as fx

    tracer = _LeafTracer.make(inline, stack_traces)
    graph = tracer.trace(module)
    return fx.GraphModule(tracer.root, graph, type(module).__name__)


def _concrete(module: Any, examples: list[Any], inline: frozenset[str], stack_traces: bool) -> Any:
    """A trace in which `x.size()`, `x.shape` and `x.dim()` are numbers, taken from a real run.

    The proxies carry the real values alongside (computed op by op), so Python that loops over
    a shape or branches on it sees plain ints.
    """
    import torch
    import torch.fx as fx

    base = _LeafTracer.make(inline, stack_traces)
    values: dict[fx.Node, Any] = {}
    inputs = iter(examples)

    class ConcreteTracer(type(base)):  # type: ignore[misc]
        running = False  # computing real values: the tracer's patches must step aside

        def create_proxy(self, kind, target, args, kwargs, *rest, **kw):  # type: ignore[no-untyped-def]
            real = self._compute(kind, target, args, kwargs)
            if kind in ("call_method", "call_function") and _is_shape_query(target, real):
                return real  # a number (or torch.Size) from here on, not a proxy
            proxy = super().create_proxy(kind, target, args, kwargs, *rest, **kw)
            values[proxy.node] = real
            return proxy

        def _compute(self, kind, target, args, kwargs):  # type: ignore[no-untyped-def]
            real_args = _map_all(args, _real)
            real_kwargs = _map_all(kwargs, _real)
            self.running = True
            try:
                if kind == "placeholder":  # an argument without an example: its default
                    return next(inputs, real_args[0] if real_args else None)
                if kind == "get_attr":
                    real = self.root
                    for part in target.split("."):
                        real = getattr(real, part)
                    return real
                if kind == "call_module":
                    return self.root.get_submodule(target)(*real_args, **real_kwargs)
                if kind == "call_method":
                    return getattr(real_args[0], target)(*real_args[1:], **real_kwargs)
                if kind == "call_function":
                    return target(*real_args, **real_kwargs)
                return None
            finally:
                self.running = False

        def call_module(self, m, forward, args, kwargs):  # type: ignore[no-untyped-def]
            if self.running:
                return forward(*args, **kwargs)
            return super().call_module(m, forward, args, kwargs)

        def getattr(self, attr, attr_val, parameter_proxy_cache):  # type: ignore[no-untyped-def]
            if self.running:
                return attr_val
            return super().getattr(attr, attr_val, parameter_proxy_cache)

    def _real(a: Any) -> Any:
        if isinstance(a, fx.Proxy):
            return values[a.node]
        return values[a] if isinstance(a, fx.Node) else a

    tracer = ConcreteTracer()
    # Attribute access `x.shape` goes through Proxy.__getattr__ -> getattr call_function.
    with torch.no_grad():
        graph = tracer.trace(module)
    return fx.GraphModule(tracer.root, graph, type(module).__name__)


def _map_all(value: Any, fn: Any) -> Any:
    if isinstance(value, tuple | list):
        return type(value)(_map_all(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _map_all(v, fn) for k, v in value.items()}
    return fn(value)


def _is_shape_query(target: Any, real: Any) -> bool:
    import builtins

    import torch

    if target in ("size", "dim", "numel") or (target is builtins.getattr and _is_size(real)):
        return True
    return isinstance(real, torch.Size | int) and not isinstance(real, bool)


def _is_size(value: Any) -> bool:
    import torch

    return isinstance(value, torch.Size)


class _Recorder:
    """Runs the graph once and keeps each node's shape, dtype or (non-tensor) value, and the
    inputs of each call of a submodule that becomes a block (its own trace runs on them)."""

    def __init__(self, gm: Any, traced: Trace) -> None:
        import torch.fx as fx

        facts_ = traced.facts
        call_args = traced.call_args
        captures = traced.captures

        class Recorder(fx.Interpreter):
            def run_node(self, n: fx.Node) -> Any:
                result = None
                if n.op == "call_module":
                    submodule = self.module.get_submodule(n.target)
                    if is_block_module(submodule):
                        args, kwargs = self.fetch_args_kwargs_from_env(n)
                        call_args[n] = tuple(args)
                        if captures is not None and not kwargs:
                            result = captures.output_for(submodule, tuple(args))
                if result is None:
                    result = super().run_node(n)
                facts_[n] = _facts(result)
                return result

        self._interpreter = Recorder(gm)

    def run(self, *examples: Any) -> None:
        import torch

        try:
            with torch.no_grad():
                self._interpreter.run(*examples)
        except Exception as exc:
            raise ImportFailed(
                msg("the traced model fails on the example input: {why}", why=_why(exc))
            ) from None


def _facts(result: Any) -> Facts:
    import torch

    if isinstance(result, torch.Tensor):
        return Facts(tuple(result.shape), str(result.dtype).removeprefix("torch."), None, True)
    if isinstance(result, torch.Size):
        return Facts(value=tuple(result))
    if isinstance(result, tuple | list) and any(isinstance(r, torch.Tensor) for r in result):
        return Facts(value=tuple(_facts(r) for r in result))
    return Facts(value=result)


def source_line(node: Any) -> str:
    """`model.py:42` for an fx node traced with stack traces, the innermost user frame."""
    trace_text = node.stack_trace or ""
    found = [
        (path, line)
        for path, line in re.findall(r'File "([^"]+)", line (\d+)', trace_text)
        if _is_user_file(path)
    ]
    if not found:
        return "an unknown line"
    path, line = found[-1]
    return f"{path.rsplit('/', 1)[-1]}:{line}"


def _is_user_file(path: str) -> bool:
    """Frames in the user's code, not in torch's tracing machinery nor in this package."""
    return "/torch/" not in path and not path.startswith(_HERE)


_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    where = _user_frame(exc)
    message = f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
    return f"{message} ({where})" if where else message


def _user_frame(exc: BaseException) -> str:
    """`model.py:12 in forward`: the last frame outside torch, where the trace broke."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_user_file(f.filename)]
    if not frames:
        return ""
    f = frames[-1]
    return f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}"
