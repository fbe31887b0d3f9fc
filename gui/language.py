"""The editor's language: Qt translators for our `tr()` strings and Qt's own dialogs; the choice.

The choice is the View › Language setting if one was made, else the system locale. Our strings
come from gui/translations/netwright_<lang>.qm (built from the .ts by `make translations`), Qt's
standard dialogs (file dialogs, message box buttons) from Qt's qtbase_<lang>.qm. Core messages
(problems, layer docs) follow i18n.set_language, set here too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import i18n

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
_installed: list[QTranslator] = []


def system_language() -> str:
    return i18n.normalize(QLocale.system().name())


def chosen_language(setting: str | None) -> str:
    """The setting when it names a language we have, else the system's."""
    return setting if setting in i18n.LANGUAGES else system_language()


def apply_language(app: QCoreApplication, code: str) -> str:
    """Render everything from now on in `code`: core messages and the Qt translators."""
    lang = i18n.set_language(code)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang != i18n.SOURCE_LANGUAGE:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((f"qtbase_{lang}", qt_dir), (f"netwright_{lang}", TRANSLATIONS_DIR)):
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                _installed.append(translator)
    QLocale.setDefault(QLocale(lang if lang != i18n.SOURCE_LANGUAGE else "en_US"))
    return lang
