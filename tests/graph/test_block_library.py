"""The user block library: a folder of block files; a block saved from one project is added to
another complete (with the blocks it uses), and renamed or deleted there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import load_project, project_to_dict
from graph.block_library import BlockLibrary, LibraryError
from graph.project import Project
from tests.graph.blocks_helpers import mlp_block_project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_saved_block_is_listed_and_added_to_another_project_with_what_it_uses(tmp_path):
    library = BlockLibrary(tmp_path / "lib")
    assert library.names() == []
    resnet = load_project(EXAMPLES / "resnet18.json")
    path = library.save(resnet, "Stage")
    assert path == tmp_path / "lib" / "Stage.block.json"
    assert library.names() == ["Stage"]
    saved = json.loads(path.read_text())
    assert saved["block"] == "Stage" and list(saved["blocks"])[-1] == "Stage"
    assert set(saved["blocks"]) == {"BasicBlock", "BasicBlockDown", "Downsample", "Stage"}

    other = Project("other")
    log, name = library.insert(other, "Stage")
    assert name == "Stage"
    assert set(other.blocks.names()) == set(saved["blocks"])
    assert project_to_dict(other)["blocks"]["Stage"] == project_to_dict(resnet)["blocks"]["Stage"]
    log.undo()
    assert other.blocks.names() == []
    log.redo()
    assert "Stage" in other.blocks


def test_adding_a_block_the_project_has_reuses_it_and_a_different_one_gets_a_new_name(tmp_path):
    library = BlockLibrary(tmp_path)
    library.save(mlp_block_project(), "MLPBlock")
    same = mlp_block_project()
    log, name = library.insert(same, "MLPBlock")
    assert name == "MLPBlock" and same.blocks.names() == ["MLPBlock"]

    changed = mlp_block_project()
    changed.blocks.get("MLPBlock").body.set_param("fc", "out_features", 3)
    before = project_to_dict(changed)
    log, name = library.insert(changed, "MLPBlock")
    assert name == "MLPBlock2"
    assert changed.blocks.names() == ["MLPBlock", "MLPBlock2"]
    assert changed.blocks.get("MLPBlock").body.node("fc").params["out_features"] == 3
    assert changed.blocks.get("MLPBlock2").body.node("fc").params["out_features"] == "$width"
    log.undo()
    assert project_to_dict(changed) == before


def test_a_library_block_is_renamed_and_deleted(tmp_path):
    library = BlockLibrary(tmp_path)
    library.save(mlp_block_project(), "MLPBlock")
    library.rename("MLPBlock", "Hidden")
    assert library.names() == ["Hidden"]
    project = Project("p")
    _, name = library.insert(project, "Hidden")
    assert name == "Hidden" and project.blocks.names() == ["Hidden"]
    with pytest.raises(LibraryError, match="identifier"):
        library.rename("Hidden", "not a name")
    with pytest.raises(LibraryError, match="already a layer type"):
        library.rename("Hidden", "Linear")
    library.delete("Hidden")
    assert library.names() == []
    with pytest.raises(LibraryError, match="no block 'Hidden'"):
        library.delete("Hidden")


def test_a_broken_block_file_is_refused_naming_the_file(tmp_path):
    library = BlockLibrary(tmp_path)
    (tmp_path / "Bad.block.json").write_text("{not json")
    (tmp_path / "Other.block.json").write_text(json.dumps({"format": "netwright"}))
    (tmp_path / "notes.txt").write_text("not a block")
    assert library.names() == ["Bad", "Other"]
    with pytest.raises(LibraryError, match=r"Bad\.block\.json: cannot read it"):
        library.insert(Project("p"), "Bad")
    with pytest.raises(LibraryError, match=r"Other\.block\.json: not a block file"):
        library.read("Other")
    bad_block = {
        "format": "netwright-block",
        "version": 2,
        "block": "B",
        "blocks": {"B": {"nodes": [{"id": "x", "type": "Input", "params": {"shape": "big"}}]}},
    }
    (tmp_path / "B.block.json").write_text(json.dumps(bad_block))
    with pytest.raises(LibraryError, match=r"B\.block\.json: "):
        library.read("B")
