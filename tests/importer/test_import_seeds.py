"""The seeds' tutorial models import as drawings and come back as the same network."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from importer import ImportFailed, import_model
from importer.naming import PATH_KEY
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

SEEDS = str(Path(__file__).with_name("seed_models.py"))

CASES = {
    "Net": [(1, 32, 32)],
    "CNN": [(1, 28, 28)],
    "AlexNet": [(1, 224, 224)],
    "NestMLP": [(20,)],
    "block1": [(4,)],  # a function returning an nn.Sequential: `net = nn.Sequential(...)`
    "RNNRegressor": [(10, 1)],  # a loop over time steps, one Linear shared by all, stacked
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_seed_model_round_trips_with_its_weights_and_outputs(name, tmp_path):
    shapes = CASES[name]
    rt = round_trip(f"{SEEDS}:{name}", shapes)
    assert_same_weights_and_outputs(rt, shapes)
    # the exported class takes the original's own state_dict as it is
    assert list(rt.exported.state_dict()) == list(rt.imported.module.state_dict())
    rt.exported.load_state_dict(rt.imported.module.state_dict(), strict=True)
    again = reimport(rt, tmp_path, shapes)
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_lenet_keeps_its_layer_names_and_exact_arguments():
    project = import_model(f"{SEEDS}:Net", [(1, 32, 32)]).project
    types = [n.type for n in project.nodes]
    assert types == [
        "Input", "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Reshape",
        "Linear", "ReLU", "Linear", "ReLU", "Linear", "Output",
    ]  # fmt: skip
    assert project.node("conv1").params == {"out_channels": 6, "kernel_size": 5}
    assert project.node("conv1").extra[PATH_KEY] == "conv1"
    assert project.node("reshape1").params == {"shape": [400]}
    assert project.node("input1").params == {"shape": [1, 32, 32]}


def test_num_flat_features_is_traced_with_concrete_sizes():
    result = import_model(f"{SEEDS}:Net", [(1, 32, 32)])
    assert result.traced_concretely
    assert any("concrete sizes" in note for note in result.notes)


def test_sequential_parts_become_chain_blocks_named_after_their_attribute():
    project = import_model(f"{SEEDS}:CNN", [(1, 28, 28)]).project
    assert [(n.id, n.type) for n in project.nodes if n.id.startswith("conv")] == [
        ("conv1", "Conv1"),
        ("conv2", "Conv2"),
    ]
    assert project.node("conv1").extra[PATH_KEY] == "conv1"
    body = project.blocks.get("Conv1").body
    assert [(n.id, n.type) for n in body.nodes] == [
        ("x", "Input"), ("0", "Conv2d"), ("1", "ReLU"), ("2", "MaxPool2d"), ("output1", "Output"),
    ]  # fmt: skip
    assert body.node("0").params == {
        "out_channels": 16, "kernel_size": 5, "stride": 2, "padding": 2,
    }  # fmt: skip


def test_data_dependent_control_flow_is_refused_in_one_line_naming_the_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{SEEDS}:FixedHiddenMLP", [(20,)])
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("cannot trace the model:")
    lines = Path(SEEDS).read_text(encoding="utf-8").splitlines()
    loop = next(i for i, text in enumerate(lines, 1) if "while X.abs()" in text)
    assert message.endswith(f"(seed_models.py:{loop} in forward)")


def test_a_missing_class_or_file_is_one_line():
    with pytest.raises(ImportFailed, match=r"seed_models.py: defines no 'Nothing'$"):
        import_model(f"{SEEDS}:Nothing", [(1,)])
    with pytest.raises(ImportFailed, match="no such file"):
        import_model("/no/such/model.py:Net", [(1,)])
    with pytest.raises(ImportFailed, match="name what to import as"):
        import_model("resnet18", [(1,)])


def test_an_error_inside_a_model_written_as_nn_sequential_names_its_node():
    rt = round_trip(f"{SEEDS}:block1", [(4,)])
    assert "(nn.Sequential):" in rt.code.source
    with pytest.raises(RuntimeError) as info:
        rt.exported(torch.randn(2, 5))  # the first Linear takes 4 features
    first = rt.imported.project.node(rt.code.node_for_exception(info.value))
    assert first.type == "Linear" and first.extra[PATH_KEY] == "0"


def test_the_rnn_seed_is_one_shared_head_per_time_step_stacked_into_a_sequence():
    rt = round_trip(f"{SEEDS}:RNNRegressor", [(10, 1)])
    project = rt.imported.project
    heads = [n for n in project.nodes if n.type == "Linear"]
    assert len(heads) == 10 and [n.shares for n in heads[1:]] == ["out"] * 9
    (stack,) = [n for n in project.nodes if n.type == "Stack"]
    assert stack.params == {}  # dim=1, the default: the steps make dim 1
    assert "torch.stack(" in rt.code.source
    assert sum(p.numel() for p in rt.exported.parameters()) == 1120 + 33  # the RNN, one head


def test_the_rnn_seed_handing_back_its_hidden_state_is_refused_in_one_line():
    # torch gives h_n as [layers, batch, features]; the drawing keeps the batch first, so the
    # exported model could not hand back the same tensor
    with pytest.raises(ImportFailed) as info:
        import_model(f"{SEEDS}:RNN", [(10, 1)])
    message = str(info.value)
    assert "\n" not in message and "h_n of 'rnn'" in message
