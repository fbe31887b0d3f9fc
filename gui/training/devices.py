"""A combo box of the machine's compute devices, filled lazily so the editor starts without torch.

Until the list is asked for (the popup opens, or `load()`), it offers only Auto and CPU, plus any
device the project names. Enumeration imports torch, which takes seconds, so it runs on a plain
background thread and the result comes back to the GUI thread through a queued signal.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from i18n import localize

translate = QCoreApplication.translate


def describe_device(info: Any) -> str:
    """`CPU x86_64 (16 threads)`, `cuda:0 — NVIDIA H100 80GB HBM3, 79.1 GiB`, `mps — Apple GPU`."""
    name = localize(info.name) if info.name else ""
    if info.id == "cpu":
        return name or "CPU"
    text = f"{info.id} — {name}" if name else info.id
    if info.memory_bytes:
        text += f", {info.memory_bytes / 2**30:.1f} GiB"
    return text


class DeviceSelector(QComboBox):
    devicesLoaded = Signal(object)  # list[DeviceInfo] or an error string; emitted from any thread
    deviceChosen = Signal(str)  # a device id, when the user picks one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices: list[Any] | None = None  # None until enumerated
        self._loading = False
        self._wanted = "auto"
        self.devicesLoaded.connect(self._on_loaded)
        self.activated.connect(self._on_activated)
        self._fill()

    def current_device(self) -> str:
        return self.currentData() or "auto"

    def set_device(self, device: str) -> None:
        """Show `device` as chosen (adding it, marked absent, if this machine lacks it)."""
        self._wanted = device or "auto"
        self._fill()

    def _on_activated(self, _index: int) -> None:
        self._wanted = self.current_device()
        self.deviceChosen.emit(self._wanted)

    def load(self) -> None:
        """Enumerate devices in the background (once)."""
        if self.devices is not None or self._loading:
            return
        self._loading = True
        self._fill()
        threading.Thread(target=self._enumerate, name="netwright-devices", daemon=True).start()

    def showPopup(self) -> None:
        self.load()
        super().showPopup()

    def _enumerate(self) -> None:  # on the background thread
        try:
            from runtime.devices import available_devices

            result: object = list(available_devices())
        except Exception as exc:
            result = translate("TrainingPanel", "Could not list devices: {error}").format(error=exc)
        self.devicesLoaded.emit(result)

    def _on_loaded(self, result: object) -> None:
        self._loading = False
        self.devices = result if isinstance(result, list) else []
        if isinstance(result, str):
            self.setToolTip(result)
        popup_open = self.view().isVisible()
        self._fill()
        if popup_open:  # reopen so the new entries show at once
            self.hidePopup()
            super().showPopup()

    def _fill(self) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(translate("TrainingPanel", "Auto (best available)"), "auto")
        if self.devices is None:
            self.addItem(translate("TrainingPanel", "CPU"), "cpu")
        else:
            for info in self.devices:
                self.addItem(describe_device(info), info.id)
        known = {self.itemData(i) for i in range(self.count())}
        wanted = self._wanted
        if wanted not in known:
            if self.devices is None:
                label = wanted
            elif wanted == "cuda" and any(d.id.startswith("cuda") for d in self.devices):
                label = translate("TrainingPanel", "cuda (the first GPU)")
            else:
                label = translate("TrainingPanel", "{device} (not on this machine)").format(
                    device=wanted
                )
            self.addItem(label, wanted)
        if self._loading:
            self.addItem(translate("TrainingPanel", "Looking for GPUs…"), None)
            last = self.model().item(self.count() - 1)
            last.setEnabled(False)
        self.setCurrentIndex(max(self.findData(wanted), 0))
        self.blockSignals(False)
