"""Project -> a standalone training script: torch and the dataset's own library, no Netwright.

The script imports the model class from the model file written beside it, carries the project's
training settings as command-line defaults, and loads its data with the very functions the
runtime uses: their source is copied from codegen/data_sources.py (read as text, never imported
with torch). It runs as `python train.py` or `torchrun --nproc_per_node=N train.py`.
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
from graph import Project
from recipe import data as data_sources
from recipe.settings import read_training

# torch's class for each loss of the settings schema
_LOSS_CLASSES = {
    "cross_entropy": "CrossEntropyLoss",
    "nll": "NLLLoss",
    "mse": "MSELoss",
    "l1": "L1Loss",
    "smooth_l1": "SmoothL1Loss",
    "bce_with_logits": "BCEWithLogitsLoss",
}


def script_settings(training: dict[str, Any]) -> dict[str, Any]:
    """The project's settings read through the schema: names canonical, a bad value at its
    default (`export` refuses bad settings first; the editor's export writes what it can)."""
    settings, _ = read_training(training)
    loss = settings["loss"]
    settings["loss"] = _LOSS_CLASSES[loss] if loss else None
    return settings


@cache
def _data_source_parts() -> dict[str, tuple[str, frozenset[str]]]:
    """Top-level definitions of data_sources.py: name -> (source, top-level names it uses)."""
    text = Path(data_sources.__file__).read_text(encoding="utf-8")
    tree = ast.parse(text)
    parts: dict[str, tuple[str, frozenset[str]]] = {}
    for node in tree.body:
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


def data_source_code(names: list[str]) -> str:
    """The source of `names` and everything of data_sources.py they use, in file order."""
    parts = _data_source_parts()
    needed: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in needed or name not in parts:
            continue
        needed.add(name)
        todo.extend(parts[name][1])
    chunks = []
    for name, (source, _) in parts.items():  # dicts keep file order
        if name in needed and source not in chunks:
            chunks.append(source)
    return "\n\n\n".join(chunks)


def generate_train_script(project: Project, model: GeneratedModel, model_module: str) -> str:
    settings = script_settings(project.training)
    report = project.validate()
    input_node = project.node(model.input_nodes[0]) if model.input_nodes else None
    input_shape = list(report.nodes[input_node.id].outputs[0].shape) if input_node else []
    output_shape: list[int] = []
    if model.output_nodes:
        reaching = report.nodes[model.output_nodes[0]].inputs
        if reaching and reaching[0] is not None:
            output_shape = list(reaching[0].shape)
    try:
        loader, kwargs = data_sources.dataset_loader(
            settings["dataset"], settings["dataset_options"]
        )
    except data_sources.DatasetError:
        loader, kwargs = "load_digits", {}  # the Trainer reports a bad dataset; the script
        # still runs on the default one
    if loader == "load_sincos" and len(input_shape) == 2 and input_shape[1] == 1:
        kwargs.setdefault("steps", input_shape[0])
    if loader == "load_image_folder" and len(input_shape) == 3:
        kwargs.setdefault("size", tuple(input_shape[1:]))
        kwargs.setdefault("channels", input_shape[0])
    if "seed" in _parameters(loader):
        kwargs.setdefault("seed", settings["seed"])
    values = {
        "doc_title": _doc_text(
            f"Train {model.class_name} ({project.name}), exported from Netwright."
        ),
        "model_import": _model_import(model_module, model.class_name),
        "importlib": "" if _plain(model_module) else "import importlib\n",
        "data_code": data_source_code(
            [loader, "split_dataset", "fit_to_input", "DatasetError", "_info"]
        ),
        "constants": _constants(settings, loader, kwargs, input_shape, output_shape, input_node),
        "loss": _loss_line(settings["loss"]),
        "optimizer": _optimizer_line(settings),
        "scheduler": _scheduler_line(settings["schedule"]),
        "class_name": model.class_name,
    }
    # one pass: text put in (user labels, paths) is never scanned for placeholders again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], TEMPLATE)


def _parameters(loader: str) -> list[str]:
    tree = ast.parse(_data_source_parts()[loader][0])
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return [a.arg for a in function.args.args]


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
    input_shape: list[int],
    output_shape: list[int],
    input_node: Any,
) -> str:
    dtype = "int64" if _int_input(input_node) else "float32"
    values = [
        ("EPOCHS", _py(settings["epochs"])),
        ("LR", _py(settings["lr"])),
        ("BATCH_SIZE", _py(settings["batch_size"])),
        ("DEVICE", _py(settings["device"])),
        ("SEED", _py(settings["seed"])),
        ("VAL_FRACTION", _py(settings["val_fraction"])),
        ("GRAD_CLIP", _py(settings["grad_clip"])),
        ("OUT", _py("runs")),
        ("DATASET_LOADER", loader),
        ("DATASET_OPTIONS", _py(kwargs)),
        ("INPUT_SHAPE", _py(input_shape)),
        ("INPUT_NAME", _py(input_node.name if input_node else "x")),
        ("INPUT_DTYPE", f"torch.{dtype}"),
        ("OUTPUT_SHAPE", _py(output_shape)),
    ]
    lines = []
    for name, value in values:
        line = f"{name} = {value}"
        if len(line) > LINE_LENGTH and isinstance(kwargs, dict) and name == "DATASET_OPTIONS":
            items = [f"    {_py(k)}: {_py(v)}," for k, v in kwargs.items()]
            line = "\n".join([f"{name} = {{", *items, "}"])
        lines.append(line)
    return "\n".join(lines)


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


def _loss_line(loss: str | None) -> str:
    """The configured loss, or the task's default decided when the data is loaded."""
    if loss is None:
        return "nn.CrossEntropyLoss() if classification else nn.MSELoss()"
    return f"nn.{loss}()"


def _optimizer_line(s: dict[str, Any]) -> str:
    wd = f", weight_decay={s['weight_decay']!r}" if s["weight_decay"] else ""
    if s["optimizer"] == "sgd":
        nesterov = ", nesterov=True" if s["nesterov"] else ""
        return f"torch.optim.SGD(params, lr=lr, momentum={s['momentum']!r}{nesterov}{wd})"
    if s["optimizer"] == "rmsprop":
        return f"torch.optim.RMSprop(params, lr=lr, momentum={s['momentum']!r}{wd})"
    name = {"adam": "Adam", "adamw": "AdamW"}[s["optimizer"]]
    return f"torch.optim.{name}(params, lr=lr{wd})"


def _scheduler_line(schedule: str) -> str:
    if schedule == "step":
        return "torch.optim.lr_scheduler.StepLR(optimizer, max(1, epochs // 3), gamma=0.1)"
    if schedule == "cosine":
        return "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)"
    if schedule == "onecycle":
        return (
            "torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, "
            "total_steps=epochs * math.ceil(len(sampler) / args.batch_size))"
        )
    return "None"


TEMPLATE = Path(__file__).with_name("train_script.tmpl").read_text(encoding="utf-8")
