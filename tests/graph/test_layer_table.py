"""The docs' layer table is generated from the specs and committed up to date."""

from pathlib import Path

from graph import all_specs
from graph.layer_table import render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "layers.md"


def test_docs_layer_table_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/layers.md is stale: run `python -m graph.layer_table > docs/layers.md`"
    )


def test_every_layer_has_a_row_with_its_params():
    table = render_markdown()
    for spec in all_specs():
        assert f"| **{spec.type}** |" in table
        for param in spec.params:
            assert f"`{param.name}`" in table


def test_issue_layer_list_is_complete():
    wanted = [
        "Linear",
        "Bilinear",
        "Identity",
        "Conv1d",
        "Conv2d",
        "Conv3d",
        "ConvTranspose1d",
        "ConvTranspose2d",
        "MaxPool1d",
        "MaxPool2d",
        "MaxPool3d",
        "AvgPool1d",
        "AvgPool2d",
        "AvgPool3d",
        "AdaptiveAvgPool1d",
        "AdaptiveAvgPool2d",
        "AdaptiveMaxPool2d",
        "BatchNorm1d",
        "BatchNorm2d",
        "BatchNorm3d",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm2d",
        "Dropout",
        "Dropout2d",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "GELU",
        "SiLU",
        "Mish",
        "PReLU",
        "Sigmoid",
        "Tanh",
        "Hardswish",
        "Softmax",
        "LogSoftmax",
        "Flatten",
        "Unflatten",
        "Upsample",
        "PixelShuffle",
        "Embedding",
        "RNN",
        "LSTM",
        "GRU",
        "MultiheadAttention",
        "TransformerEncoderLayer",
        "Input",
        "Output",
        "Add",
        "Multiply",
        "Concat",
        "Reshape",
        "Permute",
        "Index",
    ]
    assert set(wanted) <= {spec.type for spec in all_specs()}


def test_every_torch_argument_is_a_param_with_torch_default():
    import inspect

    from torch import nn

    private = {"_weight", "_freeze", "_random_samples", "device", "dtype", "self"}
    # Arguments left out on purpose: deprecated spellings, and modules passed in (not drawable).
    left_out = {
        ("Hardtanh", "min_value"),
        ("Hardtanh", "max_value"),
        ("Transformer", "custom_encoder"),
        ("Transformer", "custom_decoder"),
    }
    for spec in all_specs():
        if spec.torch_class is None or spec.type in ("RNN", "LSTM", "GRU"):
            continue  # the recurrent layers take **kwargs; tests/graph/test_layers_recurrent.py
        signature = inspect.signature(getattr(nn, spec.torch_class).__init__)
        ours = spec.param_index
        for name, arg in signature.parameters.items():
            if name in private or (spec.type, name) in left_out:
                continue
            if arg.kind in (arg.VAR_POSITIONAL, arg.VAR_KEYWORD):
                continue
            assert name in ours, f"{spec.type} lacks torch's {name}"
            if ours[name].inferred:
                continue  # Transformer's d_model=512: Netwright takes the input's width instead
            if arg.default is not arg.empty and not callable(arg.default):
                assert ours[name].default == arg.default, (spec.type, name)
        assert set(ours) <= set(signature.parameters), spec.type
