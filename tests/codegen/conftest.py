"""Codegen tests run generated models with real torch on tiny tensors, one thread each."""

import torch

torch.set_num_threads(1)
