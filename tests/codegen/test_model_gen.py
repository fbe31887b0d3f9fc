"""The generated model reads as a person would write it, and maps its lines back to nodes."""

from pathlib import Path

import pytest
import torch

from codegen import GENERATED_FILENAME, CodegenError, generate_model
from graph import Edge, Node, Project, get_spec, load_project
from tests.codegen.roundtrip import check_round_trip, load_class, sample_batch

BROKEN = Path(__file__).resolve().parents[2] / "examples" / "broken" / "lenet_mismatch.json"


def chain(*layers: tuple[str, str, dict], shape=(1, 28, 28), name="Net") -> Project:
    """Input -> layers... -> Output, each layer given as (id, type, params)."""
    project = Project(name)
    project.add_node(Node("input", "Input", {"shape": list(shape)}))
    previous = "input"
    for node_id, type_, params in layers:
        project.add_node(Node(node_id, type_, dict(params)))
        project.add_edge(Edge(previous, node_id))
        previous = node_id
    project.add_node(Node("out", "Output"))
    project.add_edge(Edge(previous, "out"))
    return project


def lenet() -> Project:
    """The PyTorch tutorial's LeNet, trimmed: two conv blocks and one Linear layer."""
    project = chain(
        ("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 5}),
        ("relu1", "ReLU", {}),
        ("pool1", "MaxPool2d", {"kernel_size": 2}),
        ("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 5}),
        ("relu2", "ReLU", {}),
        ("pool2", "MaxPool2d", {"kernel_size": 2}),
        ("flat", "Flatten", {}),
        ("fc1", "Linear", {"out_features": 120}),
        shape=(1, 32, 32),
        name="LeNet",
    )
    return project


def forward_body(source: str) -> list[str]:
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if "def forward" in line)
    start = next(i for i in range(start, len(lines)) if lines[i].endswith(":"))
    return [line.strip() for line in lines[start + 1 :]]


def test_lenet_is_written_as_a_person_would_write_it():
    assert generate_model(lenet()).source == (
        '"""LeNet: a network made with Netwright.\n'
        "\n"
        'Project: "LeNet"\n'
        "Trainable parameters: 50,692\n"
        '"""\n'
        "\n"
        "import torch\n"
        "from torch import nn\n"
        "\n"
        "\n"
        "class LeNet(nn.Module):\n"
        "    def __init__(self) -> None:\n"
        "        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(1, 6, 5)\n"
        "        self.relu1 = nn.ReLU()\n"
        "        self.pool1 = nn.MaxPool2d(2)\n"
        "        self.conv2 = nn.Conv2d(6, 16, 5)\n"
        "        self.relu2 = nn.ReLU()\n"
        "        self.pool2 = nn.MaxPool2d(2)\n"
        "        self.flat = nn.Flatten()\n"
        "        self.fc1 = nn.Linear(400, 120)\n"
        "\n"
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
        "        x = self.conv1(x)  # [N, 6, 28, 28]\n"
        "        x = self.relu1(x)  # [N, 6, 28, 28]\n"
        "        x = self.pool1(x)  # [N, 6, 14, 14]\n"
        "        x = self.conv2(x)  # [N, 16, 10, 10]\n"
        "        x = self.relu2(x)  # [N, 16, 10, 10]\n"
        "        x = self.pool2(x)  # [N, 16, 5, 5]\n"
        "        x = self.flat(x)  # [N, 400]\n"
        "        x = self.fc1(x)  # [N, 120]\n"
        "        return x\n"
    )


def test_the_same_project_always_gives_the_same_text():
    assert generate_model(lenet()).source == generate_model(lenet()).source


@pytest.mark.parametrize(
    ("project_name", "expected"),
    [
        ("LeNet", "LeNet"),
        ("my cool net", "MyCoolNet"),
        ("3 layer mlp", "Net3LayerMlp"),
        ("", "Net"),
        ("None", "NoneNet"),
        ("Module", "ModuleNet"),
        ("Réseau", "Reseau"),
    ],
)
def test_class_is_named_after_the_project_in_pascal_case(project_name, expected):
    project = lenet()
    project.set_name(project_name)
    assert generate_model(project).class_name == expected


def test_inferred_arguments_are_written_and_defaults_left_out():
    project = chain(
        ("conv", "Conv2d", {"out_channels": 4, "kernel_size": [3, 3], "stride": 1, "bias": False}),
        ("flat", "Flatten", {"start_dim": 1}),
        ("fc", "Linear", {"out_features": 10}),
    )
    source = generate_model(project).source
    assert "self.conv = nn.Conv2d(1, 4, 3, bias=False)" in source
    assert "self.flat = nn.Flatten()" in source
    assert "self.fc = nn.Linear(2704, 10)" in source


def test_a_pooling_stride_equal_to_its_kernel_is_left_out():
    project = chain(
        ("pool", "MaxPool2d", {"kernel_size": 2, "stride": [2, 2]}),
        ("pool3", "AvgPool2d", {"kernel_size": 3, "stride": 2}),
    )
    source = generate_model(project).source
    assert "self.pool = nn.MaxPool2d(2)" in source
    assert "self.pool3 = nn.AvgPool2d(3, stride=2)" in source


def test_non_square_kernels_stay_tuples_and_words_are_quoted():
    project = chain(
        ("conv", "Conv2d", {"out_channels": 2, "kernel_size": [3, 1], "padding": "same"}),
    )
    assert 'self.conv = nn.Conv2d(1, 2, (3, 1), padding="same")' in generate_model(project).source


def test_labels_name_attributes_and_colliding_labels_stay_unique_and_stable():
    project = chain(
        ("a", "ReLU", {}),
        ("b", "ReLU", {}),
        ("c", "ReLU", {}),
        ("d", "ReLU", {}),
    )
    project.set_label("a", "conv 1")
    project.set_label("b", "conv_1")
    project.set_label("c", "type")
    project.set_label("d", "state_dict")
    model = generate_model(project)
    assert model.attributes == {"a": "conv_1", "b": "conv_1_2", "c": "type_", "d": "state_dict_"}
    assert generate_model(project).attributes == model.attributes


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("image 1×28×28", "image_1_28_28"),
        ("Übergröße", "Ubergrosse"),
        ("__import__('os')", "import_os"),
        ("2nd conv", "layer_2nd_conv"),
        ("卷积", "a"),
        ("a" * 40 + "_b", "a" * 32),
        ("block_one_conv_with_a_long_name_here", "block_one_conv_with_a_long_name"),
    ],
)
def test_labels_become_short_plain_identifiers(label, expected):
    project = chain(("a", "ReLU", {}))
    project.set_label("a", label)
    assert generate_model(project).attributes["a"] == expected


