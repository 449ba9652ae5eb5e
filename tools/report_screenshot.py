"""Regenerate the README's screenshot of the MIST audit report (docs/report-mist.png).

    .venv/bin/python tools/report_screenshot.py [--output docs/report-mist.png]

Renders `mist-check check fixtures/mist --format html` to a temporary file and photographs its
first screen in headless Chromium (Debian's chromium and chromium-driver), through Selenium, as
tests/reporters/test_html.py opens it. Nothing is fetched: the report is self-contained.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "report-mist.png")
    parser.add_argument("--size", default="1200,1500", help="the window, WIDTH,HEIGHT in pixels")
    args = parser.parse_args(argv)
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        print("needs Chromium and ChromeDriver (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 2
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "mist.html"
        subprocess.run([sys.executable, "-m", "mist_check", "check", "fixtures/mist", "--format", "html",
                        "--output", str(report)], cwd=REPO, check=False)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={args.size}",
                     "--hide-scrollbars"):
            options.add_argument(flag)
        browser = webdriver.Chrome(service=Service(driver), options=options)
        try:
            browser.get(report.as_uri())
            browser.save_screenshot(str(args.output))
        finally:
            browser.quit()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
