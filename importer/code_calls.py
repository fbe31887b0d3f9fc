"""Code nodes in the drawing being built: a submodule whose body does not map (or which acts
differently in training, as stochastic depth does) and a call of a function of the model's
own code that no layer matches. Mixed into the builder of importer/build.py.

The node is named as the module is in its parent, so the generated code's attribute, and with it
every `state_dict` key below it, is the original's. Its shapes are the ones the original gave in
the traced run (`KnownShapes`), so checking the imported drawing runs nothing again.
"""

from __future__ import annotations

import ast
import inspect
import types
from dataclasses import dataclass
from typing import Any

from codegen.namespace import identifier
from graph import Node
from graph.code_runs import CodeOutcome, CodeRequest
from graph.code_source import read_code_class
from graph.model_types import NOT_CALLED_KEY
from i18n import msg
from importer.code_nodes import (
    KnownShapes,
    NoCodeNode,
    class_source,
    constructor_args,
    function_source,
    torch_layer_source,
)
from importer.naming import PATH_KEY, module_extra
from importer.tracing import Facts
from importer.values import Port, Unmapped


class CodeFallback:
    """The builder's Code-node makers; they need its trace, names, wiring and values."""

    trace: Any
    names: Any
    drawing: Any

    def _add(self, node: Node, tensors: list[Any], n: Any) -> Any: ...  # the builder's

    def code_module(self, n: Any, module: Any, args: tuple, node_id: str, why: str) -> Any:
        """The submodule called at `n` (with `args`, mapped) as a Code node holding its class;
        Unmapped saying why not (the original reason `why` first)."""

        if type(module).__module__.split(".")[0] == "torch":
            return Unmapped(why)  # torch's own containers: what is inside them is at fault
        try:
            source = class_source(type(module))
            arguments = constructor_args(module)
            if n.kwargs or len(args) != len(read_code_class(source).inputs):
                raise NoCodeNode(msg("it is called with other arguments than its forward takes"))
            count = sum(p.numel() for p in module.parameters())
            return self._code_node(
                n, node_id, source, arguments, count, n.target, list(args), list(n.args)
            )
        except NoCodeNode as exc:
            return Unmapped(msg("{why}; no Code node either: {reason}", why=why, reason=exc))

    def code_function(self, n: Any, function: Any, args: tuple, kwargs: dict, why: str) -> Any:
        """A call of a Python function of the model's code as a Code node whose forward calls
        it: tensors wired in, other arguments as the node's constructor arguments."""

        try:
            bound = inspect.signature(function).bind(*n.args, **n.kwargs)
        except (TypeError, ValueError):
            return Unmapped(why)
        values = inspect.signature(function).bind(*args, **kwargs).arguments
        inputs: list[str] = []
        tensors: list[Any] = []
        sources: list[Any] = []
        constants: dict[str, Any] = {}
        try:
            for name in bound.arguments:
                value = values[name]
                parameter = bound.signature.parameters[name]
                if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                    raise NoCodeNode(
                        msg("{name}() is called with *args or **kwargs", name=function.__name__)
                    )
                if isinstance(value, Port):
                    inputs.append(name)
                    tensors.append(value)
                    sources.append(bound.arguments[name])
                elif isinstance(value, Unmapped):
                    return value
                elif _plain(value) and not hasattr(_module_type(), name):
                    constants[name] = list(value) if isinstance(value, tuple) else value
                else:
                    raise NoCodeNode(
                        msg("its argument {name} is no tensor and no plain value", name=name)
                    )
            if not inputs:
                raise NoCodeNode(msg("it takes no tensor"))
            source = function_source(function, tuple(inputs), tuple(constants))
        except NoCodeNode as exc:
            return Unmapped(msg("{why}; no Code node either: {reason}", why=why, reason=exc))
        node_id = self.names.fresh(identifier(function.__name__.strip("_"), "code"))
        try:
            return self._code_node(n, node_id, source, constants, 0, None, tensors, sources)
        except NoCodeNode as exc:
            return Unmapped(msg("{why}; no Code node either: {reason}", why=why, reason=exc))

    def _code_node(
        self,
        n: Any,
        node_id: str,
        source: str,
        arguments: dict[str, Any],
        count: int,
        path: str | None,
        tensors: list[Any],
        tensor_nodes: list[Any],
    ) -> Any:

        facts = self.trace.facts.get(n, Facts())
        results = facts.value if isinstance(facts.value, tuple) else (facts,)
        if not all(isinstance(f, Facts) and f.is_tensor and f.shape for f in results) or (
            isinstance(facts.value, tuple) and len(results) < 2
        ):
            raise NoCodeNode(msg("it returns something besides tensors"))
        given = [self.trace.facts.get(a, Facts()) for a in tensor_nodes]
        if not all(f.is_tensor and f.shape for f in given):
            raise NoCodeNode(msg("it takes something besides tensors"))
        params: dict[str, Any] = {"source": source}
        if arguments:
            params["args"] = arguments
        if len(results) != 1:
            params["outputs"] = len(results)
        node = Node(node_id, "Code", params)
        if path is not None:
            node.extra.update(module_extra(self.trace.root, path))
        problem = self._add(node, tensors, n)
        if problem is not None:
            return problem
        request = CodeRequest(
            source,
            dict(arguments),
            len(results),
            tuple((tuple(f.shape[1:]), f.dtype or "float32") for f in given),
        )
        outputs = tuple((tuple(f.shape[1:]), f.dtype or "float32") for f in results)
        known: KnownShapes = self.drawing.known
        known.add(request, CodeOutcome(outputs, count))
        if "outputs" in params:
            return tuple(Port(node_id, i) for i in range(len(results)))
        return Port(node_id)


