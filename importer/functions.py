"""Functional calls and tensor methods -> layer nodes: `F.relu` -> ReLU, `torch.cat` -> Concat.

Each entry names the layer type and torch's argument names in positional order; the call's
arguments become that layer's params. A type the library does not have (yet), or an argument the
layer cannot hold, leaves the call unmapped, and the importer says so.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OpRule:
    type: str
    arguments: tuple[str, ...] = ()  # torch's names after the tensor(s), in positional order
    tensors: int = 1  # how many leading arguments are tensors wired into the node
    fixed: tuple[tuple[str, Any], ...] = ()  # params implied by the function (F.relu_: inplace)
    ignored: tuple[str, ...] = ()  # arguments that do not change the result in eval mode


_ACTIVATIONS = {
    "relu": ("ReLU", ("inplace",)),
    "relu6": ("ReLU6", ("inplace",)),
    "sigmoid": ("Sigmoid", ()),
    "tanh": ("Tanh", ()),
    "gelu": ("GELU", ("approximate",)),
    "silu": ("SiLU", ("inplace",)),
    "mish": ("Mish", ("inplace",)),
    "hardswish": ("Hardswish", ("inplace",)),
    "hardsigmoid": ("Hardsigmoid", ("inplace",)),
    "elu": ("ELU", ("alpha", "inplace")),
    "leaky_relu": ("LeakyReLU", ("negative_slope", "inplace")),
    "softmax": ("Softmax", ("dim",)),
    "log_softmax": ("LogSoftmax", ("dim",)),
}


def function_rules() -> dict[Any, OpRule]:
    """fx call_function targets -> rules (built on first use: it imports torch)."""
    import torch
    import torch.nn.functional as F

    rules: dict[Any, OpRule] = {
        operator.add: OpRule("Add", tensors=2),
        operator.iadd: OpRule("Add", tensors=2),
        torch.add: OpRule("Add", tensors=2),
        operator.mul: OpRule("Multiply", tensors=2),
        operator.imul: OpRule("Multiply", tensors=2),
        torch.mul: OpRule("Multiply", tensors=2),
        operator.sub: OpRule("Subtract", tensors=2),
        torch.sub: OpRule("Subtract", tensors=2),
        operator.truediv: OpRule("Divide", tensors=2),
        torch.div: OpRule("Divide", tensors=2),
        torch.cat: OpRule("Concat", ("dim",), tensors=-1),
        torch.concat: OpRule("Concat", ("dim",), tensors=-1),
        torch.stack: OpRule("Stack", ("dim",), tensors=-1),
        torch.flatten: OpRule("Flatten", ("start_dim", "end_dim")),
        torch.chunk: OpRule("Chunk", ("chunks", "dim")),
        torch.select: OpRule("Index", ("dim", "index")),
        torch.unsqueeze: OpRule("Unsqueeze", ("dim",)),
        torch.split: OpRule("Split", ("split_size_or_sections", "dim")),
        torch.permute: OpRule("Permute", ("dims",)),
        torch.transpose: OpRule("Transpose", ("dim0", "dim1")),
        torch.mean: OpRule("Mean", ("dim", "keepdim")),
        torch.sum: OpRule("Sum", ("dim", "keepdim")),
        torch.matmul: OpRule("MatMul", tensors=2),
        F.dropout: OpRule("Dropout", ("p", "training", "inplace"), ignored=("training",)),
        F.adaptive_avg_pool1d: OpRule("AdaptiveAvgPool1d", ("output_size",)),
        F.adaptive_avg_pool2d: OpRule("AdaptiveAvgPool2d", ("output_size",)),
        F.adaptive_max_pool2d: OpRule("AdaptiveMaxPool2d", ("output_size", "return_indices")),
        F.max_pool1d: OpRule(
            "MaxPool1d",
            ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"),
        ),
        F.max_pool2d: OpRule(
            "MaxPool2d",
            ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"),
        ),
        F.avg_pool1d: OpRule(
            "AvgPool1d", ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
        ),
        F.avg_pool2d: OpRule(
            "AvgPool2d",
            (
                "kernel_size",
                "stride",
                "padding",
                "ceil_mode",
                "count_include_pad",
                "divisor_override",
            ),
        ),
    }
    for name, (layer, args) in _ACTIVATIONS.items():
        for owner in (F, torch):
            fn = getattr(owner, name, None)
            if fn is not None and fn not in rules:
                rules[fn] = OpRule(layer, args)
            inplace = getattr(owner, name + "_", None)
            if inplace is not None and "inplace" in args and inplace not in rules:
                rules[inplace] = OpRule(layer, (), fixed=(("inplace", True),))
    return rules


def method_rules() -> dict[str, OpRule]:
    """fx call_method targets (tensor method names) -> rules."""
    rules = {
        "add": OpRule("Add", tensors=2),
        "add_": OpRule("Add", tensors=2),
        "mul": OpRule("Multiply", tensors=2),
        "mul_": OpRule("Multiply", tensors=2),
        "sub": OpRule("Subtract", tensors=2),
        "div": OpRule("Divide", tensors=2),
        "flatten": OpRule("Flatten", ("start_dim", "end_dim")),
        "chunk": OpRule("Chunk", ("chunks", "dim")),
        "select": OpRule("Index", ("dim", "index")),
        "unsqueeze": OpRule("Unsqueeze", ("dim",)),
        "split": OpRule("Split", ("split_size_or_sections", "dim")),
        "mean": OpRule("Mean", ("dim", "keepdim")),
        "sum": OpRule("Sum", ("dim", "keepdim")),
        "transpose": OpRule("Transpose", ("dim0", "dim1")),
        "matmul": OpRule("MatMul", tensors=2),
    }
    for name, (layer, args) in _ACTIVATIONS.items():
        rules.setdefault(name, OpRule(layer, tuple(a for a in args if a != "inplace")))
        if "inplace" in args:
            rules.setdefault(name + "_", OpRule(layer, (), fixed=(("inplace", True),)))
    return rules


# Calls that hand their input on unchanged (for a drawing): no node.
PASS_THROUGH_METHODS = frozenset({"contiguous", "clone", "detach"})


# Regularisers that only act in training and hand their input on in eval (the traced mode):
# left out of the drawing, and the import says so. torchvision's stochastic depth (EfficientNet,
# ConvNeXt, Swin) drops whole residual branches per sample while training.
TRAINING_ONLY = frozenset({("torchvision.ops.stochastic_depth", "stochastic_depth")})


def is_training_only(target: Any) -> bool:
    key = (getattr(target, "__module__", ""), getattr(target, "__name__", ""))
    return key in TRAINING_ONLY
