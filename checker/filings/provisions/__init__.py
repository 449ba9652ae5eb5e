"""The built-in provision extractors, one module a provision, registered through the
``mist_check_extractors`` hook as a third-party plugin's would be."""
from __future__ import annotations

from ...hooks import hookimpl
from ..extract import Extractor
from . import approval, assignment, classes, compensation, continuance, fee_cap, name_use, schedule, term, termination

BUILTIN: tuple[Extractor, ...] = tuple(m.EXTRACTOR for m in (
    fee_cap, approval, continuance, termination, assignment, term, name_use, compensation, schedule, classes))


@hookimpl
def mist_check_extractors() -> list[Extractor]:
    return list(BUILTIN)
