"""The Trainer: events in order, control from other threads, failures reported, never raised."""

import itertools
import json
import threading

import pytest
import torch

from recipe.config import TrainConfig
from runtime.checkpoints import load_weights
from runtime.events import (
    BatchMetrics,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
)
from runtime.trainer import Trainer
from tests.runtime.conftest import chain, mlp


def train(project, **settings):
    settings.setdefault("dataset", "blobs")
    settings.setdefault("device", "cpu")
    settings.setdefault("epochs", 2)
    events = []
    trainer = Trainer(project, TrainConfig(**settings), events.append)
    finished = trainer.run()
    return trainer, finished, events


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def test_a_run_starts_reports_every_batch_and_epoch_and_finishes_last(blobs_mlp, tmp_path):
    _, finished, events = train(blobs_mlp, epochs=3, lr=0.01, out_dir=str(tmp_path))
    assert isinstance(events[0], RunStarted) and events[-1] is finished
    started = events[0]
    assert (started.train_samples, started.val_samples, started.task) == (
        800,
        200,
        "classification",
    )
    assert started.batches_per_epoch == 13 and started.settings["loss"] == "cross_entropy"
    steps = [p.step for e in of(events, BatchMetrics) for p in e.points]
    assert steps == list(range(1, 3 * 13 + 1))
    epochs = of(events, EpochMetrics)
    assert [m.epoch for m in epochs] == [1, 2, 3]
    assert all(m.val_accuracy is not None and m.val_rmse is None for m in epochs)
    assert finished.status == "completed" and finished.epochs == 3
    assert finished.val_accuracy > 0.95  # two well-separated blobs
    assert finished.samples_per_second > 0 and finished.seconds > 0


def test_the_same_seed_gives_the_same_metrics_on_cpu(blobs_mlp):
    def history(seed):
        _, _, events = train(mlp(), seed=seed, optimizer="sgd", lr=0.1)
        return [(m.train_loss, m.val_loss, m.val_accuracy) for m in of(events, EpochMetrics)]

    assert history(5) == history(5)
    assert history(5) != history(6)


def test_the_output_folder_holds_best_and_last_weights_metrics_and_settings(blobs_mlp, tmp_path):
    _, finished, _ = train(blobs_mlp, epochs=2, out_dir=str(tmp_path))
    assert finished.checkpoint == str(tmp_path / "best.pt")
    for name in ("best.pt", "last.pt"):
        weights = load_weights(tmp_path / name)  # weights_only=True
        assert set(weights) == {"linear1.weight", "linear1.bias", "linear3.weight", "linear3.bias"}
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in lines] == [1, 2]
    settings = json.loads((tmp_path / "settings.json").read_text())
    assert settings["training"]["dataset"] == "blobs" and settings["model_class"] == "TinyMLP"
    assert "class TinyMLP(nn.Module)" in (tmp_path / "model.py").read_text()


def test_a_stopped_run_resumes_exactly_where_an_unbroken_run_would_be(tmp_path):
    settings = dict(
        dataset="blobs", device="cpu", optimizer="sgd", lr=0.05, schedule="cosine", seed=2, epochs=3
    )
    _, _, unbroken = train(mlp(), out_dir=str(tmp_path / "a"), **settings)
    trainer = None

    def stop_after_epoch_2(event):
        if isinstance(event, EpochMetrics) and event.epoch == 2:
            trainer.stop()

    config = TrainConfig(out_dir=str(tmp_path / "b"), **settings)
    trainer = Trainer(mlp(), config, stop_after_epoch_2)
    assert trainer.run().status == "stopped"
    config = TrainConfig(out_dir=str(tmp_path / "b"), resume_from=str(tmp_path / "b"), **settings)
    resumed = []
    finished = Trainer(mlp(), config, resumed.append).run()
    assert [m.epoch for m in of(resumed, EpochMetrics)] == [3]
    again, first = of(resumed, EpochMetrics)[0], of(unbroken, EpochMetrics)[2]
    assert (again.train_loss, again.val_loss, again.lr) == pytest.approx(
        (first.train_loss, first.val_loss, first.lr), rel=1e-6
    )
    assert len((tmp_path / "b" / "metrics.jsonl").read_text().splitlines()) == 3
    assert finished.epochs == 3