def _plain(value: Any) -> bool:
    from graph.params import _is_plain

    return _is_plain(value)


def _module_type() -> type:
    import torch.nn as nn

    return nn.Module


def is_code_function(target: Any) -> bool:
    """A function of the model's own code (or torchvision's), whose source a Code node can
    hold: not torch's."""
    owner = getattr(target, "__module__", None) or ""
    return isinstance(target, types.FunctionType) and owner.split(".")[0] != "torch"


@dataclass
class _Kept:
    path: str
    source: str
    arguments: dict[str, Any]
    count: int


class KeptModules:
    """Submodules the traced module owns but never calls in eval (googlenet's aux heads): kept
    as Code nodes built in __init__ and never called, so the state_dict stays the model's."""

    trace: Any
    names: Any
    drawing: Any
    project: Any
    library: Any
    path: str

    def kept_modules(self) -> list[_Kept]:
        """The uncalled submodules with weights, each by its outermost path, as Code nodes to
        place; those that cannot be one are named in a note. Their classes' names are kept
        from the block definitions."""
        graph = self.trace.graph_module.graph
        called = {n.target for n in graph.nodes if n.op == "call_module"}
        used = {str(n.target).rsplit(".", 1)[0] for n in graph.nodes if n.op == "get_attr"}
        covered: set[str] = set(called) | used
        kept: list[_Kept] = []
        for path, module in self.trace.root.named_modules():
            if not path or any(path == c or path.startswith(c + ".") for c in covered):
                continue
            if any(c.startswith(path + ".") for c in covered):
                continue  # partly called: what is not is found further in
            if not _has_state(module) and not _holds_a_place(self.trace.root, path):
                continue
            covered.add(path)
            try:
                if type(module).__module__.split(".")[0] == "torch":
                    source = torch_layer_source(type(module))  # a layer of torch.nn
                else:
                    source = class_source(type(module))
                arguments = constructor_args(module)
            except NoCodeNode:
                self.drawing.owned_unused.append(f"{self.path}.{path}" if self.path else path)
                continue
            count = sum(p.numel() for p in module.parameters())
            kept.append(_Kept(path, source, arguments, count))
            for statement in ast.parse(source).body:
                if isinstance(statement, ast.ClassDef | ast.FunctionDef):
                    self.library.reserve(statement.name)
        return kept

    def place_kept(self, kept: list[_Kept]) -> None:
        """Each kept module's node, placed in the drawing where the model defines it (before
        the first node of a submodule defined after it), so the generated __init__ builds it
        in the model's order."""
        order = {path: i for i, (path, _) in enumerate(self.trace.root.named_modules())}
        for item in kept:
            node_id = self.names.module(item.path, 1)
            params: dict[str, Any] = {"source": item.source}
            if item.arguments:
                params["args"] = item.arguments
            extra = {**module_extra(self.trace.root, item.path), NOT_CALLED_KEY: True}
            node = Node(node_id, "Code", params, extra=extra)
            self.project.add_node(node, self._kept_place(item.path, order))
            request = CodeRequest(item.source, dict(item.arguments), 1, ())
            self.drawing.known.add(request, CodeOutcome((), item.count))

    def _kept_place(self, path: str, order: dict[str, int]) -> int | None:
        """Where a kept module's node goes among the drawing's nodes: right after the member
        before it in the same container (`layers_0` for `layers.1`), whatever functions
        follow that one; otherwise before the first node of a submodule defined after it."""
        mine = order.get(path, len(order))
        paths = [node.extra.get(PATH_KEY, "") for node in self.project.nodes]
        parent = path.rpartition(".")[0]
        if parent:
            siblings = [
                i
                for i, other in enumerate(paths)
                if other.startswith(parent + ".") and order.get(other, mine) < mine
            ]
            if siblings:
                return siblings[-1] + 1
        return next((i for i, other in enumerate(paths) if order.get(other, -1) > mine), None)


def _has_state(module: Any) -> bool:
    return any(True for _ in module.parameters()) or any(True for _ in module.buffers())


def _holds_a_place(root: Any, path: str) -> bool:
    """Whether the module at `path` is an uncalled member of an nn.ModuleList before a member
    with weights: drawn or not, it keeps the later members' positions, and so their keys
    (`layers.2.weight` stays `layers.2`, not `layers.1`)."""
    import torch.nn as nn

    parent_path, _, name = path.rpartition(".")
    parent = root.get_submodule(parent_path) if parent_path else root
    if type(parent) is not nn.ModuleList:
        return False
    names = list(parent._modules)
    return any(_has_state(parent._modules[later]) for later in names[names.index(name) + 1 :])
