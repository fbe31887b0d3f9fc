"""The training recipe shared by the runtime and exported scripts: the settings schema, data
sources, targets, the epoch loop and its metrics. Torch is imported only inside functions, so
codegen can read (and copy) this source without loading torch.
"""
