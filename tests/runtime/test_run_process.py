"""A Trainer in its own process (runtime/run_process.py): the same events, in order, relayed
from a real child process; control calls by name; results sent back; a child that dies ends the
run with a RunFinished naming what killed it; trusted Code nodes train there too."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from graph import load_project
from recipe.config import TrainConfig
from runtime.code_runner import CodeShapes, CodeWorker
from runtime.events import (
    BatchMetrics,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
    SampleActivations,
)
from runtime.run_history import RECORD_FILE
from runtime.run_process import CONTROL_CALLS, RemoteRun, exit_cause
from runtime.trainer import Trainer
from tests.runtime.conftest import mlp

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds; the first run of a test process also starts the forkserver


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def run_in_child(project, on_event=None, **settings):
    settings.setdefault("dataset", "blobs")
    settings.setdefault("device", "cpu")
    settings.setdefault("epochs", 2)
    events = []

    def emit(event):
        events.append(event)
        if on_event is not None:
            on_event(event)

    run = RemoteRun(project, TrainConfig(**settings), emit)
    return run, run.run(), events


def test_a_run_in_its_own_process_relays_every_event_in_order_and_sends_back_its_results(
    tmp_path,
):
    relay = threading.get_ident()
    threads = set()
    run, finished, events = run_in_child(
        mlp(), lambda _e: threads.add(threading.get_ident()), epochs=3, out_dir=str(tmp_path)
    )
    assert finished.status == "completed", finished.message
    assert run.pid is not None and run.pid != os.getpid()  # it trained elsewhere
    assert threads == {relay}  # events reach `emit` on the thread that called run()
    assert isinstance(events[0], RunStarted) and events[-1] == finished
    assert of(events, RunFinished) == [finished]
    steps = [p.step for e in of(events, BatchMetrics) for p in e.points]
    assert steps == list(range(1, len(steps) + 1))  # every batch, each once, in order
    assert [e.epoch for e in of(events, EpochMetrics)] == [1, 2, 3]
    targets, predictions = run.validation_predictions()
    assert len(targets) == len(predictions) == events[0].val_samples > 0
    assert run.class_names == ["0", "1"]  # as the Trainer names blobs' classes
    assert Path(finished.checkpoint).is_file()  # the child wrote the run folder we asked for


def test_control_calls_reach_the_childs_trainer_by_name(tmp_path):
    asked = {}

    def drive(event):
        if isinstance(event, BatchMetrics) and not asked:
            asked["pause"] = True
            run.pause()
        elif isinstance(event, RunPaused) and event.paused:
            run.request_sample("seven")  # a real control call that fails in the child
            run.resume()
        elif isinstance(event, RunPaused):
            run.stop()

    events = []
    run = RemoteRun(
        mlp(),
        TrainConfig(dataset="blobs", device="cpu", epochs=500),
        lambda e: (events.append(e), drive(e)),
    )
    finished = run.run()
    assert finished.status == "stopped", finished.message
    assert [e.paused for e in of(events, RunPaused)] == [True, False]
    warnings = [e.text for e in of(events, Message) if e.level == "warning"]
    # the call reached the child's Trainer; failing there cost that call, not the run
    assert any("request_sample failed" in w and "seven" in w for w in warnings), warnings


def test_a_name_that_is_no_control_call_is_an_attribute_error_in_the_callers_process():
    run = RemoteRun(mlp(), TrainConfig(dataset="blobs", device="cpu"), lambda e: None)
    with pytest.raises(AttributeError, match="no control call 'request_smaple'"):
        run.request_smaple(3)  # a typo: never sent, never a mere warning from the child
    with pytest.raises(AttributeError, match="no control call 'pasue'"):
        run.call("pasue")
    assert not hasattr(run, "no_such_method") and run._calls == []
    run.request_sample(3)  # a real one, asked before the child exists, waits for it
    assert run._calls == [("request_sample", (3,))]
    # the list is the Trainer's: every name in it is a method a run can be asked from anywhere
    for name in CONTROL_CALLS:
        assert callable(getattr(Trainer, name)), name


def test_a_call_before_the_child_exists_is_made_when_it_does():
    run = RemoteRun(mlp(), TrainConfig(dataset="blobs", device="cpu", epochs=500), lambda e: None)
    run.stop()  # before run(): the child stops at its first batch
    finished = run.run()
    assert finished.status == "stopped"
    assert finished.epochs == 0


@pytest.mark.parametrize(
    ("sig", "words"),
    [
        (signal.SIGKILL, "killed by SIGKILL; the system may have run out of memory"),
        (signal.SIGSEGV, "killed by SIGSEGV"),
    ],
)
def test_a_child_that_dies_ends_the_run_with_a_failure_naming_the_cause(sig, words, tmp_path):
    def kill_at_first_batch(event):
        if isinstance(event, BatchMetrics):
            os.kill(run.pid, sig)

    events = []
    run = RemoteRun(
        mlp(),
        TrainConfig(dataset="blobs", device="cpu", epochs=500, out_dir=str(tmp_path)),
        lambda e: (events.append(e), kill_at_first_batch(e)),
    )
    finished = run.run()
    assert finished.status == "failed"
    assert "the training process ended before the run did" in finished.message
    assert words in finished.message
    assert events[-1] == finished and of(events, RunFinished) == [finished]
    assert run.validation_predictions()[0].size == 0  # nothing came back, and nothing raises
    assert (tmp_path / RECORD_FILE).is_file()  # the run history shows the failed run


def test_a_child_that_does_not_answer_stop_is_killed_and_the_run_ends_stopped():
    def kill_when_going(event):
        if isinstance(event, BatchMetrics):
            os.kill(run.pid, signal.SIGSTOP)  # frozen: it can answer nothing
            run.kill()

    run = RemoteRun(mlp(), TrainConfig(dataset="blobs", device="cpu", epochs=500), kill_when_going)
    finished = run.run()
    assert finished.status == "stopped"
    assert "did not answer Stop" in finished.message


def test_exit_causes_read_as_words():
    assert exit_cause(3) == "exit code 3"
    assert exit_cause(-signal.SIGABRT) == "killed by SIGABRT"


def test_trusted_code_nodes_train_in_the_child_with_the_editors_answers(tmp_path):
    project = load_project(ROOT / "examples" / "code" / "my_linear.json")
    worker = CodeWorker(time_limit=10.0)
    try:
        runner = CodeShapes(worker)
        project.set_code_runner(runner)
        assert project.validate().valid  # the editor's runner now knows the node's shapes
        assert runner.remembered_outcomes()
        settings = project.training | {"device": "cpu", "epochs": 1, "out_dir": str(tmp_path)}
        run = RemoteRun(project, TrainConfig.from_training(settings), lambda e: None)
        finished = run.run()
    finally:
        worker.stop()
    assert finished.status == "completed", finished.message


def test_untrusted_code_does_not_run_in_the_child(tmp_path):
    project = load_project(ROOT / "examples" / "code" / "my_linear.json")  # no runner: untrusted
    settings = project.training | {"device": "cpu", "epochs": 1, "out_dir": str(tmp_path)}
    finished = RemoteRun(project, TrainConfig.from_training(settings), lambda e: None).run()
    assert finished.status == "failed"


def test_a_sample_asked_of_the_run_comes_back_from_the_child_as_an_event():
    def stop_when_served(event):
        if isinstance(event, SampleActivations):
            run.stop()

    events = []
    run = RemoteRun(
        mlp(),
        TrainConfig(dataset="blobs", device="cpu", epochs=500),
        lambda e: (events.append(e), stop_when_served(e)),
    )
    run.request_sample(3)  # no plumbing of its own: relayed by name like any control call
    finished = run.run()
    samples = of(events, SampleActivations)
    assert finished.status == "stopped", finished.message
    assert samples and samples[0].index == 3 and samples[0].nodes
