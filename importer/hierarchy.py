"""The model's own submodules -> block definitions and instances.

Each call of a submodule (a class of the model's, or an `nn.Sequential`) is traced on its own
and drawn as a block body. Bodies with the same structure (same nodes, wires and layer types,
and the same values wherever a value cannot be a block parameter) share one definition, named
after the class (`BasicBlock`, then `BasicBlock2` for a second structure) or, for a plain
`nn.Sequential`, after its attribute (`layer1` -> `Layer1`). Values that differ between the
instances of one definition become its block parameters (ints, floats, bools), each instance
node setting its own. Node ids inside a body are the submodules' attribute names, so the
generated code's `state_dict` keys are the original model's.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from codegen.block_gen import NAMED_CHILDREN, SEQUENTIAL_KEY
from codegen.namespace import identifier
from graph import Node, Project
from graph.blocks import BlockDef, block_name_problem, param_from_json

LIFTABLE = (bool, int, float)


@dataclass
class _Instance:
    node: Node  # the instance node, in whichever drawing calls it
    body: Project  # the drawing traced for this call


@dataclass
class _Definition:
    name: str
    family: str  # the class it was traced from; plain nn.Sequentials are one family
    structure: tuple
    instances: list[_Instance] = field(default_factory=list)
    # how codegen writes it: True, an nn.Sequential numbering its children; NAMED_CHILDREN, an
    # nn.Sequential adding each under its own name; False, a class with attributes
    sequential: bool | str = True


class BlockLibrary:
    """Collects the traced bodies, then makes the definitions (`finish`)."""

    def __init__(self) -> None:
        self._defs: list[_Definition] = []
        self._taken: set[str] = set()
        self._classes: dict[str, str] = {}  # Code node classes the importer wrote: name -> source

    def add(self, module: Any, path: str, body: Project, node: Node) -> str:
        """Record the body traced for one call of `module` (at `path`), drawn as instance
        `node`; returns the name of the definition it shares."""
        family = _family(module)
        structure = _structure(body, self)
        for definition in self._defs:
            if definition.structure == structure and definition.family == family:
                definition.instances.append(_Instance(node, body))
                return definition.name
        name = self._fresh_name(block_name_for(module, path))
        instances = [_Instance(node, body)]
        self._defs.append(_Definition(name, family, structure, instances, _written_as(module)))
        return name

    def claim_class(self, name: str, source: str) -> bool:
        """Whether a Code node's class made by the importer may be called `name` for `source`:
        the name is free, or that very source has it already (one class serves both)."""
        known = self._classes.get(name)
        if known is not None:
            return known == source
        if name in self._taken:
            return False
        self._taken.add(name)
        self._classes[name] = source
        return True

    def reserve(self, name: str) -> None:
        """Keep `name` from every definition (a Code node's class of that name is in the code)."""
        self._taken.add(name)

    def is_block(self, node_type: str) -> bool:
        return node_type in self._taken

    def finish(self, project: Project) -> None:
        """Add the definitions to `project`, inner ones first, with the parameters their
        instances differ in; set each instance node's values."""
        for definition in self._defs:
            params = _lift(definition)
            body = definition.instances[0].body
            body.set_name(definition.name)
            extra = {} if definition.sequential is True else {SEQUENTIAL_KEY: definition.sequential}
            project.blocks.add(BlockDef(definition.name, params, body, extra))

    def _fresh_name(self, preferred: str) -> str:
        stem = preferred
        if block_name_problem(stem) is not None:
            stem = identifier(stem, "Block")
            stem = stem[:1].upper() + stem[1:]
            if block_name_problem(stem) is not None:
                stem += "Block"
        name, k = stem, 1
        while name in self._taken:
            k += 1
            name = f"{stem}{k}"
        self._taken.add(name)
        return name


def _written_as(module: Any) -> bool | str:
    """How the block's code keeps the model's state_dict keys: an nn.Sequential numbering its
    children (`0`, `1`) where the model's does; a class with attributes for any other class,
    and for an nn.Sequential whose children have names that can be attributes (`conv0`); an
    nn.Sequential adding each child under its own name where that cannot (`block1-0`)."""
    import torch.nn as nn

    if not isinstance(module, nn.Sequential):
        return False
    names = [name for name, _ in module.named_children()]
    if names == [str(i) for i in range(len(names))]:
        return True
    return False if all(name.isidentifier() for name in names) else NAMED_CHILDREN


def _family(module: Any) -> str:
    cls = type(module)
    return f"{cls.__module__}.{cls.__qualname__}"


def block_name_for(module: Any, path: str) -> str:
    """`BasicBlock` for the model's class; `Layer1` for a plain nn.Sequential at `layer1`."""
    import torch.nn as nn

    if type(module) is nn.Sequential:
        parts = path.split(".")
        start = len(parts) - 1
        while start > 0 and not any(c.isalpha() for c in parts[start]):
            start -= 1  # `features.0` -> Features0; `layer2.0.downsample` -> Downsample
        words = [w for w in re.split(r"[^0-9A-Za-z]+", "_".join(parts[start:])) if w]
        text = "".join(w[:1].upper() + w[1:] for w in words)
        return text if text[:1].isalpha() else "Sequential"
    return type(module).__name__.lstrip("_") or "Block"  # as codegen names the class


def _structure(body: Project, library: BlockLibrary) -> tuple:
    """What instances must share to share a definition: everything but liftable values."""
    nodes = []
    for node in body.nodes:
        fixed = []
        spec = body.spec(node.type) if not library.is_block(node.type) else None
        for key, value in sorted(_positions(node).items()):
            if library.is_block(node.type):
                continue  # an inner instance's values are its block's parameters: all liftable
            default = spec.param_index[key].default if spec and key in spec.param_index else None
            if _liftable_with(value, default):
                continue  # where absent, it is the default: a value like the others
            if type(value) in LIFTABLE and default is None:
                fixed.append((key, "<a block parameter>"))  # always given: it may vary
            else:
                fixed.append((key, _frozen(value)))
        nodes.append((node.id, node.type, tuple(fixed)))
    edges = sorted((e.source, e.target, e.source_port, e.target_port) for e in body.edges)
    return tuple(nodes), tuple(edges)


def _liftable_with(value: Any, default: Any) -> bool:
    return type(value) in LIFTABLE and type(default) is type(value)


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _lift(definition: _Definition) -> tuple:
    """The block params: one per group of positions whose values vary alike across instances.

    A position is (node id, param) of the first body. Its values across the instances (absent
    means the layer's or inner block's default) decide: all equal -> stays a literal.
    """
    first = definition.instances[0].body
    vectors: dict[tuple[str, str], tuple] = {}
    for node in first.nodes:
        spec = first.spec(node.type)
        keys = set()
        for inst in definition.instances:
            keys |= set(_positions(inst.body.node(node.id)))
        for key in sorted(keys):
            default = _default(first, node.type, key, spec)
            values = tuple(
                _positions(inst.body.node(node.id)).get(key, default)
                for inst in definition.instances
            )
            if len(set(map(_typed, values))) > 1 and all(type(v) in LIFTABLE for v in values):
                vectors[(node.id, key)] = values
    groups: dict[tuple, list[tuple[str, str]]] = {}
    for position, values in vectors.items():
        groups.setdefault(tuple(map(_typed, values)), []).append(position)
    names = _param_names(list(groups.values()))
    params = []
    for (vector, positions), name in zip(groups.items(), names, strict=True):
        values = [v for _, v in vector]
        kind = {bool: "bool", int: "int", float: "float"}[type(values[0])]
        params.append(param_from_json(name, {"type": kind, "default": values[0]}))
        for node_id, key in positions:
            _set_position(first.node(node_id), key, f"${name}")
        for inst, value in zip(definition.instances, values, strict=True):
            inst.node.params[name] = value
    return tuple(params)


# A Code node's constructor arguments are positions of their own (`args.p`): stochastic depth's
# probability grows block by block, and one definition takes it as a block parameter.
_ARGS = "args."


def _positions(node: Node) -> dict[str, Any]:
    """The node's params, a Code node's `args` entries each as `args.<name>`."""
    found = dict(node.params)
    args = found.get("args")
    if node.type == "Code" and isinstance(args, dict):
        del found["args"]
        found.update({_ARGS + k: v for k, v in args.items()})
    return found


def _set_position(node: Node, key: str, value: Any) -> None:
    if key.startswith(_ARGS) and node.type == "Code":
        node.params["args"] = {**node.params.get("args", {}), key[len(_ARGS) :]: value}
    else:
        node.params[key] = value


def _typed(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, _frozen(value))


def _default(body: Project, node_type: str, key: str, spec: Any) -> Any:
    block = body.blocks.get(node_type)
    if block is not None:
        return block.param_index[key].default if key in block.param_index else None
    if spec is not None and key in spec.param_index:
        return spec.param_index[key].default
    return None


def _param_names(groups: list[list[tuple[str, str]]]) -> list[str]:
    """`out_channels` when one group alone varies that argument, else `conv1_out_channels`."""
    by_key: dict[str, int] = {}
    for positions in groups:
        for key in {k for _, k in positions}:
            by_key[key] = by_key.get(key, 0) + 1
    names: list[str] = []
    for positions in groups:
        node_id, key = positions[0]
        key = key.removeprefix(_ARGS)
        name = key if by_key[positions[0][1]] == 1 else f"{node_id}_{key}"
        name = identifier(name, "param")
        if keyword.iskeyword(name) or name == "self":
            name += "_"
        base, k = name, 1
        while name in names:
            k += 1
            name = f"{base}_{k}"
        names.append(name)
    return names
