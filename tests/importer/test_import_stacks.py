"""nn.TransformerEncoder and nn.TransformerDecoder, which take a layer module and a count, come
in as blocks of their layers (in their ModuleList) and norm: the state_dict keys, the outputs
and the re-import are the model's."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from importer import ImportFailed, import_model
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("stack_models.py"))

CASES = {
    "SequenceClassifier": [(5, 8)],
    "Translator": [(5, 8), (4, 8)],  # source and target sequences
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_model_on_transformer_stacks_round_trips(name, tmp_path):
    shapes = CASES[name]
    rt = round_trip(f"{MODELS}:{name}", shapes)
    original = rt.imported.module
    assert type(original.encoder) is torch.nn.TransformerEncoder  # handed back as it was
    assert list(rt.exported.state_dict()) == list(original.state_dict())
    rt.exported.load_state_dict(original.state_dict(), strict=True)
    assert_same_weights_and_outputs(rt, shapes)
    again = reimport(rt, tmp_path, shapes)
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_stack_is_a_block_of_its_layers_and_norm():
    rt = round_trip(f"{MODELS}:SequenceClassifier", [(5, 8)])
    block = rt.imported.project.blocks.get("TransformerEncoder")
    assert block is not None
    assert [n.type for n in block.body.nodes if n.type not in ("Input", "Output")] == [
        "TransformerEncoderLayer", "TransformerEncoderLayer", "LayerNorm",
    ]  # fmt: skip
    assert "        self.layers = nn.ModuleList(" in rt.code.source
    assert "        x = self.layers[1](x)  # [N, 5, 8]" in rt.code.source
    assert rt.code.source.count("nn.TransformerEncoderLayer(") == 2


def test_a_stack_called_with_a_mask_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as failed:
        import_model(f"{MODELS}:Padded", [(5, 8)])
    message = str(failed.value)
    assert "\n" not in message
    assert "src_key_padding_mask" in message


def test_a_stack_imported_alone_is_refused_in_one_line():
    import torch.nn as nn

    from importer import import_module

    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    with pytest.raises(ImportFailed, match=r"itself an nn\.TransformerEncoder"):
        import_module(nn.TransformerEncoder(layer, 2), [(5, 8)])
