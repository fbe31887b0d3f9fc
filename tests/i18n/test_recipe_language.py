"""The recipe speaks the reader's language in Netwright and English in exported scripts: dataset
and target errors, notes, the epoch line and the training settings' problems."""

from __future__ import annotations

import json
import pickle

from i18n import localize, message_of, say
from recipe import data
from recipe.progress import epoch_line
from recipe.settings import read_training
from recipe.targets import TargetError, fit_targets
from tests.i18n.test_cli_language import CJK, ROOT, netwright

METRICS = {
    "epoch": 3,
    "train_loss": 0.12345,
    "train_accuracy": 0.95,
    "val_loss": 0.2,
    "val_accuracy": 0.9,
    "val_rmse": None,
    "samples_per_second": 1234.4,
}


def test_the_epoch_line_is_english_by_default_as_exported_scripts_print_it():
    assert epoch_line(METRICS) == (
        "epoch 3, train loss 0.1235, acc 0.950, val loss 0.2000, val acc 0.900, 1,234 samples/s"
    )


def test_the_epoch_line_said_through_i18n_is_chinese(monkeypatch):
    monkeypatch.setattr("i18n._current", "zh_CN")
    assert epoch_line(METRICS, say=say) == (
        "第 3 轮，训练损失 0.1235，准确率 0.950，验证损失 0.2000，验证准确率 0.900，"
        "每秒 1,234 个样本"
    )


def test_a_dataset_error_is_english_text_that_netwright_renders_in_chinese(tmp_path):
    missing = tmp_path / "none.csv"
    try:
        data.load_csv(str(missing))
    except data.DatasetError as exc:
        error = exc
    assert str(error) == f"cannot read {missing}: No such file or directory"
    assert localize(message_of(error), "zh_CN") == f"无法读取 {missing}：No such file or directory"


def test_a_dataset_error_keeps_its_template_through_pickling():
    error = data.DatasetError("{path} needs one sub-folder of images per class", path="a{b}")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "a{b} needs one sub-folder of images per class"
    assert localize(message_of(again), "zh_CN") == "a{b} 需要为每个类别准备一个图像子文件夹"


def test_a_target_error_and_a_note_are_translated():
    import torch

    info = {"task": "classification", "num_classes": 10}
    try:
        fit_targets(torch.zeros(4, dtype=torch.int64), info, "cross_entropy", [4, 10], "out")
    except TargetError as exc:
        error = exc
    assert "add a Flatten before it" in str(error)
    assert "请在它前面添加一个 Flatten" in localize(message_of(error), "zh_CN")
    *_, note = fit_targets(torch.zeros(4, 6), {"task": "regression"}, "mse", [2, 3])
    assert note == "targets of shape [6] are reshaped to the output's shape [2, 3]"
    assert localize(note, "zh_CN") == "形状为 [6] 的目标被重塑为输出的形状 [2, 3]"


def test_a_bad_setting_is_reported_in_chinese_with_its_range():
    _, problems = read_training({"lr": -1, "momentum": 2, "optimizer": "adagrad"})
    said = {p.setting: localize(p.message, "zh_CN") for p in problems}
    assert said == {
        "lr": "lr 必须大于 0，而不是 -1",
        "momentum": "momentum 必须至少为 0，至多为 1，而不是 2",
        "optimizer": "未知的 optimizer 取值 'adagrad'：请从 sgd, adam, adamw, rmsprop 中选择",
    }
    assert {p.setting: str(p.message) for p in problems}["lr"] == "lr must be above 0, not -1"


def test_check_in_chinese_reports_a_negative_learning_rate_in_chinese(tmp_path):
    project = json.loads((ROOT / "examples" / "mlp.json").read_text(encoding="utf-8"))
    project["training"]["lr"] = -1
    path = tmp_path / "bad_lr.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    done = netwright("check", "--lang", "zh_CN", str(path))
    assert done.returncode == 1
    assert "错误：training.lr: lr 必须大于 0，而不是 -1" in done.stdout
    assert "must be" not in done.stdout


def test_train_in_chinese_prints_the_chinese_epoch_line(tmp_path):
    project = json.loads((ROOT / "examples" / "mlp.json").read_text(encoding="utf-8"))
    project["training"].update(dataset="digits", epochs=1, batch_size=256)
    project["nodes"][0]["params"]["shape"] = [64]  # digits are 64 values
    path = tmp_path / "digits.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    done = netwright("train", "--lang", "zh_CN", str(path), "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    epoch = [line for line in lines if line.startswith("第 1 轮")]
    assert len(epoch) == 1 and "训练损失" in epoch[0] and "个样本" in epoch[0], done.stdout
    assert "线程" in lines[0] and CJK.search(lines[0])  # the device described in Chinese
    assert "epoch" not in done.stdout and "samples/s" not in done.stdout
