"""Tensor operations as nodes: exact shapes with torch's dims, and plain torch calls in forward."""

from codegen import generate_model
from graph import Edge, Node, Project
from graph.grouping import GroupError, group
from tests.graph.layer_helpers import chain, check, only


def _forward(project: Project) -> list[str]:
    source = generate_model(project).source
    return [line.strip() for line in source.split("def forward")[1].splitlines()[1:]]


def test_mean_over_two_dims_counts_the_batch_as_torch_does_and_keeps_dims_on_request():
    report = check([3, 8, 8], ("Mean", {"dim": [-2, -1], "keepdim": True}))
    assert report.nodes["mean1"].output_shapes[0] == (3, 1, 1)
    assert "torch.mean(x, dim=(-2, -1), keepdim=True)" in " ".join(
        _forward(chain([3, 8, 8], ("Mean", {"dim": [-2, -1], "keepdim": True})))
    )


def test_reducing_the_batch_is_refused_with_the_dim_named():
    message = only(check([3, 4], ("Sum", {"dim": 0})))
    assert "dim=0, which is the batch dimension" in message


def test_split_into_listed_sections_gives_one_output_port_per_piece():
    project = chain([6, 4], ("Split", {"split_size_or_sections": [2, 4], "dim": 1}))
    project.add_node(Node("out2", "Output"))
    project.add_edge(Edge("split1", "out2", 1, 0))
    report = project.validate()
    assert report.valid, [p.message for p in report.errors]
    assert report.nodes["split1"].output_shapes == [(2, 4), (4, 4)]
    lines = _forward(project)
    assert lines[0] == "x, split1_piece_1 = torch.split(x, [2, 4], dim=1)  # [N, 2, 4], [N, 4, 4]"


def test_chunk_that_torch_would_cut_into_fewer_pieces_is_refused():
    message = only(check([6], ("Chunk", {"chunks": 4, "dim": 1})))
    assert "makes 3 pieces, not chunks=4" in message


def test_slice_export_is_a_subscript_counted_from_the_end_for_negative_dims():
    project = chain([5, 10], ("Slice", {"dim": -1, "start": 1, "stop": 9, "step": 2}))
    assert project.validate().nodes["slice1"].output_shapes[0] == (5, 4)
    assert "x = x[..., 1:9:2]  # [N, 5, 4]" in _forward(project)


def test_parameter_is_a_learned_tensor_expanded_over_the_batch():
    project = chain([4, 8])
    project.add_node(Node("token", "Parameter", {"shape": [4, 8], "init": "zeros"}))
    project.add_node(Node("add", "Add"))
    for edge in list(project.edges):
        project.remove_edge(edge)
    project.add_edge(Edge("x", "add", 0, 0))
    project.add_edge(Edge("token", "add", 0, 1))
    project.add_edge(Edge("add", "out"))
    report = project.validate()
    assert report.valid and report.total_params == 32
    source = generate_model(project).source
    assert "self.token = nn.Parameter(torch.zeros(4, 8))" in source
    assert "token = self.token.expand(x.size(0), 4, 8)" in source


def test_an_inplace_layer_after_an_expanded_view_is_refused():
    message = only(check([1, 3], ("Expand", {"sizes": [4, -1]}), ("ReLU", {"inplace": True})))
    assert "expanded view" in message


def test_a_selection_of_a_parameter_alone_cannot_become_a_block():
    project = chain([4])
    project.add_node(Node("p", "Parameter", {"shape": [4]}))
    try:
        group(project, project, ["p"])
    except GroupError as exc:
        assert "needs at least one input" in str(exc)
    else:
        raise AssertionError("grouping a lone Parameter was accepted")
