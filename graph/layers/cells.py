"""Recurrent cells: one time step of RNN, LSTM or GRU, from a zero state.

A cell maps [input_size] to the next hidden state [hidden_size] (LSTMCell also to the cell state);
without an hx input the state starts at zeros, as torch does when hx is left out.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import Arith, counted, last_dim, with_parameters
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType

_GATES = {"RNNCell": 1, "GRUCell": 3, "LSTMCell": 4}


def _cell_rule(kind: str) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.need_rank((1,), "[features]")
        ctx.resolve("input_size", t.shape[0], "input features")
        state = TensorType((ctx.params["hidden_size"],))
        return [state, state] if kind == "LSTMCell" else [state]

    return rule


def _cell_count(kind: str) -> Callable[[dict, list[TensorType]], int]:
    gates = _GATES[kind]

    def count(p: dict, inputs: list[TensorType]) -> int:
        hidden = p["hidden_size"]
        total = gates * hidden * (p["input_size"] + hidden)
        return total + (2 * gates * hidden if p["bias"] else 0)

    return count


_DOCS = {
    "RNNCell": "One Elman RNN step from h = 0: h_1 = tanh(W x + b).",
    "LSTMCell": "One LSTM step from a zero state; outputs the new h_1 and c_1.",
    "GRUCell": "One GRU step from a zero state; outputs the new h_1.",
}


def _cell_macs(kind: str) -> Callable[[Arith], int]:
    """One step: each gate multiplies the input and the (zero or given) state."""

    def macs(a: Arith) -> int:
        h, i = a.params["hidden_size"], a.params["input_size"]
        return _GATES[kind] * h * (i + h)

    return macs


for _kind in ("RNNCell", "LSTMCell", "GRUCell"):
    _params = [
        ParamSpec("input_size", "int", None, "features of the input", 1, inferred=True),
        ParamSpec("hidden_size", "int", None, "features of the hidden state", 1, required=True),
        ParamSpec("bias", "bool", True, "learn the biases b_ih and b_hh"),
    ]
    if _kind == "RNNCell":
        _params.append(
            ParamSpec(
                "nonlinearity", "enum", "tanh", "activation of the cell", choices=("tanh", "relu")
            )
        )
    register(
        LayerSpec(
            _kind,
            "Recurrent",
            _DOCS[_kind],
            _cell_rule(_kind),
            params=tuple(_params),
            count_params=_cell_count(_kind),
            outputs=("h_1", "c_1") if _kind == "LSTMCell" else ("h_1",),
            torch_class=_kind,
            palette={"hidden_size": 32},
            summary=lambda p: f"h={p.get('hidden_size', '?')}",
            arithmetic=with_parameters(last_dim("hidden", "hidden_size"), counted),
            macs=_cell_macs(_kind),
        )
    )
