"""`train --find-lr`: the learning-rate range test (runtime.lr_finder) instead of a run.

It prints the suggested rate and where the loss was lowest; with `--json` the last line is
{"suggested_lr": ..., "minimum_lr": ..., "lrs": [...], "losses": [...]}.
"""

from __future__ import annotations

import json

from cli.errors import EXIT_FAILED, EXIT_OK, fail, json_safe
from graph import Project
from i18n import localize, message_of, msg
from recipe.config import TrainConfig
from runtime.failures import RunFailed


def run_find_lr(project: Project, config: TrainConfig, as_json: bool) -> int:
    from runtime.lr_finder import range_test

    try:
        result = range_test(project, config)
    except RunFailed as exc:
        return fail(message_of(exc), EXIT_FAILED)
    if result.suggested_lr is None:
        print(localize(msg("the loss did not fall at any learning rate tried: no suggestion")))
    else:
        print(
            localize(
                msg(
                    "suggested learning rate: {lr:.3g} (the loss fell fastest there; it was "
                    "lowest at {minimum:.3g}, over {steps} steps)",
                    lr=result.suggested_lr,
                    minimum=result.minimum_lr,
                    steps=len(result.lrs),
                )
            ),
            flush=True,
        )
    if as_json:
        print(json.dumps(json_safe(result.to_dict())))
    return EXIT_OK
