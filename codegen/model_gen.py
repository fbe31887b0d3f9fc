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
from codegen.containers import (
    INIT_ORDER_KEY,
    Container,
    containers_of,
    in_init_order,
    read_member,
)
from codegen.emitters import (
    CodegenError,
    literal,
)
from codegen.expressions import Names, render, uses_module
from codegen.forward_gen import ForwardWriter, fallback_name
from codegen.init_gen import SequentialIndex, frozen_lines, init_lines
from codegen.layout import (
    Atom,
    Call,
    Expr,
    Repeat,
    assignment,
    exploded_call,
    function_header,
    statement,
)
from codegen.namespace import RESERVED, Namespace, class_name
from codegen.sequential_map import module_count, sequential_owner
from codegen.user_classes import provided_names, user_classes
from graph import Node, Project, Report

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
            writer = ClassWriter(self, block.body, planner, signature.class_name, block_name)
            if chain is not None:
                writer.write_sequential(chain)
            else:
                writer.write()
        top = Planner(self.project, self.project, [Context({}, (), self.report)], signatures, None)
        writer = ClassWriter(self, self.project, top, name, None, self.result)
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


class ClassWriter:
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
        self.access: dict[str, str] = {}  # node id -> its module after `self.`: `layers[0]`
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
        body = in_init_order(body, lambda entry: _init_order(entry[0]))
        containers = self._containers(body, many)  # before any attribute takes their names
        values = {node.id: value for node, value in body}
        self._init_header("nn.Module")
        self.emit(["        super().__init__()"])
        for node, value in body:
            container = containers.get(node.id)
            if container is not None:
                if container.members[0] == node.id:  # built where its first member is
                    self._write_container(container, values)
                continue
            attr = self.attrs.create(node.name, fallback_name(node))
            self._name(node.id, attr, attr)
            self.emit(assignment(f"self.{attr}", value, 8), node.id)
            self._init_calls(node, f"self.{attr}", node.id in many)
            if node.frozen:
                self.emit([f"        self.{attr}.requires_grad_(False)  # frozen"], node.id)
        for node in self.order:
            if node.shares and node.shares in self.result.attributes:
                self.result.attributes[node.id] = self.result.attributes[node.shares]
                self.access[node.id] = self.access[node.shares]
        ForwardWriter(self).write()

    def _name(self, node_id: str, attr: str, access: str) -> None:
        """Record the node's module path (`conv1`, `layers.0`) and its source (`layers[0]`)."""
        self.result.attributes[node_id] = attr
        self.access[node_id] = access
        if self.block is not None:
            self.program.result.block_attributes.setdefault(self.block, {})[node_id] = attr

    def _containers(self, body: list[tuple[Node, Expr]], many: set[str]) -> dict[str, Container]:
        """The ModuleLists and ModuleDicts the imported nodes sit in (one module each), and
        the ParameterLists and ParameterDicts their Parameter nodes' tensors sit in."""
        members = {}
        for node, value in body:
            spec = self.program.project.spec(node.type)
            owns_tensor = spec is not None and spec.init is not None
            if node.id in many or isinstance(value, Repeat):
                continue
            member = read_member(node.extra, RESERVED)
            if member is not None and member.holds_tensor == owns_tensor:
                members[node.id] = member
        return containers_of(members, lambda name: self.attrs.create(name, "modules"))

    def _write_container(self, container: Container, values: dict[str, Expr]) -> None:
        """`self.layers = nn.ModuleList([...])`, each member's module on lines of its own."""
        for lines, node_id in container.lines(values, 8):
            self.emit(lines, node_id)
        for node_id in container.members:
            node = self.project.node(node_id)
            access = container.access(node_id)
            self._name(node_id, container.path(node_id), access)
            self._init_calls(node, f"self.{access}", False)
            if node.frozen:
                self.emit([f"        self.{access}.requires_grad_(False)  # frozen"], node_id)

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
        shared = self._shared_locals(chain)
        for node in chain:
            local = shared.get(node.shares or node.id)
            made = self.planner.modules(node) if local is None else [Atom(local)]
            if not any(isinstance(item, Repeat) for item in items):
                names[node.id] = str(len(items))
            items += made
            owners += [node.id] * len(made)
        self._init_header("nn.Sequential")
        for node in chain:  # `shared = nn.Linear(8, 8)`: one layer the Sequential holds twice
            if node.id in shared:
                value = self.planner.modules(node)[0]
                self.emit(assignment(shared[node.id], value, 8), node.id)
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
            if node.shares:
                continue  # its layer is the one it shares, set up there
            self._init_calls(node, target, copies)
            if node.frozen:
                self.emit(frozen_lines(target, copies), node.id)

    def _shared_locals(self, chain: list[Node]) -> dict[str, str]:
        """node id -> the local name its layer is built under before `super().__init__`, for
        each node of the chain another node shares."""
        targets = {node.shares for node in chain if node.shares}
        names = Namespace({"self", "nn", "torch", "F", "math"})
        return {node.id: names.create(node.name, "shared") for node in chain if node.id in targets}

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


def _init_order(node: Node) -> int | None:
    order = node.extra.get(INIT_ORDER_KEY)
    return order if isinstance(order, int) and not isinstance(order, bool) else None


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
    return chain_of(project, whole, shared=True)  # type: ignore[arg-type]  # a BlockDef's shape
