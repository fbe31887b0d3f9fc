"""The worker process that runs Code nodes: `python -m runtime.code_worker`.

It reads one JSON request per line on stdin (a class's source, its constructor arguments, the
input shapes) and answers one JSON line: the output shapes and parameter count, or the failure
with the line of the user's source. The class is built and called on meta tensors (shapes
without memory or data); code that needs values (`while x.abs().sum() > 1`) gets a small real
batch instead. The parent (runtime/code_runner.py) kills this process when a run takes too long.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from graph.code_runs import BATCH, CodeOutcome

CODE_FILENAME = "<your-code>"  # what user code is compiled as: its frames are the user's lines
_DETAIL_LENGTH = 300


def run_request(request: dict[str, Any]) -> CodeOutcome:
    """Build the class and call it on inputs of the requested shapes; never raises."""
    import torch

    source, args, outputs = request["source"], request["args"], request["outputs"]
    inputs = [(tuple(shape), dtype) for shape, dtype in request["inputs"]]
    try:
        compiled = compile(source, CODE_FILENAME, "exec")
    except SyntaxError as exc:
        return CodeOutcome(failure="syntax", detail=str(exc.msg), line=exc.lineno)
    try:
        meta = _run(compiled, args, inputs, outputs, torch.device("meta"))
    except Exception:  # meta tensors cannot serve some code (values read, CPU tensors made)
        meta = None
    if meta is not None and meta.failure not in ("construct", "forward"):
        return meta
    try:
        return _run(compiled, args, inputs, outputs, torch.device("cpu"))
    except Exception as exc:  # a failure of ours around the user's code: still an answer
        return CodeOutcome(failure="crash", detail=_describe(exc))


def _run(compiled: Any, args: dict, inputs: list, outputs: int, device: Any) -> CodeOutcome:
    import math

    import torch
    import torch.nn.functional as F
    from torch import nn

    namespace: dict[str, Any] = {
        "__name__": "netwright_code",
        "torch": torch,
        "nn": nn,
        "F": F,
        "math": math,
    }
    meta = device.type == "meta"
    try:
        exec(compiled, namespace)
        classes = [
            v
            for v in namespace.values()
            if isinstance(v, type) and v.__module__ == "netwright_code"
        ]
        with torch.device(device):
            module = classes[0](**args)
    except Exception as exc:
        return CodeOutcome(
            failure="construct", detail=_describe(exc), line=_user_line(exc), meta=meta
        )
    if not inputs:  # a module kept but never called (node.not_called): built and counted only
        return CodeOutcome((), sum(p.numel() for p in module.parameters()), meta=meta)
    tensors = [_tensor(shape, dtype, device) for shape, dtype in inputs]
    try:
        with torch.no_grad():
            result = module(*tensors)
    except Exception as exc:
        return CodeOutcome(
            failure="forward", detail=_describe(exc), line=_user_line(exc), meta=meta
        )
    count = sum(p.numel() for p in module.parameters())
    return _outcome(result, outputs, count, meta)


def _tensor(shape: tuple[int, ...], dtype: str, device: Any) -> Any:
    import torch

    size = (BATCH, *shape)
    if dtype.startswith("int"):
        return torch.zeros(size, dtype=torch.int64, device=device)  # id 0 fits every table
    if device.type == "meta":
        return torch.empty(size, device=device)
    generator = torch.Generator().manual_seed(0)
    return torch.randn(size, generator=generator)


def _outcome(result: Any, outputs: int, count: int, meta: bool) -> CodeOutcome:
    import torch

    if outputs == 1:
        values = [result]
        if not isinstance(result, torch.Tensor):
            return CodeOutcome(failure="not_tensor", detail=_what(result), meta=meta)
    else:
        if not isinstance(result, tuple | list) or len(result) != outputs:
            return CodeOutcome(failure="count", detail=_what(result), meta=meta)
        values = list(result)
        if not all(isinstance(v, torch.Tensor) for v in values):
            return CodeOutcome(failure="not_tensor", detail=_what(result), meta=meta)
    specs = []
    for value in values:
        if value.dim() == 0 or value.shape[0] != BATCH:
            return CodeOutcome(failure="batch", detail=_what(value), meta=meta)
        specs.append((tuple(value.shape[1:]), str(value.dtype).removeprefix("torch.")))
    return CodeOutcome(tuple(specs), count, meta=meta)


def _what(value: Any) -> str:
    """What forward returned, in a form graph/code_runs.py words: `tensor 2,3`, `tuple 2`,
    `type int`."""
    import torch

    if isinstance(value, torch.Tensor):
        return "tensor " + ",".join(str(d) for d in value.shape)
    if isinstance(value, tuple | list):
        return f"{type(value).__name__} {len(value)}"
    return f"type {type(value).__name__}"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    described = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return described[:_DETAIL_LENGTH]


def _user_line(exc: BaseException) -> int | None:
    """The deepest line of the user's own source that the exception passed through."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == CODE_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_WARM_UP = {
    "source": "class WarmUp(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(4, 2)\n"
    "    def forward(self, x):\n"
    "        while x.abs().sum() > 1:\n"
    "            x = x / 2\n"
    "        return F.relu(self.fc(x)) + math.pi\n",
    "args": {},
    "outputs": 1,
    "inputs": [[[4], "float32"]],
}


def main() -> None:
    # The answers go on a private copy of stdout; whatever the user's code prints goes to
    # stderr, so a print() cannot break the conversation.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    import torch

    torch.set_num_threads(1)
    # One run before saying ready: the first call through meta tensors and the real fallback
    # pays for torch's lazy set-up (about 2 s), which no user's edit should wait for.
    run_request(_WARM_UP)
    channel.write(json.dumps({"ready": True}) + "\n")
    channel.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        outcome = run_request(json.loads(line))
        channel.write(json.dumps(outcome.to_json()) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
