"""Project + report -> the source of an `nn.Module`: one attribute per layer, one line per node.

A small compiler: nodes in topological order, one emitter per node kind (codegen/emitters.py),
identifiers from a Namespace, statements laid out as ruff would (codegen/layout.py), and a map
from generated lines back to node ids so an error raised in `forward` can be shown on its node.
Output is deterministic: the same project gives the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from codegen.block_gen import (
    NAMED_CHILDREN,
    SEQUENTIAL_KEY,
    Context,
    Planner,
    Signature,
    block_order,
    chain_of,
    contexts_of,
    signature_for,
)
from codegen.emitters import (
    RECURRENT,
    CodegenError,
    layer_call,
    literal,
    unpack_target,
)
from codegen.expressions import Names, render, uses_module
from codegen.init_gen import SequentialIndex, frozen_lines, init_lines
from codegen.layout import (
    Atom,
    Call,
    Expr,
    Repeat,
    Seq,
    assignment,
    exploded_call,
    function_header,
    return_statement,
    statement,
)
from codegen.namespace import MAX_LENGTH, RESERVED, Namespace, class_name, identifier
from codegen.sequential_map import module_count, sequential_owner
from codegen.user_classes import provided_names, user_classes
from graph import Edge, LayerSpec, Node, NodeReport, Project, Report
from graph.tensor import TensorType
from i18n import msg

GENERATED_FILENAME = "<netwright-model>"  # the filename the runtime compiles the source under
HEADER_NAME_LENGTH = 60  # longer project names are cut short in the header
SEQUENTIAL_METHODS = frozenset({"append", "extend", "insert", "pop"})  # beyond nn.Module's

__all__ = ["GENERATED_FILENAME", "CodegenError", "GeneratedModel", "generate_model"]


@dataclass
class GeneratedModel:
    source: str
    class_name: str
    line_map: dict[int, str] = field(default_factory=dict)  # 1-based line -> node id
    # 1-based line in a block's class -> (block name, node id in the block's drawing)
    block_lines: dict[int, tuple[str, str]] = field(default_factory=dict)
    block_classes: dict[str, str] = field(default_factory=dict)  # block name -> class name
    attributes: dict[str, str] = field(default_factory=dict)  # node id -> attribute name
    # block name -> node id in its drawing -> attribute name (an index in an nn.Sequential)
    block_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    input_names: list[str] = field(default_factory=list)  # forward's arguments, in order
    input_nodes: list[str] = field(default_factory=list)  # their node ids
    output_nodes: list[str] = field(default_factory=list)  # Output node ids, in return order
    variables: dict[tuple[str, int], str] = field(default_factory=dict)  # (node, port) -> local
    # A block emitted as nn.Sequential (its forward is torch's): class name -> its items in
    # order, as (node id, modules it adds: a number, None for a count known only at run time)
    sequential_items: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)

    def node_for_exception(
        self, exc: BaseException, filename: str = GENERATED_FILENAME
    ) -> str | None:
        """The top-level node whose generated line raised `exc` (for an error inside a block,
        the instance; `path_for_exception` goes further in)."""
        path = self.path_for_exception(exc, filename)
        return path[0] if path else None

    def path_for_exception(
        self, exc: BaseException, filename: str = GENERATED_FILENAME
    ) -> list[str]:
        """The node ids from the top-level node down through the blocks whose generated lines
        `exc` passed (`["layer2", "conv1"]`); empty when it was raised elsewhere."""
        tb = exc.__traceback__
        top: str | None = None
        inner: list[str] = []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                line = tb.tb_lineno
                if line in self.line_map:
                    top, inner = self.line_map[line], []
                elif line in self.block_lines and top is not None:
                    inner.append(self.block_lines[line][1])
            elif tb.tb_frame.f_code.co_name == "forward":
                local = tb.tb_frame.f_locals
                found = sequential_owner(self.sequential_items, local)
                if found is None:
                    pass
                elif top is not None:
                    inner.append(found)
                elif type(local.get("self")).__name__ == self.class_name:
                    top, inner = found, []  # the model is an nn.Sequential: torch's forward
            tb = tb.tb_next
        return [top, *inner] if top is not None else []


def generate_model(project: Project, report: Report | None = None) -> GeneratedModel:
    """The model's source; CodegenError (message: one line per error) if the drawing has errors."""
    report = report or project.validate()
    if not report.valid:
        raise CodegenError(error_summary(report))
    return _ModelWriter(project, report).write()


