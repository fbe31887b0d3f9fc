"""Importer tests run real torchvision models: one thread each, as the cores are shared."""

import torch

torch.set_num_threads(1)
