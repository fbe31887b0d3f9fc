"""Renders the Chinese README's screenshots from the running app (offscreen, in 简体中文).

    python docs/screenshots/make_screenshots_zh.py     # writes docs/screenshots/zh_CN/*.png

Needs a CJK font (Linux: `sudo apt-get install fonts-noto-cjk`), or the Chinese shows as boxes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots" / "zh_CN"
SHOTS = {
    # name: (example, selected node, bottom tab index: 0 problems, 1 code, 2 training)
    "editor-zh_CN.png": ("broken/lenet_mismatch.json", "fc1", 0),
    "editor-zh_CN-problems.png": ("broken/lenet_mismatch.json", "fc1", 0),
    "editor-zh_CN-training.png": ("digits_cnn.json", "conv2", 2),
}
SIZES = {"editor-zh_CN-problems.png": (1280, 720)}
PREVIEW_WAIT_S = 90  # the Training tab's dataset preview imports torch first


def shoot(name: str) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.language import apply_language
    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    example, selected, tab = SHOTS[name]
    app = QApplication([])
    app.setApplicationName("Netwright")
    apply_language(app, "zh_CN")
    apply_theme(app, "light")
    window = MainWindow(AppSettings(), examples_dir=ROOT / "examples")
    window.files.open_example(ROOT / "examples" / example, ask=False)
    window.resize(*SIZES.get(name, (1440, 900)))
    window.show()
    window.select_nodes([selected])
    window.bottom_tabs.setCurrentIndex(tab)
    started = time.monotonic()

    def grab() -> None:
        panel = window.training_panel
        loading = panel is not None and not panel.preview.caption.text().startswith(
            ("mnist", "digits")
        )
        if tab == 2 and loading and time.monotonic() - started < PREVIEW_WAIT_S:
            QTimer.singleShot(200, grab)
            return
        window.canvas.fit_to_view()
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
        shoot(sys.argv[1])
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name in SHOTS:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                NETWRIGHT_SETTINGS=str(Path(tmp) / "settings.ini"),
                NETWRIGHT_RECOVERY_DIR=str(Path(tmp) / "recovery"),
            )
            subprocess.run([sys.executable, __file__, name], env=env, check=True)
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
