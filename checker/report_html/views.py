"""What the HTML report draws for one trust, as plain data (picklable: built in ``--jobs`` workers).

Every date comes from the models the rules judge with: a plan's or agreement's continuances from
``timing.continuance`` (annual-continuance's own reckoning), what falls due next from the calendar's
``obligations``, a class's cap from fee-cap's ``class_cap`` and a portfolio's scheduled fee from its
Schedule A. Nothing here judges: a fee table's "above" is the same comparison fee-cap reports.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..model import Trust
from ..policy import Policy

# What falls due is shown for a year after the as-of day, as `mist-check calendar` shows by default.
DUE_DAYS = 365


def trust_view(checker: Any, trust: Trust, pack: Policy, day: date) -> dict[str, Any]:
    """The timelines, fee tables and obligations of ``trust`` judged on ``day``. A part that cannot
    be drawn says why in ``problems`` instead of failing the report."""
    view: dict[str, Any] = {"documents": [], "fees": [], "due": [], "problems": []}
    rules = {rule.id: rule for rule in checker.active_rules(pack)}
    contexts = {rid: checker.context(pack, rule, trust, day) for rid, rule in rules.items()}
    for name, build in (("timelines", _timelines), ("fee table", _fees), ("what falls due", _due)):
        try:
            build(view, trust, contexts, day)
        except Exception as exc:  # a drawing must not cost the report; the check itself is complete
            view["problems"].append(f"the {name} could not be drawn ({type(exc).__name__}: {exc})")
    return view


def _timelines(view: dict[str, Any], trust: Trust, contexts: dict[str, Any], day: date) -> None:
    from .. import timing

    ctx = contexts.get("annual-continuance")
    for doc in trust.documents:
        if not (doc.is_plan or doc.is_agreement):
            continue
        events: list[dict[str, Any]] = []

        def event(when: date | None, label: str, kind: str) -> None:
            if when is not None:
                events.append({"date": when, "label": label, "kind": kind})

        event(doc.dated, "dated", "fact")
        event(doc.adopted, "adopted", "fact")
        event(doc.effective, "effective", "fact")
        event(doc.terminated, "terminated", "end")
        for meeting in trust.meetings:
            for action in meeting.actions:
                if action.approves == doc.id and action.action != "continuance" and meeting.date <= day:
                    event(meeting.date, f"{action.action} by the board", "approval")
        spans: list[dict[str, Any]] = []
        due = None
        timeline = None
        if ctx is not None:
            try:
                timeline = timing.continuance(trust, doc, ctx.params, ctx.majorities, day)
            except (OverflowError, ValueError):
                timeline = None
        if timeline is not None:
            for vote in timeline.votes:
                when = vote.meeting.date
                if vote.valid:
                    label = "continued" + (" (late)" if vote.late else "") + (" (early)" if vote.early else "")
                    event(when, label, "vote")
                else:
                    event(when, f"vote that does not count: {vote.reason}", "bad-vote")
                if timeline.window is not None:
                    spans.append({"start": timing.window_opens(vote.due_before, timeline.window),
                                  "end": vote.due_before, "kind": "window", "label": "continuance window"})
            for lapse in timeline.lapses:
                spans.append({"start": lapse.start, "end": lapse.end, "kind": "lapse",
                              "label": f"lapsed {lapse.start} to {lapse.end}"})
            due = timeline.due
            if timeline.lapsed(day):
                spans.append({"start": timeline.due, "end": day, "kind": "lapse",
                              "label": f"lapsed since {timeline.due}"})
            elif timeline.window is not None:
                spans.append({"start": timeline.window_opens, "end": timeline.due, "kind": "window",
                              "label": "continuance window"})
            event(timeline.due, "continuance due" if not timeline.lapsed(day) else "was due", "due")
        view["documents"].append({
            "id": doc.id, "title": doc.title, "kind": doc.kind, "file": doc.src.at().file,
            "line": doc.src.at().line, "events": sorted(events, key=lambda e: (e["date"], e["label"])),
            "spans": sorted(spans, key=lambda s: (s["start"], s["end"])), "due": due,
            "lapsed": bool(timeline is not None and timeline.lapsed(day)),
        })


def _fees(view: dict[str, Any], trust: Trust, contexts: dict[str, Any], day: date) -> None:
    ctx = contexts.get("fee-cap")
    if ctx is None:
        return
    from mist_check.plugins.fee_cap import class_cap, scheduled_rate, schedules_in_force, waived

    schedules = schedules_in_force(trust, day)
    for portfolio in trust.portfolios:
        found = scheduled_rate(schedules, portfolio.id) if portfolio.management_fee is not None else None
        if portfolio.management_fee is not None:
            doc, rate = found if found is not None else (None, None)
            row = _row(portfolio.title, "", "management fee", portfolio.management_fee, rate,
                       f"{doc.title} Schedule A" if doc is not None else None, portfolio.src.at("management_fee"))
            if row["status"] == "below" and waived(trust, portfolio.id, day):
                row["status"] = "waived"  # below its schedule, as a fee waiver in force agrees
            view["fees"].append(row)
        for name, cls in sorted(portfolio.classes.items()):
            if cls.distribution_fee is None:
                continue
            plan = trust.plan_for_class(name)
            cap = class_cap(trust, ctx, plan, portfolio.id, name) if plan is not None else None
            view["fees"].append(_row(portfolio.title, name, "distribution fee", cls.distribution_fee,
                                     cap[0] if cap else None, plan.title if plan is not None else None,
                                     cls.src.at("distribution_fee")))


def _row(portfolio: str, share_class: str, what: str, charged: Any, limit: Any, source: str | None,
         at: Any) -> dict[str, Any]:
    if limit is None:
        status = "not judged"
    elif charged > limit:
        status = "above"
    elif what == "management fee" and charged < limit:
        status = "below"
    else:
        status = "within"
    return {"portfolio": portfolio, "class": share_class, "what": what, "charged": str(charged),
            "limit": str(limit) if limit is not None else None, "source": source, "status": status,
            "file": at.file, "line": at.line, "ratio": _ratio(charged, limit)}


def _ratio(charged: Any, limit: Any) -> float | None:
    """How far the charged rate is along the bar whose full length is the larger of it and the limit."""
    try:
        top = max(float(charged.percent), float(limit.percent))
        return None if top <= 0 else float(charged.percent) / top
    except (AttributeError, TypeError, ValueError):
        return None


def _due(view: dict[str, Any], trust: Trust, contexts: dict[str, Any], day: date) -> None:
    from ..calendar import TIMING_RULES, obligations

    timing_contexts = {rid: ctx for rid, ctx in contexts.items() if rid in TIMING_RULES}
    items = sorted(obligations(trust, timing_contexts, day, day + timedelta(days=DUE_DAYS)),
                   key=lambda o: o.sort_key())
    view["due"] = [o.as_dict() for o in items]
