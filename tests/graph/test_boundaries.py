"""The package boundaries of ARCHITECTURE.md, enforced: who may import Qt and torch, and when,
and which of our own packages may import which.

graph/ and codegen/ never import Qt, nor torch at import time (codegen not even later);
runtime/ never imports Qt. Our packages are layered, main > gui, cli > runtime > codegen >
recipe > graph > i18n: a package imports only those below it. Checked twice: by importing every
module in a fresh interpreter and looking at what got loaded, and by reading the source for
imports hidden inside functions.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "pyqtgraph", "qtpy")
TORCH = ("torch", "torchvision")


# Our packages, bottom first; a package may import only packages of a lower rank. gui and cli
# share a rank: both sit under main.py, and neither may import the other.
LAYERS = {
    "i18n": 0,
    "graph": 1,
    "recipe": 2,
    "codegen": 3,
    "runtime": 4,
    "gui": 5,
    "cli": 5,
    "main": 6,
}
PRESENT = [p for p in LAYERS if (ROOT / p / "__init__.py").exists()]
# Developer tools run by hand (`make translations`), never imported by the app: they read the
# layers above to extract their texts.
TOOLS = {"i18n/catalogs.py"}


def loaded_after_importing(package: str) -> list[str]:
    """Top-level modules in sys.modules after importing every module of `package`."""
    code = f"""
import importlib, json, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(info.name)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"PATH": "", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("package", ["graph", "codegen"])
def test_importing_the_model_and_codegen_loads_neither_qt_nor_torch(package):
    loaded = loaded_after_importing(package)
    assert [m for m in loaded if m in QT + TORCH] == []


def test_importing_the_runtime_loads_no_qt():
    loaded = loaded_after_importing("runtime")
    assert [m for m in loaded if m in QT] == []


def imports_in(package: str) -> list[tuple[str, int, str, bool]]:
    """(file, line, top-level module, at module level?) for every import in the package."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top_level = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                rel = str(path.relative_to(ROOT))
                found.append((rel, node.lineno, name.split(".")[0], id(node) in top_level))
    return found


@pytest.mark.parametrize("package", ["graph", "codegen", "runtime"])
def test_no_source_in_the_headless_packages_imports_qt_even_lazily(package):
    offenders = [f"{f}:{line} {m}" for f, line, m, _ in imports_in(package) if m in QT]
    assert offenders == []


# Source that codegen copies into exported training scripts. The runtime runs the same
# functions, so both share one tested implementation; codegen itself only reads its text.
SCRIPT_PARTS = {"codegen/data_sources.py"}


def test_codegen_never_imports_torch_outside_the_script_parts_it_emits():
    offenders = [
        f"{f}:{line}"
        for f, line, m, _ in imports_in("codegen")
        if m in TORCH and f not in SCRIPT_PARTS
    ]
    assert offenders == []


def test_the_script_parts_import_torch_only_inside_functions():
    offenders = [
        f"{f}:{line}"
        for f, line, m, top in imports_in("codegen")
        if m in TORCH and f in SCRIPT_PARTS and top
    ]
    assert offenders == []


def test_the_model_imports_torch_only_inside_functions():
    offenders = [f"{f}:{line}" for f, line, m, top in imports_in("graph") if m in TORCH and top]
    assert offenders == []


def test_the_source_scan_sees_imports_nested_in_functions_and_blocks(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "import os\nif True:\n    import torch\ndef f():\n    from PySide6 import QtCore\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = {(m, top) for _, _, m, top in imports_in("pkg")}
    assert found == {("os", True), ("torch", False), ("PySide6", False)}


PROJECT_PACKAGES = ("graph", "codegen", "runtime", "gui", "main")


def test_the_translation_layer_is_the_bottom_layer_and_loads_nothing_above_it():
    loaded = loaded_after_importing("i18n")
    assert [m for m in loaded if m in QT + TORCH + PROJECT_PACKAGES] == []


def test_the_translation_layer_imports_the_project_only_in_its_catalog_tool():
    # i18n/catalogs.py (`make translations`) reads the layer registry to extract its texts.
    offenders = [
        f"{f}:{line} {m}"
        for f, line, m, top in imports_in("i18n")
        if m in QT + TORCH or (m in PROJECT_PACKAGES and (top or f != "i18n/catalogs.py"))
    ]
    assert offenders == []


def below(package: str) -> set[str]:
    return {p for p, rank in LAYERS.items() if rank < LAYERS[package]}


@pytest.mark.parametrize("package", [p for p in PRESENT if below(p) != set(LAYERS) - {p}])
def test_importing_a_package_loads_none_of_the_layers_above_it(package):
    loaded = set(loaded_after_importing(package)) & set(LAYERS)
    assert sorted(loaded - below(package) - {package}) == []


@pytest.mark.parametrize("package", PRESENT)
def test_no_source_in_a_package_imports_a_layer_above_it_even_lazily(package):
    allowed = below(package) | {package}
    offenders = [
        f"{f}:{line} {m}"
        for f, line, m, _ in imports_in(package)
        if m in LAYERS and m not in allowed and f not in TOOLS
    ]
    assert offenders == []


def test_the_layer_table_names_every_package_of_ours():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages <= set(LAYERS)
