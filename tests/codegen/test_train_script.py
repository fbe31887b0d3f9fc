"""The exported training script: standalone (torch and the dataset's library, no Netwright),
the project's settings as overridable defaults, ruff-clean, and the same data functions the
runtime trains with."""

import ast
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from codegen import generate_model
from codegen.train_script import generate_train_script, script_settings
from graph import Edge, Node, Project, load_project
from recipe import data as data_sources
from recipe.config import TrainConfig
from recipe.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def export(project: Project, folder: Path, module: str = "model") -> Path:
    model = generate_model(project)
    (folder / f"{module}.py").write_text(model.source, encoding="utf-8")
    script = folder / "train.py"
    script.write_text(generate_train_script(project, model, model_module=module), "utf-8")
    return script


def run_script(folder: Path, *args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    """Runs outside the repository with -E -s, so Netwright is not importable."""
    return subprocess.run(
        [sys.executable, "-E", "-s", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )


def ruff(folder: Path, *command: str) -> str:
    """ruff with its default settings, run where the script and its model file lie (the import
    of the model counts as first-party there, as it does for the user)."""
    exe = Path(sys.executable).with_name("ruff")
    found = str(exe) if exe.exists() else shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed")
    done = subprocess.run(
        [found, *command, "--isolated", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if done.returncode == 0 else done.stdout + done.stderr


def blobs_project(**training) -> Project:
    nodes = [
        Node("x", "Input", {"shape": [2]}),
        Node("hidden", "Linear", {"out_features": 8}),
        Node("relu", "ReLU"),
        Node("scores", "Linear", {"out_features": 2}),
        Node("out", "Output"),
    ]
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(nodes)]
    return Project("Blob net", nodes, edges, {"dataset": "blobs", **training})


def test_script_defaults_are_the_trainers_defaults():
    assert script_settings({}) == TrainConfig().to_training()


def test_a_schedule_alias_reaches_the_script():
    source = generate_train_script(
        blobs_project(schedule="StepLR"), generate_model(blobs_project()), "m"
    )
    assert '    "schedule": "step",' in source.splitlines()


def test_settings_are_read_case_insensitively_and_bad_ones_fall_back():
    settings = script_settings(
        {"optimizer": "SGD", "loss": "CrossEntropy", "schedule": "OneCycle", "epochs": -3}
    )
    assert settings["optimizer"] == "sgd"
    assert settings["loss"] == "cross_entropy"
    assert settings["schedule"] == "onecycle"
    assert settings["epochs"] == 10  # the Trainer refuses -3 with a message; export goes on


def test_the_script_imports_only_the_standard_library_torch_and_the_model(tmp_path):
    project = load_project(ROOT / "examples" / "digits_cnn.json")
    tree = ast.parse(export(project, tmp_path).read_text())
    modules = {
        (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    third_party = modules - set(sys.stdlib_module_names)
    assert third_party == {"torch", "sklearn", "model"}  # sklearn: digits' own library


def test_the_script_holds_the_projects_settings_as_command_line_defaults(tmp_path):
    project = load_project(ROOT / "examples" / "digits_cnn.json")
    source = export(project, tmp_path).read_text()
    for line in ('    "epochs": 15,', '    "lr": 0.002,', '    "batch_size": 32,'):
        assert line in source.splitlines()
    assert "DATASET_LOADER = load_digits" in source.splitlines()
    assert "from model import DigitsCNN" in source
    for s in SETTINGS:
        if s.flag and s.kind != "dataset":
            assert f'"{s.option}"' in source, s.name
            assert f"default=SETTINGS[{s.name!r}]".replace("'", '"') in source


def test_the_script_copies_the_recipe_the_runtime_runs():
    import inspect

    from recipe import loop, metrics, progress, targets

    project = load_project(ROOT / "examples" / "digits_cnn.json")
    source = generate_train_script(project, generate_model(project), "model")
    for function in (
        data_sources.load_digits,
        data_sources.split_dataset,
        data_sources.fit_to_input,
        targets.fit_targets,
        loop.make_optimizer,
        loop.make_schedule,
        loop.train_step,
        loop.score,
        metrics.BatchLog,
        metrics.epoch_record,
        progress.epoch_line,
    ):
        assert inspect.getsource(function) in source


def test_optimizer_schedule_and_loss_come_from_the_project():
    project = blobs_project(
        optimizer="SGD",
        nesterov=True,
        momentum=0.8,
        weight_decay=0.01,
        schedule="CosineAnnealingLR",
        loss="NLL",
    )
    source = generate_train_script(project, generate_model(project), "model")
    for line in (
        '    "optimizer": "sgd",',
        '    "nesterov": True,',
        '    "momentum": 0.8,',
        '    "weight_decay": 0.01,',
        '    "schedule": "cosine",',
        '    "loss": "nll",',
    ):
        assert line in source.splitlines()


def test_scripts_for_the_examples_and_odd_names_are_ruff_clean_and_formatted(tmp_path):
    paths = []
    projects = [load_project(p) for p in EXAMPLES]
    odd = blobs_project(dataset_options={"samples": 300}, lr=0.5)
    odd.set_name('a "quoted" \\ name\nwith a line break """')
    odd.set_label("x", 'it\'s "x"\n卷积 {{class_name}} {{data_code}}')
    projects.append(odd)
    for i, project in enumerate(p for p in projects if p.validate().valid):
        model = generate_model(project)
        path = tmp_path / f"train_{i}.py"
        path.write_text(generate_train_script(project, model, f"model_{i}"), encoding="utf-8")
        (tmp_path / f"model_{i}.py").write_text(model.source, encoding="utf-8")
        compile(path.read_text(), str(path), "exec")
        paths.append(path)
    assert ruff(tmp_path, "check") == ""
    assert ruff(tmp_path, "format", "--diff") == ""


def test_a_model_file_name_that_is_not_an_identifier_is_still_imported(tmp_path):
    project = blobs_project()
    model = generate_model(project)
    source = generate_train_script(project, model, "my-net")
    assert 'importlib.import_module("my-net")' in source
    (tmp_path / "train.py").write_text(source, encoding="utf-8")
    (tmp_path / "my-net.py").write_text(model.source, encoding="utf-8")
    assert ruff(tmp_path, "check") == ""


@pytest.mark.slow
def test_the_script_trains_on_one_device_and_saves_weights(tmp_path):
    export(blobs_project(epochs=3, lr=0.05), tmp_path, "blob_net")
    done = run_script(tmp_path, "train.py", "--epochs", "2", "--device", "cpu", "--out", "w")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(",")[0] for line in lines if line.startswith("epoch")] == [
        "epoch 1",
        "epoch 2",
    ]
    assert "val acc" in lines[-2]
    assert len((tmp_path / "w" / "metrics.jsonl").read_text().splitlines()) == 2
    from tests.codegen.test_train_script import _load_class

    net = _load_class(tmp_path / "blob_net.py", "BlobNet")()
    net.load_state_dict(torch.load(tmp_path / "w" / "best.pt", weights_only=True))
    assert (tmp_path / "w" / "last.pt").exists()


@pytest.mark.slow
def test_the_script_starts_from_weights_listing_what_does_not_fit_by_layer(tmp_path):
    export(blobs_project(epochs=1, lr=1e-9, optimizer="sgd"), tmp_path, "blob_net")
    torch.manual_seed(5)  # the same hidden layer, a head for three classes: fine-tuning
    source = {
        "hidden.weight": torch.randn(8, 2),
        "hidden.bias": torch.randn(8),
        "scores.weight": torch.randn(3, 8),
        "scores.bias": torch.randn(3),
    }
    torch.save(source, tmp_path / "start.pt")
    done = run_script(tmp_path, "train.py", "--weights", "start.pt", "--out", "w")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "starting from the weights in start.pt: 2 of the network's 4 tensors loaded" in lines
    assert (
        "warning: Linear 'scores' keeps its own weights: scores.weight is [3, 8] in the file, "
        "[2, 8] here; scores.bias is [3] in the file, [2] here"
    ) in lines
    trained = torch.load(tmp_path / "w" / "last.pt", weights_only=True)
    assert torch.allclose(trained["hidden.weight"], source["hidden.weight"], atol=1e-6)

    done = run_script(tmp_path, "train.py", "--weights", "start.pt", "--strict-weights")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: start.pt does not fit this drawing exactly: Linear 'scores' keeps its own "
        "weights: scores.weight is [3, 8] in the file, [2, 8] here; scores.bias is [3] in the "
        "file, [2] here"
    ]


def _load_class(path: Path, name: str):
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace[name]


@pytest.mark.slow
def test_a_regression_script_reports_rmse(tmp_path):
    project = load_project(ROOT / "examples" / "sincos_rnn.json")
    project.set_training({**project.training, "schedule": "onecycle", "optimizer": "sgd"})
    export(project, tmp_path)
    done = run_script(tmp_path, "train.py", "--epochs", "1", "--device", "cpu")
    assert done.returncode == 0, done.stderr
    assert "val rmse" in done.stdout
    assert (tmp_path / "runs" / "best.pt").exists()


@pytest.mark.slow
def test_the_script_runs_under_torchrun_with_two_cpu_processes(tmp_path):
    export(blobs_project(), tmp_path)
    done = run_script(
        tmp_path,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        "train.py",
        "--epochs",
        "1",
        "--device",
        "cpu",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "on cpu (2 processes): 800 samples, 200 for validation" in done.stdout
    assert done.stdout.count("epoch 1, ") == 1  # rank 0 alone prints
    assert (tmp_path / "runs" / "best.pt").exists()
