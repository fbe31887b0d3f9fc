"""Nodes marked as members of an nn.ModuleList / nn.ModuleDict are built in one and called by
index or key; what a file says about them is data, checked before it shapes any code."""

from __future__ import annotations

import ast
import itertools

import torch

from codegen import generate_model
from codegen.containers import INIT_ORDER_KEY, MEMBER_KEY, in_init_order, module_at
from graph import Edge, Node, Project
from tests.codegen.ruff import ruff_check, ruff_format_diff
from tests.importer.roundtrip import export_module


def _chain(*nodes: Node) -> Project:
    everything = [Node("x", "Input", {"shape": [4]}), *nodes, Node("out", "Output")]
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(everything)]
    return Project("Stack", everything, edges)


def _linear(node_id: str, **member: object) -> Node:
    return Node(node_id, "Linear", {"out_features": 4}, extra={MEMBER_KEY: dict(member)})


def test_members_of_a_module_list_are_built_in_one_by_index_order(tmp_path):
    project = _chain(
        _linear("second", of="blocks", type="ModuleList", index=1),
        Node("act", "ReLU"),
        _linear("first", of="blocks", type="ModuleList", index=0),
    )
    project.set_frozen("second", True)
    code, module = export_module(project)
    assert list(module.state_dict()) == [
        "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
    ]  # fmt: skip
    assert "        x = self.blocks[1](x)  # [N, 4]" in code.source
    assert "        self.blocks[1].requires_grad_(False)  # frozen" in code.source
    assert not any(p.requires_grad for p in module.blocks[1].parameters())
    assert code.attributes == {"first": "blocks.0", "second": "blocks.1", "act": "act"}
    assert module_at(module, code.attributes["second"]) is module.blocks[1]
    assert ruff_format_diff(code.source, tmp_path) == ""
    path = tmp_path / "stack.py"
    path.write_text(code.source, encoding="utf-8")
    assert ruff_check([path]) == ""


def test_a_module_dict_key_from_the_file_stays_a_string_literal(tmp_path):
    hostile = 'a"]; import os; x = ["\n'
    project = _chain(_linear("head", of="heads", type="ModuleDict", key=hostile, index=0))
    code, module = export_module(project)
    imports = [n for n in ast.walk(ast.parse(code.source)) if isinstance(n, ast.Import)]
    assert [alias.name for n in imports for alias in n.names] == ["torch"]
    assert list(module.heads) == [hostile]
    assert ruff_format_diff(code.source, tmp_path) == ""


def test_an_entry_that_cannot_be_written_gives_the_node_an_attribute_of_its_own():
    project = _chain(
        _linear("a", of="heads", type="ModuleDict", key="keys", index=0),  # ModuleDict's method
        _linear("b", of="heads", type="ModuleDict", key="x.y", index=1),  # a dot in a key
        _linear("c", of="__class__", type="ModuleList", index=0),
        _linear("d", of="heads", type="ModuleList", index=0),  # not a list of the kind above
        _linear("e", of="layers", type="ModuleList", index=0),
        _linear("f", of="layers", type="ModuleList", index=0),  # the same place twice
        _linear("g", of="layers", type="Sequential", index=1),
    )
    source = generate_model(project).source
    for attribute in ("a", "b", "c", "f", "g"):
        assert f"        self.{attribute} = nn.Linear(4, 4)" in source
    assert "self.heads = nn.ModuleList(" in source and "self.layers = nn.ModuleList(" in source


def test_the_init_follows_the_registration_order_and_drawn_functions_follow_their_layer():
    project = _chain(
        Node("conv", "Linear", {"out_features": 4}, extra={INIT_ORDER_KEY: 2}),
        Node("act", "ReLU"),
        Node("norm", "LayerNorm", extra={INIT_ORDER_KEY: 1}),
        Node("head", "Linear", {"out_features": 2}, extra={INIT_ORDER_KEY: 0}),
    )
    source = generate_model(project).source
    order = [source.index(f"self.{name} = ") for name in ("head", "norm", "conv", "act")]
    assert order == sorted(order)
    _, module = export_module(project)
    assert [k.split(".")[0] for k in module.state_dict()][::2] == ["head", "norm", "conv"]


def test_init_order_leaves_a_drawing_without_orders_as_it_is():
    entries = ["a", "b", "c"]
    assert in_init_order(entries, lambda entry: None) == entries
    ranks = {"a": 1, "c": 0}
    assert in_init_order(["a", "b", "c"], ranks.get) == ["c", "a", "b"]


def test_of_two_nodes_claiming_one_place_the_first_called_keeps_it():
    project = _chain(
        _linear("z_first", of="layers", type="ModuleList", index=0),
        _linear("a_second", of="layers", type="ModuleList", index=0),
    )
    code = generate_model(project)
    assert code.attributes == {"z_first": "layers.0", "a_second": "a_second"}


