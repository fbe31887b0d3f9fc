"""Generated models import, have the report's parameter count and output shapes, and their
weights survive a save and a weights-only load."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codegen import CodegenError, generate_model
from graph import load_project
from tests.codegen.graphs import random_project
from tests.codegen.roundtrip import check_round_trip
from tests.fuzzing import examples
from tests.graph.strategies import valid_projects

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_or_is_refused_with_its_errors(path):
    project = load_project(path)
    if project.validate().valid:
        check_round_trip(project)
    else:
        with pytest.raises(CodegenError, match="error"):
            generate_model(project)


def test_the_broken_lenet_example_round_trips_once_its_mistake_is_fixed():
    project = load_project(EXAMPLES[0].parent / "broken" / "lenet_mismatch.json")
    assert not project.validate().valid
    project.set_param("fc1", "in_features", 400)
    check_round_trip(project)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_projects(max_layers=6))
def test_random_valid_projects_of_every_layer_type_round_trip(project):
    assume(project.validate().valid)
    check_round_trip(project)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_projects_with_several_inputs_outputs_and_dead_ends_round_trip(rng):
    check_round_trip(random_project(rng))
