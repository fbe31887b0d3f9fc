"""The training settings schema: one definition read by TrainConfig, check, the CLI and docs."""

from pathlib import Path

import pytest

from cli.parser import build_parser
from recipe.config import TrainConfig
from recipe.settings import SETTINGS, read_training
from recipe.settings_table import render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "training-settings.md"


def test_docs_settings_table_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/training-settings.md is stale: run "
        "`python -m recipe.settings_table > docs/training-settings.md`"
    )


def test_train_config_has_exactly_the_schemas_settings_and_defaults():
    config = TrainConfig()
    assert config.to_training() == {s.name: s.default for s in SETTINGS}


def test_every_flag_setting_is_a_train_option_with_help():
    train = build_parser()._subparsers._group_actions[0].choices["train"]
    options = {o: a for a in train._actions for o in a.option_strings}
    for s in SETTINGS:
        if s.flag:
            assert s.option in options, s.name
    for action in train._actions:
        assert action.help, action.option_strings or action.dest


@pytest.mark.parametrize(
    ("training", "field", "words"),
    [
        ({"lr": -1}, "lr", "lr must be above 0, not -1"),
        ({"epochs": 2.5}, "epochs", "whole number"),
        ({"schedule": "exp"}, "schedule", "unknown schedule 'exp'"),
        ({"batch_size": 10**400}, "batch_size", "at most"),
        ({"lr": 1e400}, "lr", "above 0"),
        ({"dataset": ""}, "dataset", "empty"),
        ({"dataset": "imagenet"}, "dataset", "unknown dataset 'imagenet'"),
        ({"dataset_options": [1]}, "dataset_options", "must be an object"),
    ],
)
def test_a_bad_value_is_a_problem_located_at_its_setting(training, field, words):
    _, problems = read_training(training)
    assert [p.location for p in problems] == [f"training.{field}"]
    assert words in problems[0].message


def test_aliases_are_stored_canonically():
    values, problems = read_training({"schedule": "StepLR", "loss": "CE", "optimizer": "AdamW"})
    assert problems == []
    assert (values["schedule"], values["loss"], values["optimizer"]) == (
        "step",
        "cross_entropy",
        "adamw",
    )


def test_output_folders_in_a_project_file_are_ignored_with_a_warning():
    config = TrainConfig.from_training({"out_dir": "/etc", "resume_from": "/home/x/run"})
    assert config.out_dir is None and config.resume_from is None
    _, problems = read_training({"out_dir": "/etc"})
    assert [(p.location, p.severity) for p in problems] == [("training.out_dir", "warning")]
