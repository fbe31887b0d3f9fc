"""The traced model's own tensors (`self.class_token`, `self.mean`) as Parameter and Buffer nodes,
named after them so their state_dict keys stay the model's."""

from __future__ import annotations

from typing import Any

from codegen.namespace import identifier
from graph import Node
from importer.naming import module_extra
from importer.values import ModelTensor, Port, Unmapped


class ModelTensors:
    """The builder's maker of tensor nodes; it needs its trace and project."""

    trace: Any
    project: Any

    def _parameter(self, tensor: ModelTensor, expanded: tuple | None = None) -> Port | Unmapped:
        """The model's own nn.Parameter as a Parameter node named after it (so its key stays):
        one with a leading 1 (ViT's class token, [1, 1, 768]) is stored as such. `expanded`:
        the sizes after the batch it is expanded to, which must be its own."""
        import torch

        owner_path, _, name = tensor.target.rpartition(".")
        owner = self.trace.root.get_submodule(owner_path) if owner_path else self.trace.root
        value = getattr(owner, name)
        kind = "Parameter" if isinstance(value, torch.nn.Parameter) else "Buffer"
        if kind == "Buffer" and not _drawable_buffer(owner, name):
            return tensor
        if not isinstance(value, torch.Tensor) or value.dim() == 0:
            return tensor
        batch = value.dim() > 1 and value.shape[0] == 1
        shape = list(value.shape[1:] if batch else value.shape)
        if expanded is not None and (
            len(expanded) != len(shape)
            or any(e not in (-1, s) for e, s in zip(expanded, shape, strict=True))
        ):
            return tensor
        node_id = identifier(tensor.target, "parameter")
        if self.project.has_node(node_id):
            return Port(node_id)
        params: dict[str, Any] = {"shape": shape}
        if batch:
            params["batch"] = True
        if kind == "Buffer":
            params["init"] = _buffer_init(value) or "zeros"  # other values: the weights'
            if name in owner._non_persistent_buffers_set:
                params["persistent"] = False
        extra = module_extra(self.trace.root, tensor.target)
        node = Node(node_id, kind, params, extra=extra)
        self.project.add_node(node)
        return Port(node_id)


def _drawable_buffer(owner: Any, name: str) -> bool:
    """A float32 buffer `register_buffer` made (not a plain tensor attribute) whose values the
    drawing keeps: saved with the weights, or all zeros or all ones (a non-persistent buffer
    is made from its init each time)."""
    import torch

    value = owner._buffers.get(name)
    if value is None or value.dtype != torch.float32:
        return False
    return name not in owner._non_persistent_buffers_set or _buffer_init(value) != ""


def _buffer_init(value: Any) -> str:
    """`zeros` or `ones` where the buffer is all that, otherwise ""."""
    if not value.any():
        return "zeros"
    if (value == 1).all():
        return "ones"
    return ""
