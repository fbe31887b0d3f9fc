"""Node ids of an imported drawing: a submodule's node is named as the code names it.

The id becomes the generated attribute's name, so keeping the module's name (`conv1`, `0` in an
nn.Sequential's body) keeps the state_dict keys; other nodes (`add1`) keep clear of those names.
"""

from __future__ import annotations

from typing import Any

from codegen.containers import (
    DICT,
    INIT_ORDER_KEY,
    LIST,
    MAX_DEPTH,
    MEMBER_KEY,
    NESTED,
    PARAMETER_DICT,
    PARAMETER_LIST,
    TENSOR_KINDS,
)
from codegen.namespace import MAX_LENGTH, identifier
from graph import Project

PATH_KEY = "torch_path"  # node extra: the module's qualified name in the imported model


def module_extra(root: Any, path: str, count: int = 1) -> dict[str, Any]:
    """A node's extra for the module (or tensor) at `path` in the traced module `root`: the
    path; where `root` registered it (INIT_ORDER_KEY), so the generated `__init__` defines it
    in the model's order; and, for the first call of a module held in a plain nn.ModuleList or
    nn.ModuleDict of `root`'s (`layers.0`, `heads.a`), or in such containers nested
    (`stages.0.1`), its place there (MEMBER_KEY), so the generated class keeps the containers
    and with them the state_dict keys."""
    extra: dict[str, Any] = {PATH_KEY: path}
    parts = path.split(".")
    registered = [*root._parameters, *root._buffers, *root._modules]
    if parts[0] in registered:
        extra[INIT_ORDER_KEY] = registered.index(parts[0])
    steps = _container_steps(root._modules.get(parts[0]), parts[1:]) if count == 1 else None
    if steps:
        extra[MEMBER_KEY] = {"of": parts[0], **steps[0]}
        if len(steps) > 1:
            extra[MEMBER_KEY][NESTED] = steps[1:]
    return extra


def _container_steps(container: Any, names: list[str]) -> list[dict[str, Any]] | None:
    """The places `names` lead to through plain ModuleLists and ModuleDicts (and, for a
    tensor, a last ParameterList or ParameterDict), outermost first (`{"type": "ModuleList",
    "index": 0}`); None where one on the way is anything else."""
    import torch.nn as nn

    kinds = {
        nn.ModuleList: LIST,
        nn.ModuleDict: DICT,
        nn.ParameterList: PARAMETER_LIST,
        nn.ParameterDict: PARAMETER_DICT,
    }
    steps: list[dict[str, Any]] = []
    for depth, name in enumerate(names):
        kind = kinds.get(type(container))
        if kind is None or depth >= MAX_DEPTH:
            return None
        held = container._parameters if kind in TENSOR_KINDS else container._modules
        keys = list(held)
        if name not in keys:
            return None
        step: dict[str, Any] = {"type": kind, "index": keys.index(name)}
        if kind in (DICT, PARAMETER_DICT):
            step["key"] = name
        steps.append(step)
        container = held[name]
    return steps or None


class NodeNames:
    """The ids of one drawing being built from one trace."""

    def __init__(self, project: Project, traced: Any, is_body: bool) -> None:
        self.project = project
        self.is_body = is_body
        self._kept = named_chain(traced) if is_body else set()
        # submodule names are node ids (and so attribute names): other nodes keep clear of them
        graph = traced.graph_module.graph
        self.reserved = {n.target for n in graph.nodes if n.op == "call_module"}

    def free(self, node_id: str) -> bool:
        return not self.project.has_node(node_id) and node_id not in self.reserved

    def fresh(self, stem: str) -> str:
        """`add1`, `add2`...: never a submodule's name, which its own node takes."""
        node_id = self.project.new_id(stem)
        k = 1
        while not self.free(node_id):
            k += 1
            node_id = self.project.new_id(f"{stem}{k}_")
        return node_id

    def module(self, path: str, count: int) -> str:
        """The submodule's name (`conv1`; `0` inside an nn.Sequential's body; `block1-0` in an
        nn.Sequential written with named children), which codegen keeps as the attribute or
        child name, so the state_dict keys are the model's. A path into a container (`blocks.0`
        of a ModuleList) becomes `blocks_0`, readable on the canvas (the node's MEMBER_KEY
        keeps the container in the code, and importing that code gives the same id); long paths
        keep their most specific tail."""
        suffix = "" if count == 1 else f"_{count}"
        plain = path.isidentifier() or (self.is_body and path.isdigit()) or path in self._kept
        if count == 1 and plain and not self.project.has_node(path):
            return path
        parts = path.split(".")
        limit = MAX_LENGTH - len(suffix)
        for start in range(len(parts)):
            if parts[start][:1].isdigit():
                continue  # `0_conv` would not read as a name
            stem = identifier("_".join(parts[start:]), "", 10 * MAX_LENGTH)
            if stem and len(stem) <= limit and not self.project.has_node(stem + suffix):
                return stem + suffix
        stem = identifier("_".join(parts), "layer", limit)
        if self.free(stem):
            return stem
        return self.fresh(identifier(parts[-1], "layer", limit - 3))


def named_chain(traced: Any) -> set[str]:
    """The children's names of an nn.Sequential whose names cannot be attributes (`block1-0`)
    and whose body is one chain: the generated code adds each child under its own name
    (codegen.block_gen.NAMED_CHILDREN), so its nodes keep those names as ids. Empty otherwise:
    numbered children, names the generated class keeps as attributes, or a body drawn as more
    than a chain (its nodes then get identifiers, and the weights are renamed by path)."""
    import torch.nn as nn

    module = traced.root
    if not isinstance(module, nn.Sequential):
        return set()
    names = [name for name, _ in module.named_children()]
    if names == [str(i) for i in range(len(names))] or all(n.isidentifier() for n in names):
        return set()
    calls = [n for n in traced.graph_module.graph.nodes if n.op not in ("placeholder", "output")]
    previous = next(n for n in traced.graph_module.graph.nodes if n.op == "placeholder")
    for n in calls:
        if n.op != "call_module" or n.args != (previous,) or n.kwargs:
            return set()
        previous = n
    if [n.target for n in calls] != names:
        return set()
    return set(names)
