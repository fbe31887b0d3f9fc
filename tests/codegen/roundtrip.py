"""Run generated source with real torch: import it, build the model, feed it a batch."""

from __future__ import annotations

import io
from typing import Any

import torch

from codegen import GENERATED_FILENAME, GeneratedModel, generate_model
from graph import Project, Report
from graph.tensor import INT


def load_class(model: GeneratedModel) -> type[torch.nn.Module]:
    """Exec the source as the runtime does and return the class it defines."""
    namespace: dict[str, Any] = {}
    exec(compile(model.source, GENERATED_FILENAME, "exec"), namespace)
    return namespace[model.class_name]


def sample_batch(model: GeneratedModel, report: Report, batch: int = 2) -> list[torch.Tensor]:
    """A batch for each Input: floats, or token ids every Embedding in the network knows."""
    generator = torch.Generator().manual_seed(0)
    vocabulary = min(
        (
            r.resolved["num_embeddings"]
            for r in report.nodes.values()
            if "num_embeddings" in r.resolved
        ),
        default=2,
    )
    if any(
        len(r.inputs) > 1 and r.outputs and r.outputs[0] and r.outputs[0].dtype == INT
        for r in report.nodes.values()
    ):
        vocabulary = 1  # a sum of ids can leave the vocabulary; zeros stay in it, summed or not
    tensors = []
    for node_id in model.input_nodes:
        t = report.nodes[node_id].outputs[0]
        assert t is not None
        if t.dtype == INT:
            tensors.append(torch.randint(0, vocabulary, (batch, *t.shape), generator=generator))
        else:
            tensors.append(torch.randn((batch, *t.shape), generator=generator))
    return tensors


def outputs_of(result: Any) -> tuple[torch.Tensor, ...]:
    return result if isinstance(result, tuple) else (result,)


BIG = 20_000_000  # parameters; bigger networks are checked on the meta device, without weights


def check_round_trip(project: Project) -> GeneratedModel:
    """Import, parameter count, output shapes for a batch of two, and a state_dict round trip.

    Networks of more than BIG parameters (AlexNet) are built on torch's meta device: the count and
    the shapes are checked without allocating the weights, and the weights round trip is skipped.
    """
    report = project.validate()
    model = generate_model(project, report)
    cls = load_class(model)
    if report.total_params > BIG:
        _check_on_meta(cls, model, report)
        return model
    torch.manual_seed(0)
    net = cls().eval()
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert trainable == report.total_params, model.source
    inputs = sample_batch(model, report)
    with torch.no_grad():
        result = net(*inputs)
    if not model.output_nodes:  # nothing drawn out yet: forward computes and returns None
        assert result is None
        return model
    outputs = outputs_of(result)
    expected = []
    for node_id in model.output_nodes:
        t = report.nodes[node_id].inputs[0]
        assert t is not None
        expected.append((2, *t.shape))
    assert [tuple(o.shape) for o in outputs] == expected, model.source

    saved = io.BytesIO()
    torch.save(net.state_dict(), saved)
    saved.seek(0)
    torch.manual_seed(1)  # a different initialisation, so only the loaded weights can agree
    fresh = cls()
    fresh.load_state_dict(torch.load(saved, weights_only=True))
    fresh.eval()
    with torch.no_grad():
        again = outputs_of(fresh(*inputs))
    for a, b in zip(outputs, again, strict=True):
        assert torch.equal(a, b), model.source
    return model


def _check_on_meta(cls: type[torch.nn.Module], model: GeneratedModel, report: Report) -> None:
    with torch.device("meta"):
        net = cls().eval()
        inputs = [t.to("meta") for t in sample_batch(model, report)]
        outputs = outputs_of(net(*inputs))
    assert sum(p.numel() for p in net.parameters() if p.requires_grad) == report.total_params
    expected = [(2, *report.nodes[o].inputs[0].shape) for o in model.output_nodes]
    assert [tuple(o.shape) for o in outputs] == expected, model.source
