"""A layer or block a model calls in several places (D2L's tied parameters) comes back as one
layer called in each place: the drawing's later calls share the first, the exported class calls
one attribute again, and the state_dict is the original's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("shared_models.py"))

CASES = {
    "TiedMLP": (20,),  # self.linear(...) twice
    "Recurrent": (6,),  # a block of its own class three times; a ModuleList member twice
    "tied_sequential": (4,),  # one Linear at two places of an nn.Sequential
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_model_calling_a_layer_again_round_trips_with_its_weights_tied(name, tmp_path):
    shape = CASES[name]
    rt = round_trip(f"{MODELS}:{name}", [shape])
    original = rt.imported.module.state_dict()
    assert list(rt.exported.state_dict()) == list(original)
    rt.exported.load_state_dict(original, strict=True)
    assert_same_weights_and_outputs(rt, [shape])
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)
    assert [n.shares for n in again.nodes if n.shares] == [
        n.shares for n in rt.imported.project.nodes if n.shares
    ]


def test_the_second_call_shares_the_first_and_the_weights_are_counted_once():
    rt = round_trip(f"{MODELS}:TiedMLP", [(20,)])
    project = rt.imported.project
    sharing = [n for n in project.nodes if n.shares]
    assert [(n.id, n.shares) for n in sharing] == [("linear_2", "linear")]
    report = project.validate()
    assert report.valid
    counted = sum(report.nodes[n.id].params for n in project.nodes if n.id in report.nodes)
    assert counted == sum(p.numel() for p in rt.imported.module.parameters()) == 2 * 420
    assert rt.code.source.count("self.linear(") == 2
    assert len(list(rt.exported.parameters())) == 4  # one set of weights, used at both places


def test_a_block_applied_again_is_one_instance_called_each_time():
    rt = round_trip(f"{MODELS}:Recurrent", [(6,)])
    project = rt.imported.project
    steps = [n for n in project.nodes if n.type == project.node("step").type]
    assert [n.shares for n in steps] == [None, "step", "step"]
    assert rt.code.source.count("= self.step(x)") == 3
    assert rt.code.source.count("= self.heads[0](x)") == 2


def test_a_sequential_holding_one_layer_twice_is_written_back_as_one():
    rt = round_trip(f"{MODELS}:tied_sequential", [(4,)])
    lines = rt.code.source.splitlines()
    start = lines.index("class TiedSequential(nn.Sequential):")
    assert lines[start + 2 : start + 4] == [
        "        layer_2 = nn.Linear(8, 8)",
        "        super().__init__(",
    ]
    assert [line.strip() for line in lines[start + 4 : start + 11]].count("layer_2,") == 2
    assert rt.exported[2] is rt.exported[4]
    assert rt.code.attributes["layer_2"] == "2"
    assert rt.code.attributes[next(n.id for n in rt.imported.project.nodes if n.shares)] == "4"
