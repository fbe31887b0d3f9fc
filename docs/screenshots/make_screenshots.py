"""Renders the READMEs' screenshots from the running app (offscreen): light and dark themes at
1280×720, 1440×900 and 1920×1080, at 200% scaling (QT_SCALE_FACTOR=2), and in 简体中文 for
README.zh-CN.md (under zh_CN/; needs a CJK font such as fonts-noto-cjk, or the Chinese shows as
boxes).

    python docs/screenshots/make_screenshots.py            # writes every docs/screenshots/**.png
    python docs/screenshots/make_screenshots.py NAME.png   # just that one (in this process)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"

SIZE = (1440, 900)
SMALL, LARGE = (1280, 720), (1920, 1080)
SHOTS = {
    # name: (theme, scale, example, selected node, bottom tab (0 problems, 1 code, 2 training),
    #        size, language)
    "editor-light.png": ("light", "1", "broken/lenet_mismatch.json", "fc1", 0, SIZE, "en"),
    "editor-dark.png": ("dark", "1", "digits_cnn.json", "conv2", 1, SIZE, "en"),
    "editor-light-200.png": ("light", "2", "mlp.json", "hidden", 1, SIZE, "en"),
    "editor-1280x720-light.png": (
        "light", "1", "broken/lenet_mismatch.json", "fc1", 0, SMALL, "en",
    ),
    "editor-1280x720-dark.png": ("dark", "1", "digits_cnn.json", "conv1", 2, SMALL, "en"),
    "editor-1920x1080-light.png": ("light", "1", "residual_block.json", "skip", 1, LARGE, "en"),
    "editor-1920x1080-dark.png": ("dark", "1", "sincos_rnn.json", "rnn", 2, LARGE, "en"),
    "editor-200-light.png": ("light", "2", "mlp.json", "hidden", 2, SMALL, "en"),
    "editor-200-dark.png": ("dark", "2", "broken/lenet_mismatch.json", "fc1", 0, SMALL, "en"),
    "zh_CN/editor-zh_CN.png": ("light", "1", "broken/lenet_mismatch.json", "fc1", 0, SIZE, "zh_CN"),
    "zh_CN/editor-zh_CN-problems.png": (
        "light", "1", "broken/lenet_mismatch.json", "fc1", 0, SMALL, "zh_CN",
    ),
    "zh_CN/editor-zh_CN-training.png": ("light", "1", "digits_cnn.json", "conv2", 2, SIZE, "zh_CN"),
}  # fmt: skip
TRAINING_TAB = 2
PREVIEW_WAIT_S = 90  # the Training tab's dataset preview imports torch first


def shoot(name: str) -> None:
    theme, _scale, example, selected, tab, size, language = SHOTS[name]
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.language import apply_language
    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    app = QApplication([])
    app.setApplicationName("Netwright")
    settings = AppSettings()
    settings.theme = theme
    apply_language(app, language)
    apply_theme(app, theme)
    window = MainWindow(settings, examples_dir=ROOT / "examples")
    window.files.open_example(ROOT / "examples" / example, ask=False)
    window.resize(*size)
    window.show()
    window.select_nodes([selected])
    window.bottom_tabs.setCurrentIndex(tab)

    started = time.monotonic()

    def ready() -> bool:
        """The Training tab's dataset preview has its samples (or gave up waiting)."""
        panel = window.training_panel
        if panel is None or tab != TRAINING_TAB:
            return True
        shown = panel.preview.kind != "none"  # samples drawn, in any language
        return shown or time.monotonic() - started > PREVIEW_WAIT_S

    def grab() -> None:
        if not ready():
            QTimer.singleShot(200, grab)
            return
        window.canvas.fit_to_view()  # what a user sees: the whole drawing, or its start, readable
        window.canvas.center_on_node(selected)
        window.code.regenerate()
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
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
