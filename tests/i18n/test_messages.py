"""Messages: templates with named fields, English as their text, any language on demand."""

from __future__ import annotations

import pickle

import pytest

import i18n
from i18n import Message, localize, msg


@pytest.fixture
def chinese(monkeypatch):
    """A zh_CN catalog with a few test templates in place of the shipped one."""
    table = {
        "{node} expects {count} input features": "{node} 期望 {count} 个输入特征",
        "{what} is missing": "缺少{what}",
        "an Input node": "输入节点",
    }
    monkeypatch.setitem(i18n._catalogs, "zh_CN", table)
    return table


def test_the_shipped_catalog_is_read_from_its_po_file(monkeypatch):
    monkeypatch.delitem(i18n._catalogs, "zh_CN", raising=False)
    assert localize("Linear", "zh_CN") == "全连接层"  # a category, from netwright.po


def test_a_message_is_its_english_sentence():
    text = msg("{node} expects {count} input features", node="Linear 'fc1'", count=400)
    assert text == "Linear 'fc1' expects 400 input features"
    assert "400 input" in text
    assert text.template == "{node} expects {count} input features"
    assert text.fields == {"node": "Linear 'fc1'", "count": 400}


def test_a_message_renders_in_the_language_chosen_when_it_is_shown(chinese):
    text = msg("{node} expects {count} input features", node="Linear 'fc1'", count=400)
    assert localize(text) == "Linear 'fc1' expects 400 input features"
    i18n.set_language("zh_CN")
    assert localize(text) == "Linear 'fc1' 期望 400 个输入特征"
    i18n.set_language("en")
    assert localize(text) == "Linear 'fc1' expects 400 input features"
    assert text.localized("zh_CN") == "Linear 'fc1' 期望 400 个输入特征"


def test_fields_that_are_messages_are_translated_too(chinese):
    text = msg("{what} is missing", what=msg("an Input node"))
    assert text == "an Input node is missing"
    assert text.localized("zh_CN") == "缺少输入节点"


def test_a_template_without_a_translation_falls_back_to_english(chinese):
    assert msg("nothing like {x}", x=1).localized("zh_CN") == "nothing like 1"


def test_plain_registry_texts_are_looked_up_in_the_catalog(chinese):
    assert localize("an Input node", "zh_CN") == "输入节点"
    assert localize("not in any catalog", "zh_CN") == "not in any catalog"


def test_a_message_survives_pickling_with_its_template():
    text = msg("{node} expects {count} input features", node="x", count=3)
    back = pickle.loads(pickle.dumps(text))
    assert isinstance(back, Message)
    assert (back, back.template, back.fields) == (text, text.template, text.fields)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_TW.UTF-8", "en"),
        ("en_GB.UTF-8", "en"),
        ("C.UTF-8", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_names_map_to_a_language_netwright_has(name, code):
    assert i18n.normalize(name) == code


def test_the_environment_is_read_in_gettext_order():
    assert i18n.language_from_env({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.language_from_env({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}) == "en"
    assert i18n.language_from_env({"LANGUAGE": "zh_CN:en", "LC_ALL": "C"}) == "zh_CN"
    assert i18n.language_from_env({}) == "en"


def test_the_lang_option_wins_over_the_environment_and_is_removed_from_the_arguments():
    env = {"LANG": "en_US.UTF-8"}
    assert i18n.use_cli_language(["check", "--lang", "zh_CN", "a.json"], env) == (
        ["check", "a.json"],
        "zh_CN",
    )
    assert i18n.language() == "zh_CN"
    assert i18n.use_cli_language(["--lang=en", "check"], {"LANG": "zh_CN"}) == (["check"], "en")
    assert i18n.use_cli_language(["check", "x"], {"LANG": "zh_CN.UTF-8"}) == (["check", "x"], None)
    assert i18n.language() == "zh_CN"


def test_template_fields_are_named():
    assert i18n.template_fields("{a} and {b:.2f} but not {{c}}") == {"a", "b"}


def test_a_joined_list_keeps_each_part_translatable(chinese):
    text = i18n.join(" → ", ["'a'", msg("an Input node"), "{x}"])
    assert text == "'a' → an Input node → {x}"
    assert text.localized("zh_CN") == "'a' → 输入节点 → {x}"


def test_why_this_shape_names_the_parameter_count_in_the_chosen_language():
    from graph import Edge, Node, Project
    from graph.arithmetic import explain
    from graph.spec import get_spec

    project = Project(
        "t",
        [Node("x", "Input", {"shape": [400]}), Node("fc", "Linear", {"out_features": 120})],
        [Edge("x", "fc")],
    )
    report = project.validate().nodes["fc"]
    i18n.set_language("zh_CN")  # the shipped catalog (the suite sets English back afterwards)
    lines = [f.text for f in explain(get_spec("Linear"), report)]
    assert "参数量 = 400 × 120 + 120 = 48120" in lines
