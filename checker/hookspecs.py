"""The ``mist_check`` hooks that plugins implement."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .filings.extract import Extractor
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


@hookspec
def mist_check_extractors() -> list[Extractor]:  # type: ignore[empty-body]
    """Declare readers of filed text, one per provision, for `mist-check draft` and `filed-text`.

    Called once per run by `mist-check draft` and by the `filed-text` rule, after every plugin is
    registered. A plugin whose rule judges a new provision (``provisions.x_acme``) adds the
    extractor that reads it from a filing, as its rule is added.

    :return: ``Extractor`` objects (``mist_check.Extractor``): a name unique across plugins, the
        document kinds it applies to (empty: every kind) and ``read(reading)``, which yields
        ``Fact`` objects (a value at a path below the document, with the words and line read) and
        ``Review`` objects (what was seen but not read for certain). It must never guess.
    """
