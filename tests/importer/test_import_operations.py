"""A torch function, tensor method or operator no layer matches becomes a Code node making the
same call with the same constants, where it acts on each sample alone; otherwise one line says
why not."""

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

MODELS = str(Path(__file__).with_name("operation_models.py"))
LINES = Path(MODELS).read_text(encoding="utf-8").splitlines()


def _line(text: str) -> int:
    return next(i for i, line in enumerate(LINES, 1) if text in line)


def test_unmapped_calls_with_constant_arguments_become_code_nodes_that_round_trip(tmp_path):
    rt = round_trip(f"{MODELS}:Signal", [(8,)])
    project = rt.imported.project
    codes = {n.id: n for n in project.nodes if n.type == "Code"}
    assert codes["erf1"].params == {"source": (
        "class Erf(nn.Module):\n    def forward(self, x):\n        return torch.special.erf(x)\n"
    )}  # fmt: skip
    assert (
        "        return torch.roll(x, self.shifts, self.dims)\n" in codes["roll1"].params["source"]
    )
    assert codes["roll1"].params["args"] == {"shifts": 1, "dims": 1}
    assert "class Times(nn.Module):" in codes["times1"].params["source"]
    assert "        return x * self.other\n" in codes["times1"].params["source"]
    assert codes["times1"].params["args"] == {"other": 0.5}
    assert "        return x ** self.exponent\n" in codes["power1"].params["source"]
    # inside the model's own block, the call is a Code node beside the block's layer
    (smoother,) = [b for b in project.blocks if b.name == "Smoother"]
    inner = {n.id: n for n in smoother.body.nodes if n.type == "Code"}
    assert "        return x.cumsum(self.dim)\n" in inner["cumsum1"].params["source"]
    assert inner["cumsum1"].params["args"] == {"dim": 1}
    # torch.cumsum(x, dim=1) is another source, so its class takes another name
    assert "class Cumsum2(nn.Module):" in codes["cumsum1"].params["source"]
    assert list(rt.exported.state_dict()) == list(rt.imported.module.state_dict())
    rt.exported.load_state_dict(rt.imported.module.state_dict(), strict=True)
    assert_same_weights_and_outputs(rt, [(8,)])
    again = reimport(rt, tmp_path, [(8,)])
    assert drawing_signature(again) == drawing_signature(project)


@pytest.mark.parametrize(
    ("name", "call", "where", "why"),
    [
        (
            "BatchSum",
            "the tensor method .cumsum()",
            "x.cumsum(0)",
            "its result depends on the other samples of the batch",
        ),
        (
            "BatchExpand",
            "the tensor method .expand()",
            "expand(2, 3, 8)",
            "it does not run on another batch size",
        ),
        (
            "Spectrum",
            "the call fft_rfft()",
            "torch.fft.rfft",
            "it takes or gives complex64 tensors, which a drawing cannot carry",
        ),
    ],
)
def test_a_call_that_cannot_be_a_code_node_is_refused_in_one_line(name, call, where, why):
    with pytest.raises(ImportFailed) as info:
        import_model(f"{MODELS}:{name}", [(8,)])
    assert str(info.value) == (
        f"cannot import the model: no layer matches {call} at operation_models.py:"
        f"{_line(where)}; no Code node either: {why}"
    )
