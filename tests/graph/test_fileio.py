"""Project files: what loads, what is refused in one clear line, what survives a round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import (
    Edge,
    Node,
    Project,
    ProjectFileError,
    load_project,
    project_from_dict,
    project_from_json,
    project_to_dict,
    project_to_json,
    save_project,
)
from graph.fileio import MAX_FILE_BYTES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def minimal(**top) -> dict:
    data = {
        "format": "netwright",
        "version": 1,
        "name": "tiny",
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [4]}},
            {"id": "fc", "type": "Linear", "params": {"out_features": 2}},
            {"id": "out", "type": "Output"},
        ],
        "edges": [{"source": "x", "target": "fc"}, {"source": "fc", "target": "out"}],
    }
    data.update(top)
    return data


def refused(data) -> str:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(ProjectFileError) as info:
        project_from_json(text)
    message = str(info.value)
    assert "\n" not in message and message
    return message


# --- loading -----------------------------------------------------------------------------------


def test_a_minimal_file_loads_with_ports_defaulting_to_zero():
    project = project_from_dict(minimal())
    assert [n.id for n in project.nodes] == ["x", "fc", "out"]
    assert project.edges == [Edge("x", "fc", 0, 0), Edge("fc", "out", 0, 0)]
    assert project.validate().valid


def test_loading_never_runs_code_in_the_file(tmp_path):
    marker = tmp_path / "ran"
    data = minimal(name=f"__import__('pathlib').Path('{marker}').touch()")
    data["nodes"][1]["type"] = "__import__('os').system('touch " + str(marker) + "')"
    project = project_from_dict(data)
    project.validate()
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON (Expecting property name enclosed in double quotes at line 1)"),
        ("", "not valid JSON (Expecting value at line 1)"),
        ("[1, 2]", "a project file must hold a JSON object"),
        ('{"format": "other", "version": 1}', 'not a Netwright project (expected "format"'),
        ('{"format": "netwright"}', '"version" must be a whole number, 1 or more'),
        ('{"format": "netwright", "version": 0}', '"version" must be a whole number, 1 or more'),
        ('{"format": "netwright", "version": 99}', "made by a newer Netwright (file version 99"),
        ('{"format": "netwright", "version": 1, "nodes": {}}', '"nodes" must be a list'),
        ('{"format": "netwright", "version": 1, "name": 5}', '"name" must be a string'),
        ('{"format": "netwright", "version": 1, "training": []}', '"training" must be an object'),
    ],
)
def test_malformed_files_are_refused_with_one_clear_line(text, message):
    assert refused(text).startswith(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["nodes"].append(3), "node 4 must be an object"),
        (lambda d: d["nodes"][0].pop("id"), 'node 1 needs an "id" that is a non-empty string'),
        (lambda d: d["nodes"][0].update(id=7), 'node 1 needs an "id"'),
        (lambda d: d["nodes"][1].update(type=None), "node 'fc' needs a \"type\" that is a string"),
        (lambda d: d["nodes"][1].update(params=[1]), "node 'fc': \"params\" must be an object"),
        (lambda d: d["nodes"][1].update(pos=[1]), "node 'fc': \"pos\" must be [x, y]"),
        (lambda d: d["nodes"][1].update(pos=["a", 1]), "node 'fc': \"pos\" must be [x, y]"),
        (lambda d: d["nodes"][1].update(pos=[10**20, 1]), "node 'fc': \"pos\" must be [x, y]"),
        (lambda d: d["nodes"][1].update(label=3), "node 'fc': \"label\" must be a string"),
        (lambda d: d["nodes"].append({"id": "x", "type": "ReLU"}), "two nodes have the id 'x'"),
        (lambda d: d["edges"].append([]), "edge 3 must be an object"),
        (lambda d: d["edges"][0].pop("target"), 'edge 1 needs a "target" node id'),
        (lambda d: d["edges"][0].update(target="ghost"), "edge 1 refers to node 'ghost', which"),
        (lambda d: d["edges"][0].update(source_port=-1), 'edge 1: "source_port" must be a whole'),
        (lambda d: d["edges"][0].update(target_port=True), 'edge 1: "target_port" must be a whole'),
        (lambda d: d["edges"].append({"source": "x", "target": "fc"}), "that wire already exists"),
    ],
)
def test_files_with_the_wrong_structure_are_refused_naming_the_place(change, message):
    data = minimal()
    change(data)
    assert refused(data).startswith(message)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"out_features": "ten"}, "node 'fc': out_features must be a whole number, not 'ten'"),
        ({"out_features": 2.5}, "node 'fc': out_features must be a whole number, not 2.5"),
        ({"out_features": 2, "bias": "yes"}, "node 'fc': bias must be true or false, not 'yes'"),
    ],
)
def test_params_of_the_wrong_type_make_the_file_unreadable(params, message):
    data = minimal()
    data["nodes"][1]["params"] = params
    assert refused(data) == message


def test_params_out_of_bounds_or_unknown_load_and_are_reported_by_validation():
    data = minimal()
    data["nodes"][1]["params"] = {"out_features": 0, "out_featurs": 2}
    report = project_from_dict(data).validate()
    assert {p.param for p in report.errors} == {"out_features", "out_featurs"}


def test_unknown_types_load_and_are_reported_by_validation():
    data = minimal()
    data["nodes"][1]["type"] = "Lineaar"
    report = project_from_dict(data).validate()
    assert [p.code for p in report.errors] == ["unknown_type"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_and_are_refused(constant):
    text = json.dumps(minimal()).replace('"shape": [4]', f'"shape": [4], "extra": {constant}')
    assert refused(text) == f"not valid JSON ({constant} is not a JSON number)"


def test_hostile_nesting_is_refused_not_crashed_on():
    assert refused("[" * 100_000 + "]" * 100_000).startswith("not valid JSON")


def test_hostile_huge_integers_are_refused_not_crashed_on():
    text = json.dumps(minimal()).replace('"version": 1', '"version": 1' + "0" * 5000)
    assert refused(text).startswith("not valid JSON (")


def test_a_file_too_large_to_be_a_drawing_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ProjectFileError, match="too large for a project"):
        load_project(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a folder, not a project file"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00garbage"), "not a text file (it is not UTF-8)"),
    ],
)
def test_files_that_cannot_be_read_say_why_and_where(tmp_path, make, message):
    path = tmp_path / "p.json"
    make(path)
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal()).encode())
    assert load_project(path).name == "tiny"


# --- saving and round trips --------------------------------------------------------------------


def test_unknown_keys_survive_a_round_trip_at_every_level():
    data = minimal(comment="keep me", future={"nested": [1, 2]})
    data["nodes"][1]["color"] = "#ff0000"
    data["edges"][0]["style"] = "dashed"
    data["training"] = {"dataset": "digits", "scheduler": {"kind": "cosine"}}
    again = json.loads(project_to_json(project_from_dict(data)))
    assert again["comment"] == "keep me"
    assert again["future"] == {"nested": [1, 2]}
    assert again["nodes"][1]["color"] == "#ff0000"
    assert again["edges"][0]["style"] == "dashed"
    assert again["training"]["scheduler"] == {"kind": "cosine"}


def test_unknown_wire_keys_take_no_part_in_the_wire_identity():
    data = minimal()
    data["edges"][0]["style"] = "dashed"
    project = project_from_dict(data)
    project.remove_edge(Edge("x", "fc"))  # the editor's Edge, without the extra keys
    assert Edge("x", "fc") not in project.edges


def test_saving_then_loading_gives_the_same_dict(tmp_path):
    project = Project(
        "round ✓",
        [
            Node("x", "Input", {"shape": [1, 8, 8]}, (0.0, 0.0), "pixels"),
            Node("c", "Conv2d", {"out_channels": 4, "kernel_size": [3, 3]}, (0.5, 180.25)),
            Node("m", "Concat", {"dim": 1}),
            Node("out", "Output"),
        ],
        [Edge("x", "c"), Edge("c", "m", 0, 0), Edge("x", "m", 0, 1), Edge("m", "out")],
        {"epochs": 2, "lr": 0.01},
    )
    path = tmp_path / "p.json"
    save_project(project, path)
    assert project_to_dict(load_project(path)) == project_to_dict(project)
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temporary file left over


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("**/*.json")), ids=lambda p: p.name)
def test_every_example_round_trips_to_identical_data(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for node in data["nodes"]:
        if node.get("params") == {}:
            del node["params"]  # the writer leaves out empty params; they mean the same
    assert project_to_dict(project_from_dict(data)) == data


def test_saved_files_put_one_node_and_one_wire_per_line():
    text = project_to_json(project_from_dict(minimal()))
    lines = text.splitlines()
    assert '    {"id": "fc", "type": "Linear", "params": {"out_features": 2}},' in lines
    assert '    {"source": "x", "target": "fc"},' in lines
    assert json.loads(text) == project_to_dict(project_from_dict(minimal()))


def test_positions_are_saved_as_short_numbers():
    project = project_from_dict(minimal())
    project.set_pos("fc", (180.0, 12.3456))
    assert project_to_dict(project)["nodes"][1]["pos"] == [180, 12.35]


def test_a_failed_save_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "p.json"
    save_project(project_from_dict(minimal()), path)
    before = path.read_text(encoding="utf-8")
    project = project_from_dict(minimal())
    project.extra["bad"] = object()  # cannot be written as JSON
    with pytest.raises(TypeError):
        save_project(project, path)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]
