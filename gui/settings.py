"""What the editor remembers between launches: window layout, recent files and the theme.

Stored with QSettings. `NETWRIGHT_SETTINGS=/some/file.ini` points it at a file of its own, which
tests and benchmarks use so they never read or change a person's settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class AppSettings:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        path = path if path is not None else os.environ.get("NETWRIGHT_SETTINGS")
        if path:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings("Netwright", "Netwright")

    def sync(self) -> None:
        self._qs.sync()

    # --- layout --------------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    # --- recent files --------------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        value = self._qs.value("recent/files", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        if not isinstance(value, list):
            return []
        return [Path(v) for v in value if isinstance(v, str) and v]

    def add_recent_file(self, path: str | os.PathLike[str]) -> None:
        entry = Path(path).resolve()
        files = [entry] + [p for p in self.recent_files() if p != entry]
        self._qs.setValue("recent/files", [str(p) for p in files[:MAX_RECENT]])

    def remove_recent_file(self, path: str | os.PathLike[str]) -> None:
        entry = Path(path).resolve()
        self._qs.setValue("recent/files", [str(p) for p in self.recent_files() if p != entry])

    def clear_recent_files(self) -> None:
        self._qs.setValue("recent/files", [])

    # --- trusted code -------------------------------------------------------------------------

    def trusted_code_files(self) -> list[str]:
        """Project files whose Code nodes the person said may run (absolute paths)."""
        value = self._qs.value("trust/code_files", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def trust_code_file(self, path: str | os.PathLike[str]) -> None:
        entry = str(Path(path).resolve())
        files = self.trusted_code_files()
        if entry not in files:
            self._qs.setValue("trust/code_files", [*files, entry])

    # --- theme ---------------------------------------------------------------------------------

    @property
    def theme(self) -> str:
        value = self._qs.value("appearance/theme", "light")
        return value if value in ("light", "dark") else "light"

    @theme.setter
    def theme(self, name: str) -> None:
        self._qs.setValue("appearance/theme", name)

    # --- language ------------------------------------------------------------------------------

    @property
    def language(self) -> str | None:
        """The language chosen in View › Language ("en", "zh_CN"); None: follow the system."""
        value = self._qs.value("appearance/language")
        return value if isinstance(value, str) and value else None

    @language.setter
    def language(self, code: str) -> None:
        self._qs.setValue("appearance/language", code)
