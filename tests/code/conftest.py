"""One warm worker process per test module: starting one costs seconds, a run milliseconds."""

from __future__ import annotations

import pytest

from runtime.code_runner import CodeShapes, CodeWorker


@pytest.fixture(scope="module")
def worker():
    worker = CodeWorker(time_limit=2.0)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def runner(worker):
    """A fresh memory of results on the module's warm worker."""
    return CodeShapes(worker)
