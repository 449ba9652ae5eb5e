"""``--format text``: colour only on a terminal, and never with ``NO_COLOR``."""
from __future__ import annotations

ESC = "\x1b["


def test_no_colour_when_not_a_terminal(cli_stdout):
    code, out = cli_stdout("violating", "text")
    assert code == 1
    assert ESC not in out
    assert ": error fee-cap " in out


def test_colour_on_a_terminal(cli_stdout, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    out = cli_stdout("violating", "text", tty=True)[1]
    assert f"{ESC}31merror{ESC}0m fee-cap" in out


def test_no_colour_with_no_color_even_on_a_terminal(cli_stdout, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in cli_stdout("violating", "text", tty=True)[1]
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR wins
    assert ESC not in cli_stdout("violating", "text", tty=True)[1]


def test_no_colour_in_an_output_file_or_a_dumb_terminal(cli, cli_stdout, monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert ESC not in cli_stdout("violating", "text", tty=True)[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESC.encode() not in cli("violating", "text")[1]


def test_other_formats_never_colour(cli_stdout, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    for fmt in ("json", "sarif", "junit", "github"):
        assert ESC not in cli_stdout("violating", fmt, tty=True)[1]
