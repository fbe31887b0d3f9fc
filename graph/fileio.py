"""Reading and writing `.netwright.json` project files. Loading never executes anything."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from graph.atomic_write import write_text_atomic
from graph.blocks import BlockDef, BlockError, block_name_problem, param_from_json, param_to_json
from graph.expressions import is_expression
from graph.messages import printable
from graph.model_types import Edge, Node
from graph.params import ParamTypeError
from graph.project import Project, ProjectError
from graph.spec import get_spec
from graph.torch_nn import canonical
from i18n import msg

FORMAT = "netwright"
VERSION = 2  # 2 added blocks, repeat and shares; a file without them is still written as 1
FIRST_VERSION_WITH_BLOCKS = 2
MAX_FILE_BYTES = 64 * 1024 * 1024  # a drawing is kilobytes; refuse to parse something absurd
MAX_DEPTH = 32  # nesting of objects and lists; a project needs four or five levels
MAX_COORDINATE = 10**9  # canvas positions beyond this are garbage, not a layout

_TOP_KEYS = {"format", "version", "name", "nodes", "edges", "training", "blocks"}
_NODE_KEYS = {"id", "type", "params", "pos", "label", "repeat", "shares", "init"}
_BLOCK_KEYS = {"params", "nodes", "edges"}
_EDGE_KEYS = {"source", "target", "source_port", "target_port"}


class ProjectFileError(Exception):
    """The file cannot be read as a project. The message is one line for the user."""


def load_project(path: str | os.PathLike[str]) -> Project:
    path = Path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # /dev/zero would be read for ever, a FIFO would wait for a writer for ever.
            raise ProjectFileError(
                msg("{path}: not a regular file (a device, pipe or socket)", path=path)
            )
        if info.st_size > MAX_FILE_BYTES:
            raise ProjectFileError(
                msg(
                    "{path}: the file is {size} bytes, too large for a project",
                    path=path,
                    size=info.st_size,
                )
            )
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # capped: the size stat gave can change meanwhile
        if len(data) > MAX_FILE_BYTES:
            raise ProjectFileError(
                msg(
                    "{path}: the file is more than {size} bytes, too large for a project",
                    path=path,
                    size=MAX_FILE_BYTES,
                )
            )
        text = data.decode("utf-8-sig")  # tolerate the BOM some editors write
    except ProjectFileError:
        raise
    except FileNotFoundError:
        raise ProjectFileError(msg("{path}: no such file", path=path)) from None
    except IsADirectoryError:
        raise ProjectFileError(msg("{path}: is a folder, not a project file", path=path)) from None
    except UnicodeDecodeError:
        raise ProjectFileError(
            msg("{path}: not a text file (it is not UTF-8)", path=path)
        ) from None
    except OSError as exc:
        raise ProjectFileError(
            msg("{path}: cannot be read ({strerror})", path=path, strerror=exc.strerror)
        ) from None
    try:
        return project_from_json(text)
    except ProjectFileError as exc:
        raise ProjectFileError(msg("{path}: {exc}", path=path, exc=exc)) from None


def project_from_json(text: str) -> Project:
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ProjectFileError(
            msg("not valid JSON ({error} at line {line})", error=exc.msg, line=exc.lineno)
        ) from None
    except RecursionError:
        raise ProjectFileError(msg("not valid JSON (nested too deeply)")) from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long for Python to convert
        raise ProjectFileError(
            msg("not valid JSON ({error})", error=_first_line(str(exc)))
        ) from None
    return project_from_dict(data)


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON: saving them again would write
    # a file that other tools cannot read.
    raise ValueError(f"{name} is not a JSON number")


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text


def project_from_dict(data: Any) -> Project:
    """Build a Project from parsed JSON, checking structure and param types as it goes."""
    if not isinstance(data, dict):
        raise ProjectFileError(msg("a project file must hold a JSON object"))
    _check_values(data)
    if data.get("format") != FORMAT:
        raise ProjectFileError(
            msg('not a Netwright project (expected "format": "{format}")', format=FORMAT)
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(msg('"version" must be a whole number, 1 or more'))
    if version > VERSION:
        raise ProjectFileError(
            msg(
                "made by a newer Netwright (file version {version}, this one reads {readable})",
                version=version,
                readable=VERSION,
            )
        )
    name = data.get("name", "Untitled")
    if not isinstance(name, str):
        raise ProjectFileError(msg('"name" must be a string'))
    training = data.get("training", {})
    if not isinstance(training, dict):
        raise ProjectFileError(msg('"training" must be an object'))
    v2 = version >= FIRST_VERSION_WITH_BLOCKS  # a version-1 file keeps such keys as unknown ones
    blocks = _blocks(data.get("blocks", {})) if v2 else []
    nodes, edges = _drawing(data, v2)
    top_keys = _TOP_KEYS if v2 else _TOP_KEYS - {"blocks"}
    extra = {k: v for k, v in data.items() if k not in top_keys}
    try:
        return Project(name, nodes, edges, training, extra, blocks)
    except (ProjectError, BlockError) as exc:
        raise ProjectFileError(exc.args[0]) from None


def _drawing(data: dict[str, Any], v2: bool) -> tuple[list[Node], list[Edge]]:
    """The nodes and wires of the top level or of one block."""
    nodes = [_node(i, raw, v2) for i, raw in enumerate(_list(data, "nodes"))]
    ids: set[str] = set()
    for node in nodes:
        if node.id in ids:
            raise ProjectFileError(msg("two nodes have the id '{id}'", id=node.id))
        ids.add(node.id)
    edges = [_edge(i, raw, ids) for i, raw in enumerate(_list(data, "edges"))]
    return nodes, edges


def _blocks(raw: Any) -> list[BlockDef]:
    if not isinstance(raw, dict):
        raise ProjectFileError(msg('"blocks" must be an object of block name -> block'))
    blocks = []
    for name, entry in raw.items():
        problem = block_name_problem(name)
        if problem:
            raise ProjectFileError(problem)
        where = msg("block '{name}'", name=name)
        if not isinstance(entry, dict):
            raise ProjectFileError(msg("{where} must be an object", where=where))
        declared = entry.get("params", {})
        if not isinstance(declared, dict):
            raise ProjectFileError(msg('{where}: "params" must be an object', where=where))
        try:
            params = tuple(param_from_json(pname, spec) for pname, spec in declared.items())
            nodes, edges = _drawing(entry, True)
            body = Project(name, nodes, edges)
        except (ProjectFileError, BlockError, ProjectError) as exc:
            raise ProjectFileError(msg("{where}: {exc}", where=where, exc=exc.args[0])) from None
        extra = {k: v for k, v in entry.items() if k not in _BLOCK_KEYS}
        blocks.append(BlockDef(name, params, body, extra))
    return blocks


def _check_values(data: Any) -> None:
    """Refuse, before anything recursive walks the data, nesting deeper than MAX_DEPTH (a copy,
    a repr or a save would overflow the stack) and text no file can hold (an unpaired surrogate
    from a `\\ud800` escape: valid here, a UnicodeEncodeError when printed or saved)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                raise ProjectFileError(_surrogate_message(path, value))
            continue
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if len(path) >= MAX_DEPTH:
            raise ProjectFileError(
                msg(
                    "{where} is nested more than {limit} levels deep",
                    where=_where(path),
                    limit=MAX_DEPTH,
                )
            )
        for key, item in items:
            if isinstance(key, str) and _has_surrogate(key):
                raise ProjectFileError(_surrogate_message((*path, key), key))
            stack.append((item, (*path, key)))


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_message(path: tuple[Any, ...], text: str) -> Any:
    char = next(c for c in text if 0xD800 <= ord(c) <= 0xDFFF)
    return msg(
        "{where} holds an unpaired surrogate ({char}), text that no file or terminal can encode",
        where=_where(path),
        char=f"\\u{ord(char):04x}",
    )


