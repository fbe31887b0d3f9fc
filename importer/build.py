"""An fx trace -> a drawing: one node per layer call or mapped operation, wires for the data.

Values flowing through the trace are tracked as `Port`s (a node's output port), tuples of them
(an LSTM's `output, (h_n, c_n)`), or plain Python values (sizes read from the example run). The
batch size is tracked as `BATCH` so that `x.view(x.size(0), -1)` keeps the batch free.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

from codegen.block_gen import SEQUENTIAL_KEY
from codegen.namespace import identifier, is_safe
from graph import Edge, Node, Project, get_spec
from graph.params import ParamBoundsError, ParamTypeError
from i18n import msg
from importer.code_calls import CodeFallback, KeptModules, is_code_function
from importer.code_ops import CodeOperations, is_operation
from importer.errors import ImportFailed
from importer.functions import (
    PASS_THROUGH_METHODS,
    OpRule,
    function_rules,
    is_training_only,
    method_rules,
)
from importer.hierarchy import BlockLibrary
from importer.indexing import Indexing
from importer.model_tensors import ModelTensors
from importer.module_calls import ModuleCalls
from importer.modules import drawing_value, same_value
from importer.naming import NodeNames
from importer.tracing import BATCH, Facts, Trace, source_line
from importer.values import (
    Batch,
    Drawing,
    LayerFirst,
    ModelTensor,
    Port,
    Unmapped,
)

BROADCASTING = frozenset({"Add", "Multiply", "Subtract", "Divide"})


def _sizes(sizes: tuple) -> tuple:
    if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
        return tuple(sizes[0])
    return sizes


def _batch_first(sizes: tuple) -> bool:
    """`expand(n, -1, -1)` with n the batch: what a Parameter node's output already is."""
    sizes = _sizes(sizes)
    return bool(sizes) and isinstance(sizes[0], Batch)


def build_drawing(name: str, traced: Trace, dtypes: list[str]) -> Drawing:
    """The drawing of a trace, with a block definition for each submodule structure."""
    library = BlockLibrary()
    drawing = _Builder(name, traced, dtypes, library, "", Drawing(Project(name))).build()
    library.finish(drawing.project)
    if _numbered_sequential(traced.root):
        # written back as an nn.Sequential (when the drawing stays one chain), so the keys stay
        # `0.weight`, not `layer_0.weight`: `net = nn.Sequential(...)` is how tutorials start
        drawing.project.extra[SEQUENTIAL_KEY] = True
    return drawing


def _numbered_sequential(module: Any) -> bool:
    """An nn.Sequential (or a subclass that keeps its forward, as Netwright writes one) whose
    children are numbered 0, 1, ... (not named by a dict); one module at two places (tied
    weights) counts at both."""
    import torch.nn as nn

    if not isinstance(module, nn.Sequential) or type(module).forward is not nn.Sequential.forward:
        return False
    return list(module._modules) == [str(i) for i in range(len(module._modules))]


