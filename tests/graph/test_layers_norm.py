"""Normalisation layers: feature counts inferred from the input, checked when pinned."""

import pytest

from tests.graph.layer_helpers import check, only, torch_count


@pytest.mark.parametrize(
    ("node_type", "shape", "params", "inferred"),
    [
        ("BatchNorm1d", [12], {}, ("num_features", 12)),
        ("BatchNorm1d", [4, 10], {"affine": False}, ("num_features", 4)),
        ("BatchNorm2d", [3, 8, 8], {}, ("num_features", 3)),
        ("BatchNorm3d", [2, 4, 4, 4], {"momentum": None}, ("num_features", 2)),
        ("InstanceNorm2d", [5, 4, 4], {"affine": True}, ("num_features", 5)),
        ("LayerNorm", [5, 8], {}, ("normalized_shape", 8)),
        (
            "LayerNorm",
            [5, 8],
            {"normalized_shape": [5, 8], "bias": False},
            ("normalized_shape", (5, 8)),
        ),
        ("GroupNorm", [6, 4, 4], {"num_groups": 3}, ("num_channels", 6)),
    ],
)
def test_norms_infer_their_size_keep_the_shape_and_count_like_torch(
    node_type, shape, params, inferred
):
    node = check(shape, (node_type, params)).nodes[f"{node_type.lower()}1"]
    assert node.ok
    assert node.output_shapes == [tuple(shape)]
    name, value = inferred
    assert node.resolved[name] == value
    assert node.params == torch_count(node_type, node.resolved)


def test_batchnorm2d_explains_the_layout_it_needs():
    report = check([3, 8], ("BatchNorm2d", {}))
    assert only(report) == (
        "BatchNorm2d 'batchnorm2d1' expects input shaped [channels, height, width] (batch left "
        "out) but receives [3, 8] from 'x'"
    )


def test_pinned_num_features_must_match_the_channels():
    report = check([3, 8, 8], ("BatchNorm2d", {"num_features": 4}))
    assert only(report) == (
        "BatchNorm2d 'batchnorm2d1' expects 4 channels (num_features=4) but receives 3 from 'x'"
    )


def test_a_num_features_torch_never_uses_is_only_a_warning():
    report = check(
        [3, 8, 8],
        ("BatchNorm2d", {"num_features": 4, "affine": False, "track_running_stats": False}),
    )
    assert report.valid
    assert "it is unused since affine and track_running_stats are off" in only(report, "warning")


def test_groups_must_divide_the_channels():
    report = check([6, 8, 8], ("GroupNorm", {"num_groups": 4}))
    assert only(report) == (
        "GroupNorm 'groupnorm1' has num_groups=4, but its 6 channels do not divide into 4 groups"
    )


def test_layer_norm_shape_must_be_the_trailing_dims():
    report = check([5, 8], ("LayerNorm", {"normalized_shape": [4, 8]}))
    assert only(report) == (
        "LayerNorm 'layernorm1' normalises over the last dims [4, 8] (normalized_shape) but "
        "receives [5, 8] from 'x', which does not end in them"
    )


def test_layer_norm_accepts_a_plain_number_like_torch():
    assert check([5, 8], ("LayerNorm", {"normalized_shape": 8})).valid


def test_instance_norm_needs_more_than_one_value_per_channel_while_training():
    report = check([3, 1, 1], ("InstanceNorm2d", {}))
    assert "torch needs more than one value per channel" in only(report)


def test_instance_norm_without_channel_dim_is_a_warning_as_torch_runs_it():
    report = check([3, 8], ("InstanceNorm2d", {}))
    assert report.valid
    assert "without a channel dim" in only(report, "warning")
    assert not check([3, 8], ("InstanceNorm2d", {"affine": True})).valid
