"""The live dashboard, fed real runtime events on the GUI thread (no trainer needed)."""

import math

import numpy as np
import pytest

from gui.training.dashboard import TrainingDashboard, format_duration
from gui.training.series import GrowingSeries, Smoother
from runtime.events import (
    BatchMetrics,
    BatchPoint,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
)


def started(task="classification", epochs=3, batches=10):
    return RunStarted("cpu", "CPU", epochs, batches, 640, 160, task)


def batches(epoch, first, last, batches_per_epoch=10, loss=1.0, accuracy=0.5):
    points = tuple(
        BatchPoint(epoch, b, (epoch - 1) * batches_per_epoch + b, loss / b, accuracy, 1e-3)
        for b in range(first, last + 1)
    )
    return BatchMetrics(points, samples_per_second=1234.0, elapsed=5.0, eta=25.0)


def epoch_metrics(epoch, val_accuracy=0.8, val_rmse=None):
    return EpochMetrics(epoch, 0.5, 0.7, 0.6, val_accuracy, val_rmse, 1e-3, 1500.0, 10.0, 20.0)


@pytest.fixture
def dashboard(qtbot):
    widget = TrainingDashboard(refresh_interval=0)  # show every apply, to check each one
    qtbot.addWidget(widget)
    return widget


def test_growing_series_keeps_every_point_across_reallocations():
    series = GrowingSeries(capacity=16)
    for i in range(1000):
        series.append(i, 2 * i)
    x, y = series.view()
    assert len(series) == 1000
    np.testing.assert_array_equal(x, np.arange(1000))
    np.testing.assert_array_equal(y, 2 * np.arange(1000))


def test_growing_series_view_handed_out_earlier_is_not_overwritten():
    series = GrowingSeries(capacity=16)
    series.extend(np.arange(10.0), np.arange(10.0))
    x_before, _ = series.view()
    series.extend(np.arange(100.0, 120.0), np.arange(20.0))
    assert list(x_before) == list(range(10))


def test_smoother_starts_at_the_first_value_and_skips_nan():
    smooth = Smoother(0.9)
    assert smooth(2.0) == pytest.approx(2.0)
    assert math.isnan(smooth(float("nan")))
    assert smooth(2.0) == pytest.approx(2.0)


def test_batch_events_update_the_same_plot_items(dashboard):
    dashboard.apply([started()])
    items = dict(dashboard.plots.current.items)
    children = len(dashboard.plots.loss_plot.items)
    dashboard.apply([batches(1, 1, 4)])
    dashboard.apply([batches(1, 5, 10), epoch_metrics(1)])
    assert dashboard.plots.current.items == items
    assert len(dashboard.plots.loss_plot.items) == children
    lengths = dashboard.plots.curve_lengths()
    assert lengths["loss_batch"] == 10
    assert lengths["loss_smooth"] == 10
    assert lengths["acc_smooth"] == 10
    assert lengths["lr"] == 10
    assert lengths["loss_epoch"] == 1
    assert lengths["val_loss"] == 1
    assert lengths["val_metric"] == 1


def test_batches_are_placed_in_fractions_of_an_epoch(dashboard):
    dashboard.apply([started(batches=10), batches(2, 1, 5)])
    x, _ = dashboard.plots.current.series["loss_batch"].view()
    assert list(x) == pytest.approx([1.1, 1.2, 1.3, 1.4, 1.5])


def test_progress_shows_epoch_batch_speed_elapsed_and_eta(dashboard):
    dashboard.apply([started(epochs=3, batches=10), batches(2, 1, 5)])
    assert dashboard.progress_label.text() == (
        "Epoch 2/3 · batch 5/10 · 1,234 samples/s · elapsed 0:05 · ETA 0:25"
    )
    assert dashboard.progress_bar.value() == 50  # 15 of 30 steps, in percent


def test_messages_pauses_and_the_end_go_to_the_log(dashboard):
    dashboard.apply([started(), Message("warning", "CrossEntropy after Softmax"), RunPaused(True)])
    assert dashboard.status_label.text() == "Paused"
    finished = dashboard.apply([RunPaused(False), RunFinished("stopped", "Stopped by you.")])
    assert finished.status == "stopped"
    log = dashboard.log_text()
    assert "WARNING: CrossEntropy after Softmax" in log
    assert "Paused." in log and "Resumed." in log
    assert "Stopped by you." in log
    assert dashboard.status_label.text() == "Stopped"


def test_every_plot_downsamples_by_peak_and_clips_to_view(dashboard):
    dashboard.apply([started()])
    for item in dashboard.plots.current.items.values():
        assert item.opts["autoDownsample"] is True
        assert item.opts["downsampleMethod"] == "peak"
        assert item.opts["clipToView"] is True


