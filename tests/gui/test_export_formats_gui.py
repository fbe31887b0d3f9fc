"""File › Export ONNX… / TorchScript… / torch.export Program…: a real `main.py export` worker
process writes the file while the window stays responsive; its line shows in the status bar."""

from __future__ import annotations

import onnx
import torch

from tests.gui.window_helpers import ScriptedDialogs, isolate, make_window


def open_example(window, name: str) -> None:
    window.files.open_example(window.files.examples_dir / name, ask=False)


def test_a_drawing_exports_as_torchscript_from_the_file_menu(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    open_example(window, "lenet5.json")
    dialogs.save_answer = tmp_path / "lenet.pt"
    with qtbot.waitSignal(window.files.exported, timeout=240_000) as written:
        window.act.export_torchscript.trigger()
        assert dialogs.asked[-1] == "save:Export TorchScript"
    line = f"wrote {tmp_path / 'lenet.pt'} (TorchScript, scripted)"
    assert written.args == [line]
    assert window.statusBar().currentMessage() == line
    scripted = torch.jit.load(tmp_path / "lenet.pt")
    assert scripted(torch.randn(2, 1, 28, 28)).shape == (2, 10)
    assert dialogs.errors == []


def test_onnx_and_a_program_from_the_file_menu(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    open_example(window, "mlp.json")
    dialogs.save_answer = tmp_path / "mlp.onnx"
    with qtbot.waitSignal(window.files.exported, timeout=240_000):
        window.act.export_onnx.trigger()
    onnx.checker.check_model(str(tmp_path / "mlp.onnx"))
    dialogs.save_answer = tmp_path / "mlp.pt2"
    with qtbot.waitSignal(window.files.exported, timeout=240_000) as written:
        window.act.export_program.trigger()
    assert written.args == [f"wrote {tmp_path / 'mlp.pt2'} (torch.export ExportedProgram)"]
    program = torch.export.load(tmp_path / "mlp.pt2")
    assert program.module()(torch.randn(3, 1, 28, 28)).shape[0] == 3  # the batch stays free
    assert dialogs.errors == []


def test_a_drawing_with_errors_is_not_exported_and_says_why(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_example(window.files.examples_dir / "broken" / "lenet_mismatch.json")
    dialogs.save_answer = tmp_path / "never.onnx"
    window.act.export_onnx.trigger()
    assert [title for title, _ in dialogs.errors] == ["Cannot export the model"]
    assert not (tmp_path / "never.onnx").exists()
