"""The translation layer: every user-visible sentence of Netwright, in the chosen language.

The bottom layer (stdlib, and Babel when a translation is first needed): graph/, codegen/,
runtime/, gui/ and main.py all import it; it imports none of them.

Why this design. Core messages live in one GNU gettext catalog per language,
`i18n/locale/<lang>/LC_MESSAGES/netwright.po`: the standard format, for the standard tools.
Babel (pinned) reads it directly when a language other than English is first used (~0.1 s),
extracts the templates and updates the catalog: `make translations` (`python -m i18n.catalogs`).
No compiled `.mo` copy is kept: the `.po` is the one truth, and text merges where six branches
add strings at once. The editor's own strings are Qt's `tr()`, `.ts` sources compiled to `.qm`
with pyside6-lrelease (gui/translations; gui/language.py installs them).

A message is a template with named fields. `msg()` returns a `Message`: a `str` whose value is
the English sentence (what logs, tests and comparisons see) and which remembers its template and
fields, so it can be rendered again in any language, e.g. when the user switches language after a
Problem was made. Fields that are themselves Messages are translated too. A Problem's `code` is
never translated, so `check --json` codes are the same in every language.

How to write a new core string (graph/, codegen/, runtime/, CLI output):

    from i18n import msg, localize
    raise ctx.fail(msg("expects {expected} input features but receives {actual}",
                       expected=n, actual=m))
    print(localize(problem.message))  # at the place that shows it to a person

Keep the template a literal (extraction reads it), name every field, build no sentence from
pieces with `+` or f-strings, and pass quantities as fields.

The recipe's data and target code (recipe/data.py, targets.py, progress.py) is also copied into
exported training scripts, which run without Netwright, so it cannot import this module. It
says its sentences the same way without us: its errors and notes are `RecipeText`s (an English
`str` with `template` and `fields`), which `localize`, `message_of` and Message fields render
like a Message; the epoch line takes a `say` function, `str.format` in a script and `say` here.
Their templates are extracted too (see i18n/catalogs.py, KEYWORDS). The standard library's
argparse says its own words through `gettext`/`ngettext`; the CLI hands it ours
(cli/parser.py), and the catalog lists argparse's messages.

The editor switches language live: gui/retranslate.py says every shown text again on Qt's
LanguageChange, looking it up in these catalogs; views with texts made from fields make theirs
again in their own changeEvent. Then run `make translations` and
fill in the Chinese in `i18n/locale/zh_CN/LC_MESSAGES/netwright.po` (tests/i18n lists any
untranslated template). Registry texts (a layer's `doc`, a param's `doc`, categories, port
names) stay plain English strings; `localize(spec.doc)` looks them up in the same catalog.

How to write a new gui string: `self.tr("&Save")` in a QObject subclass, or
`QCoreApplication.translate("Context", "text")` elsewhere (pyside6-lupdate only finds these two
forms; never pass a variable). Then `make translations` and translate the `unfinished` entries
in gui/translations/netwright_zh_CN.ts. Show a core Message in the gui with `localize(...)`.

A merge conflict in the compiled .qm: resolve the .ts, take either side of the binary
(`git checkout --theirs gui/translations/*.qm`), and run `make translations` to rebuild it.
"""

from __future__ import annotations

import os
import string
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}  # code -> its own name
DOMAIN = "netwright"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = SOURCE_LANGUAGE
_catalogs: dict[str, dict[str, str]] = {}


def normalize(code: str | None) -> str:
    """A supported language code for a locale name: "zh_CN.UTF-8", "zh-Hans", "zh" -> "zh_CN".

    Anything unknown (C, POSIX, de_DE, empty) is English.
    """
    if not code:
        return SOURCE_LANGUAGE
    base = code.split(".")[0].split("@")[0].replace("-", "_")
    if base in LANGUAGES:
        return base
    lowered = base.lower()
    if lowered.startswith("zh") and not any(t in lowered for t in ("tw", "hk", "mo", "hant")):
        return "zh_CN"
    return SOURCE_LANGUAGE


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, in gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG (the first one set wins)."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return normalize(value.split(":")[0])
    return SOURCE_LANGUAGE


def set_language(code: str | None) -> str:
    """Make `code` (any locale name; see normalize) the language messages render in; returns it."""
    global _current
    _current = normalize(code)
    return _current


def language() -> str:
    return _current


