"""Faults of the run itself (not of the data): one line on stderr, exit code 2."""
from __future__ import annotations


class UsageError(Exception):
    """A bad argument, a missing path, an unknown rule or policy, a plugin that fails to load."""