class _Builder(CodeFallback, CodeOperations, Indexing, KeptModules, ModelTensors, ModuleCalls):
    def __init__(
        self,
        name: str,
        traced: Trace,
        dtypes: list[str],
        library: BlockLibrary,
        path: str,
        drawing: Drawing,
        body: Project | None = None,
    ) -> None:
        self.trace = traced
        self.gm = traced.graph_module
        self.library = library
        self.path = path  # of the traced module in the model ("" for the model itself)
        self.is_body = body is not None
        self.project = body if body is not None else drawing.project
        self.drawing = drawing
        self.values: dict[Any, Any] = {}
        self.dtypes = dtypes
        self.functions = function_rules()
        self.methods = method_rules()
        self.calls: dict[str, int] = {}
        self.names = NodeNames(self.project, traced, self.is_body)
        self._placeholders = sum(1 for n in self.gm.graph.nodes if n.op == "placeholder")

    # --- the walk ------------------------------------------------------------------------------

    def build_body(self) -> Project:
        """The traced submodule as a block body (Inputs without shape are its ports)."""
        self.build()
        return self.project

    def build(self) -> Drawing:
        kept = self.kept_modules()  # before any block is named: their classes keep their names
        inputs = 0
        for n in self.gm.graph.nodes:
            if n.op == "placeholder":
                self.values[n] = self._input(n, inputs)
                inputs += 1
            elif n.op == "output":
                self._outputs(n)
            elif n.op == "get_attr":
                self.values[n] = ModelTensor(
                    msg(
                        "the model uses its tensor '{name}' directly in forward ({line}), "
                        "which no layer holds",
                        name=n.target,
                        line=source_line(n),
                    ),
                    n.target,
                )
            else:
                value = self._call(n)
                if isinstance(value, ModelTensor):  # an op on the tensor that no node made: the
                    value = Unmapped(value.message)  # tensor itself must not stand for it
                self.values[n] = value
        self.place_kept(kept)
        return self.drawing

    def _input(self, n: Any, index: int) -> Any:
        facts = self.trace.facts.get(n)
        if not self.is_body and n.args and (facts is None or facts.shape is None):
            return n.args[0]  # an argument no input shape was given for: its default (None)
        if self.is_body:  # a port of the block: the instance's wire brings its shape
            # named as the generated forward names its arguments: `x` when it has one
            name = identifier(str(n.target), "x") if self._placeholders > 1 else "x"
            name = name if is_safe(name) else f"{name}_"
            node_id = name if self.names.free(name) else self.names.fresh(name)
            self.project.add_node(Node(node_id, "Input"))
            return Port(node_id)
        facts = self.trace.facts[n]
        dtype = self.dtypes[index] if index < len(self.dtypes) else "float32"
        params: dict[str, Any] = {"shape": list(facts.shape[1:])}
        if dtype == "int64":
            params["dtype"] = "int64"
        node_id = self.names.fresh("input")
        self.project.add_node(Node(node_id, "Input", params))
        return Port(node_id)

    def _outputs(self, n: Any) -> None:
        results = n.args[0]
        flat = list(results) if isinstance(results, tuple | list) else [results]
        what = f"the result of '{self.path}'" if self.is_body else "the model's result"
        for item in flat:
            value = self.values.get(item) if hasattr(item, "op") else item
            port = self._tensor(value, n, what)
            node_id = self.names.fresh("output")
            self.project.add_node(Node(node_id, "Output"))
            self._wire(port, node_id, 0)

    def _call(self, n: Any) -> Any:
        args = self._map(n.args)
        kwargs = self._map(n.kwargs)
        facts = self.trace.facts.get(n, Facts())
        if args and isinstance(args[0], LayerFirst):  # h_n: a layer picked, or dims swapped
            return self.layer_first(n, args[0], args[1:], kwargs)
        if n.op == "call_module":
            return self._module_call(n, args, kwargs)
        if n.op == "call_method":
            return self._method_call(n, args, kwargs, facts)
        return self._function_call(n, args, kwargs, facts)

    def _map(self, value: Any) -> Any:
        if isinstance(value, tuple | list):
            return type(value)(self._map(v) for v in value)
        if isinstance(value, dict):
            return {k: self._map(v) for k, v in value.items()}
        if isinstance(value, slice):  # `x[:, : x.size(1) // 2]`: a bound read off a shape
            return slice(self._map(value.start), self._map(value.stop), self._map(value.step))
        if hasattr(value, "op") and hasattr(value, "target"):
            return self.values[value]
        return value

    # --- module calls --------------------------------------------------------------------------

    # --- functions and methods -----------------------------------------------------------------

    def _method_call(self, n: Any, args: tuple, kwargs: dict, facts: Facts) -> Any:
        name = n.target
        if isinstance(args[0], ModelTensor) and name == "expand" and _batch_first(args[1:]):
            return self._parameter(args[0], _sizes(args[1:])[1:])  # expanded over the batch
        if isinstance(args[0], Unmapped):
            return args[0]
        if not isinstance(args[0], Port):
            return _plain_result(args[0], facts, n)
        if name in ("size", "dim", "numel") or name == "__len__":
            dim, rank = _dim_arg(args, kwargs), len(facts_shape(self, n))
            if name == "size" and isinstance(dim, int) and rank and dim % rank == 0:
                return Batch(facts.value)
            return _shape_value(facts)
        if name in PASS_THROUGH_METHODS:
            return args[0]
        if name in ("view", "reshape"):
            return self._reshape(n, args[0], args[1:], facts)
        if name == "permute":
            dims = args[1] if len(args) == 2 and isinstance(args[1], tuple | list) else args[1:]
            return self._op(n, OpRule("Permute", ("dims",)), (args[0], tuple(dims)), {})
        rule = self.methods.get(name)
        if rule is None:
            why = msg(
                "no layer matches the tensor method .{name}() at {line}",
                name=name,
                line=source_line(n),
            )
            return self.code_operation(n, args, kwargs, why)
        return self._op_or_code(n, rule, args, kwargs)

    def _function_call(self, n: Any, args: tuple, kwargs: dict, facts: Facts) -> Any:
        target = n.target
        if target is builtins.getattr:
            if isinstance(args[0], Port) and args[1] == "shape":
                return _shape_value(facts)
            return Unmapped(
                msg(
                    "the attribute .{name} at {line} has no layer",
                    name=args[1],
                    line=source_line(n),
                )
            )
        if target is operator.getitem:
            return self._getitem(n, args, facts)
        if target in (torch_reshape(),):
            return self._reshape(n, args[0], args[1:], facts)
        if not any(isinstance(a, Port | Unmapped) for a in _flat(args, kwargs)):
            return _plain_result(None, facts, n)
        rule = self.functions.get(target)
        if rule is None and is_training_only(target) and isinstance(args[0], Port):
            self.drawing.left_out.add(target.__name__)  # identity in eval: said in a note
            return args[0]
        if rule is None:
            name = getattr(target, "__name__", str(target))
            why = msg(
                "no layer matches the call {name}() at {line}", name=name, line=source_line(n)
            )
            if is_code_function(target):  # a function of the model's code: a Code node holds it
                return self.code_function(n, target, args, kwargs, why)
            if is_operation(target):  # torch's, or an operator: a Code node makes the call
                return self.code_operation(n, args, kwargs, why)
            return Unmapped(why)
        if not is_operation(target):
            return self._op(n, rule, args, kwargs)
        return self._op_or_code(n, rule, args, kwargs)

    def _op_or_code(self, n: Any, rule: OpRule, args: tuple, kwargs: dict) -> Any:
        """The rule's layer; where an argument does not fit it (`x * 0.5`: a constant), a
        Code node making the call."""
        made = self._op(n, rule, args, kwargs)
        if not isinstance(made, Unmapped) or any(
            isinstance(a, Unmapped) for a in _flat(args, kwargs)
        ):
            return made
        return self.code_operation(n, args, kwargs, made.message)

    def _getitem(self, n: Any, args: tuple, facts: Facts) -> Any:
        value, index = args
        if isinstance(value, tuple | list):
            return value[index]
        if isinstance(value, Unmapped):
            return value
        if not isinstance(value, Port):
            return _plain_result(None, facts, n)
        return self.indexed(n, value, index)

    def _reshape(self, n: Any, x: Any, sizes: tuple, facts: Facts) -> Any:
        if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
            sizes = tuple(sizes[0])
        where = msg("the reshape at {line}", line=source_line(n))
        if not sizes or any(isinstance(s, Port | Unmapped) for s in sizes):
            return Unmapped(msg("{where} has sizes the drawing cannot hold", where=where))
        first = sizes[0]
        keeps_batch = facts.shape is not None and facts.shape[0] == BATCH
        batch_like = isinstance(first, Batch) or first == -1
        if self.trace.concrete_sizes and first == BATCH:
            batch_like = True  # sizes were read as numbers: x.size(0) is the example's batch
        if not keeps_batch or not batch_like:
            return Unmapped(msg("{where} changes the batch dimension", where=where))
        shape = [int(s) if not isinstance(s, Batch) else -1 for s in sizes[1:]]
        return self._op(n, OpRule("Reshape", ("shape",)), (x, shape), {})

    def _op(self, n: Any, rule: OpRule, args: tuple, kwargs: dict) -> Any:
        where = msg("{call} at {line}", call=_call_name(n), line=source_line(n))
        spec = get_spec(rule.type)
        if spec is None:
            return Unmapped(
                msg(
                    "no layer matches {where} (the library has no {layer})",
                    where=where,
                    layer=rule.type,
                )
            )
        if rule.tensors == -1:
            tensors = list(args[0])
            rest = args[1:]
            if len(tensors) == 1 and rule.type == "Concat":  # torch.cat of one hands it on
                return tensors[0]
        else:
            tensors = list(args[: rule.tensors])
            rest = args[rule.tensors :]
        if rule.type in BROADCASTING:  # `x + self.pos_embedding`: the same sum, sample by sample
            tensors = [self._parameter(t) if isinstance(t, ModelTensor) else t for t in tensors]
        if any(not isinstance(t, Port) for t in tensors):
            bad = next(t for t in tensors if not isinstance(t, Port))
            if isinstance(bad, Unmapped):
                return bad
            return Unmapped(
                msg("{where} mixes a tensor with a constant, which no layer holds", where=where)
            )
        given = dict(zip(rule.arguments, rest, strict=False))
        given.update(kwargs)
        params = dict(rule.fixed)
        for key, value in given.items():
            if key in rule.ignored:
                continue
            if isinstance(value, Port | Unmapped):
                return Unmapped(msg("{where} takes a tensor as its '{key}'", where=where, key=key))
            param = spec.param_index.get(key)
            if param is None:
                return Unmapped(
                    msg(
                        "{where} has the argument {key}, which {layer} cannot hold",
                        where=where,
                        key=key,
                        layer=rule.type,
                    )
                )
            try:
                value = param.check(tuple(value) if isinstance(value, list) else value)
            except (ParamTypeError, ParamBoundsError) as exc:
                return Unmapped(msg("{where}: {why}", where=where, why=exc))
            if not same_value(value, param.default):
                params[key] = drawing_value(param, value)
        kernel = params.get("kernel_size")
        stride = spec.param_index.get("stride")
        if stride is not None and stride.default is None and params.get("stride") == kernel:
            del params["stride"]  # what torch's stride=None means for a pool
        node_id = self.names.fresh(rule.type.lower())
        problem = self._add(Node(node_id, rule.type, params), tensors, n)
        if problem is not None:
            return problem
        pieces = self.trace.facts.get(n, Facts()).value
        if spec.tuple_result and isinstance(pieces, tuple):  # Chunk, Split: a port per piece
            return tuple(Port(node_id, i) for i in range(len(pieces)))
        return Port(node_id)

    # --- helpers -------------------------------------------------------------------------------

    def _add(self, node: Node, tensors: list[Any], n: Any) -> Unmapped | None:
        ports = []
        for t in tensors:
            if isinstance(t, Unmapped):
                return t
            if not isinstance(t, Port):
                return Unmapped(
                    msg(
                        "{call} at {line} receives a non-tensor input",
                        call=_call_name(n),
                        line=source_line(n),
                    )
                )
            ports.append(t)
        self.project.add_node(node)
        for i, port in enumerate(ports):
            self._wire(port, node.id, i)
        return None

    def _wire(self, source: Port, target: str, port: int) -> None:
        self.project.add_edge(Edge(source.node, target, source.port, port))

    def _tensor(self, value: Any, n: Any, what: str) -> Port:
        if isinstance(value, Port):
            return value
        if isinstance(value, Unmapped):
            failed = ImportFailed(msg("cannot import the model: {why}", why=value.message))
            failed.reason = value.message  # type: ignore[attr-defined]
            raise failed
        raise ImportFailed(
            msg(
                "cannot import the model: {what} is not a tensor ({line})",
                what=what,
                line=source_line(n),
            )
        )


