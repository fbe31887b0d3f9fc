"""Keeps the translation catalogs in step with the source: `make translations` runs it.

Core: extracts every `msg("…")` template (Babel's Python extractor) and every registry text (layer
and param docs, categories, port names) into `i18n/locale/<lang>/LC_MESSAGES/netwright.po`,
keeping existing translations (the app reads that .po itself). Qt: runs pyside6-lupdate over
gui/ into gui/translations/netwright_<lang>.ts and pyside6-lrelease into the `.qm`.
A developer tool: the Qt tools run only here, never in the app.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, catalog_path

ROOT = LOCALE_DIR.parents[1]
CORE_SOURCES = (
    "graph",
    "recipe",
    "codegen",
    "importer",
    "runtime",
    "cli",
    "i18n",
    "gui",
    "main.py",
)
GUI_DIR = ROOT / "gui"
QT_DIR = GUI_DIR / "translations"
# Fixed header dates: the catalogs change only when their messages do.
STAMP = datetime(2026, 12, 1, tzinfo=UTC)
TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
# The calls whose first argument is a message template: msg() everywhere, and the recipe's own
# spellings in the code exported scripts carry (they cannot import i18n; see i18n/__init__.py).
KEYWORDS: dict[str, tuple[int, ...]] = {
    "msg": (1,),
    "say": (1,),
    "RecipeText": (1,),
    "RecipeError": (1,),
    "DatasetError": (1,),
    "TargetError": (1,),
    "StartWeightsError": (1,),
}


def po_path(lang: str) -> Path:
    return catalog_path(lang)


def ts_path(lang: str) -> Path:
    return QT_DIR / f"{DOMAIN}_{lang}.ts"


def registry_texts() -> dict[str, str]:
    """Every plain English text the layer registry shows a person -> where it comes from."""
    from graph.spec import all_specs

    found: dict[str, str] = {}
    for spec in all_specs():
        for text in (spec.doc, spec.category, *spec.inputs, *spec.outputs):
            found.setdefault(text, f"layer {spec.type}")
        for param in spec.params:
            if param.doc:
                found.setdefault(param.doc, f"layer {spec.type}, param {param.name}")
    from recipe.settings import SETTINGS  # the training settings' labels, help and choices

    for setting in SETTINGS:
        for text in (setting.label, setting.help, *(c.label for c in setting.choices)):
            found.setdefault(text, f"training setting {setting.name}")
    # run options' help, shown by train --help
    from recipe.settings import STRICT_WEIGHTS_HELP, TENSORBOARD_HELP, WEIGHTS_HELP

    found.setdefault(TENSORBOARD_HELP, "train --tensorboard")
    found.setdefault(WEIGHTS_HELP, "train --weights")
    found.setdefault(STRICT_WEIGHTS_HELP, "train --strict-weights")
    return {text: where for text, where in found.items() if text}


def core_templates() -> dict[str, str]:
    """Every message template in the source (see KEYWORDS) -> its first location."""
    from babel.messages.extract import extract_from_file

    found: dict[str, str] = {}
    for source in CORE_SOURCES:
        base = ROOT / source
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            for _, message, _, _ in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=()
            ):
                if isinstance(message, str) and message:
                    # the file, not the line: line numbers would churn the catalog on every edit
                    found.setdefault(message, str(path.relative_to(ROOT)))
    return found


def argparse_texts() -> dict[str, str]:
    """What the standard library's argparse says through gettext ("usage: ", "options", its
    errors): the CLI hands it our catalog (cli/parser.py), so its words are listed here too."""
    import argparse

    from babel.messages.extract import extract_from_file

    found: dict[str, str] = {}
    for _, message, _, _ in extract_from_file(
        "python", argparse.__file__, keywords={"_": None, "ngettext": (1, 2)}, comment_tags=()
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, "argparse (Python's standard library)")
    return found


def wanted_messages() -> dict[str, str]:
    return {**argparse_texts(), **registry_texts(), **core_templates()}


def read_catalog(lang: str) -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.exists():
        return Catalog(
            locale=lang,
            domain=DOMAIN,
            project="Netwright",
            version="1",
            creation_date=STAMP,
            revision_date=STAMP,
            fuzzy=False,
        )
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def update_core(lang: str) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = read_catalog(lang)
    new = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="Netwright",
        version="1",
        creation_date=STAMP,
        revision_date=STAMP,
        fuzzy=False,
    )
    for text, where in sorted(wanted_messages().items()):
        previous = old.get(text)
        new.add(text, previous.string if previous else "", auto_comments=[where])
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, new, width=100, omit_header=False, include_lineno=False, sort_output=True)


def qt_tool(name: str) -> str:
    """pyside6-lupdate/lrelease as the PySide6 wheel ships them (found without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("PySide6 is not installed: run `make` first")
    return str(Path(spec.submodule_search_locations[0]) / name)


def run_lupdate(ts: Path) -> None:
    subprocess.run(
        [
            qt_tool("lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            "-extensions",
            "py",
            str(GUI_DIR),
            "-ts",
            str(ts),
        ],
        check=True,
    )


def run_lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def update_qt(lang: str) -> None:
    ts = ts_path(lang)
    ts.parent.mkdir(parents=True, exist_ok=True)
    run_lupdate(ts)
    run_lrelease(ts, ts.with_suffix(".qm"))


def main() -> int:
    for lang in TRANSLATED:
        update_core(lang)
        update_qt(lang)
        print(f"updated {po_path(lang).relative_to(ROOT)} and {ts_path(lang).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
