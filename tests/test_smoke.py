"""The bundled MIST trust checks cleanly end to end."""
from mist_check.cli import main


def test_mist_fixture_runs(capsys):
    assert main(["check", "fixtures/mist", "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    assert "4 suppressed" in out
