"""Validation: each kind of problem is found, located at its node and port, and said plainly."""

from __future__ import annotations

import itertools

import pytest

from graph import Edge, LayerSpec, Node, Project, param_check
from graph import spec as spec_module


def chain(*nodes: Node, name: str = "net") -> Project:
    """The nodes wired one after another, in the order given."""
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(nodes)]
    return Project(name, nodes, edges)


def inp(shape, nid="x", **params) -> Node:
    return Node(nid, "Input", {"shape": list(shape), **params})


def out(nid="out") -> Node:
    return Node(nid, "Output")


def only_error(project: Project):
    report = project.validate()
    assert len(report.errors) == 1, [p.message for p in report.errors]
    return report.errors[0]


# --- the report --------------------------------------------------------------------------------


def test_report_gives_shapes_params_and_totals_per_node():
    project = chain(
        inp([1, 8, 8]),
        Node("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3}),
        Node("flat", "Flatten"),
        Node("fc", "Linear", {"out_features": 10}),
        out(),
    )
    report = project.validate()
    assert report.valid
    assert report.nodes["conv"].input_shapes == [(1, 8, 8)]
    assert report.nodes["conv"].output_shapes == [(4, 6, 6)]
    assert report.nodes["conv"].params == 4 * 1 * 9 + 4
    assert report.nodes["fc"].resolved["in_features"] == 144
    assert report.nodes["fc"].params == 144 * 10 + 10
    assert report.total_params == 40 + 1450
    assert report.order == ["x", "conv", "flat", "fc", "out"]


def test_report_json_leaves_out_the_batch_and_names_the_fault():
    project = chain(inp([3]), Node("fc", "Linear", {"out_features": 2, "in_features": 5}), out())
    data = project.validate().to_json()
    assert data["valid"] is False
    assert data["nodes"]["x"] == {"input_shapes": [], "output_shapes": [[3]], "params": 0}
    assert data["nodes"]["fc"]["output_shapes"] == [None]
    (error,) = data["errors"]
    assert (error["node"], error["port"]) == ("fc", 0)
    assert "expects 5 input features (in_features=5) but receives 3" in error["message"]


def test_topological_order_breaks_ties_by_file_order():
    nodes = [
        inp([4]),
        Node("b", "ReLU"),
        Node("a", "Tanh"),
        Node("sum", "Add"),
        out(),
    ]
    edges = [
        Edge("x", "a"),
        Edge("x", "b"),
        Edge("a", "sum", 0, 1),
        Edge("b", "sum", 0, 0),
        Edge("sum", "out"),
    ]
    assert Project("p", nodes, edges).validate().order == ["x", "b", "a", "sum", "out"]


# --- structure ---------------------------------------------------------------------------------


def test_a_loop_is_one_error_naming_the_loop_and_every_node_in_it_is_marked():
    nodes = [inp([4]), Node("a", "ReLU"), Node("b", "Add"), Node("c", "Tanh"), out()]
    edges = [
        Edge("x", "b", 0, 0),
        Edge("b", "a"),
        Edge("a", "c"),
        Edge("c", "b", 0, 1),
        Edge("c", "out"),
    ]
    report = Project("p", nodes, edges).validate()
    cycles = [p for p in report.errors if p.code == "cycle"]
    assert [p.node for p in cycles] == ["a"]
    assert cycles[0].message == (
        "ReLU 'a' is part of a loop ('a' → 'c' → 'b' → 'a'); a network must flow one way, "
        "so remove one of these wires"
    )
    assert all(report.nodes[n].problems == cycles for n in "abc")
    assert "a" not in report.order
    assert report.nodes["out"].output_shapes == []  # still reported, just shapeless


def test_a_wire_from_a_node_to_itself_is_a_loop():
    project = Project("p", [inp([4]), Node("a", "Add"), out()], [])
    project.add_edge(Edge("x", "a"))
    project.add_edge(Edge("a", "a", 0, 1))
    project.add_edge(Edge("a", "out"))
    assert [p.node for p in project.validate().errors if p.code == "cycle"] == ["a"]


def test_an_unconnected_input_is_an_error_on_that_port():
    project = Project("p", [inp([4]), Node("sum", "Add"), out()], [])
    project.add_edge(Edge("x", "sum", 0, 0))
    project.add_edge(Edge("x", "sum", 0, 2))
    project.add_edge(Edge("sum", "out"))
    error = only_error(project)
    assert (error.code, error.node, error.port) == ("unconnected", "sum", 1)
    assert error.message == "Add 'sum' has nothing connected to its input 1"


def test_an_unwired_layer_says_its_input_is_empty():
    project = Project("p", [inp([4]), Node("fc", "Linear", {"out_features": 2}), out()], [])
    project.add_edge(Edge("fc", "out"))
    error = only_error(project)
    assert error.message == "Linear 'fc' has nothing connected to its input"


def test_two_wires_into_one_input_port_name_both_senders():
    project = Project("p", [inp([4]), Node("r", "ReLU"), Node("t", "Tanh"), out()], [])
    for edge in (Edge("x", "r"), Edge("r", "t"), Edge("x", "t"), Edge("t", "out")):
        project.add_edge(edge)
    error = only_error(project)
    assert (error.code, error.node, error.port) == ("duplicate_wire", "t", 0)
    assert "Tanh 't' has 2 wires into its input (from 'r' and 'x')" in error.message
    assert "merge them first with Add or Concat" in error.message


def test_a_wire_into_a_port_the_layer_lacks_is_a_bad_port():
    project = chain(inp([4]), Node("r", "ReLU"), out())
    project.add_edge(Edge("x", "r", 0, 1))
    error = only_error(project)
    assert (error.code, error.node, error.port) == ("bad_port", "r", 1)
    assert error.message == "ReLU 'r' has one input, but the wire from 'x' goes into input 1"


def test_a_wire_from_an_output_the_layer_lacks_is_a_bad_port():
    project = Project("p", [inp([4]), Node("r", "ReLU"), out()], [])
    project.add_edge(Edge("x", "r", 1, 0))
    project.add_edge(Edge("r", "out"))
    error = only_error(project)
    assert error.code == "bad_port"
    assert error.message == "ReLU 'r' is wired to output 1 of Input 'x', which has one output"


@pytest.mark.parametrize(
    ("typed", "suggested"), [("conv2d", "Conv2d"), ("Linaer", "Linear"), ("relu", "ReLU")]
)
def test_an_unknown_type_suggests_the_nearest_known_one(typed, suggested):
    project = chain(inp([4]), Node("a", typed), out())
    error = only_error(project)
    assert error.code == "unknown_type"
    assert error.message == (
        f"'a' has type '{typed}', which Netwright does not know (did you mean '{suggested}'?)"
    )


def test_an_unknown_type_with_nothing_close_gets_no_suggestion():
    error = only_error(chain(inp([4]), Node("a", "Zzyzx"), out()))
    assert error.message == "'a' has type 'Zzyzx', which Netwright does not know"


def test_an_unknown_param_suggests_the_nearest_known_one():
    project = chain(inp([4]), Node("fc", "Linear", {"out_feature": 3}), out())
    errors = project.validate().errors
    unknown = next(p for p in errors if "no parameter" in p.message)
    assert unknown.param == "out_feature"
    assert unknown.message == (
        "Linear 'fc': Linear has no parameter 'out_feature' (did you mean 'out_features'?)"
    )
    assert any(p.param == "out_features" and "needs out_features" in p.message for p in errors)


def test_params_of_the_wrong_type_or_out_of_bounds_are_named():
    project = chain(inp([4]), Node("fc", "Linear", {"out_features": 0}), out())
    error = only_error(project)
    assert (error.code, error.param) == ("bad_param", "out_features")
    assert error.message == "Linear 'fc': out_features must be at least 1, not 0"


def test_a_node_that_reaches_no_output_is_a_warning_not_an_error():
    project = chain(inp([4]), Node("fc", "Linear", {"out_features": 2}), out())
    project.add_node(Node("stray", "ReLU"))
    project.add_edge(Edge("x", "stray"))
    report = project.validate()
    assert report.valid
    (warning,) = report.warnings
    assert (warning.code, warning.node) == ("dead_end", "stray")
    assert warning.message == "ReLU 'stray' does not lead to any Output, so it has no effect"
    assert report.nodes["stray"].output_shapes == [(4,)]


def test_a_network_without_output_or_input_says_so():
    report = Project("p", [Node("r", "ReLU")], []).validate()
    codes = {p.code: p.severity for p in report.problems if p.node is None}
    assert codes == {"no_output": "warning", "no_input": "error"}


def test_an_empty_project_is_valid_and_silent():
    report = Project().validate()
    assert report.valid and report.problems == [] and report.total_params == 0


# --- shapes ------------------------------------------------------------------------------------


def lenet_tail(in_features: int | None) -> Project:
    fc_params = {"out_features": 120}
    if in_features is not None:
        fc_params["in_features"] = in_features
    return chain(
        inp([1, 32, 32]),
        Node("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 5}),
        Node("pool1", "MaxPool2d", {"kernel_size": 2}),
        Node("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 5}),
        Node("pool2", "MaxPool2d", {"kernel_size": 2}),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", fc_params),
        out(),
    )


def test_a_shape_mismatch_names_both_numbers_and_where_they_come_from():
    error = only_error(lenet_tail(576))
    assert (error.code, error.node, error.port, error.param) == ("shape", "fc1", 0, "in_features")
    assert error.message == (
        "Linear 'fc1' expects 576 input features (in_features=576) but receives "
        "400 = 16×5×5 from 'pool2'"
    )


def test_upstream_errors_are_not_repeated_downstream():
    report = lenet_tail(576).validate()
    assert report.nodes["out"].problems == []
    assert report.nodes["out"].input_shapes == [None]


def test_a_spatial_size_below_one_is_an_error():
    project = chain(
        inp([1, 4, 4]),
        Node("conv", "Conv2d", {"out_channels": 2, "kernel_size": 2, "stride": 1}),
        Node("pool", "MaxPool2d", {"kernel_size": 2, "stride": 4}),
        Node("conv2", "Conv2d", {"out_channels": 2, "kernel_size": 3}),
        out(),
    )
    error = only_error(project)
    assert error.node == "conv2"
    assert "larger than its padded input" in error.message


def test_a_kernel_larger_than_the_input_is_named_with_the_sizes():
    project = chain(inp([1, 4, 4]), Node("c", "Conv2d", {"out_channels": 2, "kernel_size": 5}))
    project.add_node(out())
    project.add_edge(Edge("c", "out"))
    error = only_error(project)
    assert error.message == (
        "Conv2d 'c' has a kernel of 5×5, larger than its padded input 4×4 ([1, 4, 4] from 'x')"
    )


def two_branches(merge: Node, a_shape, b_shape) -> Project:
    nodes = [inp(a_shape, "a"), inp(b_shape, "b"), merge, out()]
    edges = [Edge("a", merge.id, 0, 0), Edge("b", merge.id, 0, 1), Edge(merge.id, "out")]
    return Project("p", nodes, edges)


def test_add_with_disagreeing_shapes_names_both_shapes_and_the_dim():
    error = only_error(two_branches(Node("sum", "Add"), [8, 4], [8, 5]))
    assert (error.node, error.port) == ("sum", 1)
    assert error.message == (
        "Add 'sum' cannot combine [8, 4] from 'a' with [8, 5] from 'b': dim 2 is 4 vs 5 "
        "(sizes must match, or one must be 1)"
    )


def test_add_broadcasts_as_torch_does():
    report = two_branches(Node("sum", "Add"), [8, 1], [1, 5]).validate()
    assert report.nodes["sum"].output_shapes == [(8, 5)]


def test_concat_joins_along_its_dim_and_names_disagreements():
    ok = two_branches(Node("cat", "Concat", {"dim": 1}), [3, 4], [5, 4]).validate()
    assert ok.nodes["cat"].output_shapes == [(8, 4)]
    error = only_error(two_branches(Node("cat", "Concat", {"dim": 1}), [3, 4], [5, 6]))
    assert error.message == (
        "Concat 'cat' joins along dim 1, so all other sizes must match, but [3, 4] from 'a' "
        "and [5, 6] from 'b' differ at dim 2 (4 vs 6)"
    )


def test_concat_takes_as_many_inputs_as_are_wired():
    nodes = [inp([2], "a"), inp([3], "b"), inp([4], "c"), Node("cat", "Concat"), out()]
    edges = [Edge(s, "cat", 0, i) for i, s in enumerate("abc")] + [Edge("cat", "out")]
    report = Project("p", nodes, edges).validate()
    assert report.nodes["cat"].output_shapes == [(9,)]
    assert report.nodes["cat"].input_shapes == [(2,), (3,), (4,)]


def test_int64_ids_into_a_float_layer_is_a_dtype_error():
    project = chain(inp([5], dtype="int64"), Node("fc", "Linear", {"out_features": 2}), out())
    error = only_error(project)
    assert error.code == "dtype"
    assert "receives whole-number ids (int64) from 'x'" in error.message


def test_messages_use_the_label_when_there_is_one():
    project = lenet_tail(576)
    project.set_label("pool2", "second pool")
    assert only_error(project).message.endswith("400 = 16×5×5 from 'second pool'")


# --- asking before drawing a wire --------------------------------------------------------------


def test_connection_check_refuses_a_wire_that_closes_a_loop():
    project = chain(inp([4]), Node("a", "ReLU"), Node("b", "Tanh"), out())
    problem = project.connection_problem(Edge("b", "a"))
    assert problem.code == "cycle"
    assert problem.message == (
        "wiring 'b' into 'a' would make a loop, because 'a' already feeds 'b'"
    )
    assert project.connection_problem(Edge("a", "a")).code == "cycle"


def test_connection_check_refuses_a_taken_port():
    project = chain(inp([4]), Node("a", "ReLU"), out())
    project.add_node(inp([4], "y"))
    problem = project.connection_problem(Edge("y", "a"))
    assert problem.code == "duplicate_wire"
    assert problem.message == (
        "ReLU 'a' already has a wire into its input from 'x'; an input takes one wire"
    )


def test_connection_check_refuses_a_shape_that_does_not_fit():
    project = Project(
        "p", [inp([4]), Node("fc", "Linear", {"out_features": 2, "in_features": 3}), out()], []
    )
    problem = project.connection_problem(Edge("x", "fc"))
    assert problem.code == "shape"
    assert "expects 3 input features (in_features=3) but receives 4" in problem.message


def test_connection_check_allows_a_fitting_wire_and_missing_ports_are_named():
    project = Project("p", [inp([4]), Node("fc", "Linear", {"out_features": 2}), out()], [])
    assert project.connection_problem(Edge("x", "fc")) is None
    assert project.connection_problem(Edge("x", "fc", 0, 1)).code == "bad_port"
    assert project.connection_problem(Edge("x", "fc", 1, 0)).code == "bad_port"
    assert project.connection_problem(Edge("x", "ghost")).code == "bad_port"


def test_connection_check_waits_for_the_other_inputs_of_a_merge():
    project = Project("p", [inp([4]), inp([5], "y"), Node("sum", "Add"), out()], [])
    assert project.connection_problem(Edge("x", "sum", 0, 0)) is None
    project.add_edge(Edge("x", "sum", 0, 0))
    problem = project.connection_problem(Edge("y", "sum", 0, 1))
    assert problem.code == "shape" and "[4] from 'x' with [5] from 'y'" in problem.message


def test_sizes_beyond_what_torch_can_index_are_an_error_not_a_crash():
    project = chain(inp([2**40, 2**40]), Node("flat", "Flatten"), Node("r", "ReLU"), out())
    error = only_error(project)
    assert error.node == "flat"
    assert error.message == (
        "Flatten 'flat' would produce a dimension larger than torch can index (2^63 - 1)"
    )


def test_a_shape_rule_that_breaks_becomes_a_problem_on_its_node(monkeypatch):
    def broken_rule(ctx):
        raise ZeroDivisionError  # what a bug in a layer's rule would look like

    monkeypatch.setattr(param_check, "_SPECS", {})  # the checker's memo must not keep it after
    monkeypatch.setitem(
        spec_module._REGISTRY, "Broken", LayerSpec("Broken", "Test", "", broken_rule)
    )
    error = only_error(chain(inp([4]), Node("b", "Broken"), out()))
    assert (error.code, error.node) == ("internal", "b")
    assert error.message == (
        "Broken 'b' could not be checked: Netwright's rule for Broken failed "
        "(ZeroDivisionError); please report this"
    )


def transposed(padding: int) -> Project:
    return chain(
        inp([1, 1, 1]),
        Node("up", "ConvTranspose2d", {"out_channels": 1, "kernel_size": 2, "padding": padding}),
        out(),
    )


def test_an_empty_output_is_an_error_even_where_torch_returns_an_empty_tensor():
    # torch gives [N, 1, 0, 0] for N >= 2 here, but refuses a batch of one: spatial size < 1.
    error = only_error(transposed(1))
    assert error.node == "up"
    assert error.message == (
        "ConvTranspose2d 'up' would produce an empty output [1, 0, 0]; the input is too small "
        "for these settings"
    )


def test_a_negative_size_is_an_error():
    error = only_error(transposed(2))
    assert error.message == (
        "ConvTranspose2d 'up' would produce a negative size [1, -2, -2]; the input is too small "
        "for these settings"
    )


def inplace_residual() -> Project:
    """x -> conv -> relu(inplace) -> add(relu, conv): the skip reads conv's output too."""
    return Project(
        "skip",
        [
            Node("x", "Input", {"shape": [4, 8, 8]}),
            Node("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
            Node("relu", "ReLU", {"inplace": True}),
            Node("add", "Add"),
            Node("out", "Output"),
        ],
        [
            Edge("x", "conv"),
            Edge("conv", "relu"),
            Edge("relu", "add"),
            Edge("conv", "add", target_port=1),
            Edge("add", "out"),
        ],
    )


def test_an_inplace_layer_whose_input_is_also_read_elsewhere_is_warned_about():
    report = inplace_residual().validate()
    assert report.valid
    (warning,) = [w for w in report.warnings if w.node == "relu"]
    assert warning.message == (
        "ReLU 'relu' has inplace=True, but 'conv''s output also feeds 'add', which would then "
        "receive the overwritten values (and backward can fail); set inplace=False"
    )


def test_the_inplace_warning_follows_the_wiring_incrementally():
    project = inplace_residual()
    assert any(w.node == "relu" for w in project.validate().warnings)
    project.remove_edge(Edge("conv", "add", target_port=1))
    project.add_edge(Edge("relu", "add", target_port=1))  # both add inputs now come from relu
    assert not any(w.node == "relu" for w in project.validate().warnings)
    project.remove_edge(Edge("relu", "add", target_port=1))
    project.add_edge(Edge("conv", "add", target_port=1))
    assert any(w.node == "relu" for w in project.validate().warnings)


def test_an_inplace_layer_right_after_the_input_is_warned_about():
    project = Project(
        "p",
        [
            Node("x", "Input", {"shape": [3]}),
            Node("act", "ReLU", {"inplace": True}),
            Node("out", "Output"),
        ],
        [Edge("x", "act"), Edge("act", "out")],
    )
    (warning,) = project.validate().warnings
    assert "overwrites the network's input tensor 'x'" in warning.message
