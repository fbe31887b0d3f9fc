"""A buffer the model uses directly in forward (`x - self.mean`) comes in as a Buffer node: the
same state_dict keys and values, the same outputs, no parameters added."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer import ImportFailed, import_model
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

MODELS = str(Path(__file__).with_name("buffer_models.py"))


@pytest.mark.parametrize(("name", "shape"), [("Normalised", (3, 8, 8)), ("ZeroState", (6,))])
def test_a_model_using_its_buffers_round_trips(name, shape, tmp_path):
    rt = round_trip(f"{MODELS}:{name}", [shape])
    original = rt.imported.module
    assert list(rt.exported.state_dict()) == list(original.state_dict())
    rt.exported.load_state_dict(original.state_dict(), strict=True)
    assert_same_weights_and_outputs(rt, [shape])
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_the_buffers_are_buffer_nodes_with_the_models_shapes():
    rt = round_trip(f"{MODELS}:Normalised", [(3, 8, 8)])
    mean = rt.imported.project.node("mean")
    assert mean.type == "Buffer"
    assert mean.params == {"shape": [3, 1, 1], "batch": True, "init": "zeros"}
    assert "        self.mean = nn.Buffer(torch.zeros(1, 3, 1, 1))" in rt.code.source
    assert not any(True for _ in rt.exported.parameters() if _.shape == (1, 3, 1, 1))


def test_a_buffer_whose_values_no_drawing_keeps_is_refused_in_one_line():
    with pytest.raises(ImportFailed) as failed:
        import_model(f"{MODELS}:RandomTable", [(6,)])
    message = str(failed.value)
    assert "'table'" in message and "\n" not in message


def test_an_operation_on_a_models_tensor_is_never_dropped_from_the_drawing():
    # `x + self.ramp.flip(0)`: drawing the parameter as it is would add it unreversed. The
    # module no node can draw becomes a Code node of its class, which reverses it.
    rt = round_trip(f"{MODELS}:WithReversed", [(6,)])
    assert rt.imported.project.node("rev").type == "Code"
    assert_same_weights_and_outputs(rt, [(6,)])
