"""The Project: edits through methods, notifications for listeners, order kept for undo."""

from __future__ import annotations

import pytest

from graph import UNSET, Edge, Node, Project, ProjectError
from graph.events import (
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeMoved,
    NodeRelabeled,
    NodeRemoved,
    ParamChanged,
    ProjectRenamed,
    TrainingChanged,
)


def small() -> Project:
    return Project(
        "net",
        [
            Node("x", "Input", {"shape": [4]}),
            Node("fc", "Linear", {"out_features": 2}),
            Node("out", "Output"),
        ],
        [Edge("x", "fc"), Edge("fc", "out")],
    )


def recorder(project: Project) -> list:
    events: list = []
    project.subscribe(events.append)
    return events


def test_every_edit_notifies_listeners_with_what_changed_and_where():
    project = small()
    events = recorder(project)
    project.add_node(Node("act", "ReLU"), index=2)
    project.add_edge(Edge("fc", "act"))
    project.set_param("fc", "out_features", 3)
    project.set_label("fc", "hidden")
    project.set_pos("fc", (10, 20))
    project.set_name("renamed")
    project.set_training({"epochs": 3})
    index = project.remove_edge(Edge("fc", "act"))
    node, node_index = project.remove_node("act")
    assert events == [
        NodeAdded(node, 2),
        EdgeAdded(Edge("fc", "act"), 2),
        ParamChanged("fc", "out_features", 3),
        NodeRelabeled("fc", "hidden"),
        NodeMoved("fc", (10.0, 20.0)),
        ProjectRenamed("renamed"),
        TrainingChanged({"epochs": 3}),
        EdgeRemoved(Edge("fc", "act"), index),
        NodeRemoved(node, node_index),
    ]


def test_unsubscribed_listener_hears_nothing_more():
    project = small()
    events = recorder(project)
    project.unsubscribe(events.append)
    project.set_param("fc", "out_features", 5)
    assert events == []


def test_removing_a_node_returns_where_it_stood_so_undo_restores_the_order():
    project = small()
    project.remove_edge(Edge("x", "fc"))
    project.remove_edge(Edge("fc", "out"))
    node, index = project.remove_node("fc")
    assert [n.id for n in project.nodes] == ["x", "out"]
    project.add_node(node, index)
    assert [n.id for n in project.nodes] == ["x", "fc", "out"]


def test_removing_a_wire_returns_its_index_so_undo_restores_the_order():
    project = small()
    index = project.remove_edge(Edge("x", "fc"))
    project.add_edge(Edge("x", "fc"), index)
    assert project.edges == [Edge("x", "fc"), Edge("fc", "out")]


def test_set_param_returns_the_old_value_and_unset_restores_the_default():
    project = small()
    assert project.set_param("fc", "bias", False) is UNSET
    assert project.set_param("fc", "bias", UNSET) is False
    assert "bias" not in project.node("fc").params
    assert project.validate().nodes["fc"].resolved["bias"] is True


def test_a_wired_node_cannot_be_removed():
    with pytest.raises(ProjectError, match="still has wires"):
        small().remove_node("fc")


def test_duplicate_node_ids_are_refused():
    with pytest.raises(ProjectError, match="already exists"):
        small().add_node(Node("fc", "ReLU"))


@pytest.mark.parametrize("bad_id", ["", None, 3])
def test_node_ids_must_be_non_empty_strings(bad_id):
    with pytest.raises(ProjectError):
        small().add_node(Node(bad_id, "ReLU"))


def test_wires_must_join_existing_nodes_through_non_negative_ports():
    project = small()
    with pytest.raises(ProjectError, match="'ghost'"):
        project.add_edge(Edge("ghost", "fc"))
    with pytest.raises(ProjectError, match="negative"):
        project.add_edge(Edge("x", "out", -1, 0))
    with pytest.raises(ProjectError, match="already exists"):
        project.add_edge(Edge("x", "fc"))
    with pytest.raises(ProjectError, match="does not exist"):
        project.remove_edge(Edge("x", "out"))


def test_unknown_node_is_a_clear_error():
    with pytest.raises(ProjectError, match="there is no node 'nope'"):
        small().set_param("nope", "x", 1)


def test_new_id_counts_up_from_the_stem():
    project = small()
    project.add_node(Node("conv1", "Conv2d"))
    assert project.new_id("conv") == "conv2"
    assert project.new_id("") == "node1"


def test_wires_in_and_out_are_listed_per_node():
    project = small()
    assert project.in_edges("fc") == [Edge("x", "fc")]
    assert project.out_edges("fc") == [Edge("fc", "out")]
    project.in_edges("fc").clear()  # a copy: the project's own lists are untouched
    assert project.in_edges("fc") == [Edge("x", "fc")]


def test_training_is_handed_out_as_a_copy():
    project = small()
    project.set_training({"epochs": 2})
    project.training["epochs"] = 99
    assert project.training == {"epochs": 2}


def test_label_falls_back_to_id_for_the_name():
    project = small()
    project.set_label("fc", "")
    assert project.node("fc").label is None
    assert project.node("fc").name == "fc"


def test_moves_do_not_trigger_rechecking():
    project = small()
    before = project.validate()
    project.set_pos("fc", (1, 2))
    assert project.validate() is before
