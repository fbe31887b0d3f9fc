"""Every example trains out of the box, offline: its own dataset setting, one short epoch."""

from pathlib import Path

import pytest

from graph import load_project
from recipe.config import TrainConfig
from recipe.data import dataset_loader
from runtime.datasets import loader_parameters
from runtime.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_trains_one_short_epoch_offline(path, tmp_path):
    project = load_project(path)
    config = TrainConfig.from_training(project.training)
    loader, _ = dataset_loader(config.dataset, config.dataset_options)
    assert loader != "load_torchvision", "an example must not need a download"
    options = dict(config.dataset_options)
    if "samples" in loader_parameters(loader):
        options["samples"] = 24  # a short epoch: the real size is the example's default
    config = config.replace(
        epochs=1, batch_size=8, device="cpu", dataset_options=options, out_dir=str(tmp_path)
    )
    finished = Trainer(project, config, lambda _e: None).run()
    assert finished.status == "completed", finished.message
    assert finished.epochs == 1 and (tmp_path / "best.pt").exists()
