"""`forward` of a generated class: one statement per node, local names following the data.

The class writer (codegen/model_gen.py) names the modules; this writes the calls in topological
order, with a shape comment on each line, and records which local holds which node's output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codegen.emitters import RECURRENT, CodegenError, layer_call, unpack_target
from codegen.expressions import Names, render
from codegen.layout import Atom, Call, Seq, assignment, function_header, return_statement
from codegen.namespace import MAX_LENGTH, identifier
from graph import Edge, LayerSpec, Node, NodeReport
from graph.tensor import TensorType
from i18n import msg

if TYPE_CHECKING:
    from codegen.model_gen import ClassWriter


class ForwardWriter:
    """`forward`: one statement per node; local names follow the data.

    A plain chain reads as `x` throughout and a merge gives `x` back; a branch is named after its
    first node; an output nothing uses is `_`.
    """

    def __init__(self, model: ClassWriter) -> None:
        self.model = model
        self.project = model.project
        self.report = model.report
        self.var: dict[tuple[str, int], str] = {}  # (node id, output port) -> local name
        self.pending: dict[tuple[str, int], int] = {}  # uses of a value not yet written
        self.returned: set[tuple[str, int]] = set()  # values an Output returns: kept to the end
        self.holder: dict[str, tuple[str, int]] = {}  # local name -> the value it holds now
        for edge in self.project.edges:
            key = (edge.source, edge.source_port)
            if self.project.node(edge.target).type == "Output":
                self.returned.add(key)
            else:
                self.pending[key] = self.pending.get(key, 0) + 1
        self.uses = dict(self.pending)  # every use, for telling a chain from a fork

    def write(self) -> None:
        model, result = self.model, self.model.result
        inputs = [n for n in self.project.nodes if n.type == "Input"]
        if model.block is not None:
            name = model.project.block_name or ""
            block = model.program.project.blocks.get(name)
            ports = block.input_ids if block is not None else []
            inputs = [model.project.node(i) for i in ports]
        outputs = [n for n in self.project.nodes if n.type == "Output"]
        for node in inputs:
            name = model.vars.create(node.name if len(inputs) > 1 else "x", "x")
            self.var[(node.id, 0)] = name
            self.holder[name] = (node.id, 0)
            result.input_names.append(name)
            result.input_nodes.append(node.id)
        result.output_nodes = [n.id for n in outputs]
        params = ["self", *(f"{name}: torch.Tensor" for name in result.input_names)]
        returns = {0: "None", 1: "torch.Tensor"}.get(len(outputs), "tuple[torch.Tensor, ...]")
        model.emit(["", *function_header("forward", params, returns, 4)])
        body_start = len(model.lines)
        for node in model.order:
            if node.type not in ("Input", "Output") and not node.not_called:  # built, not called
                self._node(node)
        results = [
            Atom(self._incoming(node, self.project.in_edges(node.id))[0]) for node in outputs
        ]
        model.emit(return_statement(results, 8) if results else [])
        if len(model.lines) == body_start:
            model.emit(["        pass"])
        result.variables = dict(self.var)

    def _incoming(self, node: Node, edges: list[Edge]) -> list[str]:
        """The local names wired into the node's inputs, in port order."""
        if len(edges) == 1 and edges[0].target_port == 0:
            return [self.var[(edges[0].source, edges[0].source_port)]]
        by_port = {e.target_port: e for e in edges}
        if sorted(by_port) != list(range(len(by_port))):
            raise CodegenError(
                msg("'{name}' has an input with nothing wired into it", name=node.name)
            )
        return [self.var[(by_port[p].source, by_port[p].source_port)] for p in sorted(by_port)]

    def _node(self, node: Node) -> None:
        spec = self.model.program.project.spec(node.type)
        if spec is None:
            raise CodegenError(
                msg("'{name}' has the unknown type {type!r}", name=node.name, type=node.type)
            )
        edges = self.project.in_edges(node.id)
        args = self._incoming(node, edges)
        reuse = self._reusable(edges)
        ports = _output_names(spec, node, self.model.report.nodes.get(node.id))
        used = {p for p in range(len(ports)) if self._is_used(node.id, p)}
        names = []
        for port, port_name in enumerate(ports):
            if port not in used:
                names.append("_")
            elif port == 0 and reuse is not None:
                names.append(reuse)
            else:
                names.append(self._fresh(node, port_name if len(ports) > 1 else ""))
            if names[-1] != "_":
                self.var[(node.id, port)] = names[-1]
                self.holder[names[-1]] = (node.id, port)
        attr = self.model.access.get(node.id)
        if spec.expression is not None and node.type not in self.model.project.blocks:
            inputs = self.model.result.input_names
            leaves = Names(args, attr, inputs[0] if inputs else None)
            resolved = self.model.resolved(node)
            value = render(spec.expression(resolved, len(args)), leaves)
        elif attr is not None:
            value = layer_call(node, attr, args, used)
        else:
            raise CodegenError(msg("no code emitter for {type} nodes", type=node.type))
        target = unpack_target(node, names)
        if spec.tuple_result and len(names) == 1 and names[0] != "_":
            target = Seq((Atom(names[0]),))  # `(x,) = torch.split(...)`: a tuple of one
        transposed = node.type in RECURRENT
        shown = [p for p in range(len(names)) if p == 0 or (names[p] != "_" and not transposed)]
        comment = ", ".join(self._shape_comment(node, p) for p in shown)
        self.model.emit(assignment(target, value, 8, comment), node.id)
        if transposed:
            for port in range(1, len(names)):
                if names[port] != "_":
                    # torch returns h_n and c_n with the batch second; Netwright keeps it first.
                    h = names[port]
                    swap = Call(f"{h}.transpose", (Atom("0"), Atom("1")))
                    shape = self._shape_comment(node, port)
                    self.model.emit(assignment(h, swap, 8, shape), node.id)

    def _shape_comment(self, node: Node, port: int) -> str:
        """`[N, 6, 28, 28]`; in a block used with several shapes, `[N, ?]` where they differ."""
        shapes = {
            _batch_shape(ctx.report.nodes[node.id].outputs[port])
            for ctx in self.model.planner.contexts
            if port < len(ctx.report.nodes[node.id].outputs)
        }
        if len(shapes) == 1:
            return shapes.pop()
        return ""

    def _reusable(self, edges: list[Edge]) -> str | None:
        """The name this node's main result may take over, counting this node's uses.

        A plain chain hands its name on (`x = self.conv1(x)`), and goes back to `x` once the
        value in `x` is dead, as does a merge (`x = torch.add(conv2, x)`). A branch off a fork,
        or a value that is returned, gets a name of its own.
        """
        for edge in edges:
            self.pending[(edge.source, edge.source_port)] -= 1
        chain = None
        if len(edges) == 1:
            key = (edges[0].source, edges[0].source_port)
            if self.uses[key] != 1 or key in self.returned:
                return None  # a branch
            chain = self.var[key]
        primary = self.model.result.input_names
        if len(primary) == 1 and self._is_dead(self.holder[primary[0]]):
            return primary[0]
        return chain

    def _is_dead(self, key: tuple[str, int]) -> bool:
        return self.pending.get(key, 0) == 0 and key not in self.returned

    def _is_used(self, node_id: str, port: int) -> bool:
        key = (node_id, port)
        return self.pending.get(key, 0) > 0 or key in self.returned

    def _fresh(self, node: Node, port_name: str) -> str:
        suffix = f"_{identifier(port_name)}" if port_name else ""
        length = MAX_LENGTH - len(suffix)
        stem = identifier(node.name, "", length) or identifier(fallback_name(node), "layer", length)
        return self.model.vars.create(stem + suffix)


def _output_names(spec: LayerSpec, node: Node, report: NodeReport | None) -> tuple[str, ...]:
    """The node's output ports; where the input decides how many (Split by size), the report's."""
    names = spec.output_names(node.params)
    if names is None:
        names = tuple(f"piece {i}" for i in range(len(report.outputs) if report else 1))
    return names


def fallback_name(node: Node) -> str:
    """What to name a node after when its label has no usable letters: its id, else its type."""
    return node.id if node.label and identifier(node.id, "") else node.type.lower()


def _batch_shape(tensor: TensorType | None) -> str:
    """`[N, 6, 28, 28]`: the shape comment on each forward line."""
    if tensor is None:
        return "[N, ?]"
    return "[N" + "".join(f", {d}" for d in tensor.shape) + "]"
