"""Calls of the traced module's submodules: a torch.nn layer becomes its layer node, one of
the model's own modules a block instance (its body traced on the inputs it got), a module
called again a node sharing the first call's."""

from __future__ import annotations

from typing import Any

from graph import Node, Project
from i18n import msg
from importer.code_nodes import is_function_class
from importer.errors import ImportFailed
from importer.modules import module_arguments, spec_for_module
from importer.naming import PATH_KEY, module_extra
from importer.tracing import Facts, source_line, trace, trains_otherwise
from importer.values import Drawing, Port, Unmapped, is_plain, result_ports


class ModuleCalls:
    """The builder's part for `call_module` nodes; it needs the builder's state and helpers."""

    gm: Any
    trace: Any
    calls: dict[str, int]
    names: Any
    drawing: Drawing
    project: Project
    library: Any
    path: str
    functions: dict

    def _add(self, node: Node, tensors: list[Any], n: Any) -> Unmapped | None: ...
    def _op(self, n: Any, rule: Any, args: tuple, kwargs: dict) -> Any: ...
    def code_module(self, *args: Any) -> Any: ...  # importer.code_calls.CodeFallback's

    def _module_call(self, n: Any, args: tuple, kwargs: dict) -> Any:
        module = self.gm.get_submodule(n.target)
        if n in self.trace.call_args:
            return self._block_call(n, module, args)
        spec = spec_for_module(module)
        where = msg(
            "'{name}' ({module}, called at {line})",
            name=n.target,
            module=type(module).__name__,
            line=source_line(n),
        )
        if spec is None:
            return Unmapped(msg("no layer matches {where}", where=where))
        while args and args[-1] is None:  # `self.rnn(x, None)`: torch's default, as if left out
            args = args[:-1]
        count = self.calls.get(n.target, 0) + 1
        self.calls[n.target] = count
        shares = self._shared_call(n.target, module, count, where)
        if isinstance(shares, Unmapped):
            return shares
        try:
            params, inferred = module_arguments(spec, module)
        except ValueError as exc:
            return Unmapped(
                msg("{where} has an argument no layer can hold: {why}", where=where, why=exc)
            )
        tensors = [a for a in args if not is_plain(a)]
        if spec.type == "MultiheadAttention":
            if len(args) < 3 or not (args[0] == args[1] == args[2]):
                return Unmapped(
                    msg("{where} is not self-attention (query, key and value differ)", where=where)
                )
            tensors = [args[0]]
        elif kwargs or len(tensors) != len(args):
            return Unmapped(msg("{where} takes arguments besides its input tensors", where=where))
        node_id = self.names.module(n.target, count)
        node = Node(
            node_id,
            spec.type,
            params,
            extra=module_extra(self.trace.root, n.target, count),
            shares=shares,
        )
        problem = self._add(node, tensors, n)
        if problem is not None:
            return problem
        self.drawing.inferred[node_id] = inferred
        self.drawing.module_nodes.setdefault(n.target, node_id)
        return result_ports(spec.type, node_id, len(spec.outputs))

    def _shared_call(
        self, target: str, module: Any, count: int, where: str
    ) -> str | Unmapped | None:
        """For a module with weights called again (`self.linear` twice, as D2L's
        FixedHiddenMLP does), the node of its first call, which the new node shares: one layer
        called twice, weights counted once. None for a first call or a module without
        weights, which is simply drawn again."""
        if count == 1 or not any(True for _ in module.parameters()):
            return None
        first = self.drawing.module_nodes.get(target)
        if first is None:
            return Unmapped(
                msg(
                    "{where} is called again, but its first call is not drawn as a layer or block",
                    where=where,
                )
            )
        return first

    def _block_call(self, n: Any, module: Any, args: tuple) -> Any:
        """A submodule of the model's own: traced on the inputs it got, drawn as a block body,
        and placed here as an instance of the definition that body shares."""
        where = msg(
            "'{name}' ({module}, called at {line})",
            name=n.target,
            module=type(module).__name__,
            line=source_line(n),
        )
        count = self.calls.get(n.target, 0) + 1
        self.calls[n.target] = count
        shares = self._shared_call(n.target, module, count, where)
        if isinstance(shares, Unmapped):
            return shares
        concat_dim = self.trace.concatenated.get(n)
        if concat_dim is not None:  # its body begins with torch.cat of the list: drawn here
            args = (self._op(n, self.functions[torch_cat()], (args[0], concat_dim), {}),)
        for a in args:
            if not isinstance(a, Port):
                if isinstance(a, Unmapped):
                    return a
                return Unmapped(msg("{where} takes a non-tensor", where=where))
        path = f"{self.path}.{n.target}" if self.path else n.target
        node_id = self.names.module(n.target, count)
        body = Project(type(module).__name__)
        drawing = Drawing(body, known=self.drawing.known)
        if concat_dim is None and is_function_class(module):  # a Code node exported: one again
            made = self.code_module(n, module, args, node_id, "")
            if not isinstance(made, Unmapped):
                return made
        try:  # what does not map, or acts otherwise in training, is a Code node where it can be
            traced = trace(
                module,
                list(self.trace.call_args[n]),
                self.trace.captures,
                self.trace.stack_traces,
                concat_dim,
            )
            builder = type(self)(
                type(module).__name__, traced, [], self.library, path, drawing, body
            )
            inner = builder.build_body()
        except ImportFailed as exc:
            why = getattr(exc, "reason", None) or str(exc)
            if concat_dim is not None:  # its class takes the list, not the concatenation
                return Unmapped(why)
            return self.code_module(n, module, args, node_id, why)
        if concat_dim is None and (
            builder.drawing.left_out or trains_otherwise(module, traced) or _one_call(inner)
        ):
            made = self.code_module(n, module, args, node_id, "")
            if not isinstance(made, Unmapped):
                return made
        self.drawing.owned_unused.extend(builder.drawing.owned_unused)
        self.drawing.left_out |= builder.drawing.left_out
        extra = module_extra(self.trace.root, n.target, count)
        node = Node(node_id, "", {}, extra=extra, shares=shares)
        node.type = self.library.add(module, path, inner, node)
        if shares is not None and node.type != self.project.node(shares).type:
            return Unmapped(
                msg("{where} is called again, and acts otherwise this time", where=where)
            )
        problem = self._add(node, list(args), n)
        if problem is not None:
            return problem
        self.drawing.module_nodes.setdefault(n.target, node_id)
        outputs = [m for m in inner.nodes if m.type == "Output"]
        facts = self.trace.facts.get(n, Facts())
        if isinstance(facts.value, tuple):
            return tuple(Port(node_id, i) for i in range(len(outputs)))
        return Port(node_id)


def _one_call(body: Project) -> bool:
    """A body that is one call made a Code node (a class around `x.cumsum(self.dim)`, as the
    exported code has for one): the class itself is that Code node, so importing the exported
    code gives the drawing back."""
    inner = [node for node in body.nodes if node.type not in ("Input", "Output")]
    return len(inner) == 1 and inner[0].type == "Code" and PATH_KEY not in inner[0].extra


def torch_cat() -> Any:
    import torch

    return torch.cat
