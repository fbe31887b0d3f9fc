"""Merges: Add and Multiply broadcast as torch does, Concat joins along one dim; the wire at fault
is named when branches disagree."""

from graph import Edge, Node, Project, Report
from tests.graph.layer_helpers import only


def merge(kind: str, *shapes: list[int], params: dict | None = None, dtypes=None) -> Report:
    project = Project("merge")
    for i, shape in enumerate(shapes):
        extra = {"dtype": dtypes[i]} if dtypes else {}
        project.add_node(Node(f"in{i}", "Input", {"shape": shape, **extra}))
    project.add_node(Node("m", kind, params or {}))
    for i in range(len(shapes)):
        project.add_edge(Edge(f"in{i}", "m", 0, i))
    project.add_node(Node("out", "Output"))
    project.add_edge(Edge("m", "out"))
    return project.validate()


def test_add_names_the_dim_where_the_branches_disagree():
    report = merge("Add", [16, 8, 8], [16, 4, 4])
    assert only(report) == (
        "Add 'm' cannot combine [16, 8, 8] from 'in0' with [16, 4, 4] from 'in1': dim 2 is 8 "
        "vs 4 (sizes must match, or one must be 1)"
    )
    assert report.errors[0].port == 1


def test_add_broadcasts_size_one_dims_like_torch():
    assert merge("Add", [16, 8, 8], [16, 1, 8]).nodes["m"].output_shapes == [(16, 8, 8)]


def test_add_refuses_different_ranks_because_the_batch_would_line_up_with_a_feature():
    assert "they have different numbers of dimensions" in only(merge("Add", [8], [3, 8]))


def test_concat_adds_up_the_joined_dim():
    assert merge("Concat", [16, 8, 8], [8, 8, 8], [1, 8, 8]).nodes["m"].output_shapes == [
        (25, 8, 8)
    ]
    assert merge("Concat", [4, 8], [4, 8], params={"dim": -1}).nodes["m"].output_shapes == [(4, 16)]


def test_concat_names_the_other_dim_that_differs():
    assert only(merge("Concat", [16, 8, 8], [8, 4, 8])) == (
        "Concat 'm' joins along dim 1, so all other sizes must match, but [16, 8, 8] from "
        "'in0' and [8, 4, 8] from 'in1' differ at dim 2 (8 vs 4)"
    )


def test_concat_along_the_batch_is_refused():
    assert "dim=0, which is the batch dimension" in only(
        merge("Concat", [4, 8], [4, 8], params={"dim": 0})
    )


def test_ids_times_values_are_values_as_in_torch():
    node = merge("Multiply", [4], [4], dtypes=["int64", "float32"]).nodes["m"]
    assert node.outputs[0].dtype == "float32"
