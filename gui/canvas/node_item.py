"""A layer on the canvas: type, name, key params, output shape, parameter count and problems.

The item shows what the Project and its validation Report say; it never edits either. Texts are
worked out when the content changes, so painting (cached per device pixel) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graph import LayerSpec, Node, NodeReport, format_shape, get_spec
from graph.arithmetic import explain
from gui.canvas.port_item import PortItem, paint_port
from gui.canvas.style import (
    BADGE_RADIUS,
    CORNER,
    HEADER_HEIGHT,
    NODE_HEIGHT,
    NODE_WIDTH,
    PORT_RADIUS,
    PORT_SPACING,
    ROW_HEIGHT,
    CanvasStyle,
    format_count,
)
from i18n import localize, msg

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from gui.canvas.wire_item import WireItem

_PAD = 9.0


def input_port_count(spec: LayerSpec | None, wired_ports: set[int], params: dict) -> int:
    """Ports to show: merges (Add, Concat) show their wired ports plus one free port."""
    top = max(wired_ports, default=-1) + 1
    if spec is None:
        return max(top, 1)
    if spec.variadic:
        return max(len(spec.input_names(params)), top + 1)
    return max(len(spec.input_names(params)), top)


def output_port_count(spec: LayerSpec | None, wired_ports: set[int], params: dict) -> int:
    """Outputs whose number follows from the input (Split by size) show one free port more."""
    top = max(wired_ports, default=-1) + 1
    if spec is None:
        return max(top, 1)
    names = spec.output_names(params)
    return top + 1 if names is None else max(len(names), top)


class BadgeItem(QGraphicsItem):
    """The problem marker on a node's corner; hovering shows the messages."""

    def __init__(self, node: NodeItem) -> None:
        super().__init__(node)
        self.node_item = node
        self.severity = "error"
        self.messages: list[str] = []
        self.fixable = False  # a light bulb: clicking the badge offers fixes
        self.setAcceptHoverEvents(True)
        self.setZValue(3)
        self.setPos(NODE_WIDTH - 3.0, 3.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_problems(self, severity: str, messages: list[str]) -> None:
        self.severity, self.messages = severity, messages
        self.setToolTip("\n".join(f"• {m}" if len(messages) > 1 else m for m in messages))
        self.update()

    def set_fixable(self, fixable: bool) -> None:
        if fixable != self.fixable:
            self.prepareGeometryChange()
            self.fixable = fixable
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if fixable else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.scene()
        if self.fixable and hasattr(scene, "fixesRequested"):
            scene.fixesRequested.emit(self.node_item.node_id, event.screenPos())
            event.accept()
            return
        super().mousePressEvent(event)

    def boundingRect(self) -> QRectF:
        r = BADGE_RADIUS + 1.5
        return QRectF(-r - (BADGE_RADIUS if self.fixable else 0), -r, 2 * r + BADGE_RADIUS, 2 * r)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.node_item.style
        colour = style.error if self.severity == "error" else style.warning
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(style.node_fill, 2.0))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(0, 0), BADGE_RADIUS, BADGE_RADIUS)
        painter.setPen(QPen(Qt.GlobalColor.white))
        painter.setFont(style.title_font)
        mark = "!" if len(self.messages) < 2 else str(min(len(self.messages), 9))
        r = BADGE_RADIUS + 1.5
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, mark)
        if self.fixable:  # the light bulb: a small yellow lamp left of the badge
            painter.setPen(QPen(style.node_fill, 1.5))
            painter.setBrush(QColor("#f5c518"))
            painter.drawEllipse(
                QPointF(-BADGE_RADIUS * 1.55, 0), BADGE_RADIUS * 0.6, BADGE_RADIUS * 0.6
            )


def NOT_CALLED_TEXT() -> str:
    return translate(
        "Canvas",
        "Kept, not called: the imported model owns this module (its weights are in the "
        "state_dict) but its forward never calls it",
    )


