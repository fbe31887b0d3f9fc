"""Blocks in code: each block its own `nn.Module` class, defined before the classes that use it.

A block's constructor takes its block params (`BasicBlock(128, stride=2)`). Values inside that
follow from shapes (`in_channels`) are written as literals when every use of the block agrees;
otherwise as a block param or expression that gives the same value in every use, or as a
constructor argument of their own, worked out by the caller (`in_channels`, read off the input
it passes). A block drawn as one chain from its Input to its Output is an `nn.Sequential`, so its
`state_dict` keys read as hand-written code has them (`features.0.weight`); a repeat is
`nn.Sequential(*[Block(...) for _ in range(N)])`.

Everything here is worked out from the validation report: each run of a block (one per use and
repeat copy) says what its layers resolved to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codegen.emitters import CodegenError, constructor, literal
from codegen.layout import Atom, Call, Expr, Keyword, Repeat
from codegen.namespace import Namespace, identifier
from codegen.user_classes import user_module
from graph.expressions import evaluate, is_expression, parse, to_source
from graph.params import ParamSpec
from graph.report import NodeReport, Report
from i18n import msg

if TYPE_CHECKING:
    from graph import Node, Project
    from graph.blocks import BlockDef
    from graph.tensor import TensorType


@dataclass(frozen=True)
class Context:
    """One place a drawing runs: its block params, its inputs and what the checker found."""

    values: Mapping[str, Any]
    inputs: tuple[TensorType | None, ...]
    report: Report


@dataclass
class Derived:
    """A constructor argument worked out from shapes: a dimension of an input, or failing that
    the value one inner layer argument takes."""

    name: str
    port: int | None = None
    dim: int | None = None
    node: str | None = None
    arg: str | None = None
    copy: int = 0


@dataclass
class Signature:
    """How a block's class is called."""

    class_name: str
    params: list[ParamSpec]  # block params in constructor order: required ones first
    names: dict[str, str]  # block param -> its name in the generated code
    derived: list[Derived] = field(default_factory=list)
    sequential: bool = False


def contexts_of(report: Report) -> dict[str, list[Context]]:
    """Every run of every block used, found by walking the instances down from the top."""
    found: dict[str, list[Context]] = {}
    seen: set[int] = set()

    def walk(rep: Report) -> None:
        for node_report in rep.nodes.values():
            for run in node_report.runs:
                if hasattr(run, "report") and id(run) not in seen:
                    seen.add(id(run))
                    found.setdefault(run.block, []).append(
                        Context(run.values, run.inputs, run.report)
                    )
                    walk(run.report)

    walk(report)
    return found


