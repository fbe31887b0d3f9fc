"""The headline figure: the digits CNN example reaches 97% validation accuracy in 15 epochs with
its own settings on CPU."""

import pytest

from graph import load_project
from recipe.config import TrainConfig
from runtime.events import EpochMetrics
from runtime.trainer import Trainer


@pytest.mark.slow
def test_digits_cnn_example_reaches_97_percent_in_15_epochs_on_cpu(tmp_path):
    project = load_project("examples/digits_cnn.json")
    config = TrainConfig.from_training(project.training).replace(
        device="cpu", out_dir=str(tmp_path)
    )
    assert (config.dataset, config.epochs) == ("digits", 15)
    epochs = []
    finished = Trainer(project, config, epochs.append).run()
    assert finished.status == "completed", finished.message
    assert len([e for e in epochs if isinstance(e, EpochMetrics)]) == 15
    assert finished.val_accuracy >= 0.97