def facts_shape(builder: _Builder, n: Any) -> tuple[int, ...]:
    source = n.args[0]
    facts = builder.trace.facts.get(source)
    return facts.shape if facts is not None and facts.shape is not None else ()


def torch_reshape() -> Any:
    import torch

    return torch.reshape


def _dim_arg(args: tuple, kwargs: dict) -> int | None:
    if len(args) > 1:
        return args[1]
    return kwargs.get("dim")


def _shape_value(facts: Facts) -> Any:
    value = facts.value
    if isinstance(value, tuple) and value:
        return (Batch(value[0]), *value[1:])
    return value


def _plain_result(_value: Any, facts: Facts, n: Any) -> Any:
    if facts.is_tensor:
        return Unmapped(
            msg(
                "{call} at {line} makes a tensor no layer holds",
                call=_call_name(n),
                line=source_line(n),
            )
        )
    return facts.value


def _flat(args: tuple, kwargs: dict) -> list[Any]:
    out: list[Any] = []
    for v in [*args, *kwargs.values()]:
        if isinstance(v, tuple | list):
            out.extend(_flat(tuple(v), {}))
        else:
            out.append(v)
    return out


def _call_name(n: Any) -> str:
    if n.op == "call_method":
        return f".{n.target}()"
    return f"{getattr(n.target, '__name__', str(n.target))}()"