def block_order(project: Project, used: set[str]) -> list[str]:
    """The used blocks, each after every block it contains (so classes are defined in time)."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        block = project.blocks.get(name)
        if block is None:
            return
        for inner in block.uses():
            visit(inner)
        order.append(name)

    for name in project.blocks.names():
        if name in used:
            visit(name)
    return order


def copies_of(node_report: NodeReport) -> int:
    return max(1, len(node_report.runs))


class Planner:
    """Works out, for one drawing and all the contexts it runs in, the source of every value a
    node's constructor needs: a literal, a block param, an expression, or a derived argument."""

    def __init__(
        self,
        project: Project,
        drawing: Project,
        contexts: list[Context],
        signatures: dict[str, Signature],
        signature: Signature | None,
    ) -> None:
        self.project = project
        self.drawing = drawing
        self.contexts = contexts
        self.signatures = signatures
        self.signature = signature
        self.expressions = sorted(
            {v for n in drawing.nodes for v in n.params.values() if is_expression(v)}
        )
        taken = set(signature.names.values()) if signature else set()
        self.names = Namespace(taken)

    # --- values ------------------------------------------------------------------------------

    def arg_values(self, ctx: Context, node: Node, copy: int) -> dict[str, Any]:
        """Every constructor argument of `node` (copy `copy`) in context `ctx`."""
        node_report = ctx.report.nodes[node.id]
        block = self.project.blocks.get(node.type)
        if block is None:
            if node_report.runs:
                found = node_report.runs[min(copy, len(node_report.runs) - 1)].resolved
            else:
                found = node_report.resolved
            # no constructor takes what a shape rule keeps for itself (a Code node's count)
            return {k: v for k, v in found.items() if not k.startswith("_")}
        run = node_report.runs[min(copy, len(node_report.runs) - 1)]
        inner = Context(run.values, run.inputs, run.report)
        signature = self.signatures[node.type]
        values = {
            d.name: derived_value(self.project, self.signatures, d, inner, block)
            for d in signature.derived
        }
        values.update(run.values)
        return values

    def source(self, node: Node, arg: str, pairs: list[tuple[Context, Any]]) -> Any:
        """A concrete value, or an Atom of source, that gives each context its value."""
        raw = node.params.get(arg)
        if isinstance(raw, dict) and any(is_expression(v) for v in raw.values()):
            # a Code node's constructor arguments, some of them the block's params
            if self.signature is None:
                raise CodegenError(
                    msg("'{name}' uses {value} outside a block", name=node.name, value=repr(raw))
                )
            return {
                k: Atom(to_source(parse(v), self._param_name)) if is_expression(v) else v
                for k, v in raw.items()
            }
        if is_expression(raw):
            if self.signature is None:
                raise CodegenError(
                    msg("'{name}' uses {value} outside a block", name=node.name, value=repr(raw))
                )
            return Atom(to_source(parse(raw), self._param_name))
        values = [v for _, v in pairs]
        if all(v == values[0] for v in values[1:]):
            return values[0]
        sig = self.signature
        if sig is None:  # copies of a repeat at the top level that differ: the caller splits them
            raise CodegenError(
                msg("'{name}' takes different {param} in its copies", name=node.name, param=arg)
            )
        for param in sig.params:
            if all(ctx.values.get(param.name) == v for ctx, v in pairs):
                return Atom(sig.names[param.name])
        for text in self.expressions:
            expr = parse(text)
            if all(_safe_eval(expr, ctx.values) == v for ctx, v in pairs):
                return Atom(to_source(expr, self._param_name))
        block = self.project.blocks.get(self.drawing.block_name or "")
        assert block is not None
        for derived in sig.derived:
            if all(
                derived_value(self.project, self.signatures, derived, ctx, block) == v
                for ctx, v in pairs
            ):
                return Atom(derived.name)
        first = pairs[0][0]
        for port, tensor in enumerate(first.inputs):
            for dim in range(tensor.rank if tensor is not None else 0):
                if all(_dim(ctx, port, dim) == v for ctx, v in pairs):
                    derived = Derived(self.names.create(arg, "size"), port, dim)
                    sig.derived.append(derived)
                    return Atom(derived.name)
        if all(isinstance(v, list | tuple) and len(v) == 1 for v in values):
            # LayerNorm's normalized_shape [C] in blocks of different widths: [the size of C]
            return [self.source(node, arg, [(ctx, v[0]) for ctx, v in pairs])]
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            # a size no input dimension gives (after a Code node): the caller passes it
            derived = Derived(self.names.create(arg, "size"), node=node.id, arg=arg)
            if all(
                derived_value(self.project, self.signatures, derived, ctx, block) == v
                for ctx, v in pairs
            ):
                sig.derived.append(derived)
                return Atom(derived.name)
        raise CodegenError(
            msg(
                "'{name}' in block {block} takes {param} = {values} in its different uses, and "
                "Netwright cannot write that as one class yet; set it from a block parameter",
                name=node.name,
                block=block.name,
                param=arg,
                values=", ".join(str(v) for v in values),
            )
        )

    def _param_name(self, name: str) -> str:
        assert self.signature is not None
        return self.signature.names[name]

    # --- constructors ------------------------------------------------------------------------

    def resolved(self, node: Node, copy: int = 0, copies: range | None = None) -> dict[str, Any]:
        """The node's resolved params with every varying value as source, for `copy` (or every
        copy in `copies` at once: the copies written by one list comprehension)."""
        pairs_by_arg: dict[str, list[tuple[Context, Any]]] = {}
        for ctx in self.contexts:
            node_report = ctx.report.nodes.get(node.id)
            if node_report is None:
                continue
            wanted = [copy] if copies is None else list(copies)
            for k in wanted:
                if k >= copies_of(node_report):
                    continue
                for arg, value in self.arg_values(ctx, node, k).items():
                    pairs_by_arg.setdefault(arg, []).append((ctx, value))
        return {arg: self.source(node, arg, pairs) for arg, pairs in pairs_by_arg.items()}

    def module(self, node: Node, resolved: dict[str, Any]) -> Call:
        """`nn.Linear(400, 120)` or `BasicBlock(128, stride=2)` from resolved sources."""
        block = self.project.blocks.get(node.type)
        if block is None:
            spec = self.project.spec(node.type)
            assert spec is not None
            if spec.user_class is not None:  # a Code node: the user's class, the node's args
                return user_module(node, spec.user_class(resolved), resolved["args"])
            assert spec.torch_class is not None
            return constructor(node, spec, NodeReport(node.id, resolved=resolved))
        sig = self.signatures[node.type]
        args: list[Expr | Keyword] = [literal(resolved[d.name]) for d in sig.derived]
        positional = True
        for i, param in enumerate(sig.params):
            value = resolved.get(param.name, param.default)
            if positional and (param.required or i == 0):
                args.append(literal(value))
                continue
            positional = False
            if isinstance(value, Atom) or value != param.default:
                args.append(Keyword(sig.names[param.name], literal(value)))
        return Call(sig.class_name, tuple(args))

    def modules(self, node: Node) -> list[Expr]:
        """The module(s) for a node: one call, or for a repeat the copies as Sequential items
        (`*[X(...) for _ in range(N)]`, the first copy apart when it differs)."""
        reports = [c.report.nodes[node.id] for c in self.contexts if node.id in c.report.nodes]
        counts = {copies_of(r) for r in reports}
        count = self.repeat_source(node, counts)
        if count == "1":
            return [self.module(node, self.resolved(node))]
        top = max(counts)
        every = self._attempt(node, range(top))
        if every is not None:
            return [Repeat(self.module(node, every), count)]
        rest = self._attempt(node, range(1, top))
        if rest is not None:
            first = self.module(node, self.resolved(node, 0))
            return [first, Repeat(self.module(node, rest), _minus_one(count))]
        if len(counts) == 1 and not is_expression(node.repeat):
            return [self.module(node, self.resolved(node, k)) for k in range(top)]
        raise CodegenError(
            msg("the copies of '{name}' differ in ways one class cannot write", name=node.name)
        )

    def _attempt(self, node: Node, copies: range) -> dict[str, Any] | None:
        """One set of sources for all these copies, or None (undoing any argument it added)."""
        sig = self.signature
        before = len(sig.derived) if sig else 0
        try:
            return self.resolved(node, copies=copies)
        except CodegenError:
            if sig is not None:
                del sig.derived[before:]
            return None

    def repeat_source(self, node: Node, counts: set[int]) -> str:
        if node.repeat is None or (counts == {1} and not is_expression(node.repeat)):
            return "1"
        if is_expression(node.repeat):
            return to_source(parse(node.repeat), self._param_name)
        return str(node.repeat)


