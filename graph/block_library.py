"""The user's block library: a folder of block files, shared by every project.

A block file (`BasicBlock.block.json`) holds one block and every block it uses, in the project
file's own block form, so a block saved from one project is added to another complete:
`{"format": "netwright-block", "version": 2, "block": "BasicBlock", "blocks": {...}}`.
Reading one goes through the project file's checks (graph/fileio.py) and never runs anything.
Adding it to a project copies the definitions in; a block the project already has under the same
name is reused when it is the same, and the copy gets a fresh name (`BasicBlock2`) when not.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from graph.atomic_write import write_text_atomic
from graph.blocks import block_name_problem
from graph.fileio import (
    FORMAT,
    MAX_FILE_BYTES,
    VERSION,
    ProjectFileError,
    project_from_dict,
    project_to_dict,
)
from graph.grouping import EditLog
from graph.project import Project
from i18n import msg

LIBRARY_ENV = "NETWRIGHT_BLOCK_LIBRARY"  # a folder of one's own (tests, a shared team folder)
BLOCK_FORMAT = "netwright-block"
SUFFIX = ".block.json"


class LibraryError(ValueError):
    """A library file or request the library refuses; one line naming the file or block."""


class BlockLibrary:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path_of(self, name: str) -> Path:
        return self.folder / f"{name}{SUFFIX}"

    def names(self) -> list[str]:
        """The blocks in the folder, by name (files that are not block files are left alone)."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            name = path.name[: -len(SUFFIX)]
            if path.is_file() and block_name_problem(name) is None:
                found.append(name)
        return sorted(found, key=str.lower)

    # --- writing -------------------------------------------------------------------------------

    def save(self, project: Project, block: str) -> Path:
        """Write block `block` of `project` (with the blocks it uses) as `<block>.block.json`;
        an older file of that name is replaced."""
        if block not in project.blocks:
            raise LibraryError(msg("there is no block '{name}' to save", name=block))
        every = project_to_dict(project).get("blocks", {})
        needed = _needed(project, block)
        data = {
            "format": BLOCK_FORMAT,
            "version": VERSION,
            "block": block,
            "blocks": {name: every[name] for name in needed},
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path_of(block)
        write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return path

    def delete(self, name: str) -> None:
        path = self.path_of(name)
        if not path.is_file():
            raise LibraryError(msg("the block library has no block '{name}'", name=name))
        path.unlink()

    def rename(self, old: str, new: str) -> None:
        """Give a library block another name (its file and the block inside)."""
        problem = block_name_problem(new)
        if problem:
            raise LibraryError(problem)
        if new != old and self.path_of(new).exists():
            raise LibraryError(msg("the block library already has a block '{name}'", name=new))
        data = self.read(old)
        blocks = data["blocks"]
        if new != old and new in blocks:
            raise LibraryError(
                msg("block '{old}' uses a block called '{new}' already", old=old, new=new)
            )
        data["blocks"] = _renamed(blocks, {old: new})
        data["block"] = new
        write_text_atomic(self.path_of(new), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        if new != old:
            self.path_of(old).unlink()

    # --- reading -------------------------------------------------------------------------------

    def read(self, name: str) -> dict[str, Any]:
        """The checked contents of a library block's file; LibraryError naming the file if not."""
        path = self.path_of(name)
        where = str(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise LibraryError(msg("{path}: too large for a block file", path=where))
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LibraryError(msg("the block library has no block '{name}'", name=name)) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise LibraryError(
                msg("{path}: cannot read it ({error})", path=where, error=exc)
            ) from None
        if not isinstance(data, dict) or data.get("format") != BLOCK_FORMAT:
            raise LibraryError(
                msg(
                    '{path}: not a block file (expected "format": "{format}")',
                    path=where,
                    format=BLOCK_FORMAT,
                )
            )
        blocks = data.get("blocks")
        if data.get("block") != name or not isinstance(blocks, dict) or name not in blocks:
            raise LibraryError(
                msg("{path}: it does not hold a block called '{name}'", path=where, name=name)
            )
        try:
            _as_project(blocks, data.get("version"))
        except ProjectFileError as exc:
            raise LibraryError(msg("{path}: {error}", path=where, error=exc)) from None
        return data

    def insert(self, project: Project, name: str) -> tuple[EditLog, str]:
        """Copy library block `name` (and what it uses) into `project`; the log (for undo) and
        the name the block has there."""
        data = self.read(name)
        blocks: dict[str, Any] = data["blocks"]
        ours = project_to_dict(project).get("blocks", {})
        renames: dict[str, str] = {}
        taken = set(project.blocks.names()) | set(blocks)
        for block in _order(blocks):  # blocks that use others come after them
            entry = _renamed({block: blocks[block]}, renames)[block]
            if block in ours and ours[block] == entry:
                continue  # the project has this very block already
            if block in project.blocks:
                renames[block] = _fresh(block, taken)
                taken.add(renames[block])
        copied = _renamed(blocks, renames)
        wanted = [renames.get(b, b) for b in _order(blocks)]
        wanted = [b for b in wanted if b not in project.blocks]
        everything = {**ours, **copied}
        source = _as_project(everything, data.get("version"))
        log = EditLog()
        for block in wanted:
            definition, _ = source.remove_block(block)
            log.add_block(project, definition)
        return log, renames.get(name, name)


def default_folder() -> Path | None:
    """The folder `NETWRIGHT_BLOCK_LIBRARY` names, if set (the GUI falls back on the
    platform's application-data folder, see gui/block_library_view.py)."""
    folder = os.environ.get(LIBRARY_ENV)
    return Path(folder) if folder else None


def _needed(project: Project, block: str) -> list[str]:
    """`block` and every block it uses, directly or through others; used ones first."""
    found: list[str] = []

    def visit(name: str) -> None:
        if name in found:
            return
        definition = project.blocks.get(name)
        if definition is None:
            return
        found.append(name)  # before its uses: a block that contains itself stops here
        for used in definition.uses():
            visit(used)

    visit(block)
    return list(reversed(found))


def _order(blocks: dict[str, Any]) -> list[str]:
    """The file's blocks, each after the blocks it uses."""
    order: list[str] = []

    def visit(name: str, seen: frozenset[str]) -> None:
        if name in order or name in seen:
            return
        for node in blocks[name].get("nodes", []):
            used = node.get("type") if isinstance(node, dict) else None
            if isinstance(used, str) and used in blocks:
                visit(used, seen | {name})
        order.append(name)

    for name in blocks:
        visit(name, frozenset())
    return order


def _renamed(blocks: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    """The blocks with names (and the instance types inside them) changed by `renames`."""
    out = {}
    for name, entry in blocks.items():
        entry = dict(entry)
        entry["nodes"] = [
            {**n, "type": renames.get(n.get("type"), n.get("type"))} if isinstance(n, dict) else n
            for n in entry.get("nodes", [])
        ]
        out[renames.get(name, name)] = entry
    return out


def _fresh(name: str, taken: set[str]) -> str:
    i = 2
    while f"{name}{i}" in taken:
        i += 1
    return f"{name}{i}"


def _as_project(blocks: dict[str, Any], version: Any) -> Project:
    """The blocks read (and checked) as a project file with no drawing of its own."""
    return project_from_dict(
        {"format": FORMAT, "version": version, "name": "library", "blocks": blocks}
    )
