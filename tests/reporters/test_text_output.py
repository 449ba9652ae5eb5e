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


# --- what each trust was judged by (issue 11 §2) -------------------------------------------------


def _text(tmp_path, capsys, trust: str, *args: str) -> list[str]:
    from mist_check.cli import main

    (tmp_path / "trust.yaml").write_text("format: 1\ntrust: {name: T}\n" + trust)
    main(["check", str(tmp_path), "--no-entry-points", *args])
    return capsys.readouterr().out.splitlines()


def test_the_summary_names_the_pack_and_the_day_each_trust_was_judged_by(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _text(tmp_path, capsys, "policy: mist\nas_of: 2004-01-31\n")[-2:] == [
        "trust.yaml: policy mist, as of 2004-01-31", "1 trust, 1 file: 0 errors, 0 warnings, 0 suppressed"]
    # the command line wins over the root, and the line says what was used
    assert _text(tmp_path, capsys, "policy: mist\nas_of: 2004-01-31\n", "--as-of", "2010-05-01",
                 "--policy", "ica-1940")[-2] == "trust.yaml: policy ica-1940, as of 2010-05-01"


def test_the_summary_says_when_a_trust_was_not_judged(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _text(tmp_path, capsys, "as_of: 2022-06-31\n")[-2] == (
        "trust.yaml: policy ica-1940; no rule was run (its as_of is not a date)")
    assert _text(tmp_path, capsys, "policy: ica-1904\nas_of: 2004-01-31\n")[-2] == (
        "trust.yaml: not judged (its policy cannot be used)")
    (tmp_path / "trust.yaml").write_text("trust: [\n")
    from mist_check.cli import main

    main(["check", "trust.yaml", "--no-entry-points"])
    assert capsys.readouterr().out.splitlines()[-2] == (
        "trust.yaml: not judged (it could not be read)")
