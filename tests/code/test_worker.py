"""Code nodes get their shapes from a real worker process: meta tensors first, a small real
batch where meta cannot serve, a time limit, and failures located on the user's own line."""

from __future__ import annotations

import time

from graph import Edge, Node, Project
from graph.code_runs import CodeRequest
from graph.problem_codes import ProblemCode
from runtime.code_runner import CodeShapes
from tests.code import sources


def code_project(source: str, shape=(8,), args=None, outputs=1) -> Project:
    params = {"source": source, "args": args or {}, "outputs": outputs}
    return Project(
        nodes=[Node("x", "Input", {"shape": list(shape)}), Node("mine", "Code", params)]
        + [Node(f"out{i}", "Output") for i in range(outputs)],
        edges=[Edge("x", "mine")] + [Edge("mine", f"out{i}", i, 0) for i in range(outputs)],
    )


def test_a_code_node_takes_its_output_shape_from_running_it_on_meta_tensors(runner):
    project = code_project(sources.CENTERED, (4, 6))
    project.set_code_runner(runner)
    report = project.validate()
    assert report.valid, report.problems
    assert report.nodes["mine"].output_shapes == [(4, 6)]
    request = CodeRequest(sources.CENTERED, {}, 1, (((4, 6), "float32"),))
    assert runner.remembered(request).meta is True


def test_code_that_reads_values_runs_on_a_small_real_batch_instead(runner):
    outcome = runner.run(CodeRequest(sources.VALUES, {}, 1, (((5,), "float32"),)))
    assert outcome.failure is None and outcome.outputs == (((5,), "float32"),)
    assert outcome.meta is False


def test_own_parameters_are_counted_from_the_built_module(runner):
    source = """class MyLinear(nn.Module):
    def __init__(self, in_units, out_units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, out_units))
        self.bias = nn.Parameter(torch.randn(out_units,))

    def forward(self, X):
        return F.relu(torch.matmul(X, self.weight) + self.bias)
"""
    project = code_project(source, (64,), {"in_units": 64, "out_units": 8})
    project.set_code_runner(runner)
    report = project.validate()
    assert report.nodes["mine"].output_shapes == [(8,)]
    assert report.nodes["mine"].params == 64 * 8 + 8 == report.total_params


def test_an_exception_in_forward_is_a_problem_on_the_node_with_the_users_line(runner):
    project = code_project(sources.FAILS_ON_LINE_4, (4,))
    project.set_code_runner(runner)
    (problem,) = project.validate().errors
    assert problem.code == ProblemCode.CODE and problem.node == "mine" and problem.line == 4
    assert "forward raised RuntimeError" in problem.message and "(line 4)" in problem.message


def test_a_result_that_is_not_a_tensor_or_loses_the_batch_is_refused_clearly(runner):
    project = code_project(sources.NOT_A_TENSOR)
    project.set_code_runner(runner)
    (problem,) = project.validate().errors
    assert "must return a tensor from forward, but returned a value of type int" in problem.message
    project.set_param("mine", "source", sources.NO_BATCH)
    (problem,) = project.validate().errors
    assert "must keep the batch as the first dimension" in problem.message


def test_forward_parameters_are_input_ports_and_outputs_gives_one_port_each(runner):
    project = Project(
        nodes=[
            Node("a", "Input", {"shape": [3]}),
            Node("b", "Input", {"shape": [3]}),
            Node("mine", "Code", {"source": sources.TWO_OUT, "outputs": 2}),
            Node("o1", "Output"),
            Node("o2", "Output"),
        ],
        edges=[
            Edge("a", "mine"),
            Edge("b", "mine", 0, 1),
            Edge("mine", "o1"),
            Edge("mine", "o2", 1, 0),
        ],
    )
    project.set_code_runner(runner)
    report = project.validate()
    assert report.valid, report.problems
    assert report.nodes["mine"].output_shapes == [(3,), (3,)]
    project.set_param("mine", "outputs", 3)
    assert any("has outputs=3" in p.message for p in project.validate().errors)


def test_what_user_code_prints_does_not_disturb_the_worker(runner):
    outcome = runner.run(CodeRequest(sources.PRINTS, {}, 1, (((2,), "float32"),)))
    assert outcome.failure is None and outcome.outputs == (((2,), "float32"),)


def test_a_run_past_the_time_limit_is_stopped_and_the_next_run_gets_a_fresh_worker(worker):
    worker.time_limit = 1.0
    first = worker.pid
    runner = CodeShapes(worker)
    try:
        started = time.monotonic()
        outcome = runner.run(CodeRequest(sources.FOREVER, {}, 1, (((2,), "float32"),)))
        assert outcome.failure == "timeout" and time.monotonic() - started < 3
        assert worker.pid is None  # killed
        project = code_project(sources.FOREVER, (2,))
        project.set_code_runner(runner)  # remembered: the same code is not run again
        (problem,) = project.validate().errors
        assert "took longer than 1 s" in problem.message
        again = runner.run(CodeRequest(sources.CENTERED, {}, 1, (((2,), "float32"),)))
        assert again.failure is None and worker.pid not in (None, first)
    finally:
        worker.time_limit = 2.0


def test_results_are_remembered_by_source_arguments_and_input_shapes(runner, worker):
    request = CodeRequest(sources.CENTERED, {}, 1, (((7,), "float32"),))
    assert runner.remembered(request) is None
    runner.run(request)
    pid = worker.pid
    worker.stop()  # with the worker gone, only the memory can answer
    assert runner.run(request).outputs == (((7,), "float32"),)
    assert worker.pid is None and pid is not None
