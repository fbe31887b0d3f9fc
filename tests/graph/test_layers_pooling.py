"""Pooling: window arithmetic as torch does it, and the mistakes a learner makes with it."""

import pytest

from tests.graph.layer_helpers import check, only


@pytest.mark.parametrize(
    ("node_type", "shape", "params", "out"),
    [
        ("MaxPool2d", [3, 7, 7], {"kernel_size": 2}, (3, 3, 3)),
        ("MaxPool2d", [3, 7, 7], {"kernel_size": 2, "ceil_mode": True}, (3, 4, 4)),
        ("MaxPool1d", [2, 9], {"kernel_size": 3, "stride": 2, "dilation": 2}, (2, 3)),
        ("AvgPool2d", [1, 5, 5], {"kernel_size": 3, "stride": 2, "padding": 1}, (1, 3, 3)),
        ("AvgPool3d", [1, 4, 4, 4], {"kernel_size": 2}, (1, 2, 2, 2)),
        ("AdaptiveAvgPool2d", [8, 5, 3], {"output_size": [2, None]}, (8, 2, 3)),
        ("AdaptiveMaxPool2d", [8, 5, 3], {"output_size": 1}, (8, 1, 1)),
        ("AdaptiveAvgPool1d", [8, 10], {"output_size": 4}, (8, 4)),
    ],
)
def test_pool_output_shapes(node_type, shape, params, out):
    node = check(shape, (node_type, params)).nodes[f"{node_type.lower()}1"]
    assert node.output_shapes == [out]
    assert node.params == 0


def test_a_window_larger_than_the_input_names_the_pool_and_the_sizes():
    report = check([3, 2, 2], ("MaxPool2d", {"kernel_size": 2}), ("MaxPool2d", {"kernel_size": 2}))
    assert only(report) == (
        "MaxPool2d 'maxpool2d2' has a window of 2×2, larger than its padded input 1×1 "
        "([3, 1, 1] from 'maxpool2d1')"
    )


def test_padding_may_be_at_most_half_the_window():
    report = check([3, 4, 4], ("MaxPool2d", {"kernel_size": 2, "padding": 2}))
    assert only(report) == (
        "MaxPool2d 'maxpool2d1' has padding=2, but padding may be at most half the kernel "
        "size (2 // 2 = 1)"
    )
    assert report.errors[0].param == "padding"


def test_a_pool_also_takes_a_map_without_channels_as_torch_does():
    # torch reads [N, H, W] as one unbatched sample whose channels are the batch: same result.
    assert check([6, 6], ("MaxPool2d", {"kernel_size": 2})).nodes["maxpool2d1"].output_shapes == [
        (3, 3)
    ]


def test_avgpool3d_compares_the_unpadded_input_with_the_window():
    report = check([1, 2, 4, 4], ("AvgPool3d", {"kernel_size": 3, "padding": 1}))
    assert "AvgPool3d does not count padding here" in only(report)


def test_adaptive_average_to_one_by_one_accepts_extra_leading_dims():
    node = check([2, 3, 5, 5], ("AdaptiveAvgPool2d", {"output_size": 1})).nodes[
        "adaptiveavgpool2d1"
    ]
    assert node.output_shapes == [(2, 3, 1, 1)]


def test_return_indices_is_refused_because_a_wire_carries_one_tensor():
    report = check([3, 4, 4], ("MaxPool2d", {"kernel_size": 2, "return_indices": True}))
    assert "return_indices=True" in only(report)