def test_forward_lines_map_back_to_their_nodes():
    model = generate_model(lenet())
    lines = model.source.splitlines()
    for number, node_id in model.line_map.items():
        assert model.attributes[node_id] in lines[number - 1]
    forward_fc1 = [n for n, nid in model.line_map.items() if nid == "fc1"][-1]
    assert lines[forward_fc1 - 1].strip() == "x = self.fc1(x)  # [N, 120]"


def test_every_line_of_a_wrapped_statement_maps_to_its_node():
    params = {"out_channels": 4, "kernel_size": [3, 1], "stride": 2, "padding": [1, 0]}
    params |= {"dilation": 2, "bias": False, "padding_mode": "reflect"}
    project = chain(("conv", "Conv2d", params))
    project.set_label("conv", "the first convolution of the net")
    model = check_round_trip(project)
    lines = model.source.splitlines()
    start = next(i for i, line in enumerate(lines) if "nn.Conv2d(" in line) + 1
    end = next(i for i in range(start, len(lines)) if lines[i - 1].strip() == ")")
    assert end - start >= 2  # it did not fit on one line
    assert all(model.line_map[n] == "conv" for n in range(start, end + 1))


def test_an_error_raised_in_forward_is_traced_to_its_node():
    model = generate_model(lenet())
    net = load_class(model)()
    with pytest.raises(RuntimeError) as info:
        net(torch.zeros(2, 3, 32, 32))  # three channels where conv1 expects one
    assert model.node_for_exception(info.value) == "conv1"
    assert GENERATED_FILENAME == "<netwright-model>"


