"""The catalogs cover the source: every message template, registry text and Qt string has a
Chinese translation, and the compiled files are those the sources make today."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from i18n import catalogs, template_fields
from i18n.catalogs import TRANSLATED


def ts_messages(path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation, None where unfinished."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation.get("type") not in ("unfinished", "vanished", "obsolete")
            found[(name, message.findtext("source"))] = translation.text if done else None
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_template_has_a_translation(lang):
    catalog = catalogs.read_catalog(lang)
    missing = [
        f"{where}: {text!r}"
        for text, where in sorted(catalogs.core_templates().items())
        if not (catalog.get(text) and catalog.get(text).string)
    ]
    assert missing == [], "run `make translations`, then translate these:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalog_lists_exactly_the_texts_of_the_source(lang):
    catalog = catalogs.read_catalog(lang)
    listed = {m.id for m in catalog if m.id}
    wanted = set(catalogs.wanted_messages())
    assert (sorted(wanted - listed), sorted(listed - wanted)) == ([], []), "run `make translations`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translation_keeps_every_field_of_its_template(lang):
    wrong = [
        m.id
        for m in catalogs.read_catalog(lang)
        if m.id and m.string and template_fields(m.id) != template_fields(m.string)
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_gui_string_has_a_translation_and_the_ts_is_current(lang, tmp_path):
    committed = catalogs.ts_path(lang)
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    catalogs.run_lupdate(fresh)
    found = ts_messages(fresh)
    assert set(found) == set(ts_messages(committed)), "run `make translations`"
    missing = [f"{context}: {source!r}" for (context, source), text in found.items() if not text]
    assert missing == [], "translate these in " + committed.name + ":\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_qt_catalog_matches_its_source(lang, tmp_path):
    ts = catalogs.ts_path(lang)
    qm = tmp_path / "fresh.qm"
    catalogs.run_lrelease(ts, qm)
    assert ts.with_suffix(".qm").read_bytes() == qm.read_bytes(), "run `make translations`"


# English that stays English in a Chinese sentence: code and proper names, as the PyTorch Chinese
# docs keep them. Any other English word in a translation is prose someone forgot to translate.
KEPT_IN_ENGLISH = {
    *("A", "C", "H", "L", "W", "b", "h", "r", "x", "y", "xW", "b_hh", "b_ih"),
    *("True", "False", "None", "true", "false", "JSON", "UTF", "MNIST", "MobileNetV3"),
    *("Transformer", "NLLLoss", "MaxUnpool", "Elman", "Leaky", "Netwright", "PyTorch", "torch"),
    *("argmax", "sigmoid", "softmax", "softplus", "swish", "tanh", "log", "max", "norm", "pre"),
    *("select", "float32", "int64", "id", "token", "same", "zeros"),
    *("format", "label", "name", "params", "pos", "training", "type", "version"),  # file keys
    *("blocks", "doc", "repeat", "shares", "int", "float", "bool", "Python"),  # blocks (v2)
    *("epochs", "lr", "nesterov", "dataset_options", "cpu", "cuda", "mps", "auto", "nll"),
    *("cross_entropy", "nn", "Module", "dict", "state", "pt", "check"),  # settings, code, files
    *("a", "c", "d", "m", "n", "exp", "W_h", "im2col", "matmul", "split_size", "offsets"),  # math
    *("ones", "rand", "randn", "nearest", "bilinear", "Alpha"),  # torch function and mode names
    *("AlexNet", "MobileNet", "ShuffleNet", "ViT", "Lua", "Torch"),  # models and libraries
    *("Python", "py"),
    *("TorchScript", "ExportedProgram", "export", "state_dict"),  # export formats, torch.export
    *("Apple", "NumPy", "NaN", "npy", "Pillow", "torchvision", "pip", "install", "pillow"),
    *("classification", "regression", "train"),  # dataset option values, the train command
    *("required", "call__", "dest", "conflict_resolution"),  # argparse's own (Python) words
    *("onnx", "json", "en", "zh_CN"),  # file suffixes, language codes
    *("Qt", "xcb", "netwright", "sudo", "apt", "get"),  # a command to type, Qt's plugin
    *("file", "path", "to", "resnet18", "eval", "forward", "reshape", "exit", "query", "key"),
    *("Adam", "AdamW", "RMSprop", "Nesterov", "One", "cycle", "Smooth", "logits", "mse", "csv"),
    *("npz", "blobs", "cifar10", "digit", "digits", "fashion", "images", "mnist", "moons"),
    *("shapes", "sincos", "spirals", "features", "noise", "samples", "target", "task"),  # data
    *("forward", "class", "def", "self", "math", "args", "outputs", "list", "tuple", "null"),
    *("fp32", "bf16", "fp16", "autocast", "GradScaler", "compile", "DataLoader"),  # speed
    *("TensorBoard", "tensorboard", "logdir", "pip", "install", "DIR"),  # a tool and its command
    *("torchrun", "gloo", "nccl", "standalone"),  # torch.distributed's launcher and backends
}


def code_names() -> set[str]:
    """Layer types, param names and port names: torch's words, never translated."""
    from graph.spec import all_specs

    names: set[str] = set()
    for spec in all_specs():
        names.update((spec.type, spec.torch_class or "", *spec.inputs, *spec.outputs))
        names.update(p.name for p in spec.params)
    from graph.init import CHOICES, KINDS  # nn.init's scheme and argument names

    names.update(KINDS)
    names.update(arg for args in KINDS.values() for arg, _ in args)
    names.update(v for values in CHOICES.values() for v in values)
    return names


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_registry_text_has_a_translation(lang):
    catalog = catalogs.read_catalog(lang)
    missing = [
        f"{where}: {text!r}"
        for text, where in sorted(catalogs.registry_texts().items())
        if not (catalog.get(text) and catalog.get(text).string)
    ]
    assert missing == [], "translate these:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_leave_no_english_prose(lang):
    allowed = KEPT_IN_ENGLISH | code_names()
    prose = {}
    for m in catalogs.read_catalog(lang):
        if not m.id:
            continue  # the header
        # fields ({name}, argparse's %(name)s), command-line options
        text = re.sub(r"\{[^}]*\}|%(?:\(\w+\))?[srd]|(?<!\w)--?[\w-]+", "", m.string or "")
        words = {w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]*", text) if not w.isupper()}
        words -= allowed
        if words:
            prose[m.id] = sorted(words)
    assert prose == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translation_of_argparse_keeps_its_percent_fields(lang):
    percent = re.compile(r"%(?:\(\w+\))?[srd]")
    catalog = catalogs.read_catalog(lang)
    wrong = [
        text
        for text in catalogs.argparse_texts()
        if sorted(percent.findall(text)) != sorted(percent.findall(catalog.get(text).string))
    ]
    assert wrong == []
