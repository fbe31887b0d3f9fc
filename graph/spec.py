"""Layer specs: one per layer type, read by the palette, inspector, checker, codegen and docs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from graph.arithmetic import Arith, Formula
from graph.op_calls import Expression
from graph.params import ParamSpec
from graph.problem_codes import ProblemCode
from graph.tensor import TensorType, format_shape
from i18n import msg

if TYPE_CHECKING:
    from graph.code_runs import CodeRunner

DtypePolicy = Literal["float", "int", "any"]


class ShapeError(Exception):
    """Raised by a shape rule: the node cannot accept what flows into it.

    The message is a full sentence about the node; `port` is the input port at fault, if one is.
    """

    def __init__(
        self,
        message: str,
        port: int | None = None,
        param: str | None = None,
        code: ProblemCode = ProblemCode.SHAPE,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.port = port
        self.param = param
        self.code = code  # a Code node's own failures have codes of their own
        self.line = line  # the line of a Code node's source at fault


@dataclass
class ShapeContext:
    """What a shape rule sees: the node's resolved params and its input tensor types."""

    title: str  # "Linear 'fc1'"
    params: dict[str, Any]  # defaults filled in, user values normalised
    given: frozenset[str]  # the params the user set
    inputs: list[TensorType]
    sources: list[str]  # "'pool2'" for each input, for messages
    wired_outputs: frozenset[int] = frozenset()  # output ports that have wires
    warnings: list[str] = field(default_factory=list)
    warning_params: list[str | None] = field(default_factory=list)
    code_runner: CodeRunner | None = None  # runs Code nodes; None: the project is not trusted

    def fail(
        self,
        message: str,
        port: int | None = None,
        param: str | None = None,
        code: ProblemCode = ProblemCode.SHAPE,
        line: int | None = None,
    ) -> ShapeError:
        return ShapeError(
            msg("{node} {problem}", node=self.title, problem=message), port, param, code, line
        )

    def warn(self, message: str, param: str | None = None) -> None:
        """Advice: valid, but probably not meant. `param` names the setting to change, if one."""
        self.warnings.append(msg("{node} {problem}", node=self.title, problem=message))
        self.warning_params.append(param)

    def origin(self, port: int = 0) -> str:
        """`= 16×5×5 from 'pool2'` or `from 'fc1'`: where the incoming last dimension comes from."""
        detail = self.inputs[port].detail
        if detail:
            return msg("= {detail}", detail=detail)
        return msg("from {source}", source=self.sources[port])

    def resolve(self, name: str, actual: Any, what: str, port: int = 0) -> None:
        """Fill an inferred argument, or check the one the user pinned against the input.

        `what` names the quantity for the message: msg("input features"), msg("input channels").
        """
        if name in self.given and self.params[name] != actual:
            pinned = self.params[name]
            raise self.fail(
                msg(
                    "expects {pinned} {what} ({name}={pinned}) but receives {actual} {origin}",
                    pinned=_plain(pinned),
                    what=what,
                    name=name,
                    actual=_plain(actual),
                    origin=self.origin(port),
                ),
                port,
                name,
            )
        self.params[name] = actual

    def need_rank(self, ranks: tuple[int, ...], layout: str, port: int = 0) -> TensorType:
        """The input at `port`, if it has one of the ranks (batch excluded); else a clear error."""
        t = self.inputs[port]
        if t.rank not in ranks:
            raise self.fail(
                msg(
                    "expects input shaped {layout} (batch left out) but receives {shape} from "
                    "{source}",
                    layout=layout,
                    shape=format_shape(t.shape),
                    source=self.sources[port],
                ),
                port,
            )
        return t


def _plain(v: Any) -> str:
    if isinstance(v, tuple):
        return format_shape(v)
    return str(v)


def _no_params(params: dict[str, Any], inputs: list[TensorType]) -> int:
    return 0


PortsRule = Callable[[dict[str, Any]], tuple[tuple[str, ...], tuple[str, ...] | None]]


# (resolved params, number of inputs) -> what `forward` computes (graph/expressions.py).
ExpressionRule = Callable[[dict[str, Any], int], Expression]


