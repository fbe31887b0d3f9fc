"""Switching language live: every text a window shows that came from a translation, said again.

Qt's usual answer is a `retranslateUi()` per widget that sets each text a second time. Here the
catalogs already know every text: a shown text is looked up among the renderings of the
language it was shown in (the Qt catalog's sources and translations, and the core catalog's
texts without fields, such as layer docs and setting labels) and replaced by the same source's
rendering now. Texts made with fields ("3 errors") are not found; their views make them again
(MainWindow.refresh). A tree whose items hold data as well as words (the palette's layer types:
"Linear" is also a category) sets the property OWN_ITEM_TEXTS and says its items again itself.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

import i18n
from gui.language import TRANSLATIONS_DIR

OWN_ITEM_TEXTS = "ownItemTexts"  # a tree's property: it says its items' texts again itself
# (Qt context, source text, disambiguation); context "" for a core catalog text
Source = tuple[str, str, str | None]


@functools.cache
def _qt_catalog() -> dict[Source, dict[str, str]]:
    """Every Qt source -> its translation in each language that has a .ts."""
    found: dict[Source, dict[str, str]] = {}
    for ts in sorted(TRANSLATIONS_DIR.glob(f"{i18n.DOMAIN}_*.ts")):
        lang = ts.stem.removeprefix(f"{i18n.DOMAIN}_")
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source, text = message.findtext("source"), message.findtext("translation")
                if source and message.get("numerus") != "yes":
                    key = (name, source, message.findtext("comment"))
                    found.setdefault(key, {})[lang] = text or source
    return found


@functools.cache
def _renderings(lang: str) -> dict[str, Source]:
    """What each source looks like in `lang` -> that source (the first one, if two agree)."""
    found: dict[str, Source] = {}
    for source, translations in _qt_catalog().items():
        found.setdefault(translations.get(lang, source[1]), source)
    core = {code for code in i18n.LANGUAGES if code != i18n.SOURCE_LANGUAGE}
    for msgid in {t for code in core for t in i18n.known_texts(code)}:
        if "{" not in msgid:  # a text without fields: a layer's doc, a setting's label
            found.setdefault(i18n.translate(msgid, lang), ("", msgid, None))
    return found


def said_again(text: str, before: str) -> str | None:
    """`text`, shown in `before`, in the current language; None when it is not a known text."""
    if not text:
        return None
    source = _renderings(before).get(text)
    if source is None:
        return None
    context, original, disambiguation = source
    if not context:
        return i18n.translate(original)
    return QCoreApplication.translate(context, original, disambiguation)


def retranslate(root: QObject, before: str) -> int:
    """Say again every known text under `root` (shown in `before`); returns how many changed."""
    changed = 0
    for getter, setter in _texts(root):
        new = said_again(getter(), before)
        if new is not None and new != getter():
            setter(new)
            changed += 1
    return changed


Text = tuple[Callable[[], str], Callable[[str], None]]


def _texts(root: QObject) -> Iterator[Text]:
    """(read, write) for each text under `root` that a person reads."""
    objects = [root, *root.findChildren(QObject)]
    for obj in objects:
        if isinstance(obj, QMenu):
            yield obj.title, obj.setTitle
        if isinstance(obj, QAction):
            yield obj.text, obj.setText
            yield obj.toolTip, obj.setToolTip
            yield obj.statusTip, obj.setStatusTip
        if isinstance(obj, QWidget):
            yield from _widget_texts(obj)


def _widget_texts(w: QWidget) -> Iterator[Text]:
    yield w.toolTip, w.setToolTip
    yield w.statusTip, w.setStatusTip
    yield w.accessibleName, w.setAccessibleName
    if isinstance(w, QDockWidget):
        yield w.windowTitle, w.setWindowTitle
    if isinstance(w, QLabel | QAbstractButton):
        yield w.text, w.setText
    if isinstance(w, QGroupBox):
        yield w.title, w.setTitle
    if isinstance(w, QLineEdit):
        yield w.placeholderText, w.setPlaceholderText
    if isinstance(w, QTabWidget):
        for i in range(w.count()):
            yield functools.partial(w.tabText, i), functools.partial(w.setTabText, i)
            yield functools.partial(w.tabToolTip, i), functools.partial(w.setTabToolTip, i)
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            yield functools.partial(w.itemText, i), functools.partial(w.setItemText, i)
    if isinstance(w, QTreeWidget):
        header = w.headerItem()
        for column in range(w.columnCount()):
            yield functools.partial(header.text, column), functools.partial(header.setText, column)
        own = w.property(OWN_ITEM_TEXTS)
        items = [] if own else [w.topLevelItem(i) for i in range(w.topLevelItemCount())]
        while items:
            item = items.pop()
            items.extend(item.child(i) for i in range(item.childCount()))
            for column in range(w.columnCount()):
                yield functools.partial(item.text, column), functools.partial(item.setText, column)
                yield (
                    functools.partial(item.toolTip, column),
                    functools.partial(item.setToolTip, column),
                )
