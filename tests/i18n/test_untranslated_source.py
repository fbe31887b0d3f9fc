"""No user-visible sentence in the headless packages bypasses the translation layer.

Reads the source: a shape rule's `fail`/`warn`, a `Problem`'s message, an exception of ours
(the ones the user reads) and a `print` must take an i18n `msg()`, never a bare string or
f-string. A new untranslated sentence fails here with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = ("graph", "codegen", "runtime")
MESSAGE_ARG = {"fail": 0, "warn": 0, "Problem": 2, "Message": 1}  # Message: a runtime event
# Source that codegen copies into exported scripts runs without Netwright: plain English there.
EMITTED = {"codegen/data_sources.py"}


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


def is_sentence(node: ast.expr) -> bool:
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
            if index is not None and len(node.args) > index and is_sentence(node.args[index]):
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
        "    raise ctx.fail(msg('expects {n} features', n=1))\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert untranslated() == ["graph/m.py:3 fail(…)", "graph/m.py:5 BadFileError(…)"]