def _where(path: tuple[Any, ...]) -> str:
    """`nodes[2].label`; a deep path keeps its first steps: `training.a.b.c.d.e…`."""
    text = ""
    for step in path[:6]:
        text += (
            f"[{step}]"
            if isinstance(step, int)
            else f".{printable(step)}"
            if text
            else printable(step)
        )
    return (text + ("…" if len(path) > 6 else "")) or "the file"


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProjectFileError(msg('"{key}" must be a list', key=key))
    return value


def _node(i: int, raw: Any, v2: bool = True) -> Node:
    where = msg("node {number}", number=i + 1)
    if not isinstance(raw, dict):
        raise ProjectFileError(msg("{where} must be an object", where=where))
    node_id = raw.get("id")
    if not isinstance(node_id, str) or not node_id:
        raise ProjectFileError(msg('{where} needs an "id" that is a non-empty string', where=where))
    where = msg("node '{id}'", id=node_id)
    node_type = raw.get("type")
    if not isinstance(node_type, str) or not node_type:
        raise ProjectFileError(msg('{where} needs a "type" that is a string', where=where))
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ProjectFileError(msg('{where}: "params" must be an object', where=where))
    node_type, params = canonical(node_type, params)  # LazyLinear is read as Linear
    spec = get_spec(node_type)
    if spec is not None:  # unknown types and param names are validation problems, not read errors
        for pname, value in params.items():
            param = spec.param_index.get(pname)
            if param is None or (v2 and is_expression(value)):
                continue  # an expression is checked with the values of each instance
            try:
                param.check(value)
            except ParamTypeError as exc:
                raise ProjectFileError(msg("{where}: {exc}", where=where, exc=exc)) from None
            except ValueError:
                pass  # out of bounds: reported by validation, on the node
    pos = raw.get("pos")
    if pos is not None:
        if not isinstance(pos, list) or len(pos) != 2 or not all(_is_coordinate(v) for v in pos):
            raise ProjectFileError(msg('{where}: "pos" must be [x, y]', where=where))
        pos = (float(pos[0]), float(pos[1]))
    label = raw.get("label")
    if label is not None and not isinstance(label, str):
        raise ProjectFileError(msg('{where}: "label" must be a string', where=where))
    init = raw.get("init", {})
    if not isinstance(init, dict):
        raise ProjectFileError(msg('{where}: "init" must be an object', where=where))
    repeat = shares = None
    if v2:
        repeat = raw.get("repeat")
        if (
            repeat is not None
            and not is_expression(repeat)
            and (isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1)
        ):
            raise ProjectFileError(
                msg(
                    '{where}: "repeat" must be a whole number, 1 or more, or an expression',
                    where=where,
                )
            )
        shares = raw.get("shares")
        if shares is not None and (not isinstance(shares, str) or not shares):
            raise ProjectFileError(msg('{where}: "shares" must be the id of a node', where=where))
    keys = _NODE_KEYS if v2 else _NODE_KEYS - {"repeat", "shares"}
    extra = {k: v for k, v in raw.items() if k not in keys}
    return Node(node_id, node_type, dict(params), pos, label, extra, repeat, shares, dict(init))


