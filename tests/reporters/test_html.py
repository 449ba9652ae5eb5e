"""``--format html``: one self-contained file, parsed back with a real HTML5 parser (html5lib),
every string from a trust escaped, timelines and fee tables drawn from the rules' own models,
and (where Chromium is installed) opened in headless Chromium: no console error, no request."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import html5lib
import pytest

from mist_check.cli import main

REPO = Path(__file__).resolve().parents[2]


def parse(data: bytes):  # type: ignore[no-untyped-def]
    """The document, parsed strictly: an HTML5 parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data.decode("utf-8"))


def text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(element.itertext()).split())


def by_class(tree, tag: str, cls: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in tree.iter(tag) if cls in (e.get("class") or "").split()]


def svg_all(element, name: str) -> list:  # type: ignore[no-untyped-def]
    """SVG elements by local name (html5lib puts them in the SVG namespace)."""
    return [e for e in element.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == name]


def test_the_mist_report_is_valid_html5_with_every_finding_and_its_citation(cli) -> None:
    code, data = cli("mist", "html")
    assert code == 1
    tree = parse(data)
    trust = next(e for e in tree.iter("section") if e.get("id") == "trust-1")
    judged = by_class(trust, "p", "judged")[0]
    assert text(judged).startswith("Judged by policy mist as of 2005-06-30 — 7 files: 1 error, 2 warnings, 0 notes, "
                                   "10 suppressed.")
    findings = by_class(trust, "li", "finding")
    shown = [f for f in findings if f.get("data-severity") and not by_class(f, "p", "why")]
    assert sorted(f.get("data-rule") for f in shown) == ["document-dates", "document-dates", "plan-coverage"]
    coverage = next(f for f in shown if f.get("data-rule") == "plan-coverage")
    assert "class E is not among the classes the Plan pursuant to Rule 18f-3 designates (A, B, C)" in text(coverage)
    assert text(by_class(coverage, "p", "cite")[0]) == \
        'Citation: Plan pursuant to Rule 18f-3, "Class designations"; Rule 18f-3'
    assert text(by_class(coverage, "code", "where")[0]) == "fixtures/mist/trust.yaml:47:3"
    hit = by_class(coverage, "span", "hit")[0]  # the YAML line, shown with its neighbours
    assert text(hit) == '47 "E": {plan: class-e-plan}'
    assert "plan-coverage" in text(by_class(coverage, "details", "explain")[0])
    suppressed = by_class(trust, "details", "suppressed")[0]
    assert len(by_class(suppressed, "li", "finding")) == 10
    assert "Suppressed: the filings are not bundled" in text(suppressed)


def test_the_mist_report_draws_timelines_and_what_falls_due(cli) -> None:
    tree = parse(cli("mist", "html")[1])
    figures = [f for f in tree.iter("figure") if "timeline" in (f.get("class") or "")]
    captions = [text(f.find("figcaption")) for f in figures]
    assert any(c.startswith("Management Agreement") and "next continuance due by 2005-12-31" in c for c in captions)
    class_e = next(f for f in figures if text(f.find("figcaption")).startswith("Class E Distribution Plan"))
    assert "lapsed: its continuance was due by 2002-04-24" in text(class_e.find("figcaption"))
    [svg] = svg_all(class_e, "svg")
    assert svg.get("role") == "img" and svg_all(svg, "title")
    lapses = [r for r in svg_all(svg, "rect") if "span-lapse" in r.get("class", "")]
    assert lapses and "lapsed since 2002-04-24" in text(lapses[0])
    assert [line for line in svg_all(svg, "line") if line.get("class") == "asof"]
    due = by_class(tree, "table", "due")[0]
    rows = [text(r) for r in due.iter("tr")][1:]
    assert any(r.startswith("2005-12-31 window from 2005-10-03 due Management Agreement §9") for r in rows)
    assert any("overdue" in r and "Class E Distribution Plan §4" in r for r in rows)


def test_a_violating_trust_shows_fees_above_their_cap_in_words(cli) -> None:
    tree = parse(cli("violating", "html")[1])
    fees = by_class(tree, "table", "fees")
    assert fees
    above = [r for r in fees[0].iter("tr") if "fee-above" in (r.get("class") or "")]
    assert above and all("✖ above" in text(r) for r in above)  # a symbol and a word beside the colour


def test_the_report_is_self_contained_and_deterministic(cli) -> None:
    first = cli("mist", "html")[1]
    assert first == cli("mist", "html")[1]
    tree = parse(first)
    assert not [e for e in tree.iter("link")]
    assert not [e for e in tree.iter("script") if e.get("src")]
    assert not [e for e in tree.iter("img") if not (e.get("src") or "").startswith("data:")]
    assert not re.search(rb"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", first)
    assert b"@import" not in first and b"url(" not in first


def test_jobs_do_not_change_the_report(cli) -> None:
    assert cli("mist", "html", "--jobs", "2")[1] == cli("mist", "html", "--jobs", "1")[1]


HOSTILE = "<script>alert(1)</script>"


