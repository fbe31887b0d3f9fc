"""Recurrent layers: RNN, LSTM and GRU over [sequence, features] inputs.

Outputs: port 0 is the output sequence [L, D·H_out]; port 1 is h_n and (LSTM) port 2 is c_n,
presented batch-first as [D·num_layers, H] (codegen transposes torch's [D·num_layers, N, H]).
"""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import Arith, Explainer, Formula
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def _recurrent_rule(kind: str) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        p = ctx.params
        t = ctx.need_rank((1, 2), msg("[sequence, features]"))
        ctx.resolve("input_size", t.shape[-1], msg("input features"))
        hidden, proj = p["hidden_size"], p.get("proj_size", 0)
        if proj >= hidden:
            raise ctx.fail(
                msg(
                    "has proj_size={proj}, which must be smaller than hidden_size={hidden}",
                    proj=proj,
                    hidden=hidden,
                ),
                0,
                "proj_size",
            )
        if p["dropout"] and p["num_layers"] == 1:
            ctx.warn(
                msg(
                    "has dropout={p} but one layer; dropout acts only between stacked layers, "
                    "so it does nothing here",
                    p=p["dropout"],
                )
            )
        states = sorted(port for port in ctx.wired_outputs if port > 0)
        named = [("h_n", "c_n")[port - 1] for port in states]
        names = msg("{a} and {b}", a=named[0], b=named[1]) if len(named) == 2 else "".join(named)
        if t.rank == 1:
            # torch reads [N, features] as one unbatched sequence of N steps.
            if states:
                raise ctx.fail(
                    msg(
                        "receives {shape} from {source} without a sequence dim, so torch reads "
                        "the batch as time and {names} would have no batch dim; give it "
                        "[sequence, features] (e.g. Unflatten)",
                        shape=format_shape(t.shape),
                        source=ctx.sources[0],
                        names=names,
                    ),
                    0,
                )
            ctx.warn(
                msg(
                    "receives {shape} from {source} without a sequence dim, so torch reads the "
                    "whole batch as one sequence; give it [sequence, features]",
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                )
            )
        elif not p["batch_first"]:
            if states:
                raise ctx.fail(
                    msg(
                        "has batch_first=False, so torch reads the batch as time and {names} "
                        "would come out per time step, not per sample; set batch_first=True",
                        names=names,
                    ),
                    0,
                    "batch_first",
                )
            ctx.warn(
                msg(
                    "has batch_first=False, so torch reads the batch dim as time and the "
                    "sequence as the batch; set batch_first=True"
                ),
                "batch_first",
            )
        d = 2 if p["bidirectional"] else 1
        out_size = proj or hidden
        length = t.shape[:-1]
        outputs = [
            TensorType((*length, d * out_size)),
            TensorType((d * p["num_layers"], out_size)),
        ]
        if kind == "LSTM":
            outputs.append(TensorType((d * p["num_layers"], hidden)))
        return outputs

    return rule


def _recurrent_count(kind: str) -> Callable[[dict, list[TensorType]], int]:
    gates = _GATES[kind]

    def count(p: dict, inputs: list[TensorType]) -> int:
        hidden, proj = p["hidden_size"], p.get("proj_size", 0)
        out_size = proj or hidden
        d = 2 if p["bidirectional"] else 1
        total = 0
        for layer in range(p["num_layers"]):
            layer_in = p["input_size"] if layer == 0 else d * out_size
            one = gates * hidden * (layer_in + out_size)
            if p["bias"]:
                one += 2 * gates * hidden
            if proj:
                one += proj * hidden
            total += d * one
        return total

    return count


def _recurrent_arithmetic(kind: str) -> Explainer:
    gates = _GATES[kind]

    def explain(a: Arith) -> list[Formula]:
        p = a.params
        hidden, proj = p["hidden_size"], p.get("proj_size", 0)
        out_size, d = proj or hidden, 2 if p["bidirectional"] else 1
        last = len(a.outputs[0].shape) - 1
        found = [
            Formula("features", f"{d} × {out_size}", a.outputs[0].shape[last], 0, last),
            Formula("layers", f"{d} × {p['num_layers']}", a.outputs[1].shape[0], 1, 0),
        ]
        terms = []
        for layer in range(p["num_layers"]):
            layer_in = p["input_size"] if layer == 0 else d * out_size
            one = f"{gates} × {hidden} × ({layer_in} + {out_size})"
            if p["bias"]:
                one += f" + 2 × {gates} × {hidden}"
            if proj:
                one += f" + {proj} × {hidden}"
            terms.append(f"{d} × ({one})" if d > 1 else one)
        found.append(Formula(msg("parameters"), " + ".join(terms), a.count, None))
        return found

    return explain


def _recurrent_macs(kind: str) -> Callable[[Arith], int]:
    """Per time step, per layer and direction: the input and hidden products of every gate."""
    gates = _GATES[kind]

    def macs(a: Arith) -> int:
        p = a.params
        hidden, proj = p["hidden_size"], p.get("proj_size", 0)
        out_size, d = proj or hidden, 2 if p["bidirectional"] else 1
        steps = a.inp[0] if len(a.inp) == 2 else 1
        total = 0
        for layer in range(p["num_layers"]):
            layer_in = p["input_size"] if layer == 0 else d * out_size
            total += d * (gates * hidden * (layer_in + out_size) + proj * hidden)
        return steps * total

    return macs


def _params(kind: str) -> tuple[ParamSpec, ...]:
    params = [
        ParamSpec("input_size", "int", None, "features per time step", 1, inferred=True),
        ParamSpec("hidden_size", "int", None, "features of the hidden state", 1, required=True),
        ParamSpec("num_layers", "int", 1, "recurrent layers stacked on each other", 1),
    ]
    if kind == "RNN":
        params.append(
            ParamSpec(
                "nonlinearity", "enum", "tanh", "activation of the cell", choices=("tanh", "relu")
            )
        )
    params += [
        ParamSpec("bias", "bool", True, "learn the biases b_ih and b_hh"),
        ParamSpec(
            "batch_first", "bool", False, "the batch comes first (Netwright's layout): keep True"
        ),
        ParamSpec("dropout", "float", 0.0, "dropout between stacked layers", 0, 1),
        ParamSpec("bidirectional", "bool", False, "also run the sequence backwards"),
    ]
    if kind == "LSTM":
        params.append(
            ParamSpec("proj_size", "int", 0, "project h to this size (0: no projection)", 0)
        )
    return tuple(params)


_DOCS = {
    "RNN": "Elman recurrent layer over [sequence, features]; outputs the sequence and h_n.",
    "LSTM": "Long short-term memory over [sequence, features]; outputs sequence, h_n and c_n.",
    "GRU": "Gated recurrent unit over [sequence, features]; outputs the sequence and h_n.",
}

for _kind in ("RNN", "LSTM", "GRU"):
    register(
        LayerSpec(
            _kind,
            "Recurrent",
            _DOCS[_kind],
            _recurrent_rule(_kind),
            params=_params(_kind),
            count_params=_recurrent_count(_kind),
            arithmetic=_recurrent_arithmetic(_kind),
            macs=_recurrent_macs(_kind),
            outputs=("output", "h_n", "c_n") if _kind == "LSTM" else ("output", "h_n"),
            torch_class=_kind,
            palette={"hidden_size": 32, "batch_first": True},
            summary=lambda p: (
                f"h={p.get('hidden_size', '?')}"
                + (f" ×{p['num_layers']}" if p.get("num_layers", 1) != 1 else "")
                + (" bi" if p.get("bidirectional") else "")
            ),
        )
    )