def test_a_residual_block_names_its_branch_and_gives_x_back_after_the_merge():
    project = chain(("conv1", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}))
    project.remove_edge(Edge("conv1", "out"))
    for node in (
        Node("conv2", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        Node("relu", "ReLU"),
        Node("add", "Add"),
        Node("fc", "Flatten"),
    ):
        project.add_node(node)
    for edge in (
        Edge("conv1", "conv2"),
        Edge("conv2", "relu"),
        Edge("relu", "add", 0, 0),
        Edge("conv1", "add", 0, 1),
        Edge("add", "fc"),
        Edge("fc", "out"),
    ):
        project.add_edge(edge)
    assert forward_body(check_round_trip(project).source) == [
        "x = self.conv1(x)  # [N, 4, 28, 28]",
        "conv2 = self.conv2(x)  # [N, 4, 28, 28]",
        "conv2 = self.relu(conv2)  # [N, 4, 28, 28]",
        "x = torch.add(conv2, x)  # [N, 4, 28, 28]",
        "x = self.fc(x)  # [N, 3136]",
        "return x",
    ]


def _merge(type_: str, n: int, params: dict | None = None) -> Project:
    project = Project("Merge")
    project.add_node(Node("x", "Input", {"shape": [3]}))
    project.add_node(Node("m", type_, params or {}))
    project.add_node(Node("out", "Output"))
    for i in range(n):
        project.add_node(Node(f"b{i}", "ReLU"))
        project.add_edge(Edge("x", f"b{i}"))
        project.add_edge(Edge(f"b{i}", "m", 0, i))
    project.add_edge(Edge("m", "out"))
    return project


@pytest.mark.parametrize(
    ("type_", "n", "expected"),
    [
        ("Add", 2, "x = torch.add(b0, b1)  # [N, 3]"),
        ("Add", 3, "x = b0 + b1 + b2  # [N, 3]"),
        ("Multiply", 2, "x = b0 * b1  # [N, 3]"),
        ("Concat", 3, "x = torch.cat([b0, b1, b2], dim=1)  # [N, 9]"),
    ],
)
def test_merges_are_written_as_torch_add_cat_and_products(type_, n, expected):
    model = check_round_trip(_merge(type_, n))
    assert expected in forward_body(model.source)


def test_several_inputs_and_outputs_are_arguments_and_a_tuple():
    project = Project("Two")
    project.add_node(Node("image", "Input", {"shape": [4]}))
    project.add_node(Node("meta", "Input", {"shape": [4]}))
    project.add_node(Node("sum", "Add"))
    project.add_node(Node("fc", "Linear", {"out_features": 2}))
    project.add_node(Node("logits", "Output"))
    project.add_node(Node("features", "Output"))
    for edge in (
        Edge("image", "sum", 0, 0),
        Edge("meta", "sum", 0, 1),
        Edge("sum", "fc"),
        Edge("fc", "logits"),
        Edge("sum", "features"),
    ):
        project.add_edge(edge)
    model = check_round_trip(project)
    assert model.input_names == ["image", "meta"]
    assert model.output_nodes == ["logits", "features"]
    assert (
        "    def forward(\n"
        "        self,\n"
        "        image: torch.Tensor,\n"
        "        meta: torch.Tensor,\n"
        "    ) -> tuple[torch.Tensor, ...]:\n" in model.source
    )
    assert forward_body(model.source) == [
        "sum_ = torch.add(image, meta)  # [N, 4]",
        "fc = self.fc(sum_)  # [N, 2]",
        "return fc, sum_",
    ]


def test_a_layer_leading_nowhere_is_computed_into_underscore():
    project = chain(("fc", "Linear", {"out_features": 2}), shape=(4,))
    project.add_node(Node("dead", "ReLU"))
    project.add_edge(Edge("fc", "dead"))
    body = forward_body(check_round_trip(project).source)
    assert "_ = self.dead(x)  # [N, 2]" in body


def test_an_invalid_drawing_is_refused_with_its_errors():
    with pytest.raises(CodegenError, match="in_features=576"):
        generate_model(load_project(BROKEN))


def test_reshape_permute_and_index_are_inline_tensor_methods():
    project = chain(
        ("r", "Reshape", {"shape": [4, -1]}),
        ("p", "Permute", {"dims": [0, 2, 1]}),
        ("i", "Index", {"dim": 1, "index": -1}),
        shape=(8,),
    )
    assert forward_body(check_round_trip(project).source)[:3] == [
        "x = x.reshape(x.size(0), 4, -1)  # [N, 4, 2]",
        "x = x.permute(0, 2, 1)  # [N, 2, 4]",
        "x = x.select(1, -1)  # [N, 4]",
    ]


needs_recurrent = pytest.mark.skipif(get_spec("LSTM") is None, reason="no recurrent specs yet")


@needs_recurrent
def test_recurrent_outputs_are_unpacked_by_port_and_unused_ones_are_underscore():
    project = chain(("lstm", "LSTM", {"hidden_size": 3, "batch_first": True}), shape=(5, 4))
    assert "x, _ = self.lstm(x)  # [N, 5, 3]" in forward_body(check_round_trip(project).source)


@needs_recurrent
def test_hidden_states_are_transposed_to_batch_first_when_used():
    project = chain(("lstm", "LSTM", {"hidden_size": 3, "batch_first": True}), shape=(5, 4))
    project.remove_edge(Edge("lstm", "out"))
    project.add_edge(Edge("lstm", "out", 2, 0))
    body = forward_body(check_round_trip(project).source)
    assert body[:2] == [
        "_, (_, lstm_c_n) = self.lstm(x)  # [N, 5, 3]",
        "lstm_c_n = lstm_c_n.transpose(0, 1)  # [N, 1, 3]",
    ]


@needs_recurrent
def test_gru_hidden_state_feeds_a_linear_layer():
    project = chain(
        ("gru", "GRU", {"hidden_size": 3, "batch_first": True, "num_layers": 2}), shape=(5, 4)
    )
    project.remove_edge(Edge("gru", "out"))
    project.add_node(Node("fc", "Linear", {"out_features": 2}))
    project.add_edge(Edge("gru", "fc", 1, 0))
    project.add_edge(Edge("fc", "out"))
    body = forward_body(check_round_trip(project).source)
    assert body[:3] == [
        "_, gru_h_n = self.gru(x)  # [N, 5, 3]",
        "gru_h_n = gru_h_n.transpose(0, 1)  # [N, 2, 3]",
        "x = self.fc(gru_h_n)  # [N, 2, 2]",
    ]


@pytest.mark.skipif(get_spec("MultiheadAttention") is None, reason="no attention spec yet")
def test_attention_is_called_as_self_attention():
    project = chain(
        ("attn", "MultiheadAttention", {"num_heads": 2, "batch_first": True}), shape=(5, 4)
    )
    source = check_round_trip(project).source
    assert "self.attn = nn.MultiheadAttention(4, 2, batch_first=True)" in source
    assert "x, _ = self.attn(x, x, x, need_weights=False)  # [N, 5, 4]" in forward_body(source)


def test_a_batch_runs_through_the_exported_lenet():
    project = lenet()
    model = generate_model(project)
    net = load_class(model)()
    (batch,) = sample_batch(model, project.validate())
    assert net(batch).shape == (2, 120)
