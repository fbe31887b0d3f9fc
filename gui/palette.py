"""The layer palette: every layer spec by category, searchable, dragged onto the canvas or added
with a double-click / Enter after the selected node."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QIcon, QKeyEvent, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from graph import LayerSpec, all_specs
from gui.mime import LAYER_MIME, LIBRARY_PREFIX, library_name
from gui.retranslate import OWN_ITEM_TEXTS
from gui.theme import category_color
from i18n import localize

translate = QCoreApplication.translate

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # lower-case text a search matches
COLOR_ROLE = Qt.ItemDataRole.UserRole + 3  # the category colour


def spec_tooltip(spec: LayerSpec) -> str:
    """Rich-text tooltip: what the layer does and its arguments with their types and defaults."""
    lines = [f"<b>{html.escape(spec.type)}</b> <i>({html.escape(localize(spec.category))})</i>"]
    lines.append(html.escape(localize(spec.doc)))
    if spec.params:
        rows = []
        for p in spec.params:
            if p.inferred:
                extra = translate("Palette", " — inferred")
            elif p.required:
                extra = translate("Palette", " — set")
            else:
                extra = f" = {p.default!r}"
            rows.append(
                f"<tt>{html.escape(p.name)}</tt>: {html.escape(p.describe_type())}"
                f"{html.escape(extra)}<br>&nbsp;&nbsp;<small>{html.escape(localize(p.doc))}</small>"
            )
        lines.append("<br>".join(rows))
    return "<p style='white-space:pre-wrap'>" + "<br><br>".join(lines) + "</p>"


def _dot(color: str) -> QIcon:
    pm = QPixmap(24, 24)  # drawn large, shown small: stays sharp at 200% scaling
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(4, 4, 16, 16, 4, 4)
    painter.end()
    return QIcon(pm)


def _drag_chip(text: str, color: str, widget: QWidget) -> QPixmap:
    """What follows the pointer while a layer is dragged: its name on its category colour."""
    ratio = widget.devicePixelRatioF()
    metrics = widget.fontMetrics()
    width, height = metrics.horizontalAdvance(text) + 20, metrics.height() + 10
    pm = QPixmap(int(width * ratio), int(height * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(0, 0, width, height, 6, 6)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(widget.font())
    painter.drawText(0, 0, width, height, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pm


def _is_undo_or_redo(event: QKeyEvent) -> bool:
    """The window's undo and redo keys (Ctrl+Y included: not a standard binding everywhere)."""
    standard = QKeySequence.StandardKey
    if event.matches(standard.Undo) or event.matches(standard.Redo):
        return True
    return event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier


BLOCKS = "\x00blocks"  # the key of the project's own blocks among the categories
LIBRARY = "\x00library"  # the key of the user's block library among the categories


