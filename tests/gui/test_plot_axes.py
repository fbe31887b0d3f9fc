"""The plots label their axes no closer than the labels fit; epochs in whole steps."""

import pytest

from gui.training.axes import LABEL_ROOM_PX, EpochAxis, ValueAxis, epoch_step


@pytest.mark.parametrize(
    ("span", "length", "step"),
    [
        (1, 140, 0.5),  # a narrow plot before the first epoch: 0, 0.5, 1 (not every 0.2)
        (1, 600, 0.1),
        (10, 140, 5),
        (10, 600, 1),
        (50, 400, 10),
        (3, 600, 1),  # never a fraction of an epoch once the run spans epochs
    ],
)
def test_labels_are_one_two_or_five_times_a_power_of_ten_and_fit(span, length, step):
    assert epoch_step(span, length) == pytest.approx(step)


@pytest.mark.parametrize("length", [60, 140, 333, 900, 1900])
@pytest.mark.parametrize("span", [0.01, 1, 7, 20, 123, 5000])
def test_labelled_ticks_are_always_at_least_a_label_apart(span, length):
    step = epoch_step(span, length)
    labels = span / step
    assert labels <= max(1, length // LABEL_ROOM_PX) + 1e-9


def test_the_axis_gives_pyqtgraph_one_tick_level(qtbot):
    axis = EpochAxis("bottom")
    assert axis.tickSpacing(0, 1, 140) == [(0.5, 0)]
    assert axis.tickSpacing(0, 0, 140) == []


def test_a_short_plot_labels_its_values_a_line_of_text_apart(qtbot):
    axis = ValueAxis("left")
    assert axis.tickSpacing(0, 1, 60) == [(0.5, 0)]  # 0, 0.5, 1: not 0.2, 0.4, 0.6, 0.8 in 60 px
    assert axis.tickSpacing(0, 1, 400) == [(0.1, 0)]