def _minus_one(count: str) -> str:
    return str(int(count) - 1) if count.isdigit() else f"{count} - 1"


def _safe_eval(expr: Any, values: Mapping[str, Any]) -> Any:
    try:
        return evaluate(expr, values)
    except ValueError:
        return None


def _dim(ctx: Context, port: int, dim: int) -> int | None:
    tensor = ctx.inputs[port] if port < len(ctx.inputs) else None
    if tensor is None or dim >= tensor.rank:
        return None
    return tensor.shape[dim]


def derived_value(
    project: Project,
    signatures: dict[str, Signature],
    derived: Derived,
    ctx: Context,
    block: BlockDef,
) -> Any:
    """What a derived constructor argument is in one run of its block."""
    if derived.port is not None and derived.dim is not None:
        return _dim(ctx, derived.port, derived.dim)
    checked = ctx.report.nodes.get(derived.node or "")
    if checked is not None and derived.arg is not None:
        value = checked.resolved.get(derived.arg)
        return value[0] if isinstance(value, list | tuple) and len(value) == 1 else value
    raise CodegenError(
        msg("block {block}: cannot work out {param}", block=block.name, param=derived.name)
    )


def signature_for(block: BlockDef, class_name: str) -> Signature:
    params = [p for p in block.params if p.required] + [p for p in block.params if not p.required]
    names = Namespace({"self"})
    return Signature(class_name, params, {p.name: names.create(p.name, "param") for p in params})


# A block's file entry: `"sequential": false` writes even a chain as a class with attributes
# named after its nodes (an imported class that is no nn.Sequential keeps its state_dict keys);
# `"sequential": "named"` writes a chain as an nn.Sequential adding each node's module under the
# node's name (an imported nn.Sequential whose children are named `block1-0` keeps its keys).
SEQUENTIAL_KEY = "sequential"
NAMED_CHILDREN = "named"


def chain_of(project: Project, block: BlockDef, shared: bool = False) -> list[Node] | None:
    """The nodes of a block drawn as one chain from its one Input to its one Output, in order;
    None when it is anything else (such a block is emitted as an nn.Sequential). With
    `shared`, a node may share another node of the chain (an imported nn.Sequential holding
    one layer at two places); otherwise a chain with shared layers is written as a class, its
    layer one attribute (one state_dict key, as a tutorial's FixedHiddenMLP has)."""
    if block.extra.get(SEQUENTIAL_KEY) is False:
        return None
    body = block.body
    if len(block.input_ids) != 1 or len(block.output_ids) != 1:
        return None
    if len([n for n in body.nodes if n.type == "Input"]) != 1:
        return None
    targets = {n.shares for n in body.nodes if n.shares}
    if targets and not shared:
        return None
    chain: list[Node] = []
    current = block.input_ids[0]
    end = block.output_ids[0]
    while True:
        wires = body.wires_out(current)
        if len(wires) != 1 or wires[0].source_port or wires[0].target_port:
            return None
        current = wires[0].target
        if current == end:
            break
        node = body.node(current)
        spec = project.spec(node.type)
        if (
            spec is None
            or len(body.wires_in(current)) != 1
            or len(spec.input_names(node.params)) != 1
            or len(spec.output_names(node.params) or ()) != 1
            or ((node.shares or node.id in targets) and node.repeat not in (None, 1))
            or (
                spec.torch_class is None
                and spec.user_class is None  # a Code node's class is a module too
                and node.type not in project.blocks
            )
            or node.type == "MultiheadAttention"
        ):
            return None
        chain.append(node)
    if len(chain) + 2 != len(body.nodes):
        return None
    # a node calling another's layer again: the Sequential holds that layer at both places
    # (`shared = nn.Linear(8, 8)`, then `shared` twice among its items), so both are in it
    if not targets <= {node.id for node in chain}:
        return None
    return chain


def identifier_for(text: str) -> str:
    return identifier(text, "block")
