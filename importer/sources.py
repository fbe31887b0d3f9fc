"""What to import: `file.py:ClassName`, `file.py:function` or `torchvision:resnet18`.

Importing a source runs its code (the file's module level, the constructor or the builder): the
caller says so to the user. Nothing here is ever reached from a project file.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from typing import Any

from i18n import message_of, msg
from importer.errors import ImportFailed

TORCHVISION = "torchvision:"


def load_source(source: str, kwargs: dict[str, Any] | None = None) -> tuple[Any, str]:
    """(the constructed nn.Module, a name for the drawing); ImportFailed with one line if not."""
    import torch

    kwargs = dict(kwargs or {})
    if source.startswith(TORCHVISION):
        name = source[len(TORCHVISION) :]
        factory = _torchvision_builder(name)
        kwargs.setdefault("weights", None)
    else:
        path_text, sep, name = source.rpartition(":")
        if not sep or not path_text or not name:
            raise ImportFailed(
                msg(
                    "{source}: name what to import as path/to/file.py:ClassName, "
                    "path/to/file.py:function or torchvision:model_name",
                    source=source,
                )
            )
        factory = _attribute_of_file(Path(path_text), name)
    from importer.code_nodes import recording_constructors

    try:
        with recording_constructors():  # what a Code node needs to build a submodule again
            module = factory(**kwargs)
    except Exception as exc:
        raise ImportFailed(
            msg("{source}: building the model failed: {why}", source=source, why=_line(exc))
        ) from None
    if not isinstance(module, torch.nn.Module):
        raise ImportFailed(
            msg(
                "{source}: gives a {kind}, not a torch.nn.Module",
                source=source,
                kind=type(module).__name__,
            )
        )
    return module, name


def _torchvision_builder(name: str) -> Any:
    from importer.vision import VisionUnavailable, load_models

    try:
        models = load_models()
    except VisionUnavailable as exc:
        raise ImportFailed(message_of(exc)) from None
    builder = getattr(models, name, None)
    if builder is None or not callable(builder) or name.startswith("_"):
        raise ImportFailed(msg("torchvision has no model builder named '{name}'", name=name))
    return builder


def _attribute_of_file(path: Path, name: str) -> Any:
    if not path.is_file():
        raise ImportFailed(msg("{path}: no such file", path=path))
    module_name = f"netwright_import_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportFailed(msg("{path}: not a Python file", path=path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except SystemExit:
        raise ImportFailed(msg("{path}: running the file called exit()", path=path)) from None
    except Exception as exc:
        raise ImportFailed(
            msg("{path}: running the file failed: {why}", path=path, why=_line(exc))
        ) from None
    found = getattr(module, name, None)
    if found is None:
        raise ImportFailed(msg("{path}: defines no '{name}'", path=path, name=name))
    if not (inspect.isclass(found) or callable(found)):
        raise ImportFailed(
            msg("{path}: '{name}' is neither a class nor a function", path=path, name=name)
        )
    return found


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