class NodeItem(QGraphicsRectItem):
    """A node. Its bounds are a C++ rect (QGraphicsRectItem), so a repaint of a large drawing
    never calls into Python for geometry; only a changed node repaints its cached pixmap."""

    def __init__(self, node_id: str, style: CanvasStyle) -> None:
        super().__init__()
        self.node_id = node_id
        self.style = style
        self.wires: set[WireItem] = set()
        self.inputs: list[PortItem] = []
        self.outputs: list[PortItem] = []
        self.report: NodeReport | None = None
        self.category = ""
        self._type = ""
        self._name = ""
        self._summary = ""
        self._shape = ""
        self._params = ""
        self._shares = ""
        self._severity = ""  # "", "warning" or "error"
        self.run_failure: str | None = None  # why the last run failed here (the view marks it)
        self._insert_target = False  # dragged over a wire it would be inserted on: outline it
        self.not_called = False
        self._sink = False
        self._texts_dirty = True
        self.height = NODE_HEIGHT
        self.setPen(Qt.PenStyle.NoPen)
        self._update_bounds()
        self.badge = BadgeItem(self)
        self.badge.hide()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(False)
        self.setZValue(1)

    # --- content -------------------------------------------------------------------------------

    def set_node(
        self, node: Node, spec: LayerSpec | None, wired_in: set[int], wired_out: set[int]
    ) -> bool:
        """Type, name, summary and ports from the model; True if the ports moved."""
        self.category = spec.category if spec else "Unknown"
        # a repeated node (N copies in sequence) says so after its type: `BasicBlock ×2`
        repeat = f" ×{node.repeat}" if node.repeat not in (None, 1) else ""
        self._type = f"{node.type}{repeat}" + (" ❄" if node.frozen else "")
        self._name = node.name
        self._shares = node.shares or ""  # calls that node's layer: says so where params go
        self.not_called = node.not_called  # kept, never called: drawn greyed
        self.setOpacity(0.45 if self.not_called else 1.0)
        summary = ""
        if spec is not None and spec.summary is not None:
            try:
                summary = spec.summary({**spec.defaults(), **node.params})
            except Exception:  # a half-typed param must not break drawing; the report says why
                summary = ""
        self._summary = summary
        self._sink = spec is not None and spec.is_sink
        before = (len(self.inputs), len(self.outputs), self.height)
        self._fit_height()
        params = node.params
        count_in = input_port_count(spec, wired_in, params)
        self._sync_ports(self.inputs, count_in, False, wired_in, spec, params)
        count_out = output_port_count(spec, wired_out, params)
        self._sync_ports(self.outputs, count_out, True, wired_out, spec, params)
        self._texts_dirty = True
        self.update()
        return before != (len(self.inputs), len(self.outputs), self.height)

    def _fit_height(self) -> None:
        """Two text rows when there is a summary or a parameter count, else one."""
        rows = 2 if (self._summary or self._params) else 1
        height = HEADER_HEIGHT + rows * ROW_HEIGHT + 8.0
        if height != self.height:
            self.height = height
            self._update_bounds()
            for port in self.outputs:
                port.setPos(port.pos().x(), height)

    def set_name(self, name: str) -> None:
        self._name = name
        self._texts_dirty = True
        self.update()

    @property
    def params_text(self) -> str:
        """What the node says of its parameter count ("156 params"), as drawn."""
        return self._params

    def set_report(self, report: NodeReport | None) -> None:
        """Shapes, parameter count and problems from validation."""
        self.report = report
        if report is None:
            self._shape, self._params, self._severity = "", "", ""
            self.badge.hide()
        else:
            shapes = [format_shape(s) for s in report.output_shapes]
            if self._sink:
                shapes = [format_shape(s) for s in report.input_shapes]
                self._shape = "  ".join(shapes)
            else:
                self._shape = "→ " + "  ".join(shapes) if shapes else ""
            if report.params:
                count = format_count(report.params)
                self._params = translate("Canvas", "{count} params").format(count=count)
            elif self._shares:  # its weights are counted once, on the node it shares
                self._params = translate("Canvas", "shares {node}").format(node=self._shares)
            else:
                self._params = ""
            errors = [localize(p.message) for p in report.problems if p.severity == "error"]
            warnings = [localize(p.message) for p in report.problems if p.severity == "warning"]
            self._severity = "error" if errors else "warning" if warnings else ""
            if self._severity:
                self.badge.set_problems(self._severity, errors + warnings)
                self.badge.show()
            else:
                self.badge.hide()
        self._fit_height()
        self._texts_dirty = True
        self.setToolTip(self._tooltip())
        self.update()

    def set_run_failure(self, message: str | None) -> None:
        """Mark the node where the last training run failed (None: clear the mark)."""
        if message != self.run_failure:
            self.run_failure = message
            self.setToolTip(self._tooltip())
            self.update()

    def set_style(self, style: CanvasStyle) -> None:
        self.style = style
        self._texts_dirty = True
        self.update()
        self.badge.update()
        for port in self.inputs + self.outputs:
            port.update()

    def set_overview(self, on: bool) -> None:
        """While the overview draws the drawing, the node and its badge paint nothing."""
        no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        self.setFlag(no_contents, on)
        self.badge.setFlag(no_contents, on)

    @property
    def insert_target(self) -> bool:
        return self._insert_target

    def set_insert_target(self, on: bool) -> None:
        if on != self._insert_target:
            self._insert_target = on
            self.update()

    @property
    def severity(self) -> str:
        return self._severity

    @property
    def display_texts(self) -> tuple[str, str, str, str, str]:
        """What the node shows (type, name, summary, shape, params): for tests and tooltips."""
        return self._type, self._name, self._summary, self._shape, self._params

    def _elide(self) -> None:
        """Fit the texts to the node; done when painting, after all of a change has arrived."""
        self._texts_dirty = False
        style = self.style
        inner = NODE_WIDTH - 2 * _PAD
        header = inner - self._badge_room()
        # The type and the name share the header: each gets what it needs if both fit,
        # otherwise the type keeps up to 60% and the name the rest.
        type_w = style.title_text.width(self._type)
        name_w = style.body_text.width(self._name)
        if type_w + name_w + 10 > header:
            type_w = min(type_w, max(header * 0.6, header - name_w - 10))
            name_w = header - type_w - 10
        self._type_text = style.title_text.elide(self._type, type_w + 1)
        self._name_text = style.body_text.elide(self._name, name_w + 1)
        self._params_text = self._params
        params_w = style.small_text.width(self._params)
        self._summary_text = style.body_text.elide(self._summary, inner - params_w - 6)
        self._shape_text = style.small_text.elide(self._shape, inner)

    def _badge_room(self) -> float:
        """Header width the problem badge covers on the right, when it shows."""
        return BADGE_RADIUS + 2.0 if self._severity else 0.0

    def _tooltip(self) -> str:
        lines = [f"{self._type} '{self._name}'"]
        if self._summary:
            lines.append(self._summary)
        if self._shape:
            lines.append(translate("Canvas", "output {shape}").format(shape=self._shape[2:]))
        if self.report is not None:  # "Why this shape?": the arithmetic, with its numbers
            lines += [f"  {f.text}" for f in explain(get_spec(self._type), self.report)]
        if self._params:
            lines.append(self._params)
        if self.not_called:
            lines.append(NOT_CALLED_TEXT())
        if self.run_failure:
            lines.append(
                translate("Canvas", "The last run failed here: {message}").format(
                    message=self.run_failure
                )
            )
        return "\n".join(lines)

    def _sync_ports(
        self,
        ports: list[PortItem],
        count: int,
        is_output: bool,
        wired: set[int],
        spec: LayerSpec | None,
        params: dict,
    ) -> None:
        while len(ports) > count:
            port = ports.pop()
            port.setParentItem(None)
            if port.scene() is not None:
                port.scene().removeItem(port)
        while len(ports) < count:
            ports.append(PortItem(self, is_output, len(ports)))
        y = self.height if is_output else 0.0
        start = NODE_WIDTH / 2 - (count - 1) * PORT_SPACING / 2
        names: tuple[str, ...] = ()
        if spec is not None:
            names = (spec.output_names(params) if is_output else spec.input_names(params)) or ()
        for i, port in enumerate(ports):
            port.setPos(start + i * PORT_SPACING, y)
            port.set_wired(i in wired)
            fallback = msg("output {port}", port=i) if is_output else msg("input {port}", port=i)
            name = localize(names[i]) if i < len(names) else localize(fallback)
            port.setToolTip(name)

    # --- geometry ------------------------------------------------------------------------------

    def port_pos(self, is_output: bool, index: int) -> QPointF:
        """Scene position of a port (a wire's end), also for a port not shown (yet)."""
        ports = self.outputs if is_output else self.inputs
        if 0 <= index < len(ports):
            return ports[index].scenePos()
        return self.mapToScene(QPointF(NODE_WIDTH / 2, self.height if is_output else 0.0))

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, NODE_WIDTH, self.height)

    def name_rect(self) -> QRectF:
        """Where the name is drawn, in item coordinates (the inline editor goes here)."""
        return QRectF(NODE_WIDTH * 0.45, 0, NODE_WIDTH * 0.55 - _PAD + 2, HEADER_HEIGHT)

    def _update_bounds(self) -> None:
        # Ports stick out above and below; the node paints them (see PortItem).
        grow = PORT_RADIUS + 1.5
        self.setRect(QRectF(-2.5, -grow, NODE_WIDTH + 5, self.height + 2 * grow))

    # --- painting ------------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.style
        if self._texts_dirty:
            self._elide()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        rect = self.body_rect()
        header = style.category_colour(self.category)
        selected = self.isSelected()
        if lod < 0.45:
            self._paint_far(painter, lod, header, selected)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # Body and header band.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(style.node_fill))
        painter.drawRoundedRect(rect, CORNER, CORNER)
        band = QPainterPath()
        band.addRoundedRect(QRectF(0, 0, NODE_WIDTH, HEADER_HEIGHT + CORNER), CORNER, CORNER)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, NODE_WIDTH, HEADER_HEIGHT))
        painter.setBrush(header)
        painter.drawPath(band.intersected(clip))
        # Outline: selection beats problems beats the plain border.
        if selected or self._insert_target:
            pen = QPen(style.selection, 2.5)
        elif self.run_failure:
            pen = QPen(style.error, 3.0, Qt.PenStyle.DashLine)
        elif self._severity == "error":
            pen = QPen(style.error, 1.8)
        else:
            pen = QPen(style.node_border, 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, CORNER, CORNER)
        for port in self.inputs + self.outputs:
            paint_port(painter, port)
        # Texts.
        head = QRectF(_PAD, 0, NODE_WIDTH - 2 * _PAD - self._badge_room(), HEADER_HEIGHT)
        painter.setPen(style.header_text(header))
        painter.setFont(style.title_font)
        painter.drawText(head, _LEFT, self._type_text)
        painter.setFont(style.body_font)
        painter.drawText(head, _RIGHT, self._name_text)
        row = QRectF(_PAD, HEADER_HEIGHT + 3, NODE_WIDTH - 2 * _PAD, ROW_HEIGHT)
        if self._summary or self._params:
            painter.setPen(style.text)
            painter.drawText(row, _LEFT, self._summary_text)
            painter.setFont(style.small_font)
            painter.setPen(style.muted_text)
            painter.drawText(row, _RIGHT, self._params_text)
            row = row.translated(0, ROW_HEIGHT)
        painter.setFont(style.small_font)
        painter.setPen(style.muted_text)
        painter.drawText(row, _LEFT, self._shape_text)

    def _paint_far(self, painter: QPainter, lod: float, fill: QColor, selected: bool) -> None:
        """Zoomed out: a block in the category colour, its type written as large as fits so
        it stays readable (about 11 px on screen) down to a fifth of full size."""
        style = self.style
        rect = self.body_rect()
        if selected or self._severity == "error":
            pen = QPen(style.selection if selected else style.error, 2.5 / lod)
        else:
            pen = QPen(style.node_border, 0)
        # Square corners and no antialiasing: a few pixels of curve are not worth their cost.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRect(rect)
        if lod >= 0.35:
            for port in self.inputs + self.outputs:
                paint_port(painter, port)
        if lod < 0.18:
            return  # a few pixels: no text would be legible (the overview draws this anyway)
        # Written in device pixels with fixed 11 px (or 9 px) fonts: the same glyphs serve
        # every zoom step, where a font scaled with the zoom would be rasterized anew each time.
        box = painter.worldTransform().mapRect(rect).adjusted(4, 0, -4, 0)
        fitter = style.far_text
        if fitter.width(self._type) > box.width():
            fitter = style.far_small_text
        painter.save()
        painter.resetTransform()
        painter.setFont(fitter.font)
        painter.setPen(style.header_text(fill))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, fitter.elide(self._type, box.width()))
        painter.restore()


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
