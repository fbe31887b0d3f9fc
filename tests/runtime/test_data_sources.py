"""recipe.data: whole datasets as tensors, shared by the runtime and exported scripts."""

import ast
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from recipe import data as ds
from recipe.data import DatasetError


def test_the_module_imports_at_top_level_only_what_an_exported_script_has():
    # Its definitions are copied into exported scripts, which have the standard library and the
    # other modules the generator copies from (the dataset names), nothing else.
    from codegen.train_script import RECIPE_MODULES

    copied = {m.__name__ for m in RECIPE_MODULES}
    tree = ast.parse(Path(ds.__file__).read_text(encoding="utf-8"))
    top = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module not in copied:
            top.add((node.module or "").split(".")[0])
    assert top <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_dataset_names_table_is_literals_only():
    from graph import dataset_names

    tree = ast.parse(Path(dataset_names.__file__).read_text(encoding="utf-8"))
    assert not [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]


def test_digits_are_1797_samples_of_64_values_in_ten_classes():
    X, y, info = ds.load_digits()
    assert X.shape == (1797, 64) and X.dtype == torch.float32
    assert float(X.min()) >= 0.0 and float(X.max()) <= 1.0
    assert y.dtype == torch.int64 and set(y.tolist()) == set(range(10))
    assert info["task"] == "classification" and info["num_classes"] == 10
    assert info["image_shape"] == [1, 8, 8]


@pytest.mark.parametrize(
    ("loader", "shape", "task"),
    [
        (ds.load_blobs, [2], "classification"),
        (ds.load_moons, [2], "classification"),
        (ds.load_spirals, [2], "classification"),
        (ds.load_sincos, [10, 1], "regression"),
    ],
)
def test_toy_datasets_have_their_sample_shape_and_task(loader, shape, task):
    X, y, info = loader(seed=3)
    assert list(X.shape[1:]) == shape == info["sample_shape"]
    assert info["task"] == task
    assert len(X) == len(y)


def test_sincos_targets_are_the_cosine_of_the_same_window():
    X, y, _ = ds.load_sincos(samples=5, steps=7)
    angles = torch.atan2(X, y)  # sin/cos of the same t
    assert torch.allclose(torch.sin(angles), X, atol=1e-5)


def test_blobs_are_two_classes_around_opposite_centres():
    X, y, _ = ds.load_blobs(samples=400)
    assert X[y == 0].mean(0).tolist() == pytest.approx([2, 2], abs=0.3)
    assert X[y == 1].mean(0).tolist() == pytest.approx([-2, -2], abs=0.3)


def test_names_are_case_insensitive_and_paths_are_told_apart(tmp_path):
    assert ds.dataset_loader("DIGITS") == ("load_digits", {})
    assert ds.dataset_loader("Fashion_MNIST")[1]["name"] == "fashion-mnist"
    assert ds.dataset_loader("data.CSV", {"target": "t"}) == (
        "load_csv",
        {"path": "data.CSV", "target": "t"},
    )
    assert ds.dataset_loader(str(tmp_path))[0] == "load_image_folder"


def test_an_unknown_dataset_lists_the_choices():
    with pytest.raises(DatasetError, match="unknown dataset 'imagenet': choose one of digits, "):
        ds.dataset_loader("imagenet")


@pytest.mark.skipif(importlib.util.find_spec("torchvision") is not None, reason="installed")
def test_mnist_without_torchvision_says_what_to_install():
    with pytest.raises(DatasetError) as info:
        ds.load_torchvision("mnist")
    assert str(info.value).startswith("the MNIST dataset needs torchvision, which is not installed")
    assert "pip install torchvision" in str(info.value)


@pytest.mark.skipif(importlib.util.find_spec("PIL") is not None, reason="Pillow is installed")
def test_an_image_folder_without_pillow_says_what_to_install(tmp_path):
    (tmp_path / "cats").mkdir()
    with pytest.raises(DatasetError, match="needs Pillow"):
        ds.load_image_folder(str(tmp_path))


def test_csv_with_text_labels_is_classification_with_sorted_class_names(tmp_path):
    path = tmp_path / "flowers.csv"
    path.write_text("width,height,kind\n1,2,rose\n3,4,iris\n5,6,rose\n", encoding="utf-8")
    X, y, info = ds.load_csv(str(path))
    assert X.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert y.tolist() == [1, 0, 1]
    assert info["class_names"] == ["iris", "rose"] and info["task"] == "classification"


def test_csv_chosen_columns_and_a_real_valued_target_make_regression(tmp_path):
    path = tmp_path / "houses.csv"
    path.write_text("rooms,age,price\n3,10,1.5\n4,2,2.25\n", encoding="utf-8")
    X, y, info = ds.load_csv(str(path), features=["rooms"], target="price")
    assert X.tolist() == [[3], [4]]
    assert y.tolist() == [[1.5], [2.25]]
    assert info["task"] == "regression" and info["target_shape"] == [1]


def test_csv_errors_name_the_row_or_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,x\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="row 2, column 'b' is not a number: 'x'"):
        ds.load_csv(str(path), features=["b"], target="a")
    with pytest.raises(DatasetError, match="has no column 'c' \\(columns: a, b\\)"):
        ds.load_csv(str(path), target="c")


def test_npz_holds_x_and_y(tmp_path):
    path = tmp_path / "points.npz"
    np.savez(path, X=np.ones((4, 3)), y=np.array([0, 1, 1, 0]))
    X, _, info = ds.load_npz(str(path))
    assert X.shape == (4, 3) and info["num_classes"] == 2
    np.savez(path, inputs=np.ones(2))
    with pytest.raises(DatasetError, match="must hold arrays named X and y \\(it holds inputs\\)"):
        ds.load_npz(str(path))


def test_split_is_a_seeded_shuffle():
    X, y = torch.arange(100).float().unsqueeze(1), torch.arange(100)
    first = ds.split_dataset(X, y, 0.2, seed=1)
    again = ds.split_dataset(X, y, 0.2, seed=1)
    other = ds.split_dataset(X, y, 0.2, seed=2)
    assert len(first[0]) == 80 and len(first[2]) == 20
    assert torch.equal(first[2], again[2]) and not torch.equal(first[2], other[2])
    assert sorted(torch.cat([first[1], first[3]]).tolist()) == list(range(100))


def test_samples_are_reshaped_to_the_input_when_the_counts_match():
    X, _, info = ds.load_digits()
    images, note = ds.fit_to_input(X, [1, 8, 8], info, "x")
    assert images.shape == (1797, 1, 8, 8)
    assert note == "samples of shape [64] are reshaped to [1, 8, 8] to fit Input 'x'"
    flat, note = ds.fit_to_input(X, [64], info)
    assert flat is X and note is None


def test_a_shape_that_does_not_fit_names_both_and_an_input_that_would():
    X, _, info = ds.load_digits()
    with pytest.raises(DatasetError) as exc:
        ds.fit_to_input(X, [1, 28, 28], info, "image")
    assert str(exc.value) == (
        "the dataset's samples have shape [64] (64 values) but Input 'image' expects "
        "[1, 28, 28] (784); an Input of shape [64] or [1, 8, 8] would fit"
    )
