"""What no layer matches becomes a Code node holding the original class (built with the very
arguments the model's code gave it) or function, so the drawing still computes, trains and
loads weights as the model does; where even that cannot be, one line says what and where."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from graph.code_source import read_code_class
from importer import ImportFailed, import_model
from importer.naming import PATH_KEY
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("code_models.py"))


@pytest.fixture(scope="module")
def shiftnet():
    return round_trip(f"{MODELS}:ShiftNet", [(8,)])


def test_a_module_that_does_not_map_is_a_code_node_of_its_class_and_recorded_arguments(shiftnet):
    project = shiftnet.imported.project
    node = project.node("shift")
    assert node.type == "Code" and node.extra[PATH_KEY] == "shift"
    assert node.params["args"] == {"width": 8, "by": 2, "sizes": [3, 4]}  # defaults left out
    source = node.params["source"]
    assert read_code_class(source).name == "Shifted"
    # what the class uses from its module: imports of torch and typing, the helper function
    assert source.startswith("from torch import Tensor\nfrom typing import Optional\n")
    assert "\ndef shift(x: Tensor, by: Optional[int] = None) -> Tensor:" in source


def test_a_wrapped_function_call_is_a_code_node_calling_it(shiftnet):
    project = shiftnet.imported.project
    (node,) = [n for n in project.nodes if n.id.startswith("swap_halves")]
    assert node.type == "Code" and node.params["args"] == {"dim": -1}
    source = node.params["source"]
    assert read_code_class(source).name == "SwapHalves"
    assert "        return swap_halves(x, dim=self.dim)" in source
    assert "\ndef swap_halves(x: Tensor, dim: int) -> Tensor:\n" in source
    # exported, the function is no longer wrapped: its class, written as the Code node writes
    # one, imports again as the same Code node


def test_the_code_nodes_keep_the_state_dict_outputs_and_drawing(shiftnet, tmp_path):
    original = shiftnet.imported.module
    assert list(shiftnet.exported.state_dict()) == list(original.state_dict())
    assert "shift.gain" in original.state_dict() and "shift.offset" in original.state_dict()
    assert "spare.weight" in original.state_dict()  # owned, not called: kept
    assert_same_weights_and_outputs(shiftnet, [(8,)])
    again = reimport(shiftnet, tmp_path, [(8,)])
    assert drawing_signature(again) == drawing_signature(shiftnet.imported.project)


def test_a_layer_owned_but_not_called_is_kept_built_in_init_and_never_called(shiftnet):
    node = shiftnet.imported.project.node("spare")
    assert node.not_called and node.type == "Code"
    assert node.params["source"].startswith("class Linear(nn.Linear):\n")
    assert node.params["args"] == {"in_features": 8, "out_features": 2}
    assert shiftnet.imported.notes == []  # nothing left out
    init, forward = shiftnet.code.source.split("def forward")[-2:]
    assert "self.spare = Linear(in_features=8, out_features=2)" in init
    assert "self.spare" not in forward


def test_stochastic_depth_trains_as_the_original_does(tmp_path):
    """In eval stochastic depth hands its input on, so a trace cannot see it; as a Code node of
    torchvision's StochasticDepth the exported module drops the same rows in training."""
    rt = round_trip(f"{MODELS}:DeepNet", [(8,)])
    project = rt.imported.project
    assert rt.imported.notes == []  # nothing left out
    # one definition: the probability the blocks differ in is its parameter
    (residual,) = project.blocks
    assert [(p.name, p.default) for p in residual.params] == [("p", 0.25)]
    assert residual.body.node("drop").type == "Code"
    assert residual.body.node("drop").params["args"] == {"p": "$p", "mode": "row"}
    assert [project.node(b).params for b in ("block1", "block2")] == [{"p": 0.25}, {"p": 0.5}]
    assert 'self.drop = StochasticDepth(p=p, mode="row")' in rt.code.source
    original, exported = rt.imported.module, rt.exported
    exported.load_state_dict(original.state_dict(), strict=True)
    x = torch.randn(16, 8)
    original.train(), exported.train()
    torch.manual_seed(3)
    expected = original(x)
    torch.manual_seed(3)
    assert torch.equal(exported(x), expected)
    original.eval(), exported.eval()
    assert not torch.equal(original(x), expected)  # rows were dropped in training
    again = reimport(rt, tmp_path, [(8,)])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_submodule_with_control_flow_no_trace_follows_is_a_code_node(tmp_path):
    rt = round_trip(f"{MODELS}:HalvingNet", [(4,)])
    node = rt.imported.project.node("halve")
    assert node.type == "Code" and "args" not in node.params
    assert "while x.abs().sum() > 1:" in node.params["source"]
    assert_same_weights_and_outputs(rt, [(4,)])
    again = reimport(rt, tmp_path, [(4,)])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_a_module_whose_arguments_a_file_cannot_hold_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:GatedNet", [(4,)])
    message = str(info.value)
    assert "\n" not in message
    lines = Path(MODELS).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "self.act(x)[:2]" in text)
    assert message == (
        f"cannot import the model: the indexing [:2] at code_models.py:{line} has no layer: "
        "it indexes the batch (dim 0), which every node keeps whole; no Code node either: its "
        "constructor argument act is Tanh, which a project file cannot hold"
    )