def _nested(*places: dict) -> dict:
    """A member entry of containers in containers: the first place's, then the inner ones."""
    return {**places[0], "nested": list(places[1:])}


def test_members_of_containers_in_containers_are_built_nested_and_called_by_each_place(tmp_path):
    inner = {"type": "ModuleList"}
    project = _chain(
        _linear("s0_l1", **_nested({"of": "stages", "type": "ModuleList", "index": 0},
                                   {**inner, "index": 1})),
        _linear("s1_l0", **_nested({"of": "stages", "type": "ModuleList", "index": 1},
                                   {**inner, "index": 0})),
        _linear("s0_l0", **_nested({"of": "stages", "type": "ModuleList", "index": 0},
                                   {**inner, "index": 0})),
        _linear("fast", **_nested({"of": "stages", "type": "ModuleList", "index": 2},
                                  {"type": "ModuleDict", "key": "fast", "index": 1})),
    )  # fmt: skip
    project.set_frozen("s1_l0", True)
    code, module = export_module(project)
    assert list(module.state_dict())[::2] == [
        "stages.0.0.weight", "stages.0.1.weight", "stages.1.0.weight", "stages.2.fast.weight",
    ]  # fmt: skip
    assert isinstance(module.stages[2], torch.nn.ModuleDict)
    assert code.attributes["s0_l1"] == "stages.0.1"
    assert code.attributes["fast"] == "stages.2.fast"
    assert "        x = self.stages[0][1](x)  # [N, 4]" in code.source
    assert '        x = self.stages[2]["fast"](x)  # [N, 4]' in code.source
    assert "        self.stages[1][0].requires_grad_(False)  # frozen" in code.source
    assert module_at(module, code.attributes["fast"]) is module.stages[2]["fast"]
    lines = code.source.splitlines()
    built = lines.index("                        nn.Linear(4, 4),")  # the first inner member
    assert code.line_map[built + 1] == "s0_l0"  # a member's line names its node
    assert ruff_format_diff(code.source, tmp_path) == ""
    path = tmp_path / "stages.py"
    path.write_text(code.source, encoding="utf-8")
    assert ruff_check([path]) == ""


def test_nested_places_that_cannot_be_written_give_the_node_an_attribute_of_its_own():
    outer = {"of": "stages", "type": "ModuleList", "index": 0}
    project = _chain(
        _linear("a", **_nested(outer, {"type": "ModuleList", "index": 0})),
        _linear("b", **_nested(outer, {"type": "ModuleDict", "key": "x", "index": 1})),  # kind
        _linear("c", **outer),  # a layer where a container is
        _linear("d", **_nested(outer, {"type": "ModuleList", "index": 0})),  # taken
        _linear("e", **{**outer, "nested": "0"}),  # not a list of places
        _linear("f", **_nested(outer, {"type": "ModuleList", "index": -1})),
        _linear("g", **_nested(outer, *[{"type": "ModuleList", "index": 0}] * 9)),  # too deep
        _linear("h", **_nested(outer, {"type": "ModuleDict", "key": "keys", "index": 0})),
    )
    code = generate_model(project)
    assert code.attributes["a"] == "stages.0.0"
    for node_id in "bcdefgh":
        assert code.attributes[node_id] == node_id


def test_tensors_go_only_into_parameter_containers_and_layers_only_into_module_ones():
    def parameter(node_id: str, **member: object) -> Node:
        return Node(node_id, "Parameter", {"shape": [4]}, extra={MEMBER_KEY: dict(member)})

    deep = {"of": "deep", "type": "ParameterList", "index": 0}
    tensors = [
        parameter("p", of="scales", type="ParameterList", index=0),
        parameter("q", of="blocks", type="ModuleList", index=0),  # a tensor among layers
        parameter("r", of="gains", type="ParameterDict", key="a", index=0),
        parameter("s", **_nested(deep, {"type": "ParameterList", "index": 0})),  # not a place
    ]
    layer = _linear("fc", of="layers", type="ParameterList", index=0)  # a layer among tensors
    nodes = [Node("x", "Input", {"shape": [4]}), layer, *tensors, Node("out", "Output")]
    edges = [Edge("x", "fc")]
    previous = "fc"
    for tensor in tensors:  # fc's output plus each tensor in turn
        nodes.insert(-1, Node(f"add_{tensor.id}", "Add"))
        edges += [Edge(previous, f"add_{tensor.id}"), Edge(tensor.id, f"add_{tensor.id}", 0, 1)]
        previous = f"add_{tensor.id}"
    edges.append(Edge(previous, "out"))
    code = generate_model(Project("Tensors", nodes, edges))
    assert code.attributes["p"] == "scales.0" and code.attributes["r"] == "gains.a"
    for node_id in ("fc", "q", "s"):
        assert code.attributes[node_id] == node_id
