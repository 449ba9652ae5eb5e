"""The built-in provision extractors, one module a provision, registered through the
``mist_check_extractors`` hook as a third-party plugin's would be.

The modules are imported when the hook is first called (when a filing is read), not when the
plugin is registered: a check without filed text does not pay for compiling their patterns.
"""
from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from ...hooks import hookimpl

if TYPE_CHECKING:
    from ..extract import Extractor

# in the order they read a filing
MODULES = ("fee_cap", "approval", "continuance", "termination", "assignment", "term", "name_use",
           "compensation", "schedule", "classes")


@functools.cache
def builtin() -> tuple[Extractor, ...]:
    return tuple(importlib.import_module(f"{__name__}.{name}").EXTRACTOR for name in MODULES)


@hookimpl
def mist_check_extractors() -> list[Extractor]:
    return list(builtin())
