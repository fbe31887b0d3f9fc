"""Project + report -> the source of an `nn.Module`: one attribute per layer, one line per node.

A small compiler: nodes in topological order, one emitter per node kind, identifiers from a
Namespace, and a map from generated lines back to node ids so an error raised in `forward` can
be shown on its node. Output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codegen.namespace import Namespace, class_name
from graph import Node, Project, Report, get_spec
from graph.params import as_tuple
from graph.tensor import TensorType

GENERATED_FILENAME = "<netwright-model>"  # the filename the runtime compiles the source under


class CodegenError(ValueError):
    """The drawing cannot become code yet (it has errors); the message lists them."""


@dataclass
class GeneratedModel:
    source: str
    class_name: str
    line_map: dict[int, str] = field(default_factory=dict)  # 1-based line -> node id
    attributes: dict[str, str] = field(default_factory=dict)  # node id -> attribute name
    input_names: list[str] = field(default_factory=list)  # forward's arguments, in order
    input_nodes: list[str] = field(default_factory=list)  # their node ids
    output_nodes: list[str] = field(default_factory=list)  # Output node ids, in return order

    def node_at_line(self, line: int) -> str | None:
        return self.line_map.get(line)

    def node_for_exception(
        self, exc: BaseException, filename: str = GENERATED_FILENAME
    ) -> str | None:
        """The node whose generated line raised `exc` (innermost frame in the model source)."""
        tb = exc.__traceback__
        found = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                found = self.line_map.get(tb.tb_lineno, found)
            tb = tb.tb_next
        return found


def generate_model(project: Project, report: Report | None = None) -> GeneratedModel:
    report = report or project.validate()
    if not report.valid:
        lines = "\n".join(f"  - {p.message}" for p in report.errors[:10])
        raise CodegenError(f"the drawing has {len(report.errors)} error(s):\n{lines}")
    return _ModelWriter(project, report).write()


def literal(value: Any) -> str:
    """Python source for a param value; strings through repr, so user text stays data."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple | list):
        items = ", ".join(literal(v) for v in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    raise CodegenError(f"cannot write {type(value).__name__} values into code")


def _compact(value: Any) -> Any:
    """(3, 3) -> 3: torch takes one number for a square kernel, and people write it that way."""
    if (
        isinstance(value, tuple)
        and value
        and all(v == value[0] for v in value)
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
    ):
        return value[0]
    return value


def _is_default(value: Any, default: Any) -> bool:
    if value == default:
        return True
    if isinstance(value, tuple) and default is not None and not isinstance(default, tuple):
        return value == as_tuple(default, len(value))
    return False


def constructor_args(node: Node, report: Report) -> str:
    """`400, 120` or `1, 6, 5, padding=2`: the leading required/inferred args positionally
    (torch's own signature order), the rest as keywords where they differ from torch's defaults."""
    spec = get_spec(node.type)
    assert spec is not None
    resolved = report.nodes[node.id].resolved
    args: list[str] = []
    positional = True
    for param in spec.params:
        value = resolved.get(param.name)
        if positional and (param.required or param.inferred):
            args.append(literal(_compact(value)))
            continue
        positional = False
        if param.name not in node.params or _is_default(value, param.default):
            continue
        args.append(f"{param.name}={literal(_compact(value))}")
    return ", ".join(args)


class _ModelWriter:
    def __init__(self, project: Project, report: Report) -> None:
        self.project = project
        self.report = report
        self.lines: list[str] = []
        self.line_map: dict[int, str] = {}
        self.attrs = Namespace()
        self.vars = Namespace({"self", "torch", "nn"})
        self.result = GeneratedModel("", class_name(project.name))

    def emit(self, text: str, node_id: str | None = None) -> None:
        self.lines.append(text)
        if node_id is not None:
            self.line_map[len(self.lines)] = node_id

    def write(self) -> GeneratedModel:
        project, report = self.project, self.report
        order = [project.node(nid) for nid in report.order]
        count = report.total_params
        self.emit(f'"""{self.result.class_name}: a network drawn in Netwright.')
        self.emit("")
        self.emit(f"Project {_safe_comment(project.name)}, {count:,} trainable parameters.")
        self.emit('"""')
        self.emit("")
        self.emit("import torch")
        self.emit("from torch import nn")
        self.emit("")
        self.emit("")
        self.emit(f"class {self.result.class_name}(nn.Module):")
        self.emit("    def __init__(self) -> None:")
        self.emit("        super().__init__()")
        for node in order:
            spec = get_spec(node.type)
            if spec is None or spec.torch_class is None:
                continue
            attr = self.attrs.create(node.name)
            self.result.attributes[node.id] = attr
            args = constructor_args(node, report)
            self.emit(f"        self.{attr} = nn.{spec.torch_class}({args})", node.id)
        self._write_forward(order)
        source = "\n".join(self.lines) + "\n"
        self.result.source = source
        self.result.line_map = self.line_map
        return self.result

    def _write_forward(self, order: list[Node]) -> None:
        project, report = self.project, self.report
        inputs = [n for n in project.nodes if n.type == "Input"]
        outputs = [n for n in project.nodes if n.type == "Output"]
        var: dict[tuple[str, int], str] = {}  # (node id, output port) -> variable name
        for node in inputs:
            name = self.vars.create(node.name if len(inputs) > 1 or node.label else "x", "x")
            var[(node.id, 0)] = name
            self.result.input_names.append(name)
            self.result.input_nodes.append(node.id)
        self.result.output_nodes = [n.id for n in outputs]
        signature = ", ".join(["self", *(f"{v}: torch.Tensor" for v in self.result.input_names)])
        returns = "torch.Tensor" if len(outputs) == 1 else "tuple[torch.Tensor, ...]"
        self.emit("")
        self.emit(f"    def forward({signature}) -> {returns}:")
        consumers: dict[tuple[str, int], int] = {}
        for edge in project.edges:
            consumers[(edge.source, edge.source_port)] = (
                consumers.get((edge.source, edge.source_port), 0) + 1
            )
        for node in order:
            if node.type in ("Input", "Output"):
                continue
            args = [
                self._incoming(node, port, var) for port in range(len(report.nodes[node.id].inputs))
            ]
            spec = get_spec(node.type)
            assert spec is not None
            used_ports = [p for p in range(len(spec.outputs)) if consumers.get((node.id, p))]
            names = []
            for port in range(len(spec.outputs)):
                if port not in used_ports:
                    names.append("_")
                    continue
                reuse = self._reusable(node, port, consumers, var, args)
                names.append(reuse or self.vars.create(_var_stem(node, spec.outputs, port), "h"))
                var[(node.id, port)] = names[-1]
            comment = f"  # {_batch_shape(report.nodes[node.id].outputs[0])}"
            expr = self._expression(node, spec.torch_class, args)
            if node.type in ("RNN", "GRU"):
                self.emit(f"        {names[0]}, {names[1]} = {expr}{comment}", node.id)
            elif node.type == "LSTM":
                self.emit(
                    f"        {names[0]}, ({names[1]}, {names[2]}) = {expr}{comment}", node.id
                )
            elif node.type == "MultiheadAttention":
                self.emit(f"        {names[0]}, {names[1]} = {expr}{comment}", node.id)
            else:
                self.emit(f"        {names[0]} = {expr}{comment}", node.id)
            for port in range(1, len(spec.outputs)):
                if node.type in ("RNN", "GRU", "LSTM") and names[port] != "_":
                    # torch returns h_n with the batch second; Netwright keeps the batch first.
                    self.emit(f"        {names[port]} = {names[port]}.transpose(0, 1)", node.id)
        results = [self._incoming(n, 0, var) for n in outputs]
        if len(results) == 1:
            self.emit(f"        return {results[0]}")
        else:
            self.emit(f"        return {', '.join(results)}")

    def _incoming(self, node: Node, port: int, var: dict[tuple[str, int], str]) -> str:
        for edge in self.project.in_edges(node.id):
            if edge.target_port == port:
                return var[(edge.source, edge.source_port)]
        raise CodegenError(f"'{node.name}' has nothing wired into input {port}")

    def _reusable(
        self,
        node: Node,
        port: int,
        consumers: dict[tuple[str, int], int],
        var: dict[tuple[str, int], str],
        args: list[str],
    ) -> str | None:
        """A plain chain reuses its variable (`x = self.conv1(x)`), as people write it."""
        if port != 0 or len(args) != 1:
            return None
        (edge,) = [e for e in self.project.in_edges(node.id)]
        if consumers.get((edge.source, edge.source_port)) != 1:
            return None
        return var[(edge.source, edge.source_port)]

    def _expression(self, node: Node, torch_class: str | None, args: list[str]) -> str:
        resolved = self.report.nodes[node.id].resolved
        if torch_class is not None:
            attr = self.result.attributes[node.id]
            if node.type == "MultiheadAttention":
                return f"self.{attr}({args[0]}, {args[0]}, {args[0]})"
            return f"self.{attr}({', '.join(args)})"
        if node.type == "Add":
            return f"torch.add({args[0]}, {args[1]})" if len(args) == 2 else " + ".join(args)
        if node.type == "Multiply":
            return " * ".join(args)
        if node.type == "Concat":
            return f"torch.cat([{', '.join(args)}], dim={resolved['dim']})"
        if node.type == "Reshape":
            sizes = ", ".join(str(v) for v in resolved["shape"])
            return f"{args[0]}.reshape({args[0]}.size(0), {sizes})"
        if node.type == "Permute":
            return f"{args[0]}.permute({', '.join(str(d) for d in resolved['dims'])})"
        if node.type == "Index":
            return f"{args[0]}.select({resolved['dim']}, {resolved['index']})"
        raise CodegenError(f"no code emitter for {node.type}")


def _batch_shape(tensor: TensorType | None) -> str:
    """`[N, 6, 28, 28]`: the shape comment on each forward line."""
    if tensor is None:
        return "[N, ?]"
    return "[" + ", ".join(["N", *(str(d) for d in tensor.shape)]) + "]"


def _var_stem(node: Node, outputs: tuple[str, ...], port: int) -> str:
    return node.name if len(outputs) == 1 else f"{node.name}_{outputs[port]}"


def _safe_comment(text: str) -> str:
    """User text inside a docstring: repr() escapes quotes, backslashes and line breaks."""
    return repr(text).replace('"""', '\\"\\"\\"')
