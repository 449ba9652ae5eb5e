"""Traps a careful reader does not fall for: each case is a short filing in another family's words
and what must (or must not) be drafted from it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mist_check.filings.draft import draft
from mist_check.manager import collect_extractors, plugin_manager

ADVISORY = """\
                        INVESTMENT ADVISORY AGREEMENT

     AGREEMENT made as of March 3, 2014, between Alder Funds, a Delaware statutory trust (the
"Trust"), and Alder Asset Management LLC (the "Adviser").

{body}
"""


def _doc(tmp_path: Path, text: str, name: str = "f.txt") -> dict:
    (tmp_path / name).write_text(text, encoding="utf-8")
    out, _ = draft([tmp_path / name], collect_extractors(plugin_manager(entry_points=False)), tmp_path, 1 << 20)
    return yaml.safe_load(out)["documents"][0]


def _get(doc: dict, *path: str):
    node = doc
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def test_a_clause_only_the_adviser_may_use_gives_the_fund_nothing(tmp_path):
    doc = _doc(tmp_path, ADVISORY.format(body="""\
     1. Services. The Adviser shall manage the Fund.

     2. Termination. This Agreement may be terminated by the Adviser at any time, without
penalty, upon sixty (60) days' written notice to the Trust.
"""))
    assert _get(doc, "provisions", "termination", "by_fund") is None
    assert _get(doc, "provisions", "termination", "by_counterparty", "notice_days") == 60


def test_a_cure_period_and_a_payment_term_are_not_notice(tmp_path):
    doc = _doc(tmp_path, ADVISORY.format(body="""\
     1. Termination. This Agreement may be terminated at any time, without the payment of any
penalty, by the Board of Trustees of the Trust or by vote of a majority of the outstanding voting
securities of the Fund upon ninety days' written notice to the Adviser, provided that if the
Adviser fails to cure a breach within thirty (30) days after notice, and fees shall be paid within
sixty (60) days after termination.
"""))
    assert _get(doc, "provisions", "termination", "by_fund", "notice_days") == 90


def test_a_defined_term_is_not_a_name_the_fund_uses(tmp_path):
    doc = _doc(tmp_path, ADVISORY.format(body="""\
     1. Name. Upon termination of this Agreement, the Trust shall within sixty days cease to use
the name "Alder" (the "Licensed Name") in its own name.
"""))
    assert _get(doc, "provisions", "name_use", "names") == ["Alder"]
    assert _get(doc, "provisions", "name_use", "cease_within") == "60 days"


def test_a_schedule_named_before_the_sections_does_not_swallow_them(tmp_path):
    doc = _doc(tmp_path, ADVISORY.format(body="""\
                                SCHEDULE A
                       (the Funds, attached at the end)

     1. Assignment. This Agreement shall terminate automatically in the event of its assignment.
"""))
    assert _get(doc, "provisions", "assignment", "section") == "1"


def test_another_agreement_s_date_in_the_preamble_is_not_taken(tmp_path):
    doc = _doc(tmp_path, """\
                        INVESTMENT SUB-ADVISORY AGREEMENT

     Pursuant to the Investment Advisory Agreement dated as of May 1, 2009 between Alder Funds (the
"Trust") and Alder Asset Management LLC (the "Adviser"), this agreement, dated as of June 2, 2014,
engages Birch Partners LP (the "Sub-Adviser").

     1. Assignment. This Agreement shall terminate automatically in the event of its assignment.
""")
    assert doc.get("dated") != "2009-05-01"


def test_a_rate_in_the_recitals_is_not_a_cap(tmp_path):
    doc = _doc(tmp_path, """\
                           DISTRIBUTION PLAN

     WHEREAS, the Fund's shares bore a fee not to exceed 1.00% of average daily net assets under
the plan this Plan replaces;

     1. Fees. The Fund shall pay a fee at an annual rate not to exceed 0.35% of the average daily
net assets of the Fund.
""")
    assert _get(doc, "provisions", "fee_cap", "rate") == "0.35%"


def test_a_cross_reference_is_not_the_provision_s_section(tmp_path):
    doc = _doc(tmp_path, """\
                           DISTRIBUTION PLAN

     1. Fees. Subject to Section 4 hereof, the Fund shall pay a fee at an annual rate not to
exceed 0.35% of the average daily net assets of the Fund.

     2. Reports. The Treasurer shall give the Board, at least quarterly, a written report of the
amounts expended under this Plan.
""")
    assert _get(doc, "provisions", "fee_cap", "section") == "1"
    assert _get(doc, "provisions", "reporting", "section") == "2"


def test_a_shareholder_services_plan_is_not_a_12b1_plan(tmp_path):
    (tmp_path / "s.txt").write_text("                    SHAREHOLDER SERVICES PLAN\n\n1. Fees. The Fund pays "
                                    "0.25% of average daily net assets for services.\n", encoding="utf-8")
    out, _ = draft([tmp_path / "s.txt"], collect_extractors(plugin_manager(entry_points=False)), tmp_path, 1 << 20)
    assert yaml.safe_load(out) == {"documents": []}


@pytest.mark.parametrize("words", ["sixty (90) days'", "three months'", "60 business days'"])
def test_notice_not_read_for_certain_is_left_for_review(tmp_path, words):
    text = ADVISORY.format(body=f"""\
     1. Termination. This Agreement may be terminated at any time, without the payment of any
penalty, by the Board of Trustees of the Trust on {words} written notice to the Adviser.
""")
    (tmp_path / "f.txt").write_text(text, encoding="utf-8")
    out, _ = draft([tmp_path / "f.txt"], collect_extractors(plugin_manager(entry_points=False)), tmp_path, 1 << 20)
    doc = yaml.safe_load(out)["documents"][0]
    assert _get(doc, "provisions", "termination", "by_fund", "notice_days") is None
    assert "# review: provisions.termination.by_fund.notice_days" in out


def test_a_filing_without_a_title_block_is_named_by_its_first_sentence(tmp_path):
    doc = _doc(tmp_path, """\
     THIS INVESTMENT ADVISORY AGREEMENT is made as of March 3, 2014, between Alder Funds, a Delaware
statutory trust (the "Trust"), and Alder Asset Management LLC (the "Adviser").

     1. Assignment. This Agreement will automatically and immediately terminate in the event of its
assignment.
""")
    assert (doc["kind"], doc["title"], str(doc.get("dated"))) == ("advisory-agreement", "Investment Advisory Agreement",
                                                             "2014-03-03")
    assert doc["counterparty"] == "Alder Asset Management LLC"
    assert _get(doc, "provisions", "assignment", "terminates_automatically") is True


def test_adopted_is_read_only_from_an_adoption_line(tmp_path):
    doc = _doc(tmp_path, """\
                           DISTRIBUTION PLAN

     1. Fees. The Trust has adopted on behalf of the Fund this Plan, and the Fund shall pay a fee at
an annual rate not to exceed 0.35% of the average daily net assets of the Fund. This Plan is
effective as of June 1, 2011.

Approved: ____________
""")
    assert "adopted" in doc and doc["adopted"] is None


def test_a_class_without_its_letter_is_not_guessed_from_another_mention(tmp_path):
    doc = _doc(tmp_path, """\
                           MULTIPLE CLASS PLAN

     1. Classes. Each Fund may offer the following classes of shares: Class A shares, Class  shares
and Class C shares. Each of the three classes has the same rights.

     2. Fees. Class I shares are not subject to any Rule 12b-1 fee.
""")
    assert "designates" not in doc
