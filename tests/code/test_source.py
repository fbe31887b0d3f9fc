"""A Code node's source is read with `ast` only: ports, arguments and mistakes, nothing run."""

from __future__ import annotations

import pytest

from graph import Edge, Node, Project, project_from_json, project_to_json
from graph.code_source import CodeSourceError, read_code_class
from graph.problem_codes import ProblemCode
from tests.code import sources


def test_the_class_name_forward_inputs_and_constructor_arguments_are_read_from_the_text():
    code = read_code_class(
        "class Mix(nn.Module):\n"
        "    def __init__(self, size, scale=1.0, *, bias=True):\n"
        "        super().__init__()\n"
        "    def forward(self, a, b, choice='x'):\n"
        "        return a + b\n"
    )
    assert code.name == "Mix" and code.inputs == ("a", "b")
    assert code.init_args == ("size", "scale", "bias") and code.required_args == ("size",)


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("class A(nn.Module):\n    def forward(self, x)\n        return x\n", 2, "expected ':'"),
        (
            "import os\nclass A(nn.Module):\n    def forward(self, x):\n        return x\n",
            1,
            "may import only from torch and",
        ),
        (
            "x = 1\nclass A(nn.Module):\n    def forward(self, x):\n        return x\n",
            1,
            "must end with one nn.Module class",
        ),
        (
            "from . import helpers\nclass A(nn.Module):\n    def forward(self, x):\n"
            "        return x\n",
            1,
            "may import only from torch and",
        ),
        ("class A(nn.Module):\n    pass\ndef b():\n    pass\n", 3, "must end with one nn.Module"),
        ("class A(object):\n    def forward(self, x):\n        return x\n", 1, "(nn.Module)"),
        ("class A(nn.Module):\n    def __init__(self):\n        pass\n", 1, "needs a forward"),
        ("class A(nn.Module):\n    def forward(self):\n        return 1\n", 2, "at least one"),
        (
            "class torch(nn.Module):\n    def forward(self, x):\n        return x\n",
            1,
            "may not be named torch",
        ),
    ],
)
def test_a_source_that_is_not_one_module_class_is_refused_on_its_line(source, line, words):
    with pytest.raises(CodeSourceError) as caught:
        read_code_class(source)
    assert caught.value.line == line and words in caught.value.message


def test_a_class_may_bring_its_imports_and_helper_functions_and_extend_a_torch_layer():
    """What an imported model's class needs from its module stays beside it (read, not run)."""
    code = read_code_class(
        "from typing import Optional\n"
        "from torch import Tensor\n"
        "\n"
        "def shift(x: Tensor, by: Optional[int] = None) -> Tensor:\n"
        "    return torch.roll(x, by or 1, -1)\n"
        "\n"
        "class Shifted(nn.LayerNorm):\n"
        "    def forward(self, x: Tensor) -> Tensor:\n"
        "        return shift(super().forward(x))\n"
    )
    assert code.name == "Shifted" and code.inputs == ("x",)
    assert code.any_kwargs  # nn.LayerNorm's arguments: known only when it runs


def test_forward_parameters_become_the_nodes_input_ports():
    project = Project(nodes=[Node("c", "Code", {"source": sources.TWO_OUT, "outputs": 2})])
    spec = project.spec("Code")
    params = project.node("c").params
    assert spec.input_names(params) == ("a", "b")
    assert spec.output_names(params) == ("output 0", "output 1")


def test_a_syntax_error_is_a_located_problem_without_any_runner():
    broken = "class A(nn.Module):\n    def forward(self, x)\n        return x\n"
    project = Project(
        nodes=[
            Node("x", "Input", {"shape": [3]}),
            Node("c", "Code", {"source": broken}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "c"), Edge("c", "o")],
    )
    (problem,) = project.validate().errors
    assert problem.code == ProblemCode.CODE and problem.line == 2 and problem.param == "source"


def test_arguments_the_constructor_does_not_take_are_named_before_anything_runs():
    source = sources.CENTERED
    project = Project(
        nodes=[
            Node("x", "Input", {"shape": [3]}),
            Node("c", "Code", {"source": source, "args": {"size": 3}}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "c"), Edge("c", "o")],
    )
    (problem,) = project.validate().errors
    assert "CenteredLayer() has no argument size" in problem.message and problem.param == "args"


def test_without_trust_a_code_node_is_unchecked_and_everything_else_is_still_checked():
    project = Project(
        nodes=[
            Node("x", "Input", {"shape": [3]}),
            Node("fc", "Linear", {"out_features": 4, "in_features": 5}),
            Node("c", "Code", {"source": sources.CENTERED}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "fc"), Edge("x", "c"), Edge("c", "o"), Edge("fc", "o", 0, 0)],
    )
    codes = {(p.node, p.code) for p in project.validate().errors}
    assert ("c", ProblemCode.UNTRUSTED_CODE) in codes
    assert ("fc", ProblemCode.SHAPE) in codes  # the rest of the drawing is checked as ever


def test_the_source_and_arguments_are_kept_as_text_in_the_project_file():
    params = {"source": sources.CENTERED, "args": {"n": [1, 2], "name": 'a"b'}, "outputs": 1}
    project = Project(nodes=[Node("c", "Code", params)])
    again = project_from_json(project_to_json(project))
    assert again.node("c").params == params


@pytest.mark.parametrize(
    "args", [{"1x": 1}, {"class": 1}, {"a": {"nested": 1}}, [1, 2], {"a": float("nan")}]
)
def test_arguments_must_be_names_with_plain_values(args):
    from graph import ProjectFileError

    text = project_to_json(Project(nodes=[Node("c", "Code", {"source": sources.CENTERED})]))
    text = text.replace('"source"', f'"args": {_json(args)}, "source"')
    with pytest.raises(ProjectFileError):
        project_from_json(text)


def _json(value) -> str:
    import json

    return json.dumps(value)


JUNK = [None, 0, -1, 1.5, "", "x", [], [1, "a"], {}, {"a": None}, {"": 1}, True, "\ud800", 10**30]


@pytest.mark.parametrize("name", ["source", "args", "outputs"])
def test_junk_in_a_code_nodes_params_is_refused_in_one_line_or_reported_never_run(name):
    from graph import ProjectFileError

    for value in JUNK:
        params = {"source": sources.CENTERED, name: value}
        text = project_to_json(
            Project(
                nodes=[Node("x", "Input", {"shape": [3]}), Node("c", "Code", params)],
                edges=[Edge("x", "c")],
            )
        )
        try:
            project = project_from_json(text)
        except ProjectFileError as exc:
            assert "\n" not in str(exc)
            continue
        report = project.validate()
        assert report.nodes["c"].problems, value
        assert all(p.message.isprintable() for p in report.problems)
