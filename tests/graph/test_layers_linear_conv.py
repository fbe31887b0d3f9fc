"""Linear and convolution layers: inferred sizes, exact shapes and counts, the classic mistakes."""

import pytest

from graph import Edge, Node, Project
from tests.graph.layer_helpers import check, only, torch_count


def test_linear_infers_in_features_from_flatten():
    report = check(
        [1, 28, 28],
        ("Conv2d", {"out_channels": 6, "kernel_size": 5}),
        ("MaxPool2d", {"kernel_size": 2}),
        ("Flatten", {}),
        ("Linear", {"out_features": 10}),
    )
    assert report.valid
    assert report.nodes["conv2d1"].output_shapes == [(6, 24, 24)]
    assert report.nodes["maxpool2d2"].output_shapes == [(6, 12, 12)]
    assert report.nodes["linear4"].resolved["in_features"] == 864
    assert report.nodes["linear4"].params == 864 * 10 + 10
    assert report.nodes["conv2d1"].params == 6 * 1 * 5 * 5 + 6


def test_pinned_in_features_mismatch_names_both_numbers_and_where_400_comes_from():
    report = check(
        [16, 5, 5], ("Flatten", {}), ("Linear", {"in_features": 576, "out_features": 120})
    )
    assert only(report) == (
        "Linear 'linear2' expects 576 input features (in_features=576) but receives "
        "400 = 16×5×5 from 'x'"
    )
    assert report.errors[0].node == "linear2"
    assert report.errors[0].param == "in_features"


def test_linear_works_on_the_last_dim_of_a_sequence():
    report = check([7, 12], ("Linear", {"out_features": 3, "bias": False}))
    assert report.nodes["linear1"].output_shapes == [(7, 3)]
    assert report.nodes["linear1"].params == 36


def test_bilinear_infers_both_feature_sizes_and_counts_like_torch():
    project = Project("t")
    project.add_node(Node("a", "Input", {"shape": [5]}))
    project.add_node(Node("b", "Input", {"shape": [3]}))
    project.add_node(Node("bi", "Bilinear", {"out_features": 4}))
    project.add_node(Node("out", "Output"))
    project.add_edge(Edge("a", "bi", 0, 0))
    project.add_edge(Edge("b", "bi", 0, 1))
    project.add_edge(Edge("bi", "out"))
    node = project.validate().nodes["bi"]
    assert node.output_shapes == [(4,)]
    assert (node.resolved["in1_features"], node.resolved["in2_features"]) == (5, 3)
    assert node.params == 5 * 3 * 4 + 4 == torch_count("Bilinear", node.resolved)


def test_groups_that_do_not_divide_the_channels_are_named():
    report = check([3, 8, 8], ("Conv2d", {"out_channels": 4, "kernel_size": 3, "groups": 2}))
    assert only(report) == (
        "Conv2d 'conv2d1' has groups=2, but its 3 input channels do not divide into 2 groups"
    )
    assert report.errors[0].param == "groups"


def test_kernel_larger_than_the_padded_input_is_named_with_sizes():
    report = check([3, 4, 4], ("Conv2d", {"out_channels": 4, "kernel_size": 7}))
    assert only(report) == (
        "Conv2d 'conv2d1' has a kernel of 7×7, larger than its padded input 4×4 "
        "([3, 4, 4] from 'x')"
    )


def test_dilation_makes_the_kernel_larger():
    report = check([3, 4, 4], ("Conv2d", {"out_channels": 4, "kernel_size": 3, "dilation": 2}))
    assert "dilated kernel of 5×5" in only(report)


def test_conv_wants_channels_and_the_right_number_of_spatial_dims():
    report = check([3, 4, 4], ("Conv1d", {"out_channels": 4, "kernel_size": 3}))
    assert only(report) == (
        "Conv1d 'conv1d1' expects input shaped [channels, length] (batch left out) but "
        "receives [3, 4, 4] from 'x'"
    )


def test_padding_same_keeps_the_size_but_needs_stride_one():
    assert check(
        [2, 9], ("Conv1d", {"out_channels": 4, "kernel_size": 4, "padding": "same"})
    ).nodes["conv1d1"].output_shapes == [(4, 9)]
    report = check(
        [2, 9], ("Conv1d", {"out_channels": 4, "kernel_size": 3, "padding": "same", "stride": 2})
    )
    assert "padding='same', which torch allows only with stride 1" in only(report)


@pytest.mark.parametrize(
    ("node_type", "shape", "params", "out"),
    [
        ("Conv1d", [4, 10], {"out_channels": 6, "kernel_size": 3, "stride": 2}, (6, 4)),
        ("Conv2d", [4, 9, 7], {"out_channels": 2, "kernel_size": [3, 2], "padding": 1}, (2, 9, 8)),
        ("Conv3d", [2, 5, 5, 5], {"out_channels": 4, "kernel_size": 3, "groups": 2}, (4, 3, 3, 3)),
        ("ConvTranspose1d", [4, 5], {"out_channels": 2, "kernel_size": 3, "stride": 2}, (2, 11)),
        (
            "ConvTranspose2d",
            [4, 5, 5],
            {"out_channels": 6, "kernel_size": 2, "stride": 2, "output_padding": 1, "groups": 2},
            (6, 11, 11),
        ),
    ],
)
def test_convolution_shapes_and_counts_match_torch(node_type, shape, params, out):
    node = check(shape, (node_type, params)).nodes[f"{node_type.lower()}1"]
    assert node.output_shapes == [out]
    assert node.params == torch_count(node_type, node.resolved)


def test_output_padding_must_be_smaller_than_stride_or_dilation():
    report = check(
        [4, 5], ("ConvTranspose1d", {"out_channels": 2, "kernel_size": 3, "output_padding": 1})
    )
    assert "output_padding=1, which must be smaller than the stride (1) or the dilation (1)" in (
        only(report)
    )


def test_reflect_padding_must_be_smaller_than_the_input():
    report = check(
        [1, 2],
        ("Conv1d", {"out_channels": 1, "kernel_size": 1, "padding": 2, "padding_mode": "reflect"}),
    )
    assert "padding must be smaller than the input size 2" in only(report)
