"""The library covers torch.nn: every public module class is a layer, an alias, or excluded with a
reason that docs/layers.md shows."""

import inspect

from torch import nn

from graph import get_spec, layer_types
from graph.fileio import project_from_dict
from graph.torch_nn import ALIASES, EXCLUDED


def _public_module_classes() -> list[str]:
    return sorted(
        name
        for name, obj in vars(nn).items()
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, nn.Module)
    )


def _is_loss(name: str) -> bool:
    return issubclass(getattr(nn, name), nn.modules.loss._Loss)


def test_every_public_torch_nn_module_is_a_layer_an_alias_a_loss_or_excluded_with_a_reason():
    covered = set(layer_types()) | set(ALIASES) | set(EXCLUDED)
    missing = [n for n in _public_module_classes() if n not in covered and not _is_loss(n)]
    assert missing == [], f"torch.nn classes neither in the library nor excluded: {missing}"


def test_the_exclusion_list_is_short_and_names_real_classes_that_are_not_layers():
    assert len(EXCLUDED) <= 20
    assert all(hasattr(nn, name) and reason for name, reason in EXCLUDED.items())
    assert not set(EXCLUDED) & set(layer_types())


def test_every_layer_with_a_torch_class_names_a_real_torch_nn_module():
    for node_type in layer_types():
        spec = get_spec(node_type)
        if spec.torch_class is not None:
            assert issubclass(getattr(nn, spec.torch_class), nn.Module), node_type


def test_every_alias_is_a_torch_lazy_module_read_as_an_existing_layer():
    for alias, (target, defaults) in ALIASES.items():
        assert alias.startswith("Lazy") and hasattr(nn, alias)
        spec = get_spec(target)
        assert spec is not None and set(defaults) <= set(spec.param_index)
        # The defaults that come along are the Lazy module's own.
        signature = inspect.signature(getattr(nn, alias))
        for name, value in defaults.items():
            assert signature.parameters[name].default == value, (alias, name)


def test_a_file_with_lazy_layers_opens_as_their_layers_with_torch_s_lazy_defaults():
    project = project_from_dict(
        {
            "format": "netwright",
            "version": 1,
            "name": "lazy",
            "nodes": [
                {"id": "x", "type": "Input", "params": {"shape": [3, 8, 8]}},
                {"id": "n", "type": "LazyInstanceNorm2d", "params": {}},
                {"id": "f", "type": "Flatten"},
                {"id": "fc", "type": "LazyLinear", "params": {"out_features": 4}},
                {"id": "y", "type": "Output"},
            ],
            "edges": [
                {"source": a, "target": b}
                for a, b in (("x", "n"), ("n", "f"), ("f", "fc"), ("fc", "y"))
            ],
        }
    )
    assert [n.type for n in project.nodes] == [
        "Input",
        "InstanceNorm2d",
        "Flatten",
        "Linear",
        "Output",
    ]
    assert project.node("n").params == {"affine": True, "track_running_stats": True}
    report = project.validate()
    assert report.valid, [p.message for p in report.errors]
    assert report.nodes["fc"].resolved["in_features"] == 192


def test_docs_show_every_exclusion_and_its_reason():
    from graph.layer_table import render_markdown

    text = render_markdown()
    for name, reason in EXCLUDED.items():
        assert f"`{name}` | {reason.replace('|', chr(92) + '|')}" in text
    for alias in ALIASES:
        assert f"`{alias}`" in text
