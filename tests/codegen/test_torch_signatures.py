"""The generator's assumptions about torch's constructors hold for every layer spec.

Leading required/inferred params are written positionally, so their order must be torch's own;
params left at their default are left out, so the spec's default must be torch's default.
"""

import inspect

import pytest
from torch import nn

from codegen.emitters import positional_params
from codegen.namespace import MODULE_ATTRIBUTES, is_safe
from graph import all_specs

LAYER_SPECS = [s for s in all_specs() if s.torch_class is not None]


def _signature(spec) -> list[inspect.Parameter]:
    params = list(inspect.signature(getattr(nn, spec.torch_class)).parameters.values())
    if params and params[0].kind is inspect.Parameter.VAR_POSITIONAL:
        # RNN, LSTM and GRU take (*args, **kwargs) and hand them to RNNBase after `mode`; RNN
        # alone also takes nonlinearity, third after num_layers.
        base = list(inspect.signature(nn.RNNBase.__init__).parameters.values())[2:]
        if spec.torch_class == "RNN":
            tanh = inspect.Parameter("nonlinearity", inspect.Parameter.KEYWORD_ONLY, default="tanh")
            base.insert(3, tanh)
        params = base
    skip = ("device", "dtype")
    return [p for p in params if p.kind is not p.VAR_KEYWORD and p.name not in skip]


@pytest.mark.parametrize("spec", LAYER_SPECS, ids=lambda s: s.type)
def test_positional_arguments_are_the_first_parameters_of_the_torch_constructor(spec):
    prefix = [p.name for p in positional_params(spec)]
    torch_params = _signature(spec)
    assert prefix == [p.name for p in torch_params[: len(prefix)]]
    for param in torch_params[: len(prefix)]:
        assert param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD)


@pytest.mark.parametrize("spec", LAYER_SPECS, ids=lambda s: s.type)
def test_every_param_is_a_keyword_of_the_torch_constructor_with_the_same_default(spec):
    torch_params = {p.name: p for p in _signature(spec)}
    for param in spec.params:
        assert param.name in torch_params, f"nn.{spec.torch_class} has no {param.name}"
        default = torch_params[param.name].default
        if param.required or param.inferred or default is inspect.Parameter.empty:
            continue
        if callable(default):  # TransformerEncoderLayer's activation: F.relu, or "relu"
            default = default.__name__
        assert param.default == default, f"{spec.type}.{param.name}"


def test_every_public_module_attribute_is_reserved():
    module_attrs = {n for n in (*dir(nn.Module), *vars(nn.Module())) if not n.startswith("_")}
    assert module_attrs <= MODULE_ATTRIBUTES
    assert not any(is_safe(name) for name in module_attrs)
