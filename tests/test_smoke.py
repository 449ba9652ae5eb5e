"""The bundled MIST trust checks cleanly end to end."""
from mist_check.cli import main


def test_mist_fixture_runs(capsys):
    # The one error the filings justify: Class E is not designated by the Rule 18f-3 plan.
    assert main(["check", "fixtures/mist", "--no-entry-points"]) == 1
    out = capsys.readouterr().out
    assert "1 error, 2 warnings, 10 suppressed" in out
    assert main(["check", "fixtures/mist", "--no-entry-points", "--fail-on", "never"]) == 0
