"""Import: existing PyTorch code -> a drawing (codegen run backwards).

`import_model("net.py:Net", [(1, 28, 28)])` builds the model (running the user's code), traces
it with torch.fx, and maps every layer call and tensor operation onto the layer library. The
contract is the round trip: the code Netwright generates from the drawing has the same weights
(`weights.translate_state_dict`) and gives the same outputs. torch is imported inside functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph import Project
from i18n import msg
from importer.errors import ImportFailed

__all__ = ["ImportFailed", "ImportResult", "import_model", "import_module"]

DTYPES = ("float32", "int64")


@dataclass
class ImportResult:
    project: Project
    notes: list[str] = field(default_factory=list)  # one line each, for the user
    module: Any = None  # the imported nn.Module, for loading its weights
    traced_concretely: bool = False


def import_model(
    source: str,
    input_shapes: list[tuple[int, ...]],
    dtypes: list[str] | None = None,
    kwargs: dict[str, Any] | None = None,
) -> ImportResult:
    """Import `source` (file.py:Name or torchvision:name); ImportFailed with one line if not."""
    from importer.sources import load_source

    module, name = load_source(source, kwargs)
    result = import_module(module, input_shapes, dtypes, name)
    if source.startswith("torchvision:"):
        from importer.vision import without_extension

        if without_extension():
            result.notes.append(
                msg(
                    "torchvision's compiled ops do not load beside this torch; its pure-Python "
                    "model builders were used"
                )
            )
    return result


def import_module(
    module: Any,
    input_shapes: list[tuple[int, ...]],
    dtypes: list[str] | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import an already constructed nn.Module."""
    import torch

    from importer.stacks import unrolled_stacks
    from importer.tracing import BATCH

    dtypes = list(dtypes or [])
    if not input_shapes:
        raise ImportFailed(msg("give the shape of each input (batch left out), e.g. 3,224,224"))
    for d in dtypes:
        if d not in DTYPES:
            raise ImportFailed(msg("unknown dtype '{dtype}': choose float32 or int64", dtype=d))
    examples = []
    torch.manual_seed(0)
    for i, shape in enumerate(input_shapes):
        dtype = dtypes[i] if i < len(dtypes) else "float32"
        if dtype == "int64":
            examples.append(torch.randint(0, 2, (BATCH, *shape)))
        else:
            examples.append(torch.randn(BATCH, *shape))
    with unrolled_stacks(module):  # nn.TransformerEncoder: a block of its layers
        try:  # without source lines first: recording them costs a third of the time
            traced, drawing = _draw(module, examples, dtypes, name, stack_traces=False)
        except ImportFailed:  # again with them, so that the message says where
            traced, drawing = _draw(module, examples, dtypes, name, stack_traces=True)
    notes = []
    if traced.concrete_sizes:
        notes.append(msg("traced with concrete sizes (forward reads the input's shape)"))
    for name in sorted(drawing.left_out):
        notes.append(
            msg(
                "{name}() only acts in training and hands its input on in eval: left out, so "
                "the drawing trains without it",
                name=name,
            )
        )
    if drawing.owned_unused:
        listed = ", ".join(drawing.owned_unused[:5])
        notes.append(msg("not called in eval mode, left out: {names}", names=listed))
    return ImportResult(drawing.project, notes, module, traced.concrete_sizes)


def _draw(
    module: Any, examples: list[Any], dtypes: list[str], name: str | None, stack_traces: bool
) -> tuple[Any, Any]:
    from importer.build import build_drawing
    from importer.tracing import trace

    traced = trace(module, examples, stack_traces=stack_traces)
    drawing = build_drawing(name or type(module).__name__, traced, dtypes)
    if drawing.project.has_code:  # the Code nodes' shapes: what the original gave in the trace
        drawing.project.set_code_runner(drawing.known)
    _pin_inferred(drawing)
    report = drawing.project.validate()
    if not report.valid:
        first = report.errors[0]
        raise ImportFailed(
            msg("the imported drawing does not check: {message}", message=first.message)
        )
    return traced, drawing


def _pin_inferred(drawing: Any) -> None:
    """Pin an inferred argument where the checker would infer something else than the module."""
    project = drawing.project
    report = project.validate()
    for node_id, values in drawing.inferred.items():
        resolved = report.nodes[node_id].resolved if node_id in report.nodes else {}
        for key, value in values.items():
            if resolved.get(key) != value:
                project.set_param(node_id, key, list(value) if isinstance(value, tuple) else value)
