"""mist-check: policy-as-code compliance checks for US mutual-fund trusts.

The plugin API: ``hookimpl``, ``Rule``, ``RuleContext``, ``Finding``, ``Citation``, ``Severity``,
``Location``, the filing extractors' ``Extractor``, ``Fact`` and ``Review``, and the model types
(``Trust``, ``Document``...). Names are imported on first use, so that ``mist-check --version``
stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "1.0.0"

_EXPORTS = {
    "hookimpl": "mist_check.hooks",
    "Rule": "mist_check.rules",
    "RuleContext": "mist_check.rules",
    "Finding": "mist_check.findings",
    "Citation": "mist_check.findings",
    "Severity": "mist_check.findings",
    "Location": "mist_check.findings",
    "Trust": "mist_check.model",
    "Document": "mist_check.model",
    "Provision": "mist_check.model",
    "Portfolio": "mist_check.model",
    "Meeting": "mist_check.model",
    "Action": "mist_check.model",
    "ShareholderVote": "mist_check.model",
    "Requirement": "mist_check.model",
    "Report": "mist_check.model",
    "Amendment": "mist_check.model",
    "Extractor": "mist_check.filings.extract",
    "Fact": "mist_check.filings.extract",
    "Review": "mist_check.filings.extract",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mist_check' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
