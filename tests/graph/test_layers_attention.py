"""Self-attention and the transformer encoder layer over [sequence, embedding]."""

from graph import Edge, Node
from tests.graph.layer_helpers import chain, check, only, torch_count


def test_attention_infers_embed_dim_and_counts_like_torch():
    node = check([10, 8], ("MultiheadAttention", {"num_heads": 2, "batch_first": True})).nodes[
        "multiheadattention1"
    ]
    assert node.resolved["embed_dim"] == 8
    assert node.output_shapes == [(10, 8), (10, 10)]
    assert node.params == 4 * 8 * 8 + 4 * 8 == torch_count("MultiheadAttention", node.resolved)


def test_extra_key_tokens_widen_the_weights():
    node = check(
        [10, 8],
        (
            "MultiheadAttention",
            {"num_heads": 2, "batch_first": True, "add_bias_kv": True, "add_zero_attn": True},
        ),
    ).nodes["multiheadattention1"]
    assert node.output_shapes == [(10, 8), (10, 12)]
    assert node.params == torch_count("MultiheadAttention", node.resolved)


def test_heads_must_divide_the_embedding():
    report = check([10, 6], ("MultiheadAttention", {"num_heads": 4, "batch_first": True}))
    assert only(report) == (
        "MultiheadAttention 'multiheadattention1' has num_heads=4, but its 6 embedding features "
        "do not split evenly into 4 heads"
    )


def test_kdim_other_than_the_input_is_refused_for_self_attention():
    report = check(
        [10, 8], ("MultiheadAttention", {"num_heads": 4, "batch_first": True, "kdim": 3})
    )
    assert "has kdim=3, but in self-attention the keys and values are its own input" in only(report)
    assert check(
        [10, 8], ("MultiheadAttention", {"num_heads": 4, "batch_first": True, "kdim": 8, "vdim": 8})
    ).valid


def test_attention_weights_need_batch_first():
    project = chain([10, 8], ("MultiheadAttention", {"num_heads": 2}))
    project.add_node(Node("w", "Flatten"))
    project.add_edge(Edge("multiheadattention1", "w", 1, 0))
    assert "has batch_first=False, so torch reads the batch as the sequence" in only(
        project.validate()
    )


def test_encoder_layer_keeps_the_shape_and_counts_like_torch():
    node = check(
        [10, 8],
        ("TransformerEncoderLayer", {"nhead": 2, "batch_first": True, "dim_feedforward": 32}),
    ).nodes["transformerencoderlayer1"]
    assert node.output_shapes == [(10, 8)]
    assert node.resolved["d_model"] == 8
    assert node.params == torch_count("TransformerEncoderLayer", node.resolved)


def test_encoder_layer_without_batch_first_warns_that_samples_are_mixed():
    report = check([10, 8], ("TransformerEncoderLayer", {"nhead": 2}))
    assert report.valid
    assert "attends across samples; set batch_first=True" in only(report, "warning")


def test_encoder_layer_heads_must_divide_d_model():
    report = check([10, 8], ("TransformerEncoderLayer", {"nhead": 3, "batch_first": True}))
    assert "has nhead=3, but its 8 embedding features do not split evenly" in only(report)
