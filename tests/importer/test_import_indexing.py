"""A tensor's indexing becomes Index, Slice and Unsqueeze nodes, one per component that changes
something, giving exactly what torch gives; a call with a dtype becomes a Code node writing the
dtype as torch names it. What cannot be drawn is refused in one line naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from importer import ImportFailed, import_model
from importer.indexing import IndexStep, NoLayers, index_steps
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("indexing_models.py"))
LINES = Path(MODELS).read_text(encoding="utf-8").splitlines()


def _line(text: str) -> int:
    return next(i for i, line in enumerate(LINES, 1) if text in line)


def _layers(project) -> list[tuple[str, str, dict]]:
    return [(n.id, n.type, n.params) for n in project.nodes if n.type not in ("Input", "Output")]


@pytest.mark.parametrize(
    ("name", "shape", "layers"),
    [
        (
            "Halves",  # x[:, :2] + x[:, 2:4]
            (8,),
            [
                ("fc", "Linear", {"out_features": 8}),
                ("slice1", "Slice", {"stop": 2}),
                ("slice2", "Slice", {"start": 2, "stop": 4}),
                ("add1", "Add", {}),
            ],
        ),
        (
            "LastStep",  # out[:, -1, :]: Index's defaults, dim 1 and index -1
            (5, 4),
            [
                ("lstm", "LSTM", {"hidden_size": 6, "batch_first": True}),
                ("index1", "Index", {}),
                ("fc", "Linear", {"out_features": 3}),
            ],
        ),
        (
            "Tail",  # x[..., 1:] on [N, 4, 6]
            (3, 6),
            [
                ("conv", "Conv1d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
                ("slice1", "Slice", {"dim": 2, "start": 1}),
            ],
        ),
        (
            "Channel",  # x[:, None]
            (6, 6),
            [
                ("unsqueeze1", "Unsqueeze", {"dim": 1}),
                ("conv", "Conv2d", {"out_channels": 2, "kernel_size": 3}),
            ],
        ),
        (
            "Window",  # x[:, 1:3, ::2]
            (4, 6),
            [
                ("slice1", "Slice", {"start": 1, "stop": 3}),
                ("slice2", "Slice", {"dim": 2, "step": 2}),
                ("fc", "Linear", {"out_features": 5}),
            ],
        ),
        (
            "Picks",  # x[:, 0, None, ..., -2:, 1] on [N, 3, 4, 5, 6]
            (3, 4, 5, 6),
            [
                ("index1", "Index", {"index": 0}),
                ("unsqueeze1", "Unsqueeze", {"dim": 1}),
                ("slice1", "Slice", {"dim": 3, "start": -2}),
                ("index2", "Index", {"dim": 4, "index": 1}),
            ],
        ),
        (
            "LastLayer",  # h_n[-1]: dim 1 of the drawing's batch-first h_n
            (5, 4),
            [
                ("lstm", "LSTM", {"hidden_size": 6, "num_layers": 2, "batch_first": True}),
                ("index1", "Index", {}),
                ("fc", "Linear", {"out_features": 3}),
            ],
        ),
        (
            "BothWays",  # torch.cat((h[-2], h[-1]), dim=1)
            (5, 4),
            [
                ("gru", "GRU", {"hidden_size": 6, "batch_first": True, "bidirectional": True}),
                ("index1", "Index", {"index": -2}),
                ("index2", "Index", {}),
                ("concat1", "Concat", {}),
                ("fc", "Linear", {"out_features": 3}),
            ],
        ),
        (
            "Squeezed",  # h.squeeze(0) of one layer; h.transpose(0, 1) is the drawing's h_n
            (5, 4),
            [
                ("rnn", "RNN", {"hidden_size": 6, "batch_first": True}),
                ("index1", "Index", {"index": 0}),
                ("fc", "Linear", {"out_features": 3}),
                ("index2", "Index", {"index": 0}),
                ("slice1", "Slice", {"stop": 3}),
                ("add1", "Add", {}),
            ],
        ),
    ],
)
def test_an_indexing_becomes_layers_that_round_trip_exactly(tmp_path, name, shape, layers):
    rt = round_trip(f"{MODELS}:{name}", [shape])
    assert _layers(rt.imported.project) == layers
    assert list(rt.exported.state_dict()) == list(rt.imported.module.state_dict())
    assert_same_weights_and_outputs(rt, [shape])
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def _apply(x: torch.Tensor, steps: list[IndexStep]) -> torch.Tensor:
    """What the layers' generated code does: select, a slice of one dim, unsqueeze."""
    for step in steps:
        p = step.params
        if step.layer == "Index":
            x = x.select(p["dim"], p["index"])
        elif step.layer == "Unsqueeze":
            x = x.unsqueeze(p["dim"])
        else:
            whole = (slice(None),) * p["dim"]
            x = x[(*whole, slice(p["start"], p["stop"], p["step"]))]
    return x


