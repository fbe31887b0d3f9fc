"""On drawings broken the way learners break them, every offered fix removes its problem, adds
no error, and leaves a drawing that torch runs with the shapes the checker says."""

from __future__ import annotations

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import Edge, Node, Project
from graph.fix_finder import fixes_for, problem_key
from graph.fixes import clone
from tests.fuzzing import examples
from tests.graph.test_property_torch_agreement import assert_agrees_with_torch

torch.set_num_threads(1)


@st.composite
def valid_cnns(draw) -> Project:
    """Input → Conv → ReLU → [Conv branch + Add] → Flatten → Linear → Linear → Output."""
    c, size = draw(st.integers(1, 3)), draw(st.integers(6, 10))
    width, k = draw(st.integers(2, 5)), draw(st.sampled_from([1, 3, 5]))
    p = Project("cnn")
    p.add_node(Node("x", "Input", {"shape": [c, size, size]}))
    p.add_node(Node("conv", "Conv2d", {"out_channels": width, "kernel_size": k}))
    p.add_node(Node("relu", "ReLU"))
    p.add_edge(Edge("x", "conv"))
    p.add_edge(Edge("conv", "relu"))
    last = "relu"
    if draw(st.booleans()):
        p.add_node(
            Node("branch", "Conv2d", {"out_channels": width, "kernel_size": 3, "padding": 1})
        )
        p.add_node(Node("add", "Add"))
        p.add_edge(Edge("relu", "branch"))
        p.add_edge(Edge("relu", "add"))
        p.add_edge(Edge("branch", "add", 0, 1))
        last = "add"
    p.add_node(Node("flat", "Flatten"))
    p.add_node(Node("fc1", "Linear", {"out_features": draw(st.integers(2, 8))}))
    p.add_node(Node("fc2", "Linear", {"out_features": draw(st.integers(2, 5))}))
    p.add_node(Node("out", "Output"))
    for a, b in ((last, "flat"), ("flat", "fc1"), ("fc1", "fc2"), ("fc2", "out")):
        p.add_edge(Edge(a, b))
    return p


def remove_flatten(p: Project, draw) -> None:
    source = p.in_edges("flat")[0].source
    p.remove_edge(Edge(source, "flat"))
    p.remove_edge(Edge("flat", "fc1"))
    p.remove_node("flat")
    p.add_edge(Edge(source, "fc1"))


def wrong_pin(p: Project, draw) -> None:
    node, name = draw(
        st.sampled_from([("fc1", "in_features"), ("conv", "in_channels"), ("fc2", "in_features")])
    )
    p.set_param(node, name, draw(st.integers(1, 7)) * 97)


def mismatched_merge(p: Project, draw) -> None:
    if not p.has_node("branch"):
        return wrong_pin(p, draw)
    if draw(st.booleans()):
        p.set_param("branch", "out_channels", p.node("branch").params["out_channels"] + 3)
    else:
        p.set_param("branch", "padding", 0)


def wrong_classes(p: Project, draw) -> None:
    p.set_param("x", "shape", [1, 8, 8])
    p.set_training({"dataset": "digits"})  # ten classes; fc2 has 2 to 5 outputs


@st.composite
def broken_cnns(draw) -> Project:
    p = draw(valid_cnns())
    breaking = draw(st.sampled_from([remove_flatten, wrong_pin, mismatched_merge, wrong_classes]))
    breaking(p, draw)
    return p


@settings(
    max_examples=examples(40),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(broken_cnns())
def test_every_offered_fix_removes_its_problem_adds_no_error_and_agrees_with_torch(project):
    report = project.validate()
    assert report.problems, "each break is a problem"
    before = {problem_key(p) for p in report.errors}
    offered = 0
    for problem in report.problems:
        for fix in fixes_for(project, problem):
            offered += 1
            trial = clone(project)
            fix.apply(trial)
            after = trial.validate()
            assert problem_key(problem) not in {problem_key(p) for p in after.problems}, fix.title
            assert {problem_key(p) for p in after.errors} <= before, fix.title
            if not any(p.code.startswith("dataset_") for p in after.errors):
                trial.set_training({})  # torch judges the network; the dataset is not its business
                assert_agrees_with_torch(trial)
    assert offered, [p.message for p in report.problems]