def error_summary(report: Report, limit: int = 10) -> str:
    errors = report.errors
    lines = [f"the drawing has {len(errors)} error(s):"]
    lines += [f"  - {p.message}" for p in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"  - ... and {len(errors) - limit} more")
    return "\n".join(lines)


class _ModelWriter:
    """The whole source: header, one class per block used (inner blocks first), the model."""

    def __init__(self, project: Project, report: Report) -> None:
        self.project = project
        self.report = report
        self.lines: list[str] = []
        self.line_map: dict[int, str] = {}
        self.result = GeneratedModel("", class_name(project.name))

    def write(self) -> GeneratedModel:
        name = self.result.class_name
        contexts = contexts_of(self.report)
        own = user_classes(self.project)  # Code nodes' classes, by name
        # Blocks keep their names in code; the model gives way (`NestMLPNet`) if one is taken.
        if name in contexts or name in own.names:
            taken = set(contexts) | own.names
            name = self.result.class_name = Namespace(taken).create(f"{name}Net")
        project_name = _docstring_text(self.project.name)
        provided = provided_names(own)
        self.lines += [
            f'"""{name}: a network made with Netwright.',
            "",
            f"Project: {project_name}",
            f"Trainable parameters: {self.report.total_params:,}",
            '"""',
            "",
            *(["import math", ""] if self._needs_math() or "math" in provided else []),
            "import torch",
            *(["import torch.nn.functional as F"] if "F" in provided else []),
            "from torch import nn",
            *own.imports,
        ]
        for text in own.definitions():  # the user's classes and their functions, as written
            self.lines += ["", "", *text.splitlines()]
        classes = Namespace({name, *own.names})
        signatures: dict[str, Signature] = {}
        for block_name in block_order(self.project, set(contexts)):
            block = self.project.blocks.get(block_name)
            assert block is not None
            signature = signature_for(block, classes.create(block_name, "Block"))
            signatures[block_name] = signature
            self.result.block_classes[block_name] = signature.class_name
            planner = Planner(self.project, block.body, contexts[block_name], signatures, signature)
            chain = chain_of(self.project, block)
            signature.sequential = chain is not None
            writer = _ClassWriter(self, block.body, planner, signature.class_name, block_name)
            if chain is not None:
                writer.write_sequential(chain)
            else:
                writer.write()
        top = Planner(self.project, self.project, [Context({}, (), self.report)], signatures, None)
        writer = _ClassWriter(self, self.project, top, name, None, self.result)
        chain = _top_chain(self.project)
        if chain is not None:
            writer.write_top_sequential(chain)
        else:
            writer.write()
        self.result.source = "\n".join(self.lines) + "\n"
        self.result.line_map = self.line_map
        return self.result

    def _needs_math(self) -> bool:
        """Whether some node's expression calls `math.…` (a product of many inputs)."""
        drawings = [self.project, *(b.body for b in self.project.blocks)]
        for drawing in drawings:
            for node in drawing.nodes:
                spec = self.project.spec(node.type)
                if spec is None or spec.expression is None:
                    continue
                params = {**spec.defaults(), **node.params}
                try:
                    expression = spec.expression(params, len(drawing.wires_in(node.id)))
                except (KeyError, TypeError, ValueError):
                    continue  # params the checker refused; generation stops there anyway
                if uses_module(expression, "math"):
                    return True
        return False


