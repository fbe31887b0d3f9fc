"""The docs' table of training settings, generated from the schema.

Regenerate with `python -m recipe.settings_table > docs/training-settings.md`; a test keeps the
file up to date.
"""

from __future__ import annotations

from recipe.settings import SETTINGS, Setting, bounds

_HEADER = """# Training settings

Generated from the settings schema (`recipe/settings.py`) by
`python -m recipe.settings_table > docs/training-settings.md`; do not edit by hand.

These are the keys of a project file's `training` object. Every one is optional. The GUI's
training form, the `train` command's options (`--batch-size` for `batch_size`), the exported
training script's options and `check` all read this one list: `check` reports a bad value at
`training.<key>`. Names are case-insensitive (`CrossEntropy`, `cross-entropy` and
`cross_entropy` are one loss). `out_dir` and `resume_from` are not settings of a project: the
output folder comes from `train --out`/`--resume` or the editor's dialog, and `check` warns when
a file holds them.
"""


def render_markdown() -> str:
    lines = [
        _HEADER,
        "| key | option | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    lines += [_row(s) for s in SETTINGS]
    return "\n".join(lines) + "\n"


def _row(s: Setting) -> str:
    option = f"`{s.option}`" if s.flag else "—"
    default = "—" if s.default is None else f"`{_json(s.default)}`"
    return f"| `{s.name}` | {option} | {default} | {_allowed(s)} | {s.help} |"


def _allowed(s: Setting) -> str:
    if s.choices:
        names = [f"`{c.value}`" for c in s.choices if c.value is not None]
        aliases = ", ".join(f"{a}" for a in sorted(s.aliases))
        text = ", ".join(names)
        return text + (f" (also: {aliases})" if aliases else "")
    if s.kind in ("int", "float"):
        kind = "whole number" if s.kind == "int" else "number"
        return f"{kind}, {bounds(s)}" + (", or `null`" if s.optional else "")
    return {
        "bool": "`true` or `false`",
        "dataset": "a built-in name or a path",
        "device": "`cpu`, `cuda`, `cuda:N`, `mps`, `auto`",
        "options": "an object",
    }[s.kind]


def _json(value: object) -> str:
    import json

    return json.dumps(value)


if __name__ == "__main__":
    print(render_markdown(), end="")
