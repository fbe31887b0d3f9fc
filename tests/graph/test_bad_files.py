"""Bad input in project files and in the model: one clear line naming the file and the thing at
fault, never a traceback, a hang or an unbounded read; saved files keep normal permissions."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from graph import Edge, Node, Project, ProjectFileError, load_project, save_project
from graph.fileio import MAX_DEPTH
from graph.messages import one_line, printable


def minimal(**top) -> dict:
    data = {
        "format": "netwright",
        "version": 1,
        "name": "tiny",
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [4]}},
            {"id": "act", "type": "LeakyReLU"},
            {"id": "out", "type": "Output"},
        ],
        "edges": [{"source": "x", "target": "act"}, {"source": "act", "target": "out"}],
    }
    data.update(top)
    return data


def saved(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "net.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- files that are not files ----------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_without_reading_it():
    with pytest.raises(ProjectFileError) as caught:
        load_project("/dev/zero")  # reading it would never end
    assert str(caught.value) == "/dev/zero: not a regular file (a device, pipe or socket)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(ProjectFileError) as caught:
        load_project(fifo)  # opening it would wait for a writer for ever
    assert str(caught.value) == f"{fifo}: not a regular file (a device, pipe or socket)"


# --- what the JSON holds -----------------------------------------------------------------------


def test_nesting_deeper_than_a_project_needs_is_refused_naming_where(tmp_path):
    options: dict = {}
    for _ in range(400):
        options = {"a": options}
    path = saved(tmp_path, minimal(training={"dataset_options": options}))
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert str(caught.value) == (
        f"{path}: training.dataset_options.a.a.a.a… is nested more than {MAX_DEPTH} levels deep"
    )


def test_nesting_a_project_uses_still_loads(tmp_path):
    path = saved(tmp_path, minimal(training={"dataset_options": {"a": {"b": [[1, 2], {"c": 3}]}}}))
    assert load_project(path).training["dataset_options"]["a"]["b"][1] == {"c": 3}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["nodes"][1].update(label="fc\ud800"), "nodes[1].label"),
        (lambda d: d.update(name="\udcff"), "name"),
        (lambda d: d["nodes"][1].update(params={"\ud83d": 1}), "nodes[1].params.\\ud83d"),
        (lambda d: d.update(training={"dataset": "a\udfffb"}), "training.dataset"),
    ],
)
def test_an_unpaired_surrogate_anywhere_is_refused_at_load(tmp_path, change, where):
    data = minimal()
    change(data)
    path = saved(tmp_path, data)  # json.dumps writes it as a \\udxxx escape, as other tools do
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where} holds an unpaired surrogate (\\u")
    assert message.isprintable()


def test_a_float_param_holding_a_401_digit_integer_is_a_bad_param_on_its_node(tmp_path):
    data = minimal()
    data["nodes"][1]["params"] = {"negative_slope": 10**400}
    report = load_project(saved(tmp_path, data)).validate()
    (error,) = report.errors
    assert (error.code, error.node, error.param) == ("bad_param", "act", "negative_slope")
    assert error.message == (
        "LeakyReLU 'act': negative_slope must be a number torch can hold (within ±1.8e308), not "
        "a 401-digit integer"
    )


def test_an_int_param_far_out_of_bounds_is_shown_short():
    project = Project(
        "p",
        [Node("x", "Input", {"shape": [4]}), Node("fc", "Linear", {"out_features": -(10**400)})],
        [Edge("x", "fc")],
    )
    (error,) = project.validate().errors
    assert error.message == "Linear 'fc': out_features must be at least 1, not -1.00e400"


@pytest.mark.parametrize("port", [3, 4, 99])
def test_a_wire_from_a_recurrent_layers_missing_output_is_the_readers_bad_port(port):
    project = Project(
        "p",
        [
            Node("x", "Input", {"shape": [5, 4]}),
            Node("lstm", "LSTM", {"hidden_size": 3, "batch_first": True}),
            Node("out", "Output"),
        ],
        [Edge("x", "lstm"), Edge("lstm", "out", port, 0)],
    )
    (error,) = project.validate().errors
    assert (error.code, error.node, error.port) == ("bad_port", "out", 0)
    assert error.message == (
        f"Output 'out' is wired to output {port} of LSTM 'lstm', which has 3 outputs"
    )


# --- user text in messages ---------------------------------------------------------------------


@pytest.mark.parametrize("label", ["fc\nerror: forged", "\x1b[31mred\x1b[0m", "tab\there", "\x00"])
def test_a_label_with_control_characters_cannot_forge_a_line(label):
    project = Project(
        "p",
        [Node("x", "Input", {"shape": [4]}), Node("fc", "Linear", label=label)],
        [Edge("x", "fc")],
    )
    messages = [p.message for p in project.validate().problems]
    assert messages and all(m.isprintable() for m in messages)
    assert any(printable(label) in m for m in messages)


def test_printable_escapes_what_a_terminal_would_act_on():
    assert printable("a\nb\x1b[31m\ud800\u200b") == "a\\nb\\x1b[31m\\ud800\\u200b"
    assert printable("名字 ok") == "名字 ok"


# --- saving ------------------------------------------------------------------------------------


def tiny() -> Project:
    return Project("tiny", [Node("x", "Input", {"shape": [4]}), Node("out", "Output")])


def test_a_new_project_file_gets_the_users_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        save_project(tiny(), tmp_path / "a.json")
        os.umask(0o027)
        save_project(tiny(), tmp_path / "b.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o640


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "net.json"
    save_project(tiny(), path)
    path.chmod(0o604)
    save_project(tiny(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert load_project(path).name == "tiny"


def test_one_line_joins_lines_and_escapes_the_rest():
    assert one_line("2 errors:\n  - a\x1b[31m\n  - b") == "2 errors:   - a\\x1b[31m   - b"
