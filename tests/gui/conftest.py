"""Shared GUI test fixtures: offscreen Qt and documents opened on the bundled examples."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from graph import load_project
from gui.document import Document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def example_document(qapp):
    """A factory: `example_document("lenet5")` opens examples/lenet5.json in a Document."""

    def open_example(name: str) -> Document:
        return Document(load_project(EXAMPLES / f"{name}.json"))

    return open_example


@pytest.fixture
def lenet_document(example_document) -> Document:
    return example_document("lenet5")