class PaletteTree(QTreeWidget):
    """The tree of layers; dragging a layer carries its type name as LAYER_MIME."""

    layerActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(12, 12))
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._activated)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange):
            # Uniform rows keep the height measured first. Measured before the style sheet's
            # item padding reached this widget (it is polished when first shown), every row
            # stayed cramped (14 px, not 20) until a block was added.
            self.scheduleDelayedItemsLayout()
        return handled

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        layer_type = item.data(0, TYPE_ROLE)
        if layer_type:
            self.layerActivated.emit(layer_type)

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            data.setData(LAYER_MIME, types[0].encode("utf-8"))
            data.setText(types[0])
        return data

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def startDrag(self, actions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None or not item.data(0, TYPE_ROLE):
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(_drag_chip(item.text(0), item.data(0, COLOR_ROLE), self))
        drag.exec(Qt.DropAction.CopyAction)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter adds the layer on every platform (Qt's "activated" on Enter varies by style).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._activated(self.currentItem(), 0)
            return
        super().keyPressEvent(event)


class PaletteWidget(QWidget):
    """Search box over the layer tree. `layerActivated(type)` asks the window to add a layer."""

    layerActivated = Signal(str)
    saveToLibrary = Signal(str)  # a project block to save to the user's block library
    renameInLibrary = Signal(str)  # a library block to rename
    deleteFromLibrary = Signal(str)  # a library block to delete

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context_menu: QMenu | None = None  # the open right-click menu (tests read it)
        self.search = QLineEdit(self)
        self.search.setObjectName("paletteSearch")
        self.search.setAccessibleName(self.tr("Search layers"))
        self.search.setAccessibleDescription(
            self.tr(
                "Type part of a layer's name; Enter adds the first match after the selected layer."
            )
        )
        self.search.setPlaceholderText(translate("Palette", "Search layers  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.tree = PaletteTree(self)
        self.tree.setProperty(OWN_ITEM_TEXTS, True)  # layer types are data, never translated
        self.tree.setAccessibleName(self.tr("Layers"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._categories: dict[str, QTreeWidgetItem] = {}
        self._layer_items: list[tuple[LayerSpec, QTreeWidgetItem]] = []
        self._populate()
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._add_first_match)
        self.search.installEventFilter(self)
        self.tree.layerActivated.connect(self.layerActivated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self.show_menu)

    def _populate(self) -> None:
        for spec in all_specs():  # already in palette order, category by category
            parent = self._categories.get(spec.category)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [localize(spec.category)])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                self._categories[spec.category] = parent
            # Code is the user's own layer: the entry says what it does, from a template.
            text = self.tr("New layer from code") if spec.user_class else spec.type
            item = QTreeWidgetItem(parent, [text])
            item.setData(0, TYPE_ROLE, spec.type)
            self._describe(item, spec)
            self._layer_items.append((spec, item))
            item.setIcon(0, _dot(category_color(spec.category)))
            item.setData(0, COLOR_ROLE, category_color(spec.category))
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
        self.tree.expandAll()

    def _describe(self, item: QTreeWidgetItem, spec: LayerSpec) -> None:
        """A layer's tooltip and the words a search finds it by, in the current language."""
        words = (
            item.text(0),
            spec.type,
            spec.category,
            spec.doc,
            localize(spec.category),
            localize(spec.doc),
        )
        item.setData(0, SEARCH_ROLE, " ".join(words).lower())
        item.setToolTip(0, spec_tooltip(spec))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for spec, item in self._layer_items:
                if spec.user_class:
                    item.setText(0, self.tr("New layer from code"))
                self._describe(item, spec)
            for category, parent in self._categories.items():
                parent.setText(0, self.tr("Blocks") if category == BLOCKS else localize(category))
        super().changeEvent(event)

    def set_blocks(self, names: list[str]) -> None:
        """List the project's blocks under Blocks, first, so they are added like layers."""
        self._block_category(BLOCKS, self.tr("Blocks"), names, names, 0)

    def set_library(self, names: list[str]) -> None:
        """List the user's library blocks under My blocks, after the project's blocks."""
        types = [LIBRARY_PREFIX + name for name in names]
        self._block_category(
            LIBRARY, self.tr("My blocks"), names, types, int(BLOCKS in self._categories)
        )

    def _block_category(
        self, key: str, category: str, names: list[str], types: list[str], index: int
    ) -> None:
        parent = self._categories.pop(key, None)
        if parent is not None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(parent))
        if not names:
            return
        parent = QTreeWidgetItem([category])
        self.tree.insertTopLevelItem(index, parent)
        parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = parent.font(0)
        font.setBold(True)
        parent.setFont(0, font)
        color = category_color("Blocks")
        for name, layer_type in zip(names, types, strict=True):
            item = QTreeWidgetItem(parent, [name])
            item.setData(0, TYPE_ROLE, layer_type)
            item.setData(0, SEARCH_ROLE, f"{name} {category} block".lower())
            item.setIcon(0, _dot(color))
            item.setData(0, COLOR_ROLE, color)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
        others = {k: v for k, v in self._categories.items() if k != BLOCKS}
        first = {BLOCKS: self._categories[BLOCKS]} if BLOCKS in self._categories else {}
        self._categories = {**first, key: parent, **others}
        parent.setExpanded(True)
        self.filter(self.search.text())

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """Right-click on a block: save a project block to the library; rename or delete a
        library block. Nothing for layers."""
        layer_type = item.data(0, TYPE_ROLE) if item is not None else None
        if not layer_type:
            return None
        menu = QMenu(self)
        name = library_name(layer_type)
        if name is not None:
            menu.addAction(self.tr("Rename…"), lambda: self.renameInLibrary.emit(name))
            menu.addAction(
                self.tr("Delete from My blocks"), lambda: self.deleteFromLibrary.emit(name)
            )
        elif self._categories.get(BLOCKS) is item.parent():
            menu.addAction(
                self.tr("Save to My blocks"), lambda: self.saveToLibrary.emit(layer_type)
            )
        else:
            return None
        return menu

    def show_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(self.tree.itemAt(pos))
        if menu is None:
            return
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(pos))  # not exec(): tests keep running

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # In the search box, Escape clears it and Down moves into the list, as in a launcher.
        # Undo and redo belong to the drawing: the box's own text undo would swallow them.
        if (
            watched is self.search
            and event.type() == QEvent.Type.ShortcutOverride
            and _is_undo_or_redo(event)  # type: ignore[arg-type]
        ):
            event.ignore()
            return True
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key == Qt.Key.Key_Down:
                self.tree.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def filter(self, text: str) -> None:
        """Show the layers whose type, category or description contains every word typed."""
        words = text.lower().split()
        for parent in self._categories.values():
            shown = 0
            for i in range(parent.childCount()):
                item = parent.child(i)
                haystack = item.data(0, SEARCH_ROLE)
                hit = all(w in haystack for w in words)
                item.setHidden(not hit)
                shown += hit
            parent.setHidden(shown == 0)
        first = self.visible_layers()[:1]
        if first:
            self.tree.setCurrentItem(self._item(first[0]))

    def visible_layers(self) -> list[str]:
        """The layer types left by the search, in palette order; exact names come first."""
        typed = self.search.text().strip().lower()
        shown = []
        for parent in self._categories.values():
            for i in range(parent.childCount()):
                item = parent.child(i)
                if not item.isHidden():
                    shown.append(item.data(0, TYPE_ROLE))
        return sorted(shown, key=lambda t: not (typed and t.lower().startswith(typed)))

    def item_for(self, layer_type: str) -> QTreeWidgetItem | None:
        return self._item(layer_type)

    def _item(self, layer_type: str) -> QTreeWidgetItem | None:
        for parent in self._categories.values():
            for i in range(parent.childCount()):
                if parent.child(i).data(0, TYPE_ROLE) == layer_type:
                    return parent.child(i)
        return None

    def _add_first_match(self) -> None:
        layers = self.visible_layers()
        if self.search.text().strip() and layers:
            self.layerActivated.emit(layers[0])
