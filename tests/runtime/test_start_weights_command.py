"""`main.py train --weights FILE`: a state_dict loads before training (fine-tuning); what does not
fit is one warning line per layer naming the parameters; `--strict-weights` refuses any misfit;
a file that cannot be used is one error line before anything trains."""

from __future__ import annotations

import json

import pytest
import torch

from graph import save_project
from main import main
from tests.importer.roundtrip import export_module
from tests.runtime.conftest import mlp


def saved_weights(tmp_path, classes: int) -> tuple:
    """The state_dict of the tiny MLP's generated module with `classes` outputs, saved."""
    _, module = export_module(mlp(classes=classes))
    path = tmp_path / f"weights_{classes}.pt"
    torch.save(module.state_dict(), path)
    return path, module.state_dict()


@pytest.fixture
def project_file(tmp_path):
    project = mlp(dataset="blobs", epochs=1, device="cpu")
    project.set_frozen("linear1", True)  # transfer learning: the loaded layer stays as loaded
    path = tmp_path / "tiny.json"
    save_project(project, path)
    return path


def test_a_new_head_loads_all_but_the_head_and_says_so_per_layer(project_file, tmp_path, capsys):
    weights, state = saved_weights(tmp_path, classes=5)
    out = tmp_path / "run"
    args = ["train", str(project_file), "--weights", str(weights), "--out", str(out), "--json"]
    assert main(args) == 0, capsys.readouterr().err
    lines = capsys.readouterr().out.splitlines()
    note = "info: starting from the weights in weights_5.pt: 2 of the network's 4 tensors loaded"
    assert note in lines
    assert (
        "warning: Linear 'linear3' keeps its own weights: linear3.weight is [5, 16] in the file, "
        "[2, 16] here; linear3.bias is [5] in the file, [2] here"
    ) in lines
    assert json.loads(lines[-1])["status"] == "completed"
    trained = torch.load(out / "best.pt", weights_only=True)
    assert torch.equal(trained["linear1.weight"], state["linear1.weight"])  # frozen, as loaded


def test_strict_weights_refuse_a_file_that_does_not_fit_exactly(project_file, tmp_path, capsys):
    weights, _ = saved_weights(tmp_path, classes=5)
    args = ["train", str(project_file), "--weights", str(weights), "--strict-weights"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"error: {weights} does not fit this drawing exactly: Linear 'linear3' keeps its own "
        "weights: linear3.weight is [5, 16] in the file, [2, 16] here; linear3.bias is [5] in "
        "the file, [2] here"
    )


def test_strict_weights_load_a_file_that_fits(project_file, tmp_path, capsys):
    weights, _ = saved_weights(tmp_path, classes=2)
    args = ["train", str(project_file), "--weights", str(weights), "--strict-weights", "--json"]
    assert main(args) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "2 of the network's 4 tensors" not in out and "4 of the network's 4 tensors" in out
    assert "warning:" not in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "{path}: no such file"),
        (b"not a tensor file", "{path}: not a weights file torch can load safely ("),
        ({"encoder.weight": torch.zeros(2, 2)}, "{path}: none of its 1 tensors fits a layer"),
        ([1, 2, 3], "{path}: holds no state_dict (names mapped to tensors)"),
    ],
)
def test_a_weights_file_that_cannot_be_used_is_one_error_line(
    project_file, tmp_path, capsys, content, expected
):
    path = tmp_path / "bad.pt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        torch.save(content, path)
    code = main(["train", str(project_file), "--weights", str(path)])
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert err.startswith("error: " + expected.format(path=path)), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_strict_weights_without_a_file_is_a_bad_option(project_file, capsys):
    assert main(["train", str(project_file), "--strict-weights"]) == 2
    assert capsys.readouterr().err.strip() == "error: --strict-weights needs --weights FILE"
