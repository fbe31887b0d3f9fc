"""Fixes in a drawing with blocks are tried on a copy that has the blocks too."""

from __future__ import annotations

from graph.fix_finder import fixes_for
from graph.fixes import clone
from graph.project import Project
from tests.graph.blocks_helpers import mlp_block_project


def test_a_copy_of_a_project_has_its_own_block_definitions():
    project = mlp_block_project(out=8)
    copy = clone(project)
    assert copy.blocks.names() == ["MLPBlock"]
    assert copy.blocks.get("MLPBlock") is not project.blocks.get("MLPBlock")
    assert copy.validate().valid
    assert copy.validate().total_params == project.validate().total_params


def test_a_wrong_size_after_an_instance_is_offered_what_the_instance_gives():
    project = mlp_block_project(out=8)  # the block gives 32 features
    project.set_param("head", "in_features", 5)
    (problem,) = project.validate().errors
    titles = [f.title for f in fixes_for(project, problem)]
    assert titles[0] == "Set in_features of 'head' to 32 (what arrives)"
    fix = fixes_for(project, problem)[0]
    fix.apply(project)
    assert project.validate().valid


def test_a_drawing_without_blocks_is_still_copied_node_by_node():
    project = Project("p")
    assert clone(project).blocks.names() == []
