"""Every recorded approval has every vote the document and the law require.

## What it does
For every meeting action that approves a plan, an agreement or an amendment, and every shareholder
vote, it evaluates the whole requirement tree of the document for that kind of approval: the
document's own (`approval.requires` of a plan, `continuance.requires`, `term.continuance_requires`
of an agreement) or, where the text names none, the law's (`default_requirements` of the pack):
- `all_of` means every body must approve, each by its own majority; `any_of`, at least one;
- `trustees` and `independent_trustees`: more than half of the members in office on the meeting
  date voted for (`board_majority_more_than`); the roster decides who was in office and who is
  independent; a body named in `unanimous` needs every member in office;
- `shareholders` and `class_shareholders`: a shareholder vote on the same document or amendment that
  passes ICA §2(a)(42): 67% or more of the shares present if more than half are present, or more
  than half of the outstanding shares, whichever is less (a class vote must name its `share_class`);
- the meeting is held in person and called for the purpose where the document says so or the pack's
  `in_person_required` / `called_for_purpose_required` lists its kind: written consent, telephone and
  video do not count;
- a material amendment that raises a plan's fee cap also needs the plan's `fee_increase` bodies
  (the class's shareholders, Plan §8).

A meeting not in person that records SEC `relief` stands provisionally: it must be ratified at the
next in-person meeting (an action `action: ratification, ratifies: <date of the remote meeting>`).
Until that meeting is held (by `as_of`) the finding is a warning (`relief-pending`, at `relief`);
once it is held without ratifying, the remote vote fails the in-person requirement (an error).
Without `relief`, a remote vote fails it at once. A shareholder vote speaks for a continuance only
within one `continuance_period` of the board's meeting.

Class votes (`class-vote`), portfolio by portfolio and class by class (Rule 12b-1(g); Rule 18f-3(a)(2)):
a passing vote (ICA §2(a)(42)) of that portfolio's class (`portfolio` and `share_class`; a vote that
names no portfolio counts only where one portfolio has the class), dated no later than the act it
approves. A vote recorded for the whole portfolio (no `share_class`), a failing class vote and a class
vote taken too late do not count, and each is named in the finding.
- A plan adopted after a class of a portfolio was `first_offered` needs that class's vote (Rule
  12b-1(b)(1)); one adopted before (or on) that day needs none; without `first_offered` the adoption
  is not judged.
- A plan amendment raising the fee cap takes effect for a portfolio class only with that class's vote
  (Rule 12b-1(b)(4)), with or without `first_offered`; a class first offered on or after the
  amendment's date needs none (it had no shareholders; (b)(4) asks for the approval of (b)(1)). A
  class vote recorded on the amendment that does not count (failing, whole-portfolio, too late) is
  an error here; a class with no vote at all stays under the old cap (the plan is severable by series
  and class, Rule 12b-1(g)), and a fee charged above that cap is `fee-cap`'s error. Both rules ask
  the same question (`increase_approvals`), so they cannot disagree.

An interim advisory agreement (`interim: true`) needs only the board's approval
(`default_requirements.interim-agreement`, Rule 15a-4). A ratification of a vote taken under SEC
relief is judged against the whole requirement of the approval: every board body it names (the
independent trustees too) by its own majority of those in office on the day of the ratification;
a shareholder body stands as it was (its vote is not retaken).

Each failing body is one error at the action's roll call. A name in a roll call who was on the
roster but not in office that day is an error at the name, and is not counted. A shareholder vote on
a matter that also needs the board, with no board approval recorded, is an error at the vote.

## Why is this bad?
An approval that lacks one of the required votes is no approval: the plan or contract it
"approved" is not in effect, and what is paid under it lacks the authority Rule 12b-1(b)(1) and
(b)(2) and ICA §15(a) and §15(c) require.

## Example
```yaml
meetings:
  - date: 2005-11-15
    in_person: true
    called_for_purpose: true
    actions:
      - approves: class-b-plan
        action: continuance
        for: [Interested One, Interested Two]   # no independent trustee voted for
```
Use instead: a majority of the independent trustees in office must vote for as well.

## Parameters
- `unanimous`: bodies whose every member in office must vote for (default none).
- `continuance_period`: how near the board's continuance a shareholder vote must be to count for it.

## References
- Plan §3, §8; Amendment No. 1 §3; Management Agreement §9
- Investment Company Act of 1940 §15(c), §2(a)(42); Rule 15a-4
- Rule 12b-1(b)(1), (b)(2), (b)(4), (g); Rule 18f-3(a)(2)
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from mist_check import Citation, Document, Finding, Rule, RuleContext, Trust, hookimpl
from mist_check.findings import Location
from mist_check.approvals import (BODY_WORDS, SHAREHOLDER_BODIES, class_approval, evaluate, increase_approvals,
                                  plan_classes, raises_fee_cap, remaining, requirements, target_document)
from mist_check.references import ROLL_CALL_NAMES_SHOWN


def _cite(ctx: RuleContext, doc_title: str, source: object, is_plan: bool) -> Citation:
    section = getattr(source, "section", None)
    document = getattr(source, "document", None) or doc_title
    return Citation(document, section, None, ctx.authority_for("plan" if is_plan else "agreement"))


def check(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    unanimous = tuple(ctx.params["unanimous"])
    board_actions: set[tuple[str, str]] = set()
    for meeting in trust.meetings:
        if meeting.date > ctx.as_of:
            continue  # not yet held on the day judged
        for action in meeting.actions:
            with ctx.judging():  # the approval: its document, the roster, the votes it needs
                doc, amendment = target_document(trust, action.approves)
                if doc is None or action.action == "ratification":
                    continue
                board_actions.add((action.approves or "", action.action))
                need = requirements(doc, action.action, amendment, ctx.params)
                if need is None:
                    continue
                result = evaluate(trust, meeting, action, need, doc, ctx.majorities, unanimous, as_of=ctx.as_of,
                                  window=ctx.params["continuance_period"])
                reasons, vote = result.reasons, result.vote
                what = amendment.title if amendment is not None else doc.title
                cite = _cite(ctx, doc.title, need.source, doc.is_plan)
                at = action.src.at("for", key=True)  # the action itself when it has no `for`
                if result.provisional:
                    yield ctx.finding(meeting.src.at("relief"),
                                      f"the {action.action} approval of {what} on {meeting.date} is provisional: "
                                      f"{result.provisional}", subject=action.approves, case="relief-pending",
                                      citation=Citation(cite.document, cite.section, None, ctx.authority_for("relief")))
                for reason in reasons:
                    # a shareholder majority that is missing or fails is a matter of ICA §2(a)(42)
                    shareholders = reason.startswith(tuple(BODY_WORDS[b] for b in SHAREHOLDER_BODIES))
                    yield ctx.finding(at, f"the {action.action} approval of {what} on {meeting.date} is not valid: "
                                          f"{reason}", subject=action.approves,
                                      citation=Citation(cite.document, cite.section, None,
                                                        ctx.authority_for("shareholders")) if shareholders else cite)
                positions = _roll_positions(action) if vote.not_in_office else {}
                shown = vote.not_in_office[:ROLL_CALL_NAMES_SHOWN]
                for name in shown:
                    key, index = positions.get(name, ("for", 0))
                    yield ctx.finding(action.src.at(key, index),
                                      f"{name} voted on {what} on {meeting.date} but was not a trustee in office "
                                      "that day; the vote is not counted", subject=action.approves,
                                      citation=Citation(cite.document, cite.section, None,
                                                        ctx.authority_for("roll-call")))
                rest = vote.not_in_office[ROLL_CALL_NAMES_SHOWN:]
                if rest:  # (bounded as references bounds names not on the roster)
                    key, index = positions.get(rest[0], ("for", 0))
                    yield ctx.finding(action.src.at(key, index),
                                      f"{len(rest):,} more names voted on {what} on {meeting.date}, from {rest[0]} on, "
                                      "who were not trustees in office that day; their votes are not counted",
                                      subject=action.approves,
                                      citation=Citation(cite.document, cite.section, None,
                                                        ctx.authority_for("roll-call")))
    yield from _class_votes(trust, ctx)
    for vote in trust.shareholder_votes:
        with ctx.judging():  # the vote, and the board approvals of its target
            ctx.depends_on("approvals", vote.approves)  # no board approval of it recorded
            doc, amendment = target_document(trust, vote.approves)
            if doc is None or vote.action is None or (vote.approves, vote.action) in board_actions:
                continue
            need = requirements(doc, vote.action, amendment, ctx.params)
            if need is None:
                continue
            # what the board must still approve once the shareholders have: none where they suffice alone
            board = remaining(need.tree, SHAREHOLDER_BODIES)
            if board is not None:
                what = amendment.title if amendment is not None else doc.title
                needed = str(board).replace("_", " ")
                needed = needed[1:-1] if board.body is None else needed  # the outer parentheses
                yield ctx.finding(vote.src.at("approves"),
                                  f"the shareholders' {vote.action} approval of {what} on {vote.date} has no "
                                  f"board approval recorded; {needed} must approve too", subject=vote.approves,
                                  citation=_cite(ctx, doc.title, need.source, doc.is_plan))


def _class_votes(trust: Trust, ctx: RuleContext) -> Iterator[Finding]:
    """Class votes, portfolio by portfolio (Rule 12b-1(g); Rule 18f-3(a)(2)): a plan adopted after
    a class was first offered needs that class's vote (Rule 12b-1(b)(1)); an amendment raising its fee
    cap needs the vote of every class under it that had shareholders (Rule 12b-1(b)(4))."""
    for plan in trust.plans():
        with ctx.judging():  # the plan's adoption and amendments, then each portfolio (nested)
            classes = plan_classes(trust, plan)
            adopted = plan.adopted or plan.effective or trust.first_approval(plan.id)
            if adopted is not None and adopted <= ctx.as_of:
                key = "adopted" if plan.adopted else "effective" if plan.effective else "id"
                yield from _adoption_votes(trust, ctx, plan, classes, adopted, plan.src.at(key))
            increase = plan.provision("fee_increase")
            for amendment in plan.amendments:
                if amendment.date is None or amendment.date > ctx.as_of or not raises_fee_cap(amendment, plan):
                    continue
                to = amendment.changes["fee_cap"]["to"]
                for approval in increase_approvals(trust, plan, amendment, ctx.majorities):
                    # Rule 12b-1(g): the plan is severable by series and class; a class that has not voted
                    # stays under the old cap (fee-cap reports a fee charged above it), while a vote that
                    # was taken and does not count is reported here
                    if approval.approved or approval.vote is None:
                        continue
                    yield ctx.finding(
                        amendment.src.at("changes", "fee_cap", "to"),
                        f"{amendment.title} raises the fee cap of the {plan.title} to {to} on {amendment.date}, so "
                        f"class {approval.share_class} of {approval.portfolio.title} must approve it by a vote of "
                        f"its own shareholders taken by then: {approval.why}",
                        subject=approval.portfolio.id, case="class-vote",
                        citation=Citation(plan.title, increase.section if increase is not None else amendment.section,
                                          None, ctx.authority_for("increase-vote")))


def _adoption_votes(trust: Trust, ctx: RuleContext, plan: Document, classes: tuple[str, ...], adopted: date,
                    at: Location) -> Iterator[Finding]:
    """Rule 12b-1(b)(1): a plan adopted after a class of a portfolio was first offered needs that
    class's vote (one adopted before, or on, that day needs none; without `first_offered` the day
    of the public offering is unknown and the adoption is not judged)."""
    for share_class in classes:
        for portfolio in trust.portfolios:
            with ctx.judging():  # the portfolio's class and its votes
                cls = portfolio.classes.get(share_class)
                if cls is None or cls.first_offered is None or adopted <= cls.first_offered:
                    continue
                approval = class_approval(trust, plan.id, portfolio, share_class, ctx.as_of, ctx.majorities)
                if approval.approved:
                    continue
                yield ctx.finding(at, f"{plan.title} was adopted on {adopted}, after class {share_class} of "
                                      f"{portfolio.title} was first offered on {cls.first_offered}, so it needs "
                                      f"that class's approval: {approval.why}", subject=portfolio.id,
                                  case="class-vote", citation=Citation(plan.title, None, None,
                                                                       ctx.authority_for("class-vote")))


def _roll_positions(action: object) -> dict[str, tuple[str, int]]:
    """Where each name is first written in the roll call (``for``, ``against``, ``abstain``): one
    pass, not a search of the whole roll call for each name."""
    positions: dict[str, tuple[str, int]] = {}
    for key, names in (("for", action.votes_for), ("against", action.against),  # type: ignore[attr-defined]
                       ("abstain", action.abstain)):  # type: ignore[attr-defined]
        for index, name in enumerate(names):
            positions.setdefault(name, (key, index))
    return positions


@hookimpl
def mist_check_rules() -> list[Rule]:
    return [Rule("required-approvals", check, severity="error",
                 cases={"relief-pending": "warning", "class-vote": "error"},
                 params={"unanimous": "list", "continuance_period": "period"}, doc=__doc__)]
