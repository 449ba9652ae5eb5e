"""Reading a file the checker does not trust: a regular file only, within the byte limit, never blocking.

Every reader (discovery, the loader, policy packs, baselines, ``pyproject.toml``) reads through
``read_limited``: a FIFO, a device, a socket or a directory is refused before it is opened (a FIFO
would block, ``/dev/zero`` never ends), and a file larger than the limit is refused unread.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

# Opening with O_NONBLOCK cannot block on a FIFO swapped in between the check and the open; a
# regular file reads the same with it.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


class Unreadable(Exception):
    """Why a file was not read, as the end of a sentence about it ("is a FIFO, not a regular file")."""


def _admit(mode: int, size: int, limit: int) -> None:
    if stat.S_ISDIR(mode):
        raise Unreadable("is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise Unreadable(f"is {kind}, not a regular file; it was not read")
    if size > limit:
        raise Unreadable(f"is {size} bytes; the limit is {limit} (raise it with --max-file-bytes)")


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; else ``Unreadable`` says why."""
    try:
        info = os.stat(path)
        _admit(info.st_mode, info.st_size, limit)
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)  # what was opened, whatever the path names now
        _admit(info.st_mode, info.st_size, limit)
        chunks, total = [], 0
        while True:  # a file that grows (or a /proc file, whose size is 0) stops at the limit
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20) or 1)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Unreadable(f"is more than {limit} bytes (raise the limit with --max-file-bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
