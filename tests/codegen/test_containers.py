"""Nodes marked as members of an nn.ModuleList / nn.ModuleDict are built in one and called by
index or key; what a file says about them is data, checked before it shapes any code."""

from __future__ import annotations

import ast
import itertools

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
