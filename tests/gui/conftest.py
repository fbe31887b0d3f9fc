"""Shared GUI test fixtures: offscreen Qt and documents on known drawings."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from graph import Edge, Node, Project, load_project
from graph.block_library import LIBRARY_ENV
from gui.document import Document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(autouse=True)
def own_block_library(tmp_path_factory, monkeypatch) -> Path:
    """Each test's block library is a fresh folder, never the person's own."""
    folder = tmp_path_factory.mktemp("block-library")
    monkeypatch.setenv(LIBRARY_ENV, str(folder))
    return folder


@pytest.fixture
def example_document(qapp):
    """A factory: `example_document("mlp")` opens examples/mlp.json in a Document."""

    def open_example(name: str) -> Document:
        return Document(load_project(EXAMPLES / f"{name}.json"))

    return open_example


def lenet_with_mistake() -> Project:
    """LeNet on 1×32×32 with fc1 pinned to in_features=576 (it receives 400), no positions."""
    chain = [
        Node("x", "Input", {"shape": [1, 32, 32]}),
        Node("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 5}),
        Node("relu1", "ReLU"),
        Node("pool1", "MaxPool2d", {"kernel_size": 2}),
        Node("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 5}),
        Node("relu2", "ReLU"),
        Node("pool2", "MaxPool2d", {"kernel_size": 2}),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"in_features": 576, "out_features": 120}),
        Node("out", "Output"),
    ]
    edges = [Edge(a.id, b.id) for a, b in pairwise(chain)]
    return Project("LeNet", chain, edges)


@pytest.fixture
def lenet_document(qapp) -> Document:
    """A Document on `lenet_with_mistake()`: one error, on fc1."""
    return Document(lenet_with_mistake())


@pytest.fixture(scope="session", autouse=True)
def _qt_torn_down_before_python(qapp):
    """Delete every widget and scene while Python is still whole.

    Left to interpreter shutdown, Qt destroys C++ objects whose Python wrappers are already gone
    and the process segfaults after the last test has passed.
    """
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    # The clipboard's QMimeData (set by Copy) is freed by a Qt exit handler after Python is gone.
    QApplication.clipboard().clear()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()


@pytest.fixture
def one_torch_thread():
    """One torch thread for a test's runs (the GUI's own settings), restored after it: on two
    shared cores a second OpenMP thread only spins."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
