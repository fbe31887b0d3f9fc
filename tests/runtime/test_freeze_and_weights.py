"""Start from weights and freeze: a state_dict loads into the drawing's module before training
(what does not fit is listed by node), and a frozen layer gets no gradient and stays as loaded."""

from __future__ import annotations

import json

import pytest
import torch

from codegen import generate_model
from graph import Edge, Node, Project, project_from_json, project_to_json
from runtime.start_weights import StartWeightsError, load_start_weights
from tests.importer.roundtrip import export_module


def mlp(classes: int = 3, features: int = 4) -> Project:
    nodes = [
        Node("x", "Input", {"shape": [features]}),
        Node("fc1", "Linear", {"out_features": 8}),
        Node("act", "ReLU"),
        Node("head", "Linear", {"out_features": classes}),
        Node("out", "Output"),
    ]
    edges = [Edge("x", "fc1"), Edge("fc1", "act"), Edge("act", "head"), Edge("head", "out")]
    return Project("Tiny", nodes, edges)


def test_frozen_is_saved_in_the_node_and_emitted_in_the_code():
    project = mlp()
    project.set_frozen("fc1", True)
    again = project_from_json(project_to_json(project))
    assert again.node("fc1").frozen and not again.node("head").frozen
    assert json.loads(project_to_json(project))["nodes"][1]["frozen"] is True
    source = generate_model(again).source
    assert "        self.fc1.requires_grad_(False)  # frozen\n" in source
    _, module = export_module(again)
    assert [p.requires_grad for p in module.fc1.parameters()] == [False, False]
    assert all(p.requires_grad for p in module.head.parameters())


def test_weights_load_by_node_and_what_does_not_fit_is_listed_by_node(tmp_path):
    source = mlp(classes=3)
    _, trained = export_module(source)
    path = tmp_path / "weights.pt"
    torch.save(trained.state_dict(), path)
    target = mlp(classes=10)  # a new head: fine-tuning
    code, module = export_module(target)
    started = load_start_weights(module, target, code, path)
    assert torch.equal(module.fc1.weight, trained.fc1.weight)
    assert started.lines == [
        "Linear 'head' keeps its own weights: head.weight is [3, 8] in the file, [10, 8] here; "
        "head.bias is [3] in the file, [10] here"
    ]
    assert started.note == (
        "starting from the weights in weights.pt: 2 of the network's 4 tensors loaded"
    )


def test_a_weights_file_that_fits_nothing_or_is_not_one_is_refused_in_one_line(tmp_path):
    project = mlp()
    code, module = export_module(project)
    other = tmp_path / "other.pt"
    torch.save({"encoder.weight": torch.zeros(2, 2)}, other)
    with pytest.raises(StartWeightsError, match=r"none of its 1 tensors fits a layer"):
        load_start_weights(module, project, code, other)
    text = tmp_path / "notes.pt"
    text.write_text("not a tensor file", encoding="utf-8")
    with pytest.raises(StartWeightsError, match="not a weights file torch can load safely"):
        load_start_weights(module, project, code, text)


def test_an_imported_models_own_state_dict_loads_strictly_under_its_original_names(tmp_path):
    from pathlib import Path

    from importer import import_model

    seeds = Path(__file__).resolve().parents[1] / "importer" / "seed_models.py"
    imported = import_model(f"{seeds}:CNN", [(1, 28, 28)])
    path = tmp_path / "cnn.pt"
    torch.save(imported.module.state_dict(), path)  # keys as the original code names them
    code, module = export_module(imported.project)
    started = load_start_weights(module, imported.project, code, path, strict=True)
    assert started.lines == []
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(module.eval()(x), imported.module.eval()(x), atol=1e-6)


def test_strict_loading_names_the_first_misfit_and_counts_the_rest(tmp_path):
    source = mlp(classes=3, features=5)
    _, trained = export_module(source)
    path = tmp_path / "weights.pt"
    torch.save(trained.state_dict(), path)
    target = mlp(classes=10)
    code, module = export_module(target)
    before = module.fc1.weight.clone()
    with pytest.raises(StartWeightsError) as info:
        load_start_weights(module, target, code, path, strict=True)
    assert str(info.value) == (
        f"{path} does not fit this drawing exactly: Linear 'fc1' keeps its own weights: "
        "fc1.weight is [8, 5] in the file, [8, 4] here (and 1 more)"
    )
    assert torch.equal(module.fc1.weight, before)  # nothing was loaded


def test_keys_the_drawing_lacks_and_layers_the_file_lacks_are_listed(tmp_path):
    _, trained = export_module(mlp())
    state = trained.state_dict()
    state["encoder.weight"] = torch.zeros(2)
    del state["head.bias"]
    path = tmp_path / "weights.pt"
    torch.save({"state_dict": state}, path)  # a checkpoint wrapping its state_dict
    project = mlp()
    code, module = export_module(project)
    started = load_start_weights(module, project, code, path)
    assert started.lines == [
        "Linear 'head' keeps its own weights: head.bias not in the file",
        "tensors of the file that match no layer of this drawing are left out: encoder.weight",
    ]
