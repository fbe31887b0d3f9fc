""" "Why this shape?": every layer explains its shape and parameter count with its own numbers,
and every formula computes what the shape rule computed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from graph import Project, all_specs, get_spec
from graph.arithmetic import evaluate, explain
from tests.graph.layer_helpers import chain
from tests.graph.strategies import valid_projects


def texts(project: Project, node_id: str) -> list[str]:
    report = project.validate()
    node = project.node(node_id)
    return [f.text for f in explain(get_spec(node.type), report.nodes[node_id])]


def test_every_layer_spec_has_its_arithmetic():
    assert [s.type for s in all_specs() if s.arithmetic is None] == []


def test_lenet_shows_the_conv_formula_flatten_product_and_parameters():
    project = chain(
        [1, 28, 28],
        ("Conv2d", {"out_channels": 6, "kernel_size": 5}),
        ("MaxPool2d", {"kernel_size": 2}),
        ("Conv2d", {"out_channels": 16, "kernel_size": 5}),
        ("MaxPool2d", {"kernel_size": 2}),
        ("Flatten", {}),
        ("Linear", {"out_features": 120}),
    )
    assert texts(project, "conv2d1") == [
        "C_out = out_channels = 6",
        "H_out = ⌊(28 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 24",
        "W_out = ⌊(28 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 24",
        "parameters = 6 × (1 × 5 × 5) + 6 = 156",
    ]
    assert texts(project, "flatten5") == ["features = 16 × 4 × 4 = 256"]
    assert texts(project, "linear6")[-1] == "parameters = 256 × 120 + 120 = 30840"
    assert texts(project, "maxpool2d2")[0] == "H_out = ⌊(24 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 12"


def test_ceil_mode_pooling_shows_the_rounding_up():
    project = chain([1, 5, 5], ("MaxPool2d", {"kernel_size": 2, "ceil_mode": True}))
    assert texts(project, "maxpool2d1")[0] == (
        "H_out = ⌊(5 + 2·0 − 1·(2 − 1) − 1 + (2 − 1)) / 2⌋ + 1 = 3"
    )


def assert_formulas_agree(project: Project) -> None:
    report = project.validate()
    for node in project.nodes:
        result = report.nodes[node.id]
        if not result.ok or any(t is None for t in result.outputs):
            continue
        formulas = explain(get_spec(node.type), result)
        assert formulas, f"{node.type} explains nothing"
        for f in formulas:
            where = f"{node.type} {node.params}: {f.text}"
            if f.value is None:
                continue
            if not any(c.isalpha() for c in f.expression):
                assert evaluate(f.expression) == f.value, where
            if f.is_parameters:
                assert f.value == result.params, where
            elif f.dim is not None:
                assert result.outputs[f.port].shape[f.dim] == f.value, where
        if result.params:
            assert any(f.is_parameters for f in formulas), f"{node.type} hides its parameters"


@settings(
    max_examples=80,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(valid_projects())
def test_each_formula_computes_what_the_shape_rule_computed(project):
    assert_formulas_agree(project)
