"""Which drawing the editor shows: the project, or a block opened from one of its instances.

Opening an instance (double-click) pushes its block's drawing; the breadcrumb, Escape and
Backspace go back up. Each level remembers the instance it was opened from, so the drawing is
shown with that instance's shapes: its report is the instance's own run of the block (copy 1
when it is repeated), found by walking the project's report down the path. A level whose
instance or block goes away (an undo, a delete) is closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Signal

from graph import Project, Report
from graph.events import ProjectEvent
from graph.instances import opened_run


@dataclass(frozen=True)
class Level:
    """One opened block: the instance it was opened from (in the drawing above) and its body."""

    instance_id: str
    block_name: str
    drawing: Project


class DrawingStack(QObject):
    changed = Signal(object)  # the drawing now shown (a Project: the top level or a body)
    modelChanged = Signal()  # something in the project changed (shapes inside may differ)
    failureChanged = Signal()  # a failed run was marked, or its mark cleared

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._levels: list[Level] = []
        # The last failed run: where (top-level node id, then ids inside blocks) and why.
        self._failure: tuple[tuple[str, ...], str] | None = None
        project.subscribe(self._on_event)

    # --- reading -------------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self._project

    @property
    def drawing(self) -> Project:
        """The drawing shown and edited now."""
        return self._levels[-1].drawing if self._levels else self._project

    @property
    def levels(self) -> list[Level]:
        return list(self._levels)

    @property
    def depth(self) -> int:
        return len(self._levels)

    def path(self) -> list[str]:
        """The instance ids from the top level down to the drawing shown."""
        return [level.instance_id for level in self._levels]

    def report(self) -> Report:
        """The shown drawing's report: the instance's run of its block, so inner nodes have the
        shapes of the instance they were opened from; the block's own check (ports unknown)
        where that instance has no run (its inputs are not known yet)."""
        report = self._project.validate()
        if not self._levels:
            return report
        opened = opened_run(self._project, report, self.path())
        return opened[1] if opened is not None else self.drawing.validate()

    # --- a failed run's mark ------------------------------------------------------------------

    def mark_failure(self, path: tuple[str, ...], message: str) -> None:
        """A run failed at `path` (`("b1", "fc2")`: instance b1, inner node fc2)."""
        self._failure = (tuple(path), message) if path else None
        self.failureChanged.emit()

    def clear_failure(self) -> None:
        if self._failure is not None:
            self._failure = None
            self.failureChanged.emit()

    def failed_node(self) -> tuple[str, str] | None:
        """The node of the shown drawing to mark, and why: the instance the failure is inside,
        or, with its block opened from that instance, the node inside."""
        if self._failure is None:
            return None
        path, message = self._failure
        here = self.path()
        if len(path) <= len(here) or list(path[: len(here)]) != here:
            return None
        return path[len(here)], message

    # --- moving --------------------------------------------------------------------------------

    def open(self, instance_id: str) -> bool:
        """Show the block of `instance_id` (a node of the drawing shown); False if it is none."""
        drawing = self.drawing
        if not drawing.has_node(instance_id):
            return False
        node = drawing.node(instance_id)
        block = self._project.blocks.get(node.type)
        if block is None:
            return False
        self._levels.append(Level(instance_id, block.name, block.body))
        self.changed.emit(self.drawing)
        return True

    def go_to(self, depth: int) -> None:
        """Back up to `depth` levels (0: the project itself)."""
        depth = max(0, min(depth, len(self._levels)))
        if depth != len(self._levels):
            del self._levels[depth:]
            self.changed.emit(self.drawing)

    def up(self) -> bool:
        """One level up; False at the top."""
        if not self._levels:
            return False
        self.go_to(len(self._levels) - 1)
        return True

    def replace(self, project: Project) -> None:
        """Another project was loaded: start again at its top level."""
        self._project.unsubscribe(self._on_event)
        self._project = project
        self._levels = []
        self._failure = None
        project.subscribe(self._on_event)
        self.changed.emit(project)

    # --- following the model -------------------------------------------------------------------

    def _on_event(self, event: ProjectEvent) -> None:
        if not shiboken6.isValid(self):
            # Qt deleted this stack with its document, but the project outlived them
            self._project.unsubscribe(self._on_event)
            return
        valid = self._valid_depth()
        if valid < len(self._levels):
            self.go_to(valid)
        self.modelChanged.emit()

    def _valid_depth(self) -> int:
        """How many levels still stand: each instance is still there, of a block that still has
        the body shown."""
        above = self._project
        for depth, level in enumerate(self._levels):
            block = self._project.blocks.get(level.block_name)
            if (
                block is None
                or block.body is not level.drawing
                or not above.has_node(level.instance_id)
                or above.node(level.instance_id).type != level.block_name
            ):
                return depth
            above = level.drawing
        return len(self._levels)
