"""Renders the README's screenshots from the running app (offscreen): light and dark themes,
and the 200% scale check.

    python docs/screenshots/make_screenshots.py            # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"

SIZE = (1440, 900)
SHOTS = {
    # name: (theme, scale, example, selected node, bottom tab, size)
    "editor-light.png": ("light", "1", "broken/lenet_mismatch.json", "fc1", "Problems", SIZE),
    "editor-dark.png": ("dark", "1", "digits_cnn.json", "conv2", "Code", SIZE),
    "editor-light-200.png": ("light", "2", "mlp.json", "hidden", "Code", SIZE),
}


def shoot(
    name: str, theme: str, example: str, selected: str, tab: str, size: tuple[int, int]
) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    app = QApplication([])
    app.setApplicationName("Netwright")
    settings = AppSettings()
    settings.theme = theme
    apply_theme(app, theme)
    window = MainWindow(settings, examples_dir=ROOT / "examples")
    window.files.open_example(ROOT / "examples" / example, ask=False)
    window.resize(*size)
    window.show()
    window.select_nodes([selected])
    for i in range(window.bottom_tabs.count()):
        if window.bottom_tabs.tabText(i) == tab:
            window.bottom_tabs.setCurrentIndex(i)

    def grab() -> None:
        window.canvas.auto_layout()  # the examples' stored positions vary in spacing
        window.canvas.set_zoom(85)  # readable nodes around the selected one, not the whole net
        window.canvas.center_on_node(selected)
        window.code.regenerate()
        window.grab().save(str(OUT / name))
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    QTimer.singleShot(800, grab)
    app.exec()


def main() -> int:
    if len(sys.argv) > 1:
        name = sys.argv[1]
        theme, _scale, example, selected, tab, size = SHOTS[name]
        shoot(name, theme, example, selected, tab, size)
        return 0
    for name, (_, scale, *_rest) in SHOTS.items():
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                QT_SCALE_FACTOR=scale,
                NETWRIGHT_SETTINGS=str(Path(tmp) / "settings.ini"),
                NETWRIGHT_RECOVERY_DIR=str(Path(tmp) / "recovery"),
            )
            subprocess.run([sys.executable, __file__, name], env=env, check=True)
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
