"""Bad input, fuzzed deterministically: mutated datasets and command-line flags never give a
traceback, always one `error:` line naming the file or option at fault, and the right exit code
(1 for bad content, 2 for a bad option or unreadable project)."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graph import save_project
from main import main
from tests.runtime.conftest import chain, mlp

SEED = 20261202  # fixed: the same mutations on every run, with or without CI


def project_with(tmp_path: Path, dataset: str, **training) -> Path:
    path = tmp_path / "net.json"
    save_project(mlp(dataset=dataset, epochs=1, device="cpu", **training), path)
    return path


def good_csv() -> list[list[str]]:
    rng = random.Random(SEED)
    rows = [["a", "b", "label"]]
    rows += [
        [f"{rng.uniform(-1, 1):.3f}", f"{rng.uniform(-1, 1):.3f}", str(i % 2)] for i in range(40)
    ]
    return rows


def mutated_csvs() -> list[tuple[str, str]]:
    """(name, text): each breaks one thing a user's CSV gets wrong."""
    rng = random.Random(SEED)
    cases = []
    for bad in ("nan", "inf", "-inf", "", "1e999", "x"):
        rows = good_csv()
        rows[rng.randrange(1, len(rows))][rng.randrange(2)] = bad
        cases.append((f"value {bad or 'empty'}", "\n".join(",".join(r) for r in rows)))
    rows = good_csv()
    rows[5] = rows[5][:2]
    cases.append(("short row", "\n".join(",".join(r) for r in rows)))
    cases.append(("header only", "a,b,label\n"))
    cases.append(("empty", ""))
    cases.append(("binary", bytes(rng.randrange(256) for _ in range(300)).decode("latin1")))
    return cases


def run(capsys, *args: str) -> tuple[int, str]:
    try:
        code = main(["train", *args])
    except SystemExit as exc:  # a bad option: argparse exits, as `python main.py` would
        code = exc.code
    err = capsys.readouterr().err
    return code, err


def assert_one_error_line(err: str, *words: str) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize(("name", "text"), mutated_csvs(), ids=[c[0] for c in mutated_csvs()])
def test_a_broken_csv_is_one_line_naming_the_file(tmp_path, capsys, name, text):
    data = tmp_path / "points.csv"
    data.write_text(text, encoding="latin1")
    code, err = run(capsys, str(project_with(tmp_path, "points.csv")))
    assert code == 1
    assert_one_error_line(err, "points.csv")


def npz_cases(tmp_path: Path) -> list[tuple[str, Path]]:
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(30, 2)).astype(np.float32)
    cases = []

    def save(name: str, **arrays) -> None:
        path = tmp_path / f"{name}.npz"
        np.savez(path, **arrays)
        cases.append((name, path))

    save("y_2d", X=X, y=rng.integers(0, 2, size=(30, 3)))
    save("nan_x", X=np.where(rng.random((30, 2)) < 0.1, np.nan, X), y=np.arange(30) % 2)
    save("length_mismatch", X=X, y=np.arange(29) % 2)
    save("no_y", X=X)
    save("text_x", X=np.array(["a"] * 30), y=np.arange(30) % 2)
    good = tmp_path / "good.npz"
    np.savez(good, X=X, y=np.arange(30) % 2)
    raw = bytearray(good.read_bytes())
    for i in range(len(raw) // 3, len(raw) // 3 + 40):
        raw[i] ^= 0xFF
    (tmp_path / "flipped.npz").write_bytes(bytes(raw))
    cases.append(("flipped", tmp_path / "flipped.npz"))
    (tmp_path / "cut.npz").write_bytes(good.read_bytes()[:100])
    cases.append(("cut", tmp_path / "cut.npz"))
    with zipfile.ZipFile(tmp_path / "notnpy.npz", "w") as z:
        z.writestr("X.npy", b"not an array")
        z.writestr("y.npy", b"nor this")
    cases.append(("not_npy", tmp_path / "notnpy.npz"))
    return cases


NPZ_NAMES = ["y_2d", "nan_x", "length_mismatch", "no_y", "text_x", "flipped", "cut", "not_npy"]


@pytest.mark.parametrize("name", NPZ_NAMES)
def test_a_broken_npz_is_one_line_naming_the_file(tmp_path, capsys, name):
    path = dict(npz_cases(tmp_path))[name]
    code, err = run(capsys, str(project_with(tmp_path, path.name)))
    assert code == 1
    assert_one_error_line(err, path.name)


def test_a_corrupt_image_names_the_image(tmp_path, capsys):
    from PIL import Image

    for label in ("cat", "dog"):
        (tmp_path / "images" / label).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (8, 8), (i * 40, 0, 0)).save(tmp_path / "images" / label / f"{i}.png")
    broken = tmp_path / "images" / "dog" / "1.png"
    broken.write_bytes(broken.read_bytes()[:30])
    layers = [("Flatten", {}), ("Linear", {"out_features": 2})]
    net = chain("Images", [3, 8, 8], layers, dataset="images", epochs=1, device="cpu")
    save_project(net, tmp_path / "n.json")
    code, err = run(capsys, str(tmp_path / "n.json"))
    assert code == 1
    assert_one_error_line(err, "1.png")


FLAG_CASES = [
    (["--epochs", "0"], 1, "epochs"),
    (["--epochs", "ten"], 2, "--epochs"),
    (["--lr", "nan"], 1, "lr"),
    (["--lr", "-1"], 1, "lr"),
    (["--lr", "1e999"], 1, "lr"),
    (["--batch-size", "-5"], 1, "batch_size"),
    (["--val-fraction", "1"], 1, "val_fraction"),
    (["--momentum", "2"], 1, "momentum"),
    (["--optimizer", "\x1b[31mred"], 1, "optimizer"),
    (["--device", "cuda:99"], 1, "cuda:99"),
    (["--threads", "0"], 1, "threads"),
    (["--workers", "-1"], 1, "workers"),
    (["--precision", "fp8"], 1, "precision"),
    (["--seed", "-1"], 1, "seed"),
    (["--bogus"], 2, "--bogus"),
    (["--resume", "nowhere"], 1, "nowhere"),
]


@pytest.mark.parametrize(("flags", "code", "word"), FLAG_CASES)
def test_bad_flags_are_one_line_with_the_right_exit_code(tmp_path, capsys, flags, code, word):
    path = project_with(tmp_path, "blobs")
    got, err = run(capsys, str(path), *flags)
    assert got == code
    assert_one_error_line(err, word)
    assert "\x1b" not in err  # an escape in a value cannot reach the terminal


def test_random_flag_values_never_give_a_traceback(tmp_path, capsys):
    rng = random.Random(SEED)
    path = project_with(tmp_path, "blobs")
    flags = ["--epochs", "--lr", "--batch-size", "--seed", "--momentum", "--val-fraction"]
    values = ["0", "-1", "1e309", "nan", "", "3.5", "\n", "9" * 40, "abc", "-0"]
    for _ in range(12):
        flag, value = rng.choice(flags), rng.choice(values)
        code, err = run(capsys, str(path), flag, value, "--epochs", "1")
        assert "Traceback" not in err
        assert code in (0, 1, 2)
        if code:
            assert_one_error_line(err)


def test_a_refused_checkpoint_is_one_line_of_ours(tmp_path, capsys):
    import torch

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    torch.save({"model": object.__new__(json.JSONDecoder)}, run_dir / "state.pt")
    code, err = run(capsys, str(project_with(tmp_path, "blobs")), "--resume", str(run_dir))
    assert code == 1
    assert_one_error_line(err, "state.pt", "Python objects")
    assert "weights_only" not in err
