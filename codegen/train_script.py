"""Project -> a standalone training script: torch and the dataset's own library, no Netwright.

The script imports the model class from the model file written beside it, carries the project's
training settings as the defaults of options made from the settings schema, and trains with the
very recipe the runtime runs: the functions of recipe/ (data, targets, loop, metrics, the epoch
line) are copied into it as source (read as text, never imported with torch). It writes the same
metrics.jsonl as `main.py train`, and runs as `python train.py` or under `torchrun`.
"""

from __future__ import annotations

import ast
import keyword
import re
from functools import cache
from pathlib import Path
from typing import Any

from codegen.emitters import string_literal
from codegen.layout import LINE_LENGTH
from codegen.model_gen import GeneratedModel
from graph import Project, dataset_names
from recipe import data, loop, metrics, progress, targets, tensorboard, weights
from recipe.data import DatasetError
from recipe.settings import (
    SETTINGS,
    STRICT_WEIGHTS_HELP,
    TENSORBOARD_HELP,
    WEIGHTS_HELP,
    Setting,
    read_training,
)

# the recipe's modules whose functions scripts carry, in the order they appear there
RECIPE_MODULES = (dataset_names, data, targets, loop, metrics, progress, tensorboard, weights)
# what the template calls; everything these use comes along
TEMPLATE_NAMES = [
    "fit_to_input",
    "split_dataset",
    "task_loss",
    "fit_targets",
    "make_loss",
    "make_optimizer",
    "make_schedule",
    "batches_per_epoch",
    "epoch_batches",
    "batch_loader",
    "mixed_precision",
    "compiled",
    "compile_failure",
    "train_step",
    "run_state",
    "restore_run_state",
    "predict",
    "score",
    "BatchLog",
    "BestEpoch",
    "eta_seconds",
    "epoch_record",
    "json_line",
    "epoch_line",
    "tensorboard_writer",
    "log_epoch",
    "StartWeightsError",
    "read_state_dict",
    "start_from_weights",
    "layer_owner",
]


def script_settings(training: dict[str, Any]) -> dict[str, Any]:
    """The project's settings read through the schema: names canonical, a bad value at its
    default (`export` refuses bad settings first; the editor's export writes what it can)."""
    settings, _ = read_training(training, datasets=False)
    return settings


@cache
def _recipe_parts() -> dict[str, tuple[str, frozenset[str]]]:
    """Top-level definitions of the recipe modules: name -> (source, top-level names it uses)."""
    parts: dict[str, tuple[str, frozenset[str]]] = {}
    for module in RECIPE_MODULES:
        text = Path(module.__file__).read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            used = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
            for name in names:
                parts[name] = (ast.get_source_segment(text, node) or "", used)
    return parts


def recipe_code(names: list[str]) -> str:
    """The source of `names` and every recipe definition they use, in module and file order."""
    parts = _recipe_parts()
    needed: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in needed or name not in parts:
            continue
        needed.add(name)
        todo.extend(parts[name][1])
    chunks: list[str] = []
    for name, (source, _) in parts.items():  # dicts keep the order they were filled in
        if name in needed and source not in chunks:
            chunks.append(source)
    return "\n\n\n".join(chunks)


def _parameters(loader: str) -> list[str]:
    function = ast.parse(_recipe_parts()[loader][0]).body[0]
    assert isinstance(function, ast.FunctionDef)
    return [a.arg for a in function.args.args]


def generate_train_script(project: Project, model: GeneratedModel, model_module: str) -> str:
    settings = script_settings(project.training)
    report = project.validate()
    input_node = project.node(model.input_nodes[0]) if model.input_nodes else None
    input_shape = list(report.nodes[input_node.id].outputs[0].shape) if input_node else []
    output_shape: list[int] = []
    output_name = "Output"
    if model.output_nodes:
        output_name = project.node(model.output_nodes[0]).name
        reaching = report.nodes[model.output_nodes[0]].inputs
        if reaching and reaching[0] is not None:
            output_shape = list(reaching[0].shape)
    try:
        loader, kwargs = data.loader_call(
            settings["dataset"], settings["dataset_options"], input_shape, None, _parameters
        )
    except DatasetError:
        loader, kwargs = "load_digits", {}  # the Trainer reports a bad dataset; the script
        # still runs on the default one
    seeded = "seed" in kwargs and kwargs["seed"] is None
    if seeded:
        del kwargs["seed"]  # the script's --seed seeds the dataset, as Netwright's runs do
    values = {
        "doc_title": _doc_text(
            f"Train {model.class_name} ({project.name}), exported from Netwright."
        ),
        "model_import": _model_import(model_module, model.class_name),
        "importlib": "" if _plain(model_module) else "import importlib\n",
        "recipe_code": recipe_code([loader, *TEMPLATE_NAMES]),
        "constants": _constants(
            settings, loader, kwargs, seeded, input_shape, output_shape, input_node, output_name
        ),
        "arguments": _arguments(),
        "class_name": model.class_name,
        "tensorboard_help": string_literal(TENSORBOARD_HELP),
        "weights_help": string_literal(WEIGHTS_HELP),
        "strict_weights_help": string_literal(STRICT_WEIGHTS_HELP),
    }
    # one pass: text put in (user labels, paths) is never scanned for placeholders again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], TEMPLATE)