class _ClassWriter:
    """One class: the top-level model, or a block (its constructor takes the block params)."""

    def __init__(
        self,
        program: _ModelWriter,
        drawing: Project,
        planner: Planner,
        name: str,
        block: str | None,
        result: GeneratedModel | None = None,
    ) -> None:
        self.program = program
        self.project = drawing
        self.planner = planner
        self.block = block
        self.name = name
        self.report = planner.contexts[0].report
        self.order = [drawing.node(nid) for nid in self.report.order]
        self.lines = program.lines
        self.attrs = Namespace()
        self.vars = Namespace()
        # a block's forward gets the same facts as the model's, kept apart from the result
        self.result = result or GeneratedModel("", name)
        self._resolved: dict[str, dict] = {}

    def emit(self, lines: list[str], node_id: str | None = None) -> None:
        for text in lines:
            self.lines.append(text)
            if node_id is None:
                continue
            if self.block is None:
                self.program.line_map[len(self.lines)] = node_id
            else:
                self.program.result.block_lines[len(self.lines)] = (self.block, node_id)

    def resolved(self, node: Node) -> dict:
        """The node's params as written into code (block params and derived values as names)."""
        found = self._resolved.get(node.id)
        if found is None:
            found = self._resolved[node.id] = self.planner.resolved(node)
        return found

    def _init_header(self, base: str) -> None:
        signature = self.planner.signature
        params = ["self"]
        if signature is not None:
            params += [f"{d.name}: int" for d in signature.derived]
            for param in signature.params:
                annotation = {"int": "int", "float": "float", "bool": "bool"}[param.kind]
                name = signature.names[param.name]
                if param.required:
                    params.append(f"{name}: {annotation}")
                else:
                    params.append(f"{name}: {annotation} = {param.default!r}")
        self.emit(["", "", f"class {self.name}({base}):"])
        self.emit(function_header("__init__", params, "None", 4))

    def write(self) -> None:
        body: list[tuple[Node, Expr]] = []
        many: set[str] = set()  # nodes whose attribute is an nn.Sequential of copies
        for node in self.order:
            if node.shares:
                continue
            spec = self.program.project.spec(node.type)
            if spec is not None and spec.init is not None and node.type not in self.project.blocks:
                # a tensor the node owns (Parameter)
                body.append((node, render(spec.init(self.resolved(node)), Names([]))))
                continue
            if spec is None or (
                spec.torch_class is None
                and spec.user_class is None
                and node.type not in self.project.blocks
            ):
                continue
            items = self.planner.modules(node)
            one = len(items) == 1 and node.repeat is None
            body.append((node, items[0] if one else _sequential(items)))
            if not one:
                many.add(node.id)
        self._init_header("nn.Module")
        self.emit(["        super().__init__()"])
        for node, value in body:
            attr = self.attrs.create(node.name, _fallback(node))
            self.result.attributes[node.id] = attr
            if self.block is not None:
                self.program.result.block_attributes.setdefault(self.block, {})[node.id] = attr
            self.emit(assignment(f"self.{attr}", value, 8), node.id)
            self._init_calls(node, f"self.{attr}", node.id in many)
            if node.frozen:
                self.emit([f"        self.{attr}.requires_grad_(False)  # frozen"], node.id)
        for node in self.order:
            if node.shares and node.shares in self.result.attributes:
                self.result.attributes[node.id] = self.result.attributes[node.shares]
        _ForwardWriter(self).write()

    def _init_calls(self, node: Node, target: str, copies: bool) -> None:
        """`nn.init.normal_(self.fc1.weight, ...)` for the node's chosen initialisation."""
        if not node.init:
            return
        spec = self.program.project.spec(node.type)
        checked = self.report.nodes.get(node.id)
        params = dict(checked.resolved) if checked is not None else dict(node.params)
        if spec is not None:
            params = {**spec.defaults(), **params}
        self.emit(init_lines(node, spec, params, target, copies), node.id)

    def write_sequential(self, chain: list[Node]) -> None:
        items: list[Expr] = []
        owners: list[str] = []  # the node each item comes from
        names = self.program.result.block_attributes.setdefault(self.block or "", {})
        for node in chain:
            made = self.planner.modules(node)
            if not any(isinstance(item, Repeat) for item in items):
                names[node.id] = str(len(items))
            items += made
            owners += [node.id] * len(made)
        self._init_header("nn.Sequential")
        keys = self._child_keys(chain, items)
        if keys is not None:  # `self.add_module("block1-0", ...)`: the model's own child names
            self.emit(["        super().__init__()"])
            for key, item, owner in zip(keys, items, owners, strict=True):
                names[owner] = key
                self.emit(statement(Call("self.add_module", (literal(key), item)), 8), owner)
        elif not items:  # Input wired straight to Output: an empty Sequential passes x through
            self.emit(["        super().__init__()"])
            return
        else:
            # One module per line, so an error raised while building one names its node.
            opening, *parts, closing = exploded_call("super().__init__", tuple(items), 8)
            self.emit(opening)
            for lines, owner in zip(parts, owners, strict=True):
                self.emit(lines, owner)
            self.emit(closing)
        self.program.result.sequential_items[self.name] = [
            (owner, module_count(item)) for item, owner in zip(items, owners, strict=True)
        ]
        index = SequentialIndex()
        for node in chain:
            target, copies = index.take(
                [i for i, o in zip(items, owners, strict=True) if o == node.id]
            )
            self._init_calls(node, target, copies)
            if node.frozen:
                self.emit(frozen_lines(target, copies), node.id)

    def write_top_sequential(self, chain: list[Node]) -> None:
        """The model as an nn.Sequential of its chain (a project imported from one keeps the
        keys `0.weight`, `1.bias`, ... of the original's state_dict)."""
        self.write_sequential(chain)
        numbered = self.program.result.block_attributes.pop("", {})
        self.result.attributes.update(numbered)  # node id -> its index: `net[0]`, `getattr`
        inputs = [n for n in self.project.nodes if n.type == "Input"]
        outputs = [n for n in self.project.nodes if n.type == "Output"]
        self.result.input_names = ["x"]
        self.result.input_nodes = [inputs[0].id]
        self.result.output_nodes = [outputs[0].id]

    def _child_keys(self, chain: list[Node], items: list[Expr]) -> list[str] | None:
        """The names a block marked NAMED_CHILDREN adds its nodes' modules under (each node's
        name, as torch allows it: no dot, no attribute of nn.Sequential, unique); None where it
        is not marked, or a node makes other than one module (its items are numbered then)."""
        block = self.program.project.blocks.get(self.block or "")
        if block is None or block.extra.get(SEQUENTIAL_KEY) != NAMED_CHILDREN:
            return None
        if len(items) != len(chain) or any(isinstance(item, Repeat) for item in items):
            return None
        keys: list[str] = []
        for node in chain:
            key = node.name.replace(".", "_")
            if key in RESERVED or key in SEQUENTIAL_METHODS:
                key += "_"
            base, k = key, 1
            while key in keys:
                k += 1
                key = f"{base}_{k}"
            keys.append(key)
        return keys


