"""No user text reaches the generated source unescaped: whatever ids, labels and project names a
file holds, the source compiles, names only what the generator made, and defines only the class."""

import ast
import io
import re
import tokenize

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import generate_model
from codegen.namespace import is_safe
from graph import Edge, Node, Project, all_specs
from tests.codegen.roundtrip import check_round_trip
from tests.fuzzing import examples

NASTY = [
    "x",
    "self",
    "torch",
    "nn",
    "F",
    "__import__('os').system('rm -rf /')",
    '"""; import os; """',
    "'''",
    "a\nb",
    "\\",
    "\r\n\x0c\x00",
    "\u2028",
    "class",
    "match",
    "None",
    "__init__",
    "forward",
    "_modules",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Ünïcödé",
    "١٢٣",
    "l",
    "eval",
    "print",
    "\ud800 lone surrogate",
    "\u202eevil",
    "x" * 200,
]
# Any code point, lone surrogates included: JSON files can hold them.
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(exclude_categories=()), max_size=20),
)
TYPES = ["Input", "Conv2d", "ReLU", "Flatten", "Linear", "Linear", "Add", "Output", "Output"]
PARAMS = [{"shape": [1, 6, 6]}, {"out_channels": 2, "kernel_size": 3}, {}, {}]
PARAMS += [{"out_features": 4}, {"out_features": 4}, {}, {}, {}]
WIRES = [(0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 4, 0), (3, 5, 0), (4, 6, 0), (5, 6, 1), (6, 7, 0)]
WIRES += [(4, 8, 0)]

FORWARD_METHODS = {"add", "cat", "reshape", "size", "permute", "select", "transpose"}
ALLOWED_ATTRS = {"Module", "Tensor", "__init__"} | FORWARD_METHODS
ALLOWED_ATTRS |= {s.torch_class for s in all_specs() if s.torch_class}
SHAPE_COMMENT = re.compile(r"# \[N(, \d+)*\](, \[N(, \d+)*\])*")


def build(ids: list[str], labels: list[str | None], name: str) -> Project:
    project = Project(name)
    for node_id, type_, params, label in zip(ids, TYPES, PARAMS, labels, strict=True):
        project.add_node(Node(node_id, type_, dict(params), label=label))
    for source, target, port in WIRES:
        project.add_edge(Edge(ids[source], ids[target], 0, port))
    assert project.validate().valid
    return project


def assert_only_generated_text(project: Project) -> None:
    model = generate_model(project)
    source = model.source
    tree = ast.parse(source)
    compile(source, "<generated>", "exec")
    locals_ = {"_", *model.input_names, *model.variables.values()}
    names = {"torch", "nn", "self", "super", "tuple", model.class_name} | locals_
    attrs = ALLOWED_ATTRS | set(model.attributes.values())
    keywords = {p.name for s in all_specs() for p in s.params} | {"dim", "need_weights"}
    docstring = ast.get_docstring(tree, clean=False)
    head = f'{model.class_name}: a network made with Netwright.\n\nProject: "'
    tail = f'"\nTrainable parameters: {project.validate().total_params:,}\n'
    assert docstring.startswith(head) and docstring.endswith(tail)
    shown = docstring[len(head) : -len(tail)]  # the name, escapes undone, maybe cut short
    assert shown == project.name or (shown.endswith("...") and project.name.startswith(shown[:-3]))
    assert all(len(line) <= 88 for line in source.splitlines()[:5])
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert node.id in names
        elif isinstance(node, ast.Attribute):
            assert node.attr in attrs
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value in (docstring, "same", "zeros")
        elif isinstance(node, ast.keyword):
            assert node.arg in keywords
        elif isinstance(node, ast.arg):
            assert node.arg == "self" or node.arg in model.input_names
        elif isinstance(node, ast.FunctionDef):
            assert node.name in ("__init__", "forward")
        elif isinstance(node, ast.ClassDef):
            assert node.name == model.class_name
        elif isinstance(node, ast.Import | ast.ImportFrom):
            assert ast.unparse(node) in ("import torch", "from torch import nn")
    for name in (*locals_ - {"_"}, *model.attributes.values(), model.class_name):
        assert name.isidentifier() and name.isascii() and is_safe(name), name
    assert len(set(model.attributes.values())) == len(model.attributes)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            assert SHAPE_COMMENT.fullmatch(token.string), token.string
    source.encode("utf-8")  # writable as a file: no lone surrogates left in it
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    assert set(namespace) - {"__builtins__", "__doc__"} == {"torch", "nn", model.class_name}


@settings(max_examples=examples(150), deadline=None)
@given(
    ids=st.lists(texts.filter(bool), min_size=len(TYPES), max_size=len(TYPES), unique=True),
    labels=st.lists(st.none() | texts, min_size=len(TYPES), max_size=len(TYPES)),
    name=texts,
)
def test_hostile_ids_labels_and_names_stay_data(ids, labels, name):
    assert_only_generated_text(build(ids, labels, name))


def test_hostile_names_still_give_a_working_model():
    project = build(NASTY[: len(TYPES)], NASTY[len(TYPES) : 2 * len(TYPES)], NASTY[6])
    assert_only_generated_text(project)
    check_round_trip(project)


def test_duplicate_labels_give_distinct_attributes_and_locals():
    project = build([f"n{i}" for i in range(len(TYPES))], ["same"] * len(TYPES), "Dup")
    model = check_round_trip(project)
    assert sorted(model.attributes.values()) == ["same", "same_2", "same_3", "same_4", "same_5"]