def test_a_run_stopped_within_an_epoch_resumes_after_the_last_whole_one(tmp_path):
    """Epochs shorter than the ~10 s between saves: Stop within epoch 2 still leaves epoch 1's
    state, and the resumed run says it continues after it and ends as the unbroken one."""
    settings = dict(dataset="blobs", device="cpu", optimizer="adam", lr=0.01, seed=3, epochs=3)
    _, _, unbroken = train(mlp(), out_dir=str(tmp_path / "a"), **settings)
    trainer = None

    def stop_within_epoch_2(event):
        # Pause as epoch 1 is shown (the run holds before epoch 2's first batch), then Stop
        if isinstance(event, EpochMetrics) and event.epoch == 1:
            trainer.pause()
        elif isinstance(event, RunPaused) and event.paused:
            trainer.stop()

    trainer = Trainer(
        mlp(), TrainConfig(out_dir=str(tmp_path / "b"), **settings), stop_within_epoch_2
    )
    assert trainer.run().status == "stopped"
    assert torch.load(tmp_path / "b" / "state.pt", weights_only=True)["epoch"] == 1
    folder = str(tmp_path / "b")
    resumed = []
    config = TrainConfig(out_dir=folder, resume_from=folder, **settings)
    finished = Trainer(mlp(), config, resumed.append).run()
    assert of(resumed, RunStarted)[0].start_epoch == 1
    assert [m.epoch for m in of(resumed, EpochMetrics)] == [2, 3]
    for again, first in zip(of(resumed, EpochMetrics), of(unbroken, EpochMetrics)[1:], strict=True):
        assert (again.train_loss, again.val_loss) == pytest.approx(
            (first.train_loss, first.val_loss), rel=1e-5
        )
    assert finished.status == "completed" and finished.epochs == 3


def test_resuming_from_a_folder_without_state_fails_clearly(blobs_mlp, tmp_path):
    _, finished, _ = train(blobs_mlp, resume_from=str(tmp_path))
    assert finished.status == "failed"
    assert finished.message.startswith("cannot resume: ")


def test_stop_ends_the_run_before_the_next_batch(blobs_mlp):
    trainer = None
    seen = []

    def emit(event):
        seen.append(event)
        if isinstance(event, BatchMetrics):
            trainer.stop()

    trainer = Trainer(blobs_mlp, TrainConfig(dataset="blobs", device="cpu", epochs=50), emit)
    finished = trainer.run()
    assert finished.status == "stopped"
    batches = of(seen, BatchMetrics)
    assert len(batches) == 1  # no batch trained after the one that asked to stop
    assert finished.epochs < 50


def test_pause_holds_training_until_resume_from_another_thread(blobs_mlp):
    events = []
    paused = threading.Event()

    def emit(event):
        events.append(event)
        if isinstance(event, RunPaused) and event.paused:
            paused.set()

    trainer = Trainer(blobs_mlp, TrainConfig(dataset="blobs", device="cpu", epochs=4), emit)
    trainer.pause()  # before the first batch
    worker = threading.Thread(target=trainer.run)
    worker.start()
    assert paused.wait(10)
    count = len(events)
    worker.join(0.3)
    assert worker.is_alive() and len(events) == count  # nothing trained while paused
    trainer.resume()
    worker.join(30)
    assert [e.paused for e in of(events, RunPaused)] == [True, False]
    assert events[-1].status == "completed"


def test_stop_while_paused_ends_the_run(blobs_mlp):
    events = []
    trainer = Trainer(blobs_mlp, TrainConfig(dataset="blobs", device="cpu"), events.append)
    trainer.pause()
    worker = threading.Thread(target=trainer.run)
    worker.start()
    trainer.stop()
    worker.join(30)
    assert events[-1].status == "stopped"


def test_early_stopping_ends_a_run_whose_validation_loss_stalls(blobs_mlp):
    _, finished, events = train(blobs_mlp, optimizer="sgd", lr=1e-12, early_stopping=2, epochs=20)
    assert finished.status == "early_stopped"
    assert len(of(events, EpochMetrics)) == 3  # best at epoch 1, no better in 2 and 3
    assert "did not improve for 2 epochs" in finished.message


def test_a_nan_loss_stops_the_run_with_a_clear_message(tmp_path):
    import numpy as np

    X = np.ones((64, 2), dtype=np.float32)
    X[5, 0] = 3e38  # finite, but one step at this rate sends the weights to inf
    np.savez(tmp_path / "bad.npz", X=X, y=np.arange(64) % 2)
    _, finished, _ = train(
        mlp(), dataset=str(tmp_path / "bad.npz"), val_fraction=0.0, optimizer="sgd", lr=1e30
    )
    assert finished.status == "failed"
    assert finished.message.startswith("the loss became nan at epoch ")
    assert "try a lower learning rate" in finished.message