def _sequential(items: list[Expr]) -> Call:
    return Call("nn.Sequential", tuple(items))


class _ForwardWriter:
    """`forward`: one statement per node; local names follow the data.

    A plain chain reads as `x` throughout and a merge gives `x` back; a branch is named after its
    first node; an output nothing uses is `_`.
    """

    def __init__(self, model: _ClassWriter) -> None:
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
        attr = self.model.result.attributes.get(node.id)
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
        stem = identifier(node.name, "", length) or identifier(_fallback(node), "layer", length)
        return self.model.vars.create(stem + suffix)


def _output_names(spec: LayerSpec, node: Node, report: NodeReport | None) -> tuple[str, ...]:
    """The node's output ports; where the input decides how many (Split by size), the report's."""
    names = spec.output_names(node.params)
    if names is None:
        names = tuple(f"piece {i}" for i in range(len(report.outputs) if report else 1))
    return names


def _fallback(node: Node) -> str:
    """What to name a node after when its label has no usable letters: its id, else its type."""
    return node.id if node.label and identifier(node.id, "") else node.type.lower()


def _batch_shape(tensor: TensorType | None) -> str:
    """`[N, 6, 28, 28]`: the shape comment on each forward line."""
    if tensor is None:
        return "[N, ?]"
    return "[N" + "".join(f", {d}" for d in tensor.shape) + "]"


def _docstring_text(text: str) -> str:
    """User text for the module docstring, in double quotes: printable characters as they are,
    backslashes, quotes and everything else escaped, so it cannot end the docstring; cut short
    (whole escapes only) past HEADER_NAME_LENGTH characters."""
    out = []
    length = 0
    for ch in text:
        code = ord(ch)
        if ch in '\\"':
            piece = "\\" + ch
        elif ch.isprintable():
            piece = ch
        elif code < 0x100:
            piece = f"\\x{code:02x}"
        elif code < 0x10000:
            piece = f"\\u{code:04x}"
        else:
            piece = f"\\U{code:08x}"
        if length + len(piece) > HEADER_NAME_LENGTH:
            out.append("...")
            break
        out.append(piece)
        length += len(piece)
    return '"' + "".join(out) + '"'


def _top_chain(project: Project) -> list[Node] | None:
    """The model's nodes in order when the project asks to be written as an nn.Sequential
    (`"sequential": true` at its top level, set by the importer for an nn.Sequential model) and
    is one chain from its Input to its Output; None otherwise (the usual class)."""
    if project.extra.get(SEQUENTIAL_KEY) is not True:
        return None
    inputs = [n.id for n in project.nodes if n.type == "Input"]
    outputs = [n.id for n in project.nodes if n.type == "Output"]
    if len(inputs) != 1 or len(outputs) != 1:
        return None
    whole = SimpleNamespace(extra={}, body=project, input_ids=inputs, output_ids=outputs)
    return chain_of(project, whole)  # type: ignore[arg-type]  # a BlockDef's shape
