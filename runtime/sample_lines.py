"""What the generated forward's own lines compute: the nodes that have no module to hook.

Add, Concat, Reshape, Index, Mean and the other operations are written in the generated
`forward` as a torch function or a tensor method (`x = torch.add(conv2, x)`), so a forward hook
cannot see them. A TorchFunctionMode sees every torch call while the probe runs one sample;
a call whose nearest caller outside torch is a line of the generated source belongs to the node
that line was written for (GeneratedModel.line_map, and block_lines inside a block's class).
The line's last tensor is the node's output (`x.view(x.size(0), -1)` calls `size` first).
"""

from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from codegen import GeneratedModel
from codegen.model_gen import GENERATED_FILENAME
from codegen.sequential_map import sequential_owner

_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep


class GeneratedLineOutputs(TorchFunctionMode):
    """Inside `with`, records {node path: its output for the first sample of the batch} for
    nodes whose output no module makes (paths as runtime.sample_probe keys them: "b1/add")."""

    def __init__(self, code: GeneratedModel, hooked: set[str]) -> None:
        super().__init__()
        self.code = code
        self.hooked = hooked  # paths a module hook already reports
        self.outputs: dict[str, torch.Tensor] = {}
        # the frame that wrote each path: a repeated block's later copies run the same lines
        # in other frames and must not replace the first copy's value (as the editor shows)
        self._frames: dict[str, FrameType] = {}

    def __torch_function__(
        self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None
    ) -> Any:
        result = func(*args, **(kwargs or {}))
        if isinstance(result, torch.Tensor) and result.dim() > 0 and len(result):
            found = self._node_of_caller()
            if found is not None:
                path, frame = found
                if path not in self._frames or self._frames[path] is frame:
                    self._frames[path] = frame
                    self.outputs[path] = result[0].detach()
        return result

    def _node_of_caller(self) -> tuple[str, FrameType] | None:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(_TORCH_DIR):
            frame = frame.f_back  # torch's own Python (Tensor.__add__, F.relu's wrappers)
        if frame is None or frame.f_code.co_filename != GENERATED_FILENAME:
            return None  # a module's or a Code node's own code: its hook reports it
        innermost = frame
        frames: list[FrameType] = []
        while frame is not None:
            frames.append(frame)
            frame = frame.f_back
        path: list[str] = []
        # as GeneratedModel.path_for_exception reads a traceback: the model's line, then each
        # block's line inside it, or the item running in a block emitted as nn.Sequential
        for outer in reversed(frames):
            code = outer.f_code
            if code.co_filename == GENERATED_FILENAME:
                if outer.f_lineno in self.code.line_map:
                    path = [self.code.line_map[outer.f_lineno]]
                elif outer.f_lineno in self.code.block_lines and path:
                    path.append(self.code.block_lines[outer.f_lineno][1])
            elif path and code.co_name == "forward" and code.co_filename.startswith(_TORCH_DIR):
                found = sequential_owner(self.code.sequential_items, outer.f_locals)
                if found is not None:
                    path.append(found)
        key = "/".join(path)
        return None if not path or key in self.hooked else (key, innermost)
