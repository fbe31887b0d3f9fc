"""The Qt binding itself must not corrupt reference counts: a training run makes many thousands
of Qt calls (labels, progress, setData), and PySide6 6.12.0 drops a reference to None on each
void call until Python aborts with "none_dealloc". requirements.txt pins a version without it."""

import sys

from PySide6.QtWidgets import QLabel, QProgressBar


def test_void_qt_calls_keep_none_alive(qtbot):
    label, bar = QLabel(), QProgressBar()
    qtbot.addWidget(label)
    qtbot.addWidget(bar)
    before = sys.getrefcount(None)
    for i in range(300):  # few enough that a leaking binding fails here instead of aborting
        label.setText("epoch")
        bar.setValue(i % 100)
    assert sys.getrefcount(None) >= before - 100  # 6.12.0 loses 600 here
