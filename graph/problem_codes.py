"""The kinds of problem the checker reports: one typed home for every problem code.

A `ProblemCode` is a `StrEnum`, so it compares equal to (and serialises as) the plain string
that `main.py check --json` has always printed: `ProblemCode.CYCLE == "cycle"`.
"""

from __future__ import annotations

from enum import StrEnum


class ProblemCode(StrEnum):
    """What is wrong, as a stable machine-readable word (the `code` of a JSON problem)."""

    # wiring
    CYCLE = "cycle"  # the wires make a loop
    UNCONNECTED = "unconnected"  # an input port with no wire
    DUPLICATE_WIRE = "duplicate_wire"  # two wires into one input port
    BAD_PORT = "bad_port"  # a wire to or from a port the layer does not have
    DEAD_END = "dead_end"  # a node that leads to no Output
    NO_INPUT = "no_input"  # the network has no Input node
    NO_OUTPUT = "no_output"  # the network has no Output node
    # one node
    UNKNOWN_TYPE = "unknown_type"  # a layer type Netwright does not know
    BAD_PARAM = "bad_param"  # a parameter of the wrong type, out of bounds, unknown or missing
    SHAPE = "shape"  # the layer cannot accept the tensor shapes that reach it
    DTYPE = "dtype"  # floats where ids are expected, or ids where floats are
    ADVICE = "advice"  # valid, but probably not what was meant
    INTERNAL = "internal"  # a shape rule of ours failed: a bug to report
    BAD_INIT = "bad_init"  # an initialisation the layer's tensors cannot take
    # Code nodes (your own layer)
    CODE = "code"  # its source is not one nn.Module, or running it failed (located by line)
    UNTRUSTED_CODE = "untrusted_code"  # not run: the project's code is not trusted
    CODE_PENDING = "code_pending"  # still running in the worker; the report follows
    # blocks
    BAD_REPEAT = "bad_repeat"  # a repeat that is not a whole number, or on a node that cannot
    BAD_SHARE = "bad_share"  # shares names no fitting layer of the same drawing
    BLOCK_CYCLE = "block_cycle"  # a block that contains itself
    # the network against its dataset (training settings)
    DATASET_INPUT = "dataset_input"  # the Input cannot hold the dataset's samples
    DATASET_OUTPUT = "dataset_output"  # the output does not match the classes or targets
    # files
    UNREADABLE = "unreadable"  # the project file could not be read at all