def test_infinite_values_in_the_data_are_refused_before_training(tmp_path):
    import numpy as np

    X = np.ones((64, 2))
    X[5, 0] = np.inf
    np.savez(tmp_path / "bad.npz", X=X, y=np.arange(64) % 2)
    _, finished, _ = train(mlp(), dataset=str(tmp_path / "bad.npz"))
    assert finished.status == "failed"
    assert finished.message.endswith("bad.npz: X holds NaN or infinite values")


def test_cross_entropy_after_softmax_warns_of_the_double_softmax():
    _, finished, events = train(mlp(last="Softmax"), epochs=1)
    warnings = [m.text for m in of(events, Message) if m.level == "warning"]
    assert any("double softmax" in w for w in warnings)
    assert finished.status == "completed"


def test_an_output_that_does_not_match_the_classes_fails_on_the_last_layer_naming_both():
    _, finished, _ = train(mlp(classes=3), epochs=1)
    assert finished.status == "failed"
    assert finished.node_id == "linear3"
    assert "Linear 'linear3' produces [3] for the network's output" in finished.message
    assert "the dataset 'blobs' has 2 classes" in finished.message


def test_a_drawing_with_errors_fails_on_the_node_at_fault():
    project = chain("Bad", [2], [("Linear", {"in_features": 5, "out_features": 2})])
    _, finished, events = train(project)
    assert events == [finished]
    assert finished.status == "failed" and finished.node_id == "linear1"


def test_samples_that_do_not_fit_the_input_fail_on_the_input_node():
    _, finished, _ = train(mlp(features=3), epochs=1)  # blobs are points in 2-d
    assert finished.status == "failed" and finished.node_id == "x"
    assert "Input 'x' has shape [3] (3 values), but the samples of dataset 'blobs' are [2]" in (
        finished.message
    )


def test_an_unknown_dataset_fails_with_the_choices():
    _, finished, _ = train(mlp(), dataset="imagenet")
    assert finished.status == "failed" and "choose one of digits" in finished.message


def test_a_listener_that_raises_does_not_crash_the_caller(blobs_mlp):
    def emit(event):
        raise RuntimeError("listener bug")

    finished = Trainer(blobs_mlp, TrainConfig(dataset="blobs", device="cpu"), emit).run()
    assert finished.status == "failed" and "listener bug" in finished.message


def test_sequence_regression_reports_rmse_and_flattened_predictions():
    project = chain("Curve", [20, 1], [("Flatten", {}), ("Linear", {"out_features": 20})])
    trainer, _, events = train(project, dataset="sincos", epochs=3, lr=0.01)
    infos = [m.text for m in of(events, Message) if m.level == "info"]
    assert "targets of shape [20, 1] are reshaped to the output's shape [20]" in infos
    last = of(events, EpochMetrics)[-1]
    assert last.val_accuracy is None and last.val_rmse is not None and last.val_rmse < 0.5
    targets, predictions = trainer.validation_predictions()
    assert targets.shape == predictions.shape == (200, 20)
    assert trainer.class_names is None


def test_validation_predictions_are_class_indices_with_class_names(blobs_mlp):
    trainer, finished, _ = train(blobs_mlp)
    targets, predictions = trainer.validation_predictions()
    assert targets.shape == predictions.shape == (200,)
    assert (targets == predictions).mean() == pytest.approx(finished.val_accuracy)
    assert trainer.class_names == ["0", "1"]


@pytest.mark.parametrize(
    ("loss", "classes", "dataset"),
    [
        ("nll", 2, "moons"),
        ("bce_with_logits", 1, "blobs"),
        ("bce_with_logits", 2, "blobs"),
        ("mse", 2, "blobs"),
        ("l1", 2, "blobs"),
        ("smooth_l1", 2, "blobs"),
    ],
)
def test_every_loss_trains_a_classifier(loss, classes, dataset):
    last = "LogSoftmax" if loss == "nll" else None
    _, finished, _ = train(mlp(classes=classes, last=last), loss=loss, dataset=dataset, lr=0.01)
    assert finished.status == "completed", finished.message
    assert finished.val_accuracy > 0.7


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw", "rmsprop"])
@pytest.mark.parametrize("schedule", ["none", "step", "cosine", "onecycle"])
def test_every_optimizer_and_schedule_runs(optimizer, schedule):
    _, finished, events = train(
        mlp(), optimizer=optimizer, schedule=schedule, lr=0.01, grad_clip=1.0, epochs=2
    )
    assert finished.status == "completed", finished.message
    rates = [m.lr for m in of(events, EpochMetrics)]
    assert (len(set(rates)) == 1) == (schedule == "none")