def _is_coordinate(v: Any) -> bool:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    return math.isfinite(v) if isinstance(v, float) else abs(v) <= MAX_COORDINATE


def _edge(i: int, raw: Any, ids: set[str]) -> Edge:
    where = msg("edge {number}", number=i + 1)
    if not isinstance(raw, dict):
        raise ProjectFileError(msg("{where} must be an object", where=where))
    ends = []
    for key in ("source", "target"):
        value = raw.get(key)
        if not isinstance(value, str):
            raise ProjectFileError(msg('{where} needs a "{key}" node id', where=where, key=key))
        if value not in ids:
            raise ProjectFileError(
                msg(
                    "{where} refers to node '{value}', which does not exist",
                    where=where,
                    value=value,
                )
            )
        ends.append(value)
    ports = []
    for key in ("source_port", "target_port"):
        value = raw.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ProjectFileError(
                msg('{where}: "{key}" must be a whole number, 0 or more', where=where, key=key)
            )
        ports.append(value)
    extra = {k: v for k, v in raw.items() if k not in _EDGE_KEYS}
    return Edge(ends[0], ends[1], ports[0], ports[1], extra)


def project_to_dict(project: Project) -> dict[str, Any]:
    version = VERSION if _uses_blocks(project) else 1
    data: dict[str, Any] = {"format": FORMAT, "version": version, "name": project.name}
    if len(project.blocks):
        data["blocks"] = {b.name: _block_dict(b) for b in project.blocks}
    data.update(_drawing_dict(project))
    if project.training:
        data["training"] = project.training
    data.update(project.extra)
    return data