def use_cli_language(
    argv: Sequence[str], environ: Mapping[str, str] | None = None
) -> tuple[list[str], str | None]:
    """Set the language from `--lang CODE` (anywhere in argv) or else the environment.

    Returns argv without the option (so the command parsers never see it) and the language the
    option chose, or None when it was not given.
    """
    rest: list[str] = []
    chosen: str | None = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args):
            chosen, i = args[i + 1], i + 2
            continue
        if arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    set_language(chosen if chosen else language_from_env(environ))
    return rest, (language() if chosen else None)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for `lang`: the finished entries of its .po (none if it has none)."""
    if lang not in _catalogs:
        table: dict[str, str] = {}
        path = catalog_path(lang)
        if path.exists():
            from babel.messages.pofile import read_po

            with path.open("rb") as f:
                for message in read_po(f, locale=lang, domain=DOMAIN):
                    if message.id and message.string and not message.fuzzy:
                        table[message.id] = message.string
        _catalogs[lang] = table
    return _catalogs[lang]


def known_texts(lang: str) -> list[str]:
    """The English texts (msgids) that `lang` has a translation for."""
    return [] if lang == SOURCE_LANGUAGE else list(_catalog(lang))


def translate(text: str, lang: str | None = None) -> str:
    """`text` (an English msgid) in `lang` (default: current); itself when untranslated."""
    lang = _current if lang is None else lang
    if lang == SOURCE_LANGUAGE or not text:
        return text
    return _catalog(lang).get(text, text)


def _as_message(value: Any) -> Any:
    """A recipe text (template and fields, made without this module) as a Message; else
    `value` itself."""
    if isinstance(value, str) and not isinstance(value, Message):
        template, fields = getattr(value, "template", None), getattr(value, "fields", None)
        if isinstance(template, str) and isinstance(fields, dict):
            return Message(template, **fields)
    return value


def _field(value: Any, lang: str) -> Any:
    if isinstance(value, BaseException):
        value = message_of(value)  # an error raised with a Message says it in the reader's
        # language
    value = _as_message(value)
    if isinstance(value, Message):
        return value.localized(lang)
    return value


class Message(str):
    """A sentence made from a template and named fields; its `str` value is the English text."""

    template: str
    fields: dict[str, Any]

    literal: bool = False  # a registry text (no fields, braces are plain text)

    def __new__(cls, template: str, /, **fields: Any) -> Message:
        self = super().__new__(cls, template.format(**fields))
        self.template = template
        self.fields = fields
        return self

    @classmethod
    def term(cls, text: str) -> Message:
        self = super().__new__(cls, text)
        self.template, self.fields, self.literal = text, {}, True
        return self

    def localized(self, lang: str | None = None) -> str:
        """The sentence in `lang` (default: the current language)."""
        lang = _current if lang is None else lang
        if lang == SOURCE_LANGUAGE:
            return str.__str__(self)
        if self.literal:
            return translate(self.template, lang)
        values = {k: _field(v, lang) for k, v in self.fields.items()}
        return translate(self.template, lang).format(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.fields, self.literal))


def _rebuild(template: str, fields: dict[str, Any], literal: bool = False) -> Message:
    return Message.term(template) if literal else Message(template, **fields)


def term(text: str) -> Message:
    """A registry text (a port name, a layer's doc) used as a message field: `term(spec.inputs[1])`
    renders as its translation, looked up in the same catalog."""
    return Message.term(text)


def msg(template: str, /, **fields: Any) -> Message:
    """A translatable message: `msg("{node} has no input {port}", node=..., port=2)`."""
    return Message(template, **fields)


def message_of(exc: BaseException) -> str:
    """What an exception says, still translatable when it was raised with a msg() (or a
    recipe text)."""
    if exc.args:
        first = _as_message(exc.args[0])
        if isinstance(first, Message):
            return first
    return str(exc)


def gettext(text: str) -> str:
    """GNU gettext's `_`, answered from our catalog in the current language: the standard
    library's argparse says its words through it (cli/parser.py hands it over)."""
    return translate(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """GNU gettext's `ngettext`: English's two forms, each a msgid of its own."""
    return translate(singular if n == 1 else plural)


def say(template: str, /, **fields: Any) -> str:
    """`template` filled in and rendered in the current language now: what the recipe's
    formatters take as `say` (str.format in exported scripts)."""
    return Message(template, **fields).localized()


def join(separator: str, parts: Sequence[str]) -> Message:
    """`separator.join(parts)` that keeps each part's translation: `join(" → ", names)`."""
    escaped = separator.replace("{", "{{").replace("}", "}}")
    template = escaped.join(f"{{p{i}}}" for i in range(len(parts)))
    return Message(template, **{f"p{i}": part for i, part in enumerate(parts)})


def localize(text: str, lang: str | None = None) -> str:
    """What to show a person: a Message rendered in `lang` (default: current), or a plain registry
    text (a layer's doc) looked up in the catalog."""
    text = _as_message(text)
    if isinstance(text, Message):
        return text.localized(lang)
    return translate(text, lang)


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal columns (ljust/rjust that know CJK)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def template_fields(template: str) -> set[str]:
    """The named fields of a template: "{a} and {b:.2f}" -> {"a", "b"}."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
