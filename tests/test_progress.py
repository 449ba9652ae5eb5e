"""A progress bar on stderr while several trusts are checked, only when stderr is a terminal (a real
pseudo-terminal here); nothing in a log; `--no-progress` turns it off; the report is unchanged."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="no pseudo-terminals here")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("progress") / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--seed", "5", "--trusts", "6",
                    "--out", str(out), "--quiet"], check=True, capture_output=True)
    return out


def run(corpus: Path, *extra: str, tty: bool) -> tuple[int, bytes, bytes]:
    """Run the checker with stderr on a pseudo-terminal (or a pipe); (exit code, stdout, stderr)."""
    cmd = [sys.executable, "-m", "mist_check", "check", str(corpus), "--format", "json", "--no-entry-points", *extra]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    if not tty:
        done = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal's size
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    err = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            err += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait(timeout=300)
    os.close(leader)
    return proc.returncode, out, err


def test_a_terminal_gets_a_progress_bar_and_the_report_is_unchanged(corpus: Path) -> None:
    code, out, err = run(corpus, tty=True)
    quiet = run(corpus, tty=False)
    assert code == quiet[0] and out == quiet[1]
    assert b"mist-check:" in err and b"/6 [" in err and b"trust/s" in err


def test_a_log_gets_no_progress(corpus: Path) -> None:
    assert run(corpus, tty=False)[2] == b""


def test_no_progress_turns_it_off(corpus: Path) -> None:
    assert b"/6 [" not in run(corpus, "--no-progress", tty=True)[2]


def test_the_workers_report_progress_too(corpus: Path) -> None:
    assert b"/6 [" in run(corpus, "--jobs", "2", tty=True)[2]
