"""The trained network is codegen's source, compiled; errors in it are traced to their node."""

import pytest
import torch

from graph import Edge, Node, Project, load_project
from runtime.network import NetworkError, build_network, describe_failure
from tests.runtime.conftest import mlp


def test_the_module_is_the_generated_class_with_its_attributes():
    project = load_project("examples/digits_cnn.json")
    network = build_network(project, seed=0)
    assert type(network.module).__name__ == "DigitsCNN"
    assert network.input_shape == [1, 8, 8]
    assert network.output_shape == [10]
    assert network.module(torch.zeros(3, 1, 8, 8)).shape == (3, 10)
    names = {name.split(".")[0] for name in network.module.state_dict()}
    assert names == {"conv1", "conv2", "fc1", "fc2"}  # the layers with weights
    assert names <= set(network.code.attributes.values())


def test_the_seed_fixes_the_initial_weights():
    def weights(seed):
        return build_network(mlp(), seed).module.state_dict()["linear1.weight"]

    assert torch.equal(weights(1), weights(1))
    assert not torch.equal(weights(1), weights(2))


def test_an_error_in_forward_is_traced_to_its_node():
    project = load_project("examples/digits_cnn.json")
    network = build_network(project, seed=0)
    with pytest.raises(RuntimeError) as info:
        network.module(torch.zeros(2, 3, 8, 8))  # three channels where conv1 expects one
    node = network.node_for_exception(info.value)
    assert node == "conv1"
    assert describe_failure(info.value, node, project).startswith("Conv2d 'conv1' failed: ")


def test_the_last_layer_type_is_what_feeds_the_output():
    project = mlp(last="Softmax")
    assert build_network(project, 0).last_layer_type(project) == "Softmax"


def test_training_needs_exactly_one_input():
    nodes = [
        Node("a", "Input", {"shape": [2]}),
        Node("b", "Input", {"shape": [2]}),
        Node("sum", "Add"),
        Node("out", "Output"),
    ]
    edges = [Edge("a", "sum"), Edge("b", "sum", 0, 1), Edge("sum", "out")]
    project = Project("Two inputs", nodes, edges)
    assert project.validate().valid
    with pytest.raises(NetworkError, match="exactly one Input node; this network has 2"):
        build_network(project, 0)


def test_a_drawing_with_errors_names_its_first_problem_and_node():
    project = load_project("examples/broken/lenet_mismatch.json")
    with pytest.raises(NetworkError) as info:
        build_network(project, 0)
    assert info.value.node_id == "fc1"
    assert str(info.value).startswith("the drawing has errors: Linear 'fc1' expects 576")
