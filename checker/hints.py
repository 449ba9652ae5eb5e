"""``did you mean 'x'?``: the nearest known name to one that is not known, for every message that names one.

One cutoff for all of them (ids, packs, rule ids, keys): a suggestion is display only, never a verdict."""
from __future__ import annotations

from collections.abc import Iterable

NEAREST_CUTOFF = 0.6  # difflib's ratio; below it two names share too little to suggest one for the other


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``name``, or None when none is close."""
    import difflib  # only a message that names an unknown needs it

    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=NEAREST_CUTOFF)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'class-b-plan'?`` when a known name is close to ``name``, else nothing."""
    close = nearest(name, known)
    return f"; did you mean {close!r}?" if close else ""
