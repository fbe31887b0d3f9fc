"""The one error the importer raises: a sentence for the user, never a traceback."""

from __future__ import annotations


class ImportFailed(ValueError):
    """The model cannot be imported; the message is one line naming what and where."""
