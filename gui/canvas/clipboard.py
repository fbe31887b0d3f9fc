"""Copy, cut, paste and duplicate on the canvas, through the system clipboard.

The clipboard carries `Document.fragment()` JSON twice: as FRAGMENT_MIME for Netwright and as
plain text for anything else. Nodes drawn where the canvas placed them (no stored position) get
that position in the fragment, so a paste lands beside the original.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from graph import ProjectError, ProjectFileError
from gui.canvas.scene import CanvasScene
from gui.document import Document
from gui.mime import FRAGMENT_MIME

PASTE_STEP = 40.0  # each paste of the same fragment lands this much further down and right


class CanvasClipboard:
    def __init__(
        self, document: Document, scene: CanvasScene, status: Callable[[str], None]
    ) -> None:
        self._document = document
        self._scene = scene
        self._status = status
        self._last_paste = ""
        self._paste_count = 0

    def fragment(self, ids: list[str]) -> str:
        """Document.fragment, with positions filled in for nodes drawn where the canvas chose."""
        data = json.loads(self._document.fragment(ids))
        shown = self._scene.shown_positions()
        for node in data.get("nodes", []):
            if node.get("pos") is None and node["id"] in shown:
                node["pos"] = list(shown[node["id"]])
        return json.dumps(data)

    def copy(self, ids: list[str]) -> None:
        if not ids:
            return
        fragment = self.fragment(ids)
        mime = QMimeData()
        mime.setData(FRAGMENT_MIME, fragment.encode("utf-8"))
        mime.setText(fragment)
        QApplication.clipboard().setMimeData(mime)

    def paste(self) -> list[str]:
        """Paste what the clipboard holds; the new ids, or [] when it holds no fragment."""
        fragment = _clipboard_fragment()
        if fragment is None:
            return []
        self._paste_count = self._paste_count + 1 if fragment == self._last_paste else 1
        self._last_paste = fragment
        step = PASTE_STEP * self._paste_count
        try:
            return self._document.paste(fragment, (step, step))
        except (ProjectFileError, ProjectError, KeyError, TypeError, ValueError) as exc:
            # A damaged fragment: say so in one line and leave the drawing as it was.
            self._status(f"Cannot paste: {exc}")
            return []

    def duplicate(self, ids: list[str]) -> list[str]:
        if not ids:
            return []
        return self._document.paste(self.fragment(ids), (PASTE_STEP, PASTE_STEP))


def _clipboard_fragment() -> str | None:
    mime = QApplication.clipboard().mimeData()
    if mime is None:
        return None
    if mime.hasFormat(FRAGMENT_MIME):
        text = bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8", "replace")
    elif mime.hasText():
        text = mime.text()
    else:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None  # plain text: pasting it onto the canvas does nothing
    if not isinstance(data, dict) or not data.get("nodes"):
        return None
    return text
