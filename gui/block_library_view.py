"""The user block library in the editor: where its folder is, and the palette's "My blocks".

The folder is `NETWRIGHT_BLOCK_LIBRARY` when set (tests, a team's shared folder), else `blocks`
in the platform's application-data folder (QStandardPaths.AppDataLocation: on Linux
`~/.local/share/Netwright/blocks`). The palette lists its blocks in every project; saving,
renaming and deleting go through here, adding one goes through the Document (one undo step).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths
from PySide6.QtWidgets import QWidget

from graph.block_library import BlockLibrary, LibraryError, default_folder
from gui.dialogs import Dialogs
from gui.document import Document
from gui.palette import PaletteWidget
from i18n import localize, message_of

translate = QCoreApplication.translate


def library_folder() -> Path:
    folder = default_folder()
    if folder is not None:
        return folder
    location = QStandardPaths.StandardLocation.AppDataLocation
    base = QStandardPaths.writableLocation(location)
    return (Path(base) if base else Path.home() / ".netwright") / "blocks"


class LibraryActions(QObject):
    """Saves the project's blocks to the library and renames or deletes library blocks, as the
    palette asks; keeps the palette's list in step."""

    def __init__(
        self,
        document: Document,
        palette: PaletteWidget,
        dialogs: Dialogs,
        window: QWidget,
        status: Callable[[str], None],
        folder: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.library = BlockLibrary(folder or library_folder())
        document.library = self.library
        self._document, self._palette, self._dialogs = document, palette, dialogs
        self._window, self._status = window, status
        palette.saveToLibrary.connect(self.save)
        palette.renameInLibrary.connect(self.rename)
        palette.deleteFromLibrary.connect(self.delete)
        self.refresh()

    def refresh(self) -> None:
        self._palette.set_library(self.library.names())

    def save(self, block: str) -> bool:
        try:
            path = self.library.save(self._document.project, block)
        except (LibraryError, OSError) as exc:
            self._fail(translate("Library", "Cannot save the block"), exc)
            return False
        self.refresh()
        self._status(
            translate("Library", "Saved block {name} to the block library ({path})").format(
                name=block, path=path
            )
        )
        return True

    def rename(self, name: str) -> bool:
        new = self._dialogs.ask_text(
            self._window,
            translate("Library", "Rename library block"),
            translate("Library", "New name for {name}:").format(name=name),
            name,
        )
        if not new or new == name:
            return False
        try:
            self.library.rename(name, new.strip())
        except (LibraryError, OSError) as exc:
            self._fail(translate("Library", "Cannot rename the block"), exc)
            return False
        self.refresh()
        return True

    def delete(self, name: str) -> bool:
        question = translate(
            "Library",
            "Delete block {name} from the block library? Projects that use it keep their copy.",
        ).format(name=name)
        if not self._dialogs.confirm(self._window, translate("Library", "Delete block"), question):
            return False
        try:
            self.library.delete(name)
        except (LibraryError, OSError) as exc:
            self._fail(translate("Library", "Cannot delete the block"), exc)
            return False
        self.refresh()
        return True

    def _fail(self, title: str, exc: Exception) -> None:
        self._dialogs.error(self._window, title, localize(message_of(exc)))
