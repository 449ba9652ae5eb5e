"""The ``mist_check`` hooks that plugins implement."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .rules import Rule

hookspec = pluggy.HookspecMarker("mist_check")


@hookspec
def mist_check_rules() -> list[Rule]:  # type: ignore[empty-body]
    """Declare the rules a plugin provides.

    Called once per run, after every plugin is registered and before any trust is loaded.

    :return: the plugin's ``Rule`` objects; each id must be unique across all plugins.
    """


@hookspec
def mist_check_reporters() -> dict[str, Any]:  # type: ignore[empty-body]
    """Declare output formats a plugin provides.

    Called when the ``--format`` option is resolved.

    :return: a mapping of format name to a callable ``(result, stream) -> None`` that writes the
        report of a finished run to the text stream.
    """
