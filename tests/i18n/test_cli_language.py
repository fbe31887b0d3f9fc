"""The command line speaks the chosen language (--lang, else LANG/LC_ALL); JSON codes stay."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.json"))
BROKEN = ROOT / "examples" / "broken" / "lenet_mismatch.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def netwright(
    *args: str, lang_env: str = "C.UTF-8", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang_env
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_check_with_lang_zh_cn_explains_the_shape_error_in_chinese():
    done = netwright("check", "--lang", "zh_CN", str(BROKEN))
    assert done.returncode == 1
    assert (
        "错误：Linear 'fc1' 期望 576 个输入特征（in_features=576），但收到的是 400 = 16×5×5，"
        "来自 'pool2'" in done.stdout
    )
    assert "参数总量：2,572" in done.stdout
    assert "无效：1 个错误" in done.stdout
    assert "expects" not in done.stdout


def test_check_follows_lang_from_the_environment_and_the_option_wins():
    assert "期望" in netwright("check", str(BROKEN), lang_env="zh_CN.UTF-8").stdout
    assert "expects" in netwright("check", str(BROKEN), lang_env="en_US.UTF-8").stdout
    assert "expects" in netwright("--lang=en", "check", str(BROKEN), lang_env="zh_CN.UTF-8").stdout


def test_an_unreadable_file_is_one_chinese_line_naming_it(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    done = netwright("check", "--lang", "zh_CN", str(bad))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"错误：{bad}：不是有效的 JSON"
        "（第 1 行：Expecting property name enclosed in double quotes）"
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_codes_are_the_same_in_every_language(path):
    def problems(lang: str) -> list[dict]:
        line = json.loads(netwright("check", "--json", "--lang", lang, str(path)).stdout)
        return line["errors"] + line["warnings"]

    english, chinese = problems("en"), problems("zh_CN")
    assert [(p["node"], p["port"], p["code"]) for p in chinese] == [
        (p["node"], p["port"], p["code"]) for p in english
    ]
    assert all(CJK.search(p["message"]) for p in chinese)


def test_help_in_chinese_says_argparse_words_and_the_options_in_chinese():
    done = netwright("--lang", "zh_CN", "train", "--help")
    assert done.returncode == 0
    out = done.stdout
    assert out.startswith("用法：netwright train [-h]")
    assert "位置参数:" in out and "选项:" in out and "显示此帮助信息并退出" in out
    assert "学习率；大于 0（默认：项目文件中的值，否则为 0.001）" in out.replace("\n", "")
    for english in ("usage:", "options:", "show this help", "the learning rate", "default:"):
        assert english not in out


def test_help_in_chinese_fits_the_terminal_counting_wide_characters():
    from i18n import display_width

    env_columns = {"COLUMNS": "80"}
    done = netwright("--lang", "zh_CN", "train", "--help", extra_env=env_columns)
    assert max(display_width(line) for line in done.stdout.splitlines()) <= 80
    english = netwright("train", "--help", extra_env=env_columns).stdout
    assert "  --lr LR               the learning rate; above 0 (default: the project" in english


def test_a_bad_option_value_is_one_chinese_line_from_argparse():
    done = netwright("--lang", "zh_CN", "train", "x.json", "--epochs", "abc")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "错误：netwright train：参数 --epochs：无效的 int 值：'abc'"
    ]
    missing = netwright("--lang", "zh_CN", "check")
    assert missing.stderr.splitlines() == ["错误：netwright check：缺少以下必需参数：FILE"]
    english = netwright("check")
    assert english.stderr.splitlines() == [
        "error: netwright check: the following arguments are required: FILE"
    ]


def test_import_says_its_note_and_error_in_chinese(tmp_path):
    missing = tmp_path / "none.py"
    done = netwright(
        "--lang",
        "zh_CN",
        "import",
        f"{missing}:Net",
        "-o",
        str(tmp_path / "x.json"),
        "--input-shape",
        "3",
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"注意：导入 {missing}:Net 会运行其中的 Python 代码",
        f"错误：{missing}：文件不存在",
    ]
    bad_shape = netwright(
        "--lang", "zh_CN", "import", "x.py:Net", "-o", "x.json", "--input-shape", "a"
    )
    assert bad_shape.returncode == 2
    assert bad_shape.stderr.splitlines() == ["错误：--input-shape 'a'：请给出用逗号分隔的整数"]
