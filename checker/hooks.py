"""The marker plugins use on their hook functions: ``@hookimpl``."""
from __future__ import annotations

import pluggy

hookimpl = pluggy.HookimplMarker("mist_check")