def test_a_regression_dataset_with_a_class_loss_is_refused():
    project = chain("Curve", [20, 1], [("Flatten", {}), ("Linear", {"out_features": 20})])
    _, finished, _ = train(project, dataset="sincos", loss="cross_entropy")
    assert finished.status == "failed"
    assert "needs class labels, but this dataset is a regression task" in finished.message


def test_cpu_runs_name_the_device():
    _, _, events = train(mlp(), epochs=1)
    assert events[0].device == "cpu" and events[0].device_name.startswith("CPU")
    assert isinstance(events[-1], RunFinished)
    assert torch.get_num_threads() >= 1


def test_running_out_of_memory_is_reported_on_its_node():
    # the padded activation would need ~90 TB: the estimate refuses before any allocation
    project = chain(
        "Huge",
        [64],
        [
            ("Unflatten", {"dim": 1, "unflattened_size": [1, 8, 8]}),
            ("Conv2d", {"out_channels": 1, "kernel_size": 1, "padding": 300000}),
            ("AdaptiveAvgPool2d", {"output_size": 1}),
            ("Flatten", {}),
            ("Linear", {"out_features": 10}),
        ],
    )
    _, finished, _ = train(project, dataset="digits", epochs=1)
    assert finished.status == "failed"
    assert finished.message.startswith("out of memory: this run needs about ")
    assert "for Conv2d 'conv2d2' with batch size 64: try a smaller batch size" in finished.message
    assert finished.node_id == "conv2d2" and finished.seconds < 5


def test_batch_metrics_leave_at_most_every_50_ms_within_an_epoch():
    _, _, events = train(mlp(), batch_size=4, epochs=2)  # 200 quick batches an epoch
    batches = of(events, BatchMetrics)
    assert sum(len(b.points) for b in batches) == 400
    for epoch in (1, 2):
        flushes = [b for b in batches if b.points[-1].epoch == epoch]
        # the last flush of an epoch comes early, at the epoch's end
        gaps = [b.elapsed - a.elapsed for a, b in itertools.pairwise(flushes[:-1])]
        assert all(gap >= 0.049 for gap in gaps)
        assert len(flushes) < 200


def test_a_csv_regression_trains_with_rmse(tmp_path):
    rows = ["a,b,target"] + [
        f"{i % 7},{i % 5},{(i % 7) * 0.5 - (i % 5) * 0.25}" for i in range(300)
    ]
    (tmp_path / "table.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    project = chain("Table", [2], [("Linear", {"out_features": 1})])
    _, finished, events = train(
        project, dataset=str(tmp_path / "table.csv"), epochs=30, lr=0.05, batch_size=32
    )
    assert finished.status == "completed", finished.message
    assert events[0].task == "regression"
    assert of(events, EpochMetrics)[-1].val_rmse < 0.05  # the target is linear in a and b


def test_an_output_folder_that_cannot_be_written_fails_clearly(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    _, finished, _ = train(mlp(), out_dir=str(blocker / "run"))
    assert finished.status == "failed"
    assert finished.message.startswith("cannot create the output folder ")


def test_a_lone_last_sample_is_left_out_of_its_epoch_so_batch_norm_can_train(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    np.savez(tmp_path / "points.npz", X=rng.normal(size=(65, 2)), y=np.arange(65) % 2)
    project = chain(
        "Normed",
        [2],
        [("Linear", {"out_features": 8}), ("BatchNorm1d", {}), ("Linear", {"out_features": 2})],
    )
    _, finished, events = train(
        project, dataset=str(tmp_path / "points.npz"), val_fraction=0.0, batch_size=64
    )
    assert finished.status == "completed", finished.message
    assert events[0].batches_per_epoch == 1


def test_a_missing_flatten_fails_on_the_last_layer_suggesting_a_flatten():
    project = chain("No Flatten", [1, 8, 8], [("Linear", {"out_features": 10})])
    _, finished, _ = train(project, dataset="digits", epochs=1)
    assert finished.status == "failed" and finished.node_id == "linear1"
    assert "Linear 'linear1' produces [1, 8, 10] for the network's output" in finished.message
    assert finished.message.endswith("to fix it: Insert Flatten before 'linear1'")