@dataclass(frozen=True)
class LayerSpec:
    """Everything Netwright knows about one layer type.

    `infer` is the exact shape rule (plain Python, no torch): it fills inferred params in
    `ctx.params` and returns one TensorType per output port. `count_params` gives the number of
    trainable values from the resolved params and input types.
    """

    type: str
    category: str
    doc: str
    infer: Callable[[ShapeContext], list[TensorType]]
    params: tuple[ParamSpec, ...] = ()
    count_params: Callable[[dict[str, Any], list[TensorType]], int] = _no_params
    inputs: tuple[str, ...] = ("input",)
    variadic: bool = False  # merges: ports 0..k-1 for any k >= 1 (`inputs` names the first)
    outputs: tuple[str, ...] = ("output",)
    dtype: DtypePolicy = "float"
    torch_class: str | None = None  # "Conv2d" for nn.Conv2d; None for ops emitted inline
    palette: dict[str, Any] = field(default_factory=dict)  # params set when added by hand
    summary: Callable[[dict[str, Any]], str] | None = None  # "16 @ 3×3, s2"
    # Ports that follow from the params (Split's sections, a Code node's forward): params ->
    # (input names, output names); None output names: as many as the input gives (Split by size).
    ports: PortsRule | None = None
    # What a node without a torch module computes in `forward` (torch ops, merges), and for a
    # node that owns a tensor (Parameter), the value it is created with in `__init__`.
    expression: ExpressionRule | None = None
    init: Callable[[dict[str, Any]], Expression] | None = None
    # The output is an expanded view (several positions share one value): writing into it in
    # place fails in torch, so an inplace=True layer may not take it.
    expanded_view: bool = False
    # The result is a tuple even when one port is left (Split or Chunk into one piece).
    tuple_result: bool = False
    # A Code node: the class its params define, written into the exported source (params ->
    # class name); its module is that class called with the node's `args`.
    user_class: Callable[[dict[str, Any]], str] | None = None
    # "Why this shape?": the formulas with the node's numbers (graph/arithmetic.py). Every
    # layer has one; a test refuses a spec without it.
    arithmetic: Callable[[Arith], list[Formula]] | None = None
    # Multiply-accumulates for one sample (graph/cost.py); every layer has it, 0 included.
    macs: Callable[[Arith], int] | None = None
    # The module's tensors an initialisation may set, from the resolved params (graph/init.py).
    init_tensors: Callable[[dict[str, Any]], dict[str, int]] | None = None
    param_index: dict[str, ParamSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "param_index", {p.name: p for p in self.params})

    @property
    def is_sink(self) -> bool:
        return not self.outputs

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def input_count(self, wired_ports: int, params: Mapping[str, Any] | None = None) -> int:
        """How many input ports a node shows, given how many are wired (merges grow)."""
        if self.variadic:  # any number of inputs, one included (`torch.cat([x])` is legal)
            return max(1, wired_ports)
        return len(self.input_names(params or {}))

    def input_names(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The input ports of a node with these params (most layers: always the same)."""
        return self._ports(params)[0]

    def output_names(self, params: Mapping[str, Any]) -> tuple[str, ...] | None:
        """The output ports of a node with these params; None when the input decides how many
        (then any port may be wired and the shape rule says which exist)."""
        return self._ports(params)[1]

    def _ports(self, params: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
        if self.ports is None:
            return self.inputs, self.outputs
        try:
            return self.ports({**self.defaults(), **params})
        except (TypeError, ValueError, SyntaxError):
            return self.inputs, self.outputs  # params not valid yet: the checker reports them


_REGISTRY: dict[str, LayerSpec] = {}


def register(spec: LayerSpec) -> LayerSpec:
    if spec.type in _REGISTRY:
        raise ValueError(f"layer type {spec.type} registered twice")
    _REGISTRY[spec.type] = spec
    return spec


def get_spec(layer_type: str) -> LayerSpec | None:
    _ensure_loaded()
    return _REGISTRY.get(layer_type)


def all_specs() -> list[LayerSpec]:
    """Every layer spec, in palette order (category by category)."""
    _ensure_loaded()
    return list(_REGISTRY.values())


def layer_types() -> list[str]:
    _ensure_loaded()
    return list(_REGISTRY)


def _ensure_loaded() -> None:
    if not _REGISTRY:
        import graph.layers  # noqa: F401  (registers every spec on import)
