"""No user-visible sentence in the headless packages bypasses the translation layer.

Reads the source: a shape rule's `fail`/`warn`, a `Problem`'s message, an exception of ours
(the ones the user reads), a `print`, the CLI's `fail` and an option's `help` must take an i18n
`msg()`, never a bare string or f-string. The recipe's own errors (which exported scripts carry)
take a literal template, extracted like a msg() (i18n.catalogs.KEYWORDS). A new untranslated
sentence fails here with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from i18n.catalogs import KEYWORDS

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = ("graph", "recipe", "codegen", "importer", "runtime", "cli")
# fail: a shape rule's and the CLI's; Message: a runtime event
MESSAGE_ARG = {"fail": 0, "warn": 0, "Problem": 2, "Message": 1, "SettingProblem": 1, "Unmapped": 0}
MESSAGE_KEYWORDS = ("help", "description", "title", "epilog")  # argparse's texts
# Source that codegen copies into exported scripts runs without Netwright: plain English there.
EMITTED: set[str] = set()


def sources() -> list[Path]:
    return [
        p
        for package in HEADLESS
        for p in sorted((ROOT / package).rglob("*.py"))
        if str(p.relative_to(ROOT)) not in EMITTED
    ]


def our_exceptions() -> set[str]:
    """Exception classes the headless packages define: their messages reach the user."""
    names = set()
    every = [p for package in HEADLESS for p in sorted((ROOT / package).rglob("*.py"))]
    for path in every:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith(("Error", "Exception")) or b.id in names)
                for b in node.bases
            ):
                names.add(node.name)
    return names


def is_sentence(node: ast.expr | None) -> bool:
    """A bare string or f-string with words in it (not "", not a JSON dump)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and any(c.isalpha() for c in v.value) for v in node.values
        )
    return False


def untranslated() -> list[str]:
    arg_of = dict(MESSAGE_ARG) | dict.fromkeys(our_exceptions(), 0) | {"print": 0}
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            index = arg_of.get(name)
            text = node.args[index] if index is not None and len(node.args) > index else None
            if name in KEYWORDS and isinstance(text, ast.Constant):
                text = None  # a literal template, extracted into the catalog
            texts = [text, *(k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS)]
            if any(is_sentence(t) for t in texts):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(…)")
    return found


def test_every_user_visible_sentence_goes_through_the_translation_layer():
    assert untranslated() == [], "wrap these in i18n.msg() (see i18n/__init__.py)"


def test_the_scan_finds_a_bare_sentence(tmp_path, monkeypatch):
    package = tmp_path / "graph"
    package.mkdir()
    (package / "m.py").write_text(
        "class BadFileError(ValueError): ...\n"
        "def rule(ctx, n):\n"
        "    raise ctx.fail(f'expects {n} features')\n"
        "def load():\n"
        "    raise BadFileError('no such file')\n"
        "def ok(ctx):\n"
        "    raise ctx.fail(msg('expects {n} features', n=1))\n"
        "class DatasetError(ValueError): ...\n"
        "def recipe(path):\n"
        "    raise DatasetError('cannot read {path}', path=path)\n"
        "def recipe_unextracted(path):\n"
        "    raise DatasetError(f'cannot read {path}')\n"
        "def options(parser):\n"
        "    parser.add_argument('--out', help='the output folder')\n"
        "    parser.add_argument('--in', help=msg('the input file'))\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert untranslated() == [
        "graph/m.py:3 fail(…)",
        "graph/m.py:5 BadFileError(…)",
        "graph/m.py:12 DatasetError(…)",
        "graph/m.py:14 add_argument(…)",
    ]


# Qt calls that put text in front of a person, and which arguments may hold it.
GUI_TEXT = {
    **dict.fromkeys(("QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QAction"), (0,)),
    **dict.fromkeys(("setText", "setStatusTip", "setWindowTitle", "setTitle"), (0,)),
    **dict.fromkeys(("setPlaceholderText", "addMenu", "addAction", "addRow"), (0,)),
    **dict.fromkeys(("setAccessibleName", "setAccessibleDescription", "setHeaderLabels"), (0,)),
    **dict.fromkeys(("QTreeWidgetItem", "showMessage", "macro", "set_state", "_show_error"), (0,)),
    **dict.fromkeys(("_show_status", "_status", "setInformativeText"), (0,)),
    **dict.fromkeys(("setToolTip", "addItem"), (0, 1)),  # (text) or (column/icon, text)
    **dict.fromkeys(("addTab", "setTabText", "log"), (1,)),
}


def untranslated_gui() -> list[str]:
    found = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            args = [node.args[i] for i in GUI_TEXT.get(name, ()) if i < len(node.args)]
            parts = [
                p for a in args for p in (a.elts if isinstance(a, ast.List | ast.Tuple) else [a])
            ]
            if any(is_sentence(p) and not is_data_word(p) for p in parts):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(…)")
    return found


def is_data_word(node: ast.expr) -> bool:
    """A lowercase word with no space ("auto", "cpu"): an item's data, not its text."""
    return isinstance(node, ast.Constant) and node.value.islower() and " " not in node.value


def test_every_gui_text_goes_through_qt_translate():
    assert untranslated_gui() == [], "wrap these in translate()/tr() (see i18n/__init__.py)"


def test_the_gui_scan_finds_a_bare_label(tmp_path, monkeypatch):
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "w.py").write_text(
        "def build(box, name):\n"
        "    box.setText(f'Hello {name}')\n"
        "    box.addItem('auto', 'auto')\n"
        "    box.setToolTip(translate('W', 'Fine'))\n"
        "    box.addTab(page, 'Results')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert untranslated_gui() == ["gui/w.py:2 setText(…)", "gui/w.py:5 addTab(…)"]
