"""TrainConfig: read from a project's training object, checked, names made canonical."""

import pytest

from recipe.config import ConfigError, TrainConfig


def test_defaults_match_the_contract():
    config = TrainConfig()
    assert (config.dataset, config.optimizer, config.lr, config.epochs) == (
        "digits",
        "adam",
        1e-3,
        10,
    )
    assert (config.batch_size, config.device, config.loss, config.schedule) == (
        64,
        "auto",
        None,
        "none",
    )


def test_from_training_ignores_unknown_keys_and_makes_names_canonical():
    config = TrainConfig.from_training(
        {
            "optimizer": "AdamW",
            "loss": "CrossEntropy",
            "schedule": "OneCycle",
            "device": "CUDA:1",
            "dataset": "Digits",
            "colour": "blue",
        }
    )
    assert config.optimizer == "adamw"
    assert config.loss == "cross_entropy"
    assert config.schedule == "onecycle"
    assert config.device == "cuda:1"
    assert config.dataset == "digits"


def test_loss_aliases_reach_the_torch_names():
    assert TrainConfig(loss="SmoothL1").loss == "smooth_l1"
    assert TrainConfig(loss="BCEWithLogits").loss == "bce_with_logits"
    assert TrainConfig(loss="NLL").loss == "nll"


def test_a_dataset_path_keeps_its_spelling():
    assert TrainConfig(dataset="Data/My Points.CSV").dataset == "Data/My Points.CSV"


@pytest.mark.parametrize(
    ("training", "words"),
    [
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"epochs": "ten"}, "epochs must be a whole number"),
        ({"lr": -0.1}, "lr must be above 0"),
        ({"lr": float("nan")}, "lr must be above 0"),
        ({"optimizer": "adagrad"}, "unknown optimizer 'adagrad': choose one of sgd, adam"),
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"device": "gpu"}, "unknown device 'gpu': choose cpu, cuda, cuda:N, mps or auto"),
        ({"schedule": "exp"}, "unknown schedule 'exp'"),
        ({"val_fraction": 1.5}, "val_fraction must be at least 0 and at most 0.95"),
        ({"batch_size": True}, "batch_size must be a whole number"),
        ({"nesterov": True, "optimizer": "sgd", "momentum": 0}, "nesterov needs a momentum"),
    ],
)
def test_bad_values_raise_a_config_error_naming_the_setting(training, words):
    with pytest.raises(ConfigError) as info:
        TrainConfig.from_training(training)
    assert words in str(info.value)


def test_to_training_round_trips_and_leaves_out_run_paths():
    config = TrainConfig(optimizer="sgd", lr=0.05, epochs=3, out_dir="/tmp/x", grad_clip=1.0)
    saved = config.to_training()
    assert "out_dir" not in saved and "resume_from" not in saved
    restored = TrainConfig.from_training(saved)
    assert restored.to_training() == saved
    assert (restored.optimizer, restored.lr, restored.epochs, restored.grad_clip) == (
        "sgd",
        0.05,
        3,
        1.0,
    )
    assert restored.out_dir is None


def test_replace_ignores_settings_not_given():
    config = TrainConfig(epochs=7).replace(epochs=None, lr=0.5)
    assert (config.epochs, config.lr) == (7, 0.5)