def script_options() -> tuple[Setting, ...]:
    """The settings the script takes as options: every flag but the dataset, which is
    chosen at export (the script carries only its loader)."""
    return tuple(s for s in SETTINGS if s.flag and s.kind != "dataset")


def _arguments() -> str:
    """`parser.add_argument(...)` for each script option, from the schema."""
    lines = []
    for s in script_options():
        args = [string_literal(s.option)]
        if s.kind == "bool":
            args.append("action=argparse.BooleanOptionalAction")
        elif s.kind in ("int", "float"):
            args.append(f"type={s.kind}")
        elif s.choices:
            values = [v for v in s.values if v is not None]
            args.append("choices=" + _py(values))
        args.append(f"default=SETTINGS[{string_literal(s.name)}]")
        args.append("help=" + string_literal(s.help))
        lines.append(_call("parser.add_argument", args))
    return "\n".join(lines)


def _call(function: str, args: list[str]) -> str:
    """A call as ruff formats it at 88 columns, inside a function body."""
    one = f"    {function}({', '.join(args)})"
    if len(one) <= 88:
        return one
    inner = f"        {', '.join(args)}"
    if len(inner) <= 88:
        return f"    {function}(\n{inner}\n    )"
    return "\n".join([f"    {function}(", *(f"        {a}," for a in args), "    )"])


def _plain(module: str) -> bool:
    return module.isidentifier() and not keyword.iskeyword(module)


def _doc_text(text: str) -> str:
    """User text inside the script's docstring: printable, and no quote or backslash can end it
    early."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text.replace("\\", "/").replace('"', "'")


def _model_import(module: str, class_name: str) -> str:
    if _plain(module):
        return f"from {module} import {class_name}"
    # a file name that is not an identifier (my-net.py) can still be imported by name
    return f"{class_name} = importlib.import_module({string_literal(module)}).{class_name}"


def _constants(
    settings: dict[str, Any],
    loader: str,
    kwargs: dict[str, Any],
    seeded: bool,
    input_shape: list[int],
    output_shape: list[int],
    input_node: Any,
    output_name: str,
) -> str:
    dtype = "int64" if _int_input(input_node) else "float32"
    script = {s.name: settings[s.name] for s in SETTINGS if s.kind not in ("dataset", "options")}
    values: list[tuple[str, Any]] = [
        ("SETTINGS", script),
        ("DATASET_LOADER", _Code(loader)),
        ("DATASET_OPTIONS", kwargs),
        ("DATASET_SEEDED", seeded),
        ("INPUT_SHAPE", input_shape),
        ("INPUT_NAME", input_node.name if input_node else "x"),
        ("INPUT_DTYPE", _Code(f"torch.{dtype}")),
        ("OUTPUT_SHAPE", output_shape),
        ("OUTPUT_NAME", output_name),
    ]
    lines = []
    for name, value in values:
        line = f"{name} = {value if isinstance(value, _Code) else _py(value)}"
        if len(line) > LINE_LENGTH and isinstance(value, dict):
            items = [f"    {_py(k)}: {_py(v)}," for k, v in value.items()]
            line = "\n".join([f"{name} = {{", *items, "}"])
        lines.append(line)
    return "\n".join(lines)


class _Code(str):
    """Source to put in as it is (a name), not as a string literal."""


def _py(value: Any) -> str:
    """A Python literal as ruff writes it; strings fully escaped (user text stays data)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(_py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    return string_literal(str(value))


def _int_input(node: Any) -> bool:
    return node is not None and node.params.get("dtype") == "int64"


TEMPLATE = Path(__file__).with_name("train_script.tmpl").read_text(encoding="utf-8")
