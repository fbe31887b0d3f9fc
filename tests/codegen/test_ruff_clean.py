"""Generated models are clean under `ruff check` and unchanged by `ruff format`, both with ruff's
default settings (line length 88), whatever the labels."""

import random
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codegen import generate_model
from graph import load_project
from tests.codegen.graphs import random_project
from tests.codegen.ruff import ruff_check, ruff_format_dir_diff
from tests.fuzzing import examples
from tests.graph.strategies import valid_projects

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.json"))
LABELS = [
    None,
    None,
    "conv 1",
    "conv_1",
    "l",
    "I",
    "class",
    "input",
    "self",
    "torch",
    "x",
    "_",
    "__import__('os').system('echo hi')",
    "a rather long label for a layer that somebody typed out in full on the canvas",
    "Übergröße Schicht",
    "卷积层",
    'say "hi"\nnext line',
    "lstm_h_n",
]


def _labelled(rng: random.Random):
    project = random_project(rng, rng.choice(["LeNet", "", "class", "a 'quoted' \"name\""]))
    for node in list(project.nodes):
        label = rng.choice(LABELS)
        if label is not None:
            project.set_label(node.id, label)
    return project


def _write(tmp_path: Path, sources: dict[str, str]) -> list[Path]:
    paths = []
    for name, source in sources.items():
        path = tmp_path / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    return paths


def test_examples_and_random_projects_are_ruff_clean_and_formatted(tmp_path):
    sources = {}
    for path in EXAMPLES:
        project = load_project(path)
        if project.validate().valid:
            sources[f"example_{path.stem}"] = generate_model(project).source
    for seed in range(120):
        sources[f"random_{seed}"] = generate_model(_labelled(random.Random(seed))).source
    paths = _write(tmp_path, sources)
    assert ruff_check(paths) == ""
    assert ruff_format_dir_diff(paths) == ""


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_projects(max_layers=6), st.lists(st.sampled_from(LABELS), min_size=30, max_size=30))
def test_random_projects_of_every_layer_type_are_ruff_clean(tmp_path_factory, project, labels):
    assume(project.validate().valid)
    for node, label in zip(list(project.nodes), labels, strict=False):
        project.set_label(node.id, label)
    path = tmp_path_factory.mktemp("ruff") / "model.py"
    path.write_text(generate_model(project).source, encoding="utf-8")
    assert ruff_check([path]) == ""
    assert ruff_format_dir_diff([path]) == ""
