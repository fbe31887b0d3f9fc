"""Every layer in the library exports: a small network around it, with the params the palette
gives it, generates code that imports, counts the same parameters and gives the same shapes."""

import pytest

from graph import Edge, Node, Project, all_specs
from runtime.code_runner import apply_trust
from tests.codegen.roundtrip import check_round_trip

# Sample shapes (batch left out) tried in order; the first the checker accepts is exported.
CANDIDATES = ([4], [6, 8], [4, 8, 8], [4, 6, 6, 6])
# Layers whose palette params need a particular input.
INPUTS = {"Fold": [4, 9], "EmbeddingBag": [5], "Embedding": [5], "Unflatten": [784]}
SPECS = [s for s in all_specs() if s.type not in ("Input", "Output")]


def _around(spec, shape: list[int]) -> Project:
    project = Project("every layer")
    dtype = "int64" if spec.dtype == "int" else "float32"
    project.add_node(Node("x", "Input", {"shape": shape, "dtype": dtype}))
    project.add_node(Node("layer", spec.type, dict(spec.palette)))
    apply_trust(project, True)  # a Code node runs its palette template in the worker
    for port in range(len(spec.inputs)):
        project.add_edge(Edge("x", "layer", 0, port))
    for port in range(len(spec.output_names(spec.palette) or ())):
        project.add_node(Node(f"out{port}", "Output"))
        project.add_edge(Edge("layer", f"out{port}", port, 0))
    return project


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.type)
def test_every_layer_exports_to_code_that_runs_with_the_checked_shapes_and_count(spec):
    shapes = [INPUTS[spec.type]] if spec.type in INPUTS else CANDIDATES
    for shape in shapes:
        project = _around(spec, shape)
        if project.validate().valid:
            check_round_trip(project)
            return
    errors = [p.message for p in project.validate().errors]
    pytest.fail(f"no sample input fits {spec.type} with its palette params: {errors}")
