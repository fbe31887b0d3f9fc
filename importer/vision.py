"""torchvision's model builders, from a matching build or from its pure-Python part.

A torchvision whose C extension matches the installed torch imports as usual. Where the extension
cannot load beside this torch (a CUDA build of torchvision next to the CPU torch: `import
torchvision` then fails in its `_meta_registrations` with "operator torchvision::nms does not
exist"), the model builders still work: they are plain Python and need none of the compiled ops.
`load_models` then imports `torchvision.models` without running the package's `__init__`, which
is the only part that needs those ops; detection models that call `nms` fail when they do.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from i18n import msg

PAIRED_RELEASE = "0.28.0"  # the torchvision release built against torch 2.13.0


class VisionUnavailable(RuntimeError):
    """torchvision is missing or cannot give its model builders; the message is one line."""


def load_models() -> ModuleType:
    """`torchvision.models`, or VisionUnavailable saying what is missing or broken."""
    if importlib.util.find_spec("torchvision") is None:
        raise VisionUnavailable(
            msg(
                "torchvision is not installed (pip install torchvision=={release}, the release "
                "that matches torch 2.13.0)",
                release=PAIRED_RELEASE,
            )
        )
    loaded = sys.modules.get("torchvision")
    if loaded is not None and hasattr(loaded, "models"):
        return loaded.models
    try:
        import torchvision
    except Exception as exc:  # its import ran and failed: maybe only the compiled ops
        _forget("torchvision")
        if not _extension_mismatch(exc):
            raise VisionUnavailable(
                msg("torchvision is installed but fails to import: {why}", why=_line(exc))
            ) from None
        return _models_without_extension()
    return torchvision.models


def without_extension() -> bool:
    """Whether the builders were loaded without torchvision's compiled ops (a note for the user)."""
    package = sys.modules.get("torchvision")
    return package is not None and getattr(package, "_netwright_without_extension", False)


def _extension_mismatch(exc: BaseException) -> bool:
    return "torchvision::" in str(exc) and "does not exist" in str(exc)


def _models_without_extension() -> ModuleType:
    spec = importlib.util.find_spec("torchvision")
    assert spec is not None and spec.submodule_search_locations is not None
    package = importlib.util.module_from_spec(spec)  # the package, its __init__ not executed
    package._netwright_without_extension = True  # type: ignore[attr-defined]
    sys.modules["torchvision"] = package
    try:
        return importlib.import_module("torchvision.models")
    except Exception as exc:
        _forget("torchvision")
        raise VisionUnavailable(
            msg(
                "torchvision's model builders cannot be loaded beside this torch: {why}",
                why=_line(exc),
            )
        ) from None


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}".rstrip(": ")
