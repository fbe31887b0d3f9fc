"""RNN, LSTM and GRU: [sequence, features] in, output sequence and batch-first states out."""

import pytest
from hypothesis import HealthCheck, given, settings

from graph import Edge, Node, project_from_dict, project_to_dict
from tests.fuzzing import examples
from tests.graph.layer_helpers import chain, check, only, torch_count
from tests.graph.strategies import any_projects


@pytest.mark.parametrize(
    ("node_type", "params", "outputs"),
    [
        ("RNN", {"hidden_size": 16}, [(10, 16), (1, 16)]),
        ("GRU", {"hidden_size": 5, "num_layers": 3, "bidirectional": True}, [(10, 10), (6, 5)]),
        ("LSTM", {"hidden_size": 16, "num_layers": 2}, [(10, 16), (2, 16), (2, 16)]),
        (
            "LSTM",
            {"hidden_size": 16, "num_layers": 2, "bidirectional": True, "proj_size": 4},
            [(10, 8), (4, 4), (4, 16)],
        ),
        ("RNN", {"hidden_size": 3, "nonlinearity": "relu", "bias": False}, [(10, 3), (1, 3)]),
    ],
)
def test_recurrent_shapes_and_counts_match_torch(node_type, params, outputs):
    node = check([10, 8], (node_type, {**params, "batch_first": True})).nodes[
        f"{node_type.lower()}1"
    ]
    assert node.ok
    assert node.resolved["input_size"] == 8
    assert node.output_shapes == outputs
    assert node.params == torch_count(node_type, node.resolved)


def test_lstm_row_classifier_reads_the_last_time_step():
    report = check(
        [28, 28],
        ("LSTM", {"hidden_size": 64, "batch_first": True}),
        ("Index", {"dim": 1, "index": -1}),
        ("Linear", {"out_features": 10}),
    )
    assert report.valid
    assert report.nodes["linear3"].input_shapes == [(64,)]


def test_pinned_input_size_must_match():
    report = check([10, 8], ("LSTM", {"hidden_size": 16, "batch_first": True, "input_size": 4}))
    assert only(report) == (
        "LSTM 'lstm1' expects 4 input features (input_size=4) but receives 8 from 'x'"
    )


def test_batch_first_false_is_a_warning_on_the_output_sequence():
    report = check([10, 8], ("LSTM", {"hidden_size": 16}))
    assert report.valid
    assert only(report, "warning") == (
        "LSTM 'lstm1' has batch_first=False, so torch reads the batch dim as time and the "
        "sequence as the batch; set batch_first=True"
    )


def test_wiring_h_n_with_batch_first_false_is_an_error_with_the_reason():
    project = chain([10, 8], ("GRU", {"hidden_size": 16}))
    project.add_node(Node("head", "Linear", {"out_features": 2}))
    project.add_edge(Edge("gru1", "head", 1, 0))
    report = project.validate()
    assert only(report) == (
        "GRU 'gru1' has batch_first=False, so torch reads the batch as time and h_n would come "
        "out per time step, not per sample; set batch_first=True"
    )
    project.set_param("gru1", "batch_first", True)
    assert project.validate().nodes["head"].input_shapes == [(1, 16)]


def test_a_sequence_without_time_dim_is_read_as_one_sequence_by_torch():
    report = check([8], ("GRU", {"hidden_size": 16, "batch_first": True}))
    assert report.valid
    assert "torch reads the whole batch as one sequence" in only(report, "warning")


def test_dropout_with_one_layer_does_nothing():
    report = check([10, 8], ("RNN", {"hidden_size": 4, "batch_first": True, "dropout": 0.5}))
    assert "dropout acts only between stacked layers" in only(report, "warning")


def test_proj_size_must_be_smaller_than_hidden_size():
    report = check([10, 8], ("LSTM", {"hidden_size": 4, "batch_first": True, "proj_size": 4}))
    assert only(report) == (
        "LSTM 'lstm1' has proj_size=4, which must be smaller than hidden_size=4"
    )


def test_the_palette_sets_batch_first():
    from graph import get_spec

    assert get_spec("LSTM").palette["batch_first"] is True


def test_every_documented_torch_argument_is_settable():
    from graph import get_spec

    common = {
        "input_size",
        "hidden_size",
        "num_layers",
        "bias",
        "batch_first",
        "dropout",
        "bidirectional",
    }
    assert set(get_spec("RNN").param_index) == common | {"nonlinearity"}
    assert set(get_spec("LSTM").param_index) == common | {"proj_size"}
    assert set(get_spec("GRU").param_index) == common


def test_unwiring_h_n_clears_the_error_without_a_full_recheck():
    project = chain([10, 8], ("LSTM", {"hidden_size": 16}))
    project.add_node(Node("head", "Linear", {"out_features": 2}))
    wire = Edge("lstm1", "head", 2, 0)
    project.add_edge(wire)
    assert "c_n would come out per time step" in only(project.validate())
    project.remove_edge(wire)
    assert project.validate().nodes["lstm1"].ok


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_projects())
def test_wiring_a_state_output_rechecks_exactly_like_a_fresh_load(project):
    def same_as_fresh() -> None:
        ours = project.validate()
        fresh = project_from_dict(project_to_dict(project)).validate()
        assert [(p.node, p.message) for p in ours.problems] == [
            (p.node, p.message) for p in fresh.problems
        ]

    project.validate()
    for node in list(project.nodes):
        if node.type in ("RNN", "LSTM", "GRU", "MultiheadAttention"):
            tap = project.new_id("tap")
            project.add_node(Node(tap, "Output"))
            wire = Edge(node.id, tap, 1, 0)
            project.add_edge(wire)
            same_as_fresh()
            project.set_param(node.id, "batch_first", not node.params.get("batch_first", False))
            same_as_fresh()
            project.remove_edge(wire)
            same_as_fresh()
