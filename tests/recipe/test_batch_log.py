"""BatchLog: a window's losses and a classifier's correct counts, scored in batches of batches."""

import pytest
import torch

from recipe.metrics import SETTLE_BATCHES, BatchLog


def argmax(out):
    return out.argmax(1)


def batches(count, last_size=8, seed=0):
    """`count` batches of 8 outputs over 3 classes and their targets; the last one shorter."""
    g = torch.Generator().manual_seed(seed)
    sizes = [8] * (count - 1) + [last_size]
    return [(torch.randn(n, 3, generator=g), torch.randint(0, 3, (n,), generator=g)) for n in sizes]


def test_the_correct_counts_of_a_window_are_each_batchs_own_short_last_batch_included():
    data = batches(5, last_size=3)
    log = BatchLog(argmax)
    for i, (out, y) in enumerate(data, start=1):
        log.add(torch.tensor(float(i)), (out, y), i, i, len(y), 0.1)
    points = log.flush()
    expected = [int((out.argmax(1) == y).sum()) / len(y) for out, y in data]
    assert [p[4] for p in points] == pytest.approx(expected)
    assert [p[3] for p in points] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert log.correct_sum == sum(int((o.argmax(1) == y).sum()) for o, y in data)
    assert log.samples == 8 * 4 + 3


def test_outputs_are_scored_together_every_settle_batches_and_at_the_flush():
    calls = []

    def counting_argmax(out):
        calls.append(len(out))
        return out.argmax(1)

    log = BatchLog(counting_argmax)
    data = batches(SETTLE_BATCHES + 3)
    for i, (out, y) in enumerate(data, start=1):
        log.add(torch.tensor(0.5), (out, y), i, i, len(y), 0.1)
    assert calls == [8 * SETTLE_BATCHES]  # the outputs held never exceed SETTLE_BATCHES
    accuracies = [p[4] for p in log.flush()]
    assert calls == [8 * SETTLE_BATCHES, 8 * 3]
    assert accuracies == pytest.approx([float((o.argmax(1) == y).float().mean()) for o, y in data])


def test_a_regression_log_has_no_accuracy():
    log = BatchLog()
    log.add(torch.tensor(2.0), None, 1, 1, 4, 0.1)
    assert log.flush() == [(1, 1, 1, 2.0, None, 0.1)]
    assert log.epoch_accuracy(False) is None and log.epoch_loss() == 2.0
