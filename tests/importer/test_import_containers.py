"""Layers kept in an nn.ModuleList or nn.ModuleDict come back in one: the exported class has the
original's state_dict keys in the original's order, so its weights load strictly as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from codegen import generate_model
from graph import project_from_json, project_to_json
from recipe.config import TrainConfig
from runtime.layer_stats import LayerStatistics
from runtime.network import build_network
from runtime.sample_probe import node_modules
from runtime.start_weights import load_start_weights
from runtime.trainer import Trainer
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    export_module,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("container_models.py"))

CASES = {
    "DeepMLP": (2,),  # for layer in self.hidden: ...
    "SmallConv": (1, 16, 16),  # self.convs[0](x); head defined before the layers it follows
    "Encoder": (4,),  # a ModuleList of blocks, each with a ModuleList of its own
    "MultiTask": (6,),  # self.heads["digit"](h)
    "Towers": (6,),  # for tower in self.towers.values(): a ModuleDict of nn.Sequential blocks
    "Stages": (4,),  # for stage in self.stages: for layer in stage: ... (`stages.0.1`)
    "TinyUNet": (1, 16, 16),  # ModuleLists of ModuleLists of blocks and layers
    "Routes": (6,),  # a ModuleDict of ModuleLists: self.routes["fast"][0](x)
    "Skips": (6,),  # an uncalled ReLU between two called Linears keeps its place
    "Scales": (8,),  # tensors in an nn.ParameterList and an nn.ParameterDict
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_model_with_a_module_list_or_dict_keeps_its_state_dict_keys(name, tmp_path):
    shape = CASES[name]
    rt = round_trip(f"{MODELS}:{name}", [shape])
    original = rt.imported.module.state_dict()
    assert list(rt.exported.state_dict()) == list(original)  # the same keys, in the same order
    rt.exported.load_state_dict(original, strict=True)
    assert_same_weights_and_outputs(rt, [shape])
    torch.manual_seed(2)
    x = torch.randn(3, *shape)
    with torch.no_grad():
        assert torch.allclose(rt.exported.eval()(x), rt.imported.module.eval()(x), atol=1e-6)
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_walked_module_list_is_written_as_one_and_called_by_index():
    rt = round_trip(f"{MODELS}:DeepMLP", [(2,)])
    project = rt.imported.project
    # the canvas keeps readable names; the code keeps the container
    assert [n.id for n in project.nodes if n.type == "Linear"] == [
        "hidden_0", "hidden_1", "hidden_2", "head",
    ]  # fmt: skip
    lines = rt.code.source.splitlines()
    start = lines.index("        self.hidden = nn.ModuleList(")
    assert lines[start : start + 7] == [
        "        self.hidden = nn.ModuleList(",
        "            [",
        "                nn.Linear(2, 16),",
        "                nn.Linear(16, 16),",
        "                nn.Linear(16, 16),",
        "            ]",
        "        )",
    ]
    assert "        x = self.hidden[1](x)  # [N, 16]" in lines
    # a line building a member is that member's node, as for any other layer
    assert rt.code.line_map[start + 4] == "hidden_1"
    assert rt.code.attributes["hidden_1"] == "hidden.1"


def test_a_module_dict_is_written_as_one_and_called_by_key():
    rt = round_trip(f"{MODELS}:MultiTask", [(6,)])
    assert '        self.heads = nn.ModuleDict(\n            {\n                "digit": ' in (
        rt.code.source
    )
    assert '        heads_parity = self.heads["parity"](x)  # [N, 2]' in rt.code.source
    assert rt.code.attributes["heads_parity"] == "heads.parity"


def test_the_init_defines_layers_in_the_models_order_not_the_call_order():
    rt = round_trip(f"{MODELS}:SmallConv", [(1, 16, 16)])
    source = rt.code.source
    order = [source.index(f"self.{name} = ") for name in ("head", "convs", "norm")]
    assert order == sorted(order)
    # a layer drawn for a function call follows the layer it follows in forward
    assert source.index("self.relu1 = ") > source.index("self.convs = ")


def test_a_project_with_container_nodes_saves_loads_trains_and_starts_from_the_original_weights(
    tmp_path,
):
    rt = round_trip(f"{MODELS}:DeepMLP", [(2,)])
    project = project_from_json(project_to_json(rt.imported.project))
    assert project.validate().valid
    assert generate_model(project).source == rt.code.source  # the file keeps the containers
    weights = tmp_path / "original.pt"
    torch.save(rt.imported.module.state_dict(), weights)
    # Start from Weights, strictly, with the original model's own state_dict
    code, module = export_module(project)
    started = load_start_weights(module, project, code, weights, strict=True)
    assert started.lines == []
    assert torch.equal(module.hidden[2].weight, rt.imported.module.hidden[2].weight)
    # a run from those weights trains on a tiny dataset
    config = TrainConfig(
        dataset="blobs",
        device="cpu",
        epochs=1,
        out_dir=str(tmp_path / "run"),
        start_weights=str(weights),
        strict_weights=True,
    )
    finished = Trainer(project, config, lambda event: None).run()
    assert finished.status == "completed", finished.message
    state = torch.load(finished.checkpoint, weights_only=True)
    state = state.get("model", state)
    assert list(state) == list(rt.imported.module.state_dict())
    rt.imported.module.load_state_dict(state, strict=True)  # and back into the original


def test_the_runtime_finds_the_module_of_a_node_inside_a_container():
    rt = round_trip(f"{MODELS}:Encoder", [(4,)])
    project = rt.imported.project
    network = build_network(project, seed=0)
    found = node_modules(network.module, network.code, project)
    assert found["layers_1"] is network.module.layers[1]
    assert found["layers_0/norms_1"] is network.module.layers[0].norms[1]
    stats = LayerStatistics(network.module, network.code.attributes)
    assert stats.modules["layers_0"] is network.module.layers[0]


def test_containers_in_containers_keep_their_keys_and_the_runtime_finds_their_members():
    rt = round_trip(f"{MODELS}:TinyUNet", [(1, 16, 16)])
    project = rt.imported.project
    assert rt.code.attributes["down_1_0"] == "down.1.0"  # a block in a list in a list
    assert "        self.down = nn.ModuleList(" in rt.code.source
    assert "        concat1 = self.up[0][1](concat1)  # [N, 8, 8, 8]" in rt.code.source
    network = build_network(project, seed=0)
    found = node_modules(network.module, network.code, project)
    assert found["down_1_0"] is network.module.down[1][0]
    assert found["up_0_0"] is network.module.up[0][0]
    assert found["down_0_0/conv2"] is network.module.down[0][0].conv2
    stats = LayerStatistics(network.module, network.code.attributes)
    assert stats.modules["up_1_1"] is network.module.up[1][1]


def test_an_uncalled_member_without_weights_keeps_the_place_of_the_members_after_it():
    rt = round_trip(f"{MODELS}:Skips", [(6,)])
    project = rt.imported.project
    assert [n.id for n in project.nodes] == [
        "input1", "layers_0", "layers_1", "tanh1", "layers_2", "output1",
    ]  # fmt: skip
    kept = project.node("layers_1")
    assert kept.type == "Code" and kept.not_called
    assert rt.code.attributes["layers_2"] == "layers.2"
    assert "        x = self.layers[2](x)  # [N, 3]" in rt.code.source


def test_parameters_in_a_parameter_list_or_dict_are_written_back_in_one():
    rt = round_trip(f"{MODELS}:Scales", [(8,)])
    assert "        self.scales = nn.ParameterList(" in rt.code.source
    assert "        self.shifts = nn.ParameterDict(" in rt.code.source
    assert "self.scales[1].expand(x.size(0), 8)" in rt.code.source
    assert rt.code.attributes["shifts_out"] == "shifts.out"