def test_a_hundred_thousand_points_are_held_and_drawn(dashboard):
    dashboard.resize(900, 600)
    dashboard.show()
    dashboard.apply([started(epochs=100, batches=1000)])
    for epoch in range(1, 101):
        dashboard.apply([batches(epoch, 1, 1000, batches_per_epoch=1000)])
    assert dashboard.plots.curve_lengths()["loss_batch"] == 100_000
    dashboard.grab()  # paints every plot with all points without error


def test_earlier_runs_stay_faded_for_comparison_up_to_the_history(dashboard):
    for run in range(5):
        dashboard.apply([started(), batches(1, 1, 10), epoch_metrics(1)])
        dashboard.apply([RunFinished("completed", f"run {run} done")])
    plots = dashboard.plots
    assert [r.number for r in plots.runs] == [2, 3, 4, 5]  # the current one plus 3 before
    for old in plots.runs[:-1]:
        assert "loss_batch" not in old.items  # raw batch noise is dropped from old runs
        assert old.items["loss_smooth"].isVisible()
    dashboard.compare_box.setChecked(False)
    assert not any(r.items["loss_smooth"].isVisible() for r in plots.runs[:-1])
    assert plots.current.items["loss_smooth"].isVisible()


def test_regression_run_plots_validation_rmse(dashboard):
    dashboard.apply([started(task="regression")])
    dashboard.apply([batches(1, 1, 10, accuracy=None), epoch_metrics(1, None, 0.25)])
    assert dashboard.plots.metric_plot.titleLabel.text == "Validation RMSE"
    _, y = dashboard.plots.current.series["val_metric"].view()
    assert list(y) == [0.25]
    assert "acc_smooth" not in dashboard.plots.current.items  # no accuracy curve to show


def test_curves_and_numbers_refresh_at_most_once_per_interval_but_at_once_at_the_end(qtbot):
    dashboard = TrainingDashboard(refresh_interval=3600)
    qtbot.addWidget(dashboard)
    dashboard.apply([started(), batches(1, 1, 4)])  # a new run shows at once
    dashboard.apply([batches(1, 5, 10)])  # within the interval: taken in, not yet shown
    assert dashboard.plots.curve_lengths()["loss_batch"] == 4
    assert dashboard.progress_label.text().startswith("Epoch 1/3 · batch 4/10")
    dashboard.refresh(force=True)
    assert dashboard.plots.curve_lengths()["loss_batch"] == 10
    assert dashboard.progress_label.text().startswith("Epoch 1/3 · batch 10/10")
    dashboard.apply([batches(2, 1, 3), RunFinished("completed", "done")])
    assert dashboard.plots.curve_lengths()["loss_batch"] == 13


def test_durations_read_as_clock_times():
    assert format_duration(7) == "0:07"
    assert format_duration(750) == "12:30"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(None) == "—"
    assert format_duration(float("inf")) == "—"


def test_after_stop_the_x_axis_ends_where_the_run_got_to(dashboard):
    dashboard.apply([started(epochs=50), batches(1, 1, 10), epoch_metrics(1)])
    dashboard.apply([batches(2, 1, 5)])
    (_low, high), _ = dashboard.plots.loss_plot.viewRange()
    assert high > 45  # while it trains: the planned fifty epochs
    dashboard.apply([RunFinished("stopped", "stopped by the user")])
    for plot in dashboard.plots.plots.values():
        (_low, high), _ = plot.viewRange()
        assert 1.4 <= high <= 1.6  # one and a half epochs done


def test_the_legend_sits_above_the_plots_not_over_a_curve(dashboard):
    dashboard.resize(900, 500)
    dashboard.show()
    dashboard.apply([started(), batches(1, 1, 10), epoch_metrics(1)])
    dashboard.apply([RunFinished("completed", "done")])
    dashboard.apply([started(), batches(1, 1, 10)])
    plots = dashboard.plots
    assert all(plot.legend is None for plot in plots.plots.values())  # nothing drawn inside
    legend = plots.legend
    assert legend.isVisible()
    assert legend.geometry().bottom() <= plots.view.geometry().top()
    text = legend.text()
    assert "run 2" in text and "validation" in text and "run 1" in text
    dashboard.compare_box.setChecked(False)
    assert "run 1" not in plots.legend.text()


def test_reset_forgets_every_run(dashboard):
    dashboard.apply([started(), batches(1, 1, 10), RunFinished("completed", "done")])
    assert dashboard.status_label.text() == "Finished"
    dashboard.reset()
    assert dashboard.plots.runs == [] and dashboard.plots.curve_lengths() == {}
    assert dashboard.status_label.text() == "No run yet."
    assert dashboard.log_text() == ""
    assert dashboard.progress_bar.value() == 0
