"""Where the canvas looks: zoom, fit, centring, panning and the overview's level of detail.

The navigator moves one QGraphicsView over the scene and never edits the drawing. A fit keeps the
drawing readable (shapes show from SHAPES_ZOOM up) and is redone when the view is resized, until
the user zooms or pans by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsView

from gui.canvas.node_item import NodeItem
from gui.canvas.overview_item import BLOCKS_ZOOM, OVERVIEW_MIN_NODES, OVERVIEW_ZOOM
from gui.canvas.scene import CanvasScene

MIN_ZOOM, MAX_ZOOM = 10, 400
ZOOM_STEP = 1.15
# Nodes print their shapes and parameter counts from a 0.45 scale up (NodeItem.paint); a fit
# never goes below this, so that a fitted drawing still says what flows through it.
READABLE_ZOOM = 55
_FIT_MARGIN = 40


class Navigator:
    def __init__(
        self, view: QGraphicsView, scene: CanvasScene, zoom_changed: Callable[[int], None]
    ) -> None:
        self._view = view
        self._scene = scene
        self._zoom_changed = zoom_changed
        self._zoom = 100
        self._fit_pending = False  # fit once the view is shown at its real size
        self._fitted = False  # the view shows a fit: a resize fits again

    # --- zoom --------------------------------------------------------------------------------

    def zoom_percent(self) -> int:
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        """Zoom about the view's centre (a choice of the user's: no refit on resize)."""
        view = self._view
        anchor = view.transformationAnchor()
        view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self._apply_zoom(percent)
        view.setTransformationAnchor(anchor)

    def zoom_by(self, factor: float) -> None:
        """Zoom about the mouse (the wheel)."""
        self._apply_zoom(self._view.transform().m11() * 100 * factor)

    def step_zoom(self, steps: int) -> None:
        """Zoom in (steps > 0) or out by the keyboard's step about the view's centre."""
        self.set_zoom(round(self._zoom * ZOOM_STEP**steps))

    def _apply_zoom(self, percent: float, fitted: bool = False) -> None:
        self._fit_pending = False
        self._fitted = fitted
        percent = max(MIN_ZOOM, min(MAX_ZOOM, percent))
        scale = percent / 100.0
        self._view.setTransform(QTransform.fromScale(scale, scale))
        self.update_overview()
        new = round(percent)
        if new != self._zoom:
            self._zoom = new
            self._zoom_changed(new)

    def update_overview(self) -> None:
        """Level of detail: a large drawing seen from far away is painted as one overview."""
        scene = self._scene
        scale = self._view.transform().m11()
        large = len(scene.nodes) >= OVERVIEW_MIN_NODES
        scene.set_overview(scale < BLOCKS_ZOOM or (scale < OVERVIEW_ZOOM and large))

    # --- fitting -----------------------------------------------------------------------------

    def fit_when_shown(self) -> None:
        """Fit now if the view is on screen, else as soon as it is."""
        if self._view.isVisible():
            self.fit()
        else:
            self._fit_pending = True

    def fit(self) -> None:
        """The whole drawing at up to 100%, but never below READABLE_ZOOM: a drawing too big for
        that shows its beginning (top left), where a reader starts."""
        view = self._view
        rect = self._scene.nodes_rect()
        if rect.isNull():
            self._apply_zoom(100, fitted=True)
            view.centerOn(0, 0)
            return
        rect = rect.adjusted(-_FIT_MARGIN, -_FIT_MARGIN, _FIT_MARGIN, _FIT_MARGIN)
        viewport = view.viewport().rect()
        scale = min(viewport.width() / rect.width(), viewport.height() / rect.height())
        percent = max(READABLE_ZOOM, min(100, round(scale * 100)))
        self._apply_zoom(percent, fitted=True)
        shown = view.mapToScene(viewport).boundingRect()
        centre = rect.center()
        if shown.width() < rect.width():
            centre.setX(rect.left() + shown.width() / 2)
        if shown.height() < rect.height():
            centre.setY(rect.top() + shown.height() / 2)
        view.centerOn(centre)

    def view_resized(self) -> None:
        if (self._fit_pending or self._fitted) and self._view.isVisible():
            self.fit()

    def forget_fit(self) -> None:
        """The user moved the view by hand: keep it where they put it."""
        self._fitted = False

    # --- moving about ------------------------------------------------------------------------

    def center_on(self, item: NodeItem) -> None:
        self._view.centerOn(item.sceneBoundingRect().center())

    def reveal(self, item: NodeItem) -> None:
        """Scroll just enough to show `item` whole (keyboard moves between nodes)."""
        if not self.shows(item):
            self._view.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def shows(self, item: NodeItem) -> bool:
        return self.visible_rect().contains(item.sceneBoundingRect())

    def visible_rect(self) -> QRectF:
        view = self._view
        return view.mapToScene(view.viewport().rect()).boundingRect()

    def scroll_by(self, dx: float, dy: float) -> None:
        """Move the view by (dx, dy) pixels (panning, edge scrolling)."""
        self._fitted = False
        h, v = self._view.horizontalScrollBar(), self._view.verticalScrollBar()
        h.setValue(h.value() + round(dx))
        v.setValue(v.value() + round(dy))

    def centre_point(self) -> QPointF:
        view = self._view
        return view.mapToScene(view.viewport().rect().center())