def _uses_blocks(project: Project) -> bool:
    """Whether the project needs file version 2 (blocks, repeat or shares)."""
    if len(project.blocks):
        return True
    return any(n.repeat is not None or n.shares is not None for n in project.nodes)


def _block_dict(block: BlockDef) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if block.params:
        entry["params"] = {p.name: param_to_json(p) for p in block.params}
    entry.update(_drawing_dict(block.body))
    entry.update(block.extra)
    return entry


def _drawing_dict(project: Project) -> dict[str, Any]:
    nodes = []
    for node in project.nodes:
        entry: dict[str, Any] = {"id": node.id, "type": node.type}
        if node.params:  # "params" may be left out of a file, and is when there are none
            entry["params"] = dict(node.params)
        if node.label:
            entry["label"] = node.label
        if node.repeat is not None:
            entry["repeat"] = node.repeat
        if node.shares is not None:
            entry["shares"] = node.shares
        if node.init:
            entry["init"] = node.init
        if node.pos is not None:
            entry["pos"] = [_coordinate(node.pos[0]), _coordinate(node.pos[1])]
        entry.update(node.extra)
        nodes.append(entry)
    return {"nodes": nodes, "edges": [_edge_dict(e) for e in project.edges]}


def _edge_dict(edge: Edge) -> dict[str, Any]:
    entry: dict[str, Any] = {"source": edge.source, "target": edge.target}
    if edge.source_port:
        entry["source_port"] = edge.source_port
    if edge.target_port:
        entry["target_port"] = edge.target_port
    entry.update(edge.extra)
    return entry


def _coordinate(v: float) -> float | int:
    v = round(float(v), 2)
    return int(v) if v.is_integer() else v


def project_to_json(project: Project) -> str:
    """The file text: one line per node and per wire, so a diff shows what changed."""
    data = project_to_dict(project)
    lines = ["{"]
    nested = "blocks" if len(project.blocks) else None  # else an unknown key of a version-1 file
    _object_lines(data, lines, "  ", ("nodes", "edges"), nested)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _object_lines(
    data: dict[str, Any],
    lines: list[str],
    indent: str,
    row_keys: tuple[str, ...],
    nested: str | None = None,
) -> None:
    """The items of `data`, one per line, except that the lists under `row_keys` get a line per
    entry and the object under `nested` (the blocks) is laid out the same way, one level in."""
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key in row_keys and isinstance(value, list) and value:
            lines.append(f"{indent}{json.dumps(key)}: [")
            rows = [_one_line(v) for v in value]
            lines.extend(f"{indent}  {row}," for row in rows[:-1])
            lines.append(f"{indent}  {rows[-1]}")
            lines.append(f"{indent}]{comma}")
        elif key == nested and isinstance(value, dict) and value:
            lines.append(f"{indent}{json.dumps(key)}: {{")
            names = list(value)
            for j, name in enumerate(names):
                lines.append(f"{indent}  {json.dumps(name)}: {{")
                _object_lines(value[name], lines, indent + "    ", row_keys)
                lines.append(f"{indent}  }}{',' if j < len(names) - 1 else ''}")
            lines.append(f"{indent}}}{comma}")
        else:
            lines.append(f"{indent}{json.dumps(key)}: {_one_line(value)}{comma}")


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write atomically: a crash mid-save leaves the old file intact. The file gets the user's
    normal permissions, or keeps those of the file it replaces."""
    write_text_atomic(path, project_to_json(project))
