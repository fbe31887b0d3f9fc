"""Dropout, resampling, embedding, activations and reshaping: shapes, dtypes and messages."""

import pytest

from tests.graph.layer_helpers import check, only, torch_count


def test_dropout_probability_is_bounded():
    assert only(check([12], ("Dropout", {"p": 1.5}))) == (
        "Dropout 'dropout1': p must be at most 1, not 1.5"
    )


def test_dropout2d_on_a_sequence_warns_what_torch_will_do():
    report = check([3, 8], ("Dropout2d", {}))
    assert report.valid
    assert "torch drops whole rows" in only(report, "warning")


def test_dropout2d_needs_a_channel_dimension_as_torch_does():
    report = check([1], ("Index", {"dim": 1, "index": 0}), ("Identity", {}), ("Dropout2d", {}))
    assert only(report) == (
        "Dropout2d 'dropout2d3' drops whole channels, but receives [] from 'identity2': a value "
        "per sample, with no channel dimension; use Dropout instead"
    )


@pytest.mark.parametrize(
    ("shape", "params", "out"),
    [
        ([3, 4, 4], {"scale_factor": 2, "mode": "bilinear"}, (3, 8, 8)),
        ([3, 5], {"scale_factor": 1.5, "mode": "linear"}, (3, 7)),
        ([3, 4, 4], {"size": [6, 2]}, (3, 6, 2)),
        ([2, 2, 3, 4], {"scale_factor": [1, 2, 0.5], "mode": "trilinear"}, (2, 2, 6, 2)),
    ],
)
def test_upsample_shapes(shape, params, out):
    assert check(shape, ("Upsample", params)).nodes["upsample1"].output_shapes == [out]


def test_upsample_mode_needs_its_rank():
    report = check([3, 4], ("Upsample", {"scale_factor": 2, "mode": "bilinear"}))
    assert "expects input shaped [channels, height, width] for mode='bilinear'" in only(report)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "has neither size nor scale_factor; set exactly one of them"),
        ({"scale_factor": 2, "size": 4}, "has both size and scale_factor"),
        ({"size": [8, 8, 8]}, "has size with 3 numbers, but its input [3, 4, 4] has 2 spatial"),
        ({"scale_factor": 2, "align_corners": True}, "align_corners set, which only the"),
        ({"scale_factor": 0.2}, "scales 4×4 by 0.2 to 0×0, an empty output"),
        ({"size": 8, "recompute_scale_factor": True}, "recompute_scale_factor=True"),
    ],
)
def test_upsample_mistakes(params, message):
    assert message in only(check([3, 4, 4], ("Upsample", params)))


def test_pixel_shuffle_trades_channels_for_resolution():
    assert check([8, 4, 4], ("PixelShuffle", {"upscale_factor": 2})).nodes[
        "pixelshuffle1"
    ].output_shapes == [(2, 8, 8)]
    assert only(check([6, 4, 4], ("PixelShuffle", {"upscale_factor": 2}))) == (
        "PixelShuffle 'pixelshuffle1' has upscale_factor=2, so its 6 input channels must be a "
        "multiple of 2×2 = 4"
    )


def test_embedding_turns_ids_into_vectors():
    node = check(
        [12], ("Embedding", {"num_embeddings": 100, "embedding_dim": 16}), dtype="int64"
    ).nodes["embedding1"]
    assert node.output_shapes == [(12, 16)]
    assert node.outputs[0].dtype == "float32"
    assert node.params == 1600 == torch_count("Embedding", node.resolved)


def test_embedding_wants_ids_and_says_where_floats_come_from():
    report = check([12], ("Embedding", {"num_embeddings": 100, "embedding_dim": 16}))
    assert "looks up whole-number ids (int64) but receives floating-point values from 'x'" in (
        only(report)
    )


def test_padding_idx_must_be_one_of_the_ids():
    report = check(
        [12],
        ("Embedding", {"num_embeddings": 100, "embedding_dim": 16, "padding_idx": 100}),
        dtype="int64",
    )
    assert only(report) == (
        "Embedding 'embedding1' has padding_idx=100, outside its 100 embeddings (valid: -100 to 99)"
    )


def test_ids_into_linear_suggest_an_embedding():
    report = check([12], ("Linear", {"out_features": 3}), dtype="int64")
    assert "turn ids into vectors with an Embedding first" in only(report)


def test_relu_on_ids_runs_in_torch_so_it_is_only_a_warning():
    report = check([12], ("ReLU", {}), dtype="int64")
    assert report.valid
    assert "ids usually go through an Embedding first" in only(report, "warning")


def test_prelu_per_channel_slopes_must_match_the_channels():
    assert check([3, 4, 4], ("PReLU", {"num_parameters": 3})).nodes["prelu1"].params == 3
    assert "learns num_parameters=4 slopes, one per channel" in only(
        check([3, 4, 4], ("PReLU", {"num_parameters": 4}))
    )


def test_softmax_over_the_batch_is_a_warning():
    report = check([10], ("Softmax", {"dim": 0}))
    assert report.valid
    assert "the batch dimension, so it mixes samples" in only(report, "warning")


def test_flatten_must_not_fold_the_batch():
    report = check([3, 4], ("Flatten", {"start_dim": 0}))
    assert "start_dim=0, which would fold the batch into the features" in only(report)


def test_reshape_names_the_sizes_that_do_not_fit():
    report = check([3, 5], ("Reshape", {"shape": [4, -1]}))
    assert "15 is not a multiple of 4" in only(report)
    assert check([3, 5], ("Reshape", {"shape": [5, -1]})).nodes["reshape1"].output_shapes == [
        (5, 3)
    ]


def test_unflatten_splits_one_dim():
    node = check([784], ("Unflatten", {"dim": 1, "unflattened_size": [1, 28, 28]})).nodes[
        "unflatten1"
    ]
    assert node.output_shapes == [(1, 28, 28)]