@pytest.mark.parametrize(
    "index",
    [
        (slice(None), slice(None, 2)),
        (slice(None), -1, slice(None)),
        (Ellipsis, slice(1, None)),
        (slice(None), None),
        (slice(None), slice(1, 3), slice(None, None, 2)),
        (slice(None), 0, None, Ellipsis, slice(-2, None), 1),
        (Ellipsis, None),
        (slice(None), None, None, 2),
        (slice(None), slice(-3, -1), -1, slice(None, 10, 3)),
        (slice(None), slice(None)),
        Ellipsis,
    ],
)
def test_the_layers_of_an_indexing_give_what_torch_gives(index):
    x = torch.randn(2, 3, 4, 5)
    steps = index_steps(index, x.dim())
    assert all(s.params["dim"] >= 1 for s in steps)  # the batch stays whole
    assert torch.equal(_apply(x, steps), x[index])


def test_trailing_and_ellipsis_full_slices_add_no_layer():
    assert index_steps((slice(None), slice(None)), 3) == []
    assert index_steps((Ellipsis, 1, slice(None)), 4) == [
        IndexStep("Index", {"dim": 2, "index": 1})
    ]


@pytest.mark.parametrize(
    ("index", "why"),
    [
        (0, "it indexes the batch (dim 0), which every node keeps whole"),
        (slice(1, None), "it indexes the batch (dim 0), which every node keeps whole"),
        ((None, Ellipsis), "it indexes the batch (dim 0), which every node keeps whole"),
        ((Ellipsis, 0, 0), "it indexes the batch (dim 0), which every node keeps whole"),
        ((slice(None), [0, 2]), "it indexes with a tensor or a list (advanced indexing)"),
        (([0, 1], slice(None)), "it indexes the batch (dim 0), which every node keeps whole"),
        ((slice(None), True), "it indexes with a tensor or a list (advanced indexing)"),
        ((slice(None), slice(0, 2.5)), "a bound of its slice is not a plain number"),
    ],
)
def test_an_indexing_without_layers_says_why(index, why):
    with pytest.raises(NoLayers) as info:
        index_steps(index, 2)
    assert str(info.value) == why


def test_indexing_the_batch_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:FirstSample", [(3, 4)])
    assert str(info.value) == (
        f"cannot import the model: the indexing [0] at indexing_models.py:{_line('x[0] * 2')} "
        "has no layer: it indexes the batch (dim 0), which every node keeps whole"
    )


@pytest.mark.parametrize(
    ("name", "shape", "text"),
    [("Reordered", (3, 6, 6), "x[:, [2, 1, 0]]"), ("Spread", (3, 4), "x[:, 1:, [0, 0, 3]]")],
)
def test_a_list_index_becomes_a_code_node_writing_the_indexing(tmp_path, name, shape, text):
    rt = round_trip(f"{MODELS}:{name}", [shape])
    node = rt.imported.project.node("indexing1")
    assert node.type == "Code" and "args" not in node.params
    assert node.params["source"] == (
        f"class Indexing(nn.Module):\n    def forward(self, x):\n        return {text}\n"
    )
    assert_same_weights_and_outputs(rt, [shape])
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_list_index_on_the_batch_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:Rows", [(4,)])
    assert str(info.value) == (
        "cannot import the model: the indexing [[0, 1]] at "
        f"indexing_models.py:{_line('x[[0, 1]]')} has no layer: it indexes the batch (dim 0), "
        "which every node keeps whole"
    )


def test_an_rnn_state_used_with_the_batch_second_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:WholeState", [(5, 4)])
    assert str(info.value) == (
        f"cannot import the model: 'fc' at indexing_models.py:{_line('self.fc(h_n)')} takes h_n "
        "as torch gives it, [layers, batch, features], but the drawing keeps the batch first: "
        "pick one layer of it first (as h_n[-1])"
    )


def test_a_call_with_a_dtype_becomes_a_code_node_writing_it_as_torch_names_it(tmp_path):
    rt = round_trip(f"{MODELS}:Ids", [(8,)])
    node = rt.imported.project.node("sum1")
    assert node.type == "Code"
    assert node.params["args"] == {"dim": 1, "keepdim": True}
    assert (
        "        return x.sum(self.dim, keepdim=self.keepdim, dtype=torch.float32)\n"
        in node.params["source"]
    )
    assert_same_weights_and_outputs(rt, [(8,)])
    again = reimport(rt, tmp_path, [(8,)])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_dtype_no_wire_carries_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:Wider", [(8,)])
    assert str(info.value) == (
        "cannot import the model: no layer matches the tensor method .to() at "
        f"indexing_models.py:{_line('x.to(torch.float64)')}; no Code node either: it takes or "
        "gives float64 tensors, which a drawing cannot carry"
    )


def test_a_wrapped_function_whose_body_maps_comes_back_as_the_same_code_node(tmp_path):
    rt = round_trip(f"{MODELS}:Interleaved", [(8,)])
    node = rt.imported.project.node("interleave1")
    assert node.type == "Code" and "class Interleave(nn.Module):" in node.params["source"]
    assert "class Interleave(nn.Module):" in rt.code.source  # exported, no longer wrapped
    assert_same_weights_and_outputs(rt, [(8,)])
    again = reimport(rt, tmp_path, [(8,)])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)