def test_every_string_from_the_trust_is_text(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text(f"""\
format: 1
as_of: 2005-06-30
trust: {{name: "{HOSTILE}", type: open-end}}
portfolios:
  - {{id: p, name: "<img src=x onerror=alert(2)>", management_fee: "0.10%"}}
documents:
  - id: plan
    kind: distribution-plan
    title: "</title><script>alert(3)</script>"
    share_class: B
    adopted: 2004-01-01
    provisions:
      fee_cap: {{rate: "0.25%", section: "<b>1</b>"}}
""")
    assert main(["check", ".", "--format", "html", "--output", "r.html", "--no-entry-points"]) in (0, 1)
    data = (tmp_path / "r.html").read_bytes()
    tree = parse(data)
    scripts = [e for e in tree.iter("script")]
    assert len(scripts) == 1 and "alert" not in (scripts[0].text or "")  # only the report's own
    assert not [e for e in tree.iter("img")] and not [e for e in tree.iter("b")]
    assert HOSTILE in text(tree.find(".//h2[@id='trust-1-h']"))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data


def test_hidden_characters_from_the_trust_are_shown_as_escapes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trust.yaml").write_text('format: 1\nas_of: 2005-06-30\ntrust: {name: "Fund \\u202egnp.exe", '
                                         'type: open-end}\n', encoding="utf-8")
    main(["check", ".", "--format", "html", "--output", "r.html", "--no-entry-points"])
    data = (tmp_path / "r.html").read_bytes()
    assert "\u202e".encode() not in data
    assert "Fund \\u202egnp.exe" in text(parse(data).find(".//h2[@id='trust-1-h']"))


# --- in a real browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
AXE = os.environ.get("MIST_CHECK_AXE") or next(
    (str(p) for p in (REPO / ".ci" / "node_modules" / "axe-core" / "axe.min.js",) if p.exists()), None)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM and DRIVER):
        pytest.skip("no Chromium and ChromeDriver here (Debian: apt-get install chromium chromium-driver; "
                    ".ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1200,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_chromium_opens_the_report_with_no_error_and_no_request(cli, browser, tmp_path: Path) -> None:
    import json

    report = tmp_path / "mist.html"
    report.write_bytes(cli("mist", "html")[1])
    browser.get(report.as_uri())
    assert browser.title == "mist-check audit report as of 2005-06-30"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = [json.loads(e["message"])["message"] for e in browser.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"}
    assert urls == {report.as_uri()}
    browser.save_screenshot(str(tmp_path / "mist.png"))
    assert (tmp_path / "mist.png").stat().st_size > 10_000
    # the filters: errors only
    assert browser.find_element("id", "controls").is_displayed()
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "f-severity")).select_by_value("error")
    visible = [e for e in browser.find_elements("css selector", "li.finding") if e.is_displayed()]
    assert [e.get_attribute("data-rule") for e in visible] == ["plan-coverage"]
    assert browser.find_element("id", "shown").text == "1 finding shown, 5 suppressed"


def test_the_report_passes_axe_core(cli, browser, tmp_path: Path) -> None:
    if AXE is None:
        pytest.skip("axe-core is not installed (npm install axe-core; .ci/run installs it and sets MIST_CHECK_AXE)")
    report = tmp_path / "mist.html"
    report.write_bytes(cli("mist", "html")[1])
    browser.get(report.as_uri())
    browser.execute_script(Path(AXE).read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.nodes.length])));")
    assert found == []


def test_without_javascript_everything_is_readable(cli) -> None:
    tree = parse(cli("mist", "html")[1])
    controls = next(e for e in tree.iter("nav") if e.get("id") == "controls")
    assert controls.get("hidden") is not None  # the filters appear only when the script runs
    assert not [e for e in tree.iter() if "is-hidden" in (e.get("class") or "")]


def test_a_large_audit_is_compact_and_its_links_resolve(tmp_path: Path, monkeypatch) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--seed", "3", "--trusts", "30",
                    "--out", str(corpus), "--quiet"], check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    main(["check", "corpus", "--format", "html", "--output", "r.html", "--no-entry-points"])
    data = (tmp_path / "r.html").read_bytes()
    tree = parse(data)
    summary_rows = list(by_class(tree, "table", "summary")[0].iter("tr"))[1:]
    assert len(summary_rows) == 30
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    links = {a.get("href")[1:] for a in tree.iter("a") if (a.get("href") or "").startswith("#")}
    assert links and links <= ids  # every trust and every rule page it links to is there
    assert not by_class(tree, "li", "finding")[0].findall(".//details")  # explain pages once, at the end
    assert {e.get("id") for e in tree.iter("details") if e.get("id")} == {
        f"rule-{r}" for r in {li.get("data-rule") for li in by_class(tree, "li", "finding")}}
    assert len(data) < 30 * 40_000  # measured: about 15 KB a trust on the benchmark corpus


FIXTURES = sorted({p.parent for p in (REPO / "fixtures").rglob("trust.yaml")})


@pytest.mark.parametrize("root", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_every_fixture_renders_and_draws_without_a_problem(root: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "r.html"
    assert main(["check", str(root.relative_to(REPO)), "--format", "html", "--output", str(out),
                 "--no-entry-points"]) in (0, 1)
    tree = parse(out.read_bytes())
    assert not by_class(tree, "p", "problem"), [text(p) for p in by_class(tree, "p", "problem")]
    shown = [f for f in by_class(tree, "li", "finding")]
    from mist_check.engine import Options, run

    result = run(Options(paths=[str(root.relative_to(REPO))], entry_points=False))
    assert len(shown) == len(result.findings)  # every finding, live or suppressed, is in the report
    # the fee table says "above" or "below" only where fee-cap reports that fee (a waiver agrees a lower one)
    flagged = {text(r.findall("td")[-1]) for r in tree.iter("tr")
               if (r.get("class") or "") in ("fee-above", "fee-below")}
    assert flagged <= {f"{f.file}:{f.line}" for f in result.findings if f.rule == "fee-cap"}
