"""Suite-wide test settings."""

from __future__ import annotations

import sys

import pytest

import tests.fuzzing  # noqa: F401  (loads the hypothesis profile before any test module)


@pytest.fixture(autouse=True)
def english_unless_a_test_asks_otherwise():
    """Messages render in English in every test (the language is process-wide), and a test that
    switches language cannot leak it into the next one."""
    import i18n

    i18n.set_language(i18n.SOURCE_LANGUAGE)
    yield
    i18n.set_language(i18n.SOURCE_LANGUAGE)
    language = sys.modules.get("gui.language")
    if language is not None:
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        if app is not None:
            language.apply_language(app, i18n.SOURCE_LANGUAGE)


@pytest.fixture(autouse=True)
def settings_of_its_own(tmp_path_factory, monkeypatch):
    """Each test starts from empty editor settings in a file of its own: never the person's, and
    never a layout a previous test saved on closing its window (an 82-px-wide palette left by
    one test made another's double-click miss)."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("NETWRIGHT_SETTINGS", str(folder / "netwright.ini"))


@pytest.fixture(autouse=True)
def cycles_collected_as_the_editor_collects_them():
    """Once a test has built the editor's window, automatic collection is off for the rest of
    the process and the GUI thread's timer collects (gui.training.collector); between tests no
    event loop runs that timer, so each test ends with the collection that is due."""
    yield
    collector = sys.modules.get("gui.training.collector")
    if collector is not None and collector.shared_collector().installed:
        collector.shared_collector().collect_due()
