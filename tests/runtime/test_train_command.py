"""`main.py train`: settings from the command line over the file, one JSON line, clear errors."""

import json

import pytest

from graph import save_project
from main import main
from tests.runtime.conftest import mlp


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "tiny.netwright.json"
    save_project(mlp(dataset="blobs", epochs=5, lr=0.01, device="cpu"), path)
    return path


def test_json_ends_the_output_with_one_summary_object(project_file, tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", str(project_file), "--epochs", "2", "--json", "--out", str(out)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) >= {
        "epochs",
        "train_loss",
        "val_loss",
        "val_accuracy",
        "seconds",
        "samples_per_second",
        "device",
        "checkpoint",
    }
    assert summary["epochs"] == 2  # the command line wins over the file's 5
    assert summary["device"] == "cpu"
    assert summary["checkpoint"] == str(out / "best.pt") and (out / "best.pt").exists()
    assert any(line.startswith("epoch 2, train loss ") for line in lines)


def test_names_are_case_insensitive(project_file, capsys):
    args = ["--dataset", "MOONS", "--optimizer", "SGD", "--loss", "CrossEntropy"]
    code = main(["train", str(project_file), "--epochs", "1", "--device", "CPU", *args, "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["epochs"] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--dataset", "imagenet"], 1, "error: unknown dataset 'imagenet': choose one of digits"),
        (["--optimizer", "adagrad"], 1, "error: unknown optimizer 'adagrad': choose one of sgd"),
        (["--device", "tpu"], 1, "error: unknown device 'tpu': choose cpu, cuda, cuda:N, mps"),
        (["--epochs", "0"], 1, "error: epochs must be at least 1, not 0"),
        (["--loss", "hinge"], 1, "error: unknown loss 'hinge'"),
    ],
)
def test_bad_settings_are_one_clear_line(project_file, capsys, args, code, message):
    assert main(["train", str(project_file), *args]) == code
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_an_unreadable_file_exits_2(tmp_path, capsys):
    assert main(["train", str(tmp_path / "missing.json")]) == 2
    assert capsys.readouterr().err.strip().endswith("missing.json: no such file")


def test_a_drawing_with_errors_exits_1_naming_the_problem(capsys):
    assert main(["train", "examples/broken/lenet_mismatch.json"]) == 1
    err = capsys.readouterr().err
    assert "cannot train, the drawing has errors: Linear 'fc1' expects 576" in err


def test_a_dataset_that_does_not_fit_exits_1_with_both_shapes(project_file, capsys):
    assert main(["train", str(project_file), "--dataset", "digits"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "tiny.netwright.json: cannot train, the drawing " in err
    assert "has errors: Input 'x' has shape [2] (2 values), " in err
    assert "the samples of dataset 'digits' are [64] (64 values)" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_dataset_given_on_the_command_line_is_checked_before_any_weight_is_built(
    tmp_path, capsys
):
    # 10**12 inputs into a Linear: 4 TB of weights. Built first, this run would die of memory;
    # checked first, it fails at once on the Input, naming the dataset it was given.
    path = tmp_path / "huge.netwright.json"
    save_project(mlp(features=10**12, dataset="blobs", device="cpu"), path)
    assert main(["train", str(path), "--dataset", "digits", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "Input 'x' has shape [1000000000000]" in err
    assert "the samples of dataset 'digits' are [64]" in err
    assert "out of memory" not in err
