"""Regenerate the format's JSON Schema:

    python tools/gen_schema.py checker/format-1.schema.json

The checker asks jsonschema-rs whether a file is valid and jsonschema for the messages only when a
file fails: the patterns here must mean the same in Python and in ECMA-262 (no \\s or \\d: name
the characters).
"""
import json, sys
# appended, not first: checker/calendar.py must not shadow the standard library's calendar
sys.path.append(str(__import__("pathlib").Path(__file__).resolve().parents[1] / "checker"))
from rates import RATE_PATTERN
from periods import PERIOD_PATTERN

def ref(name): return {"$ref": f"#/$defs/{name}"}
def nullable(name): return {"anyOf": [ref(name), {"type": "null"}]}
def obj(props, required=(), extra=False, **kw):
    o = {"type": "object", "properties": props, "additionalProperties": extra}
    if required: o["required"] = list(required)
    o.update(kw)
    return o
def arr(items, **kw): return {"type": "array", "items": items, **kw}

section = {"type": ["string", "integer"], "x-expected": "a section number as the document writes it, such as \"7(a)\""}
defs = {
  "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
           "x-expected": "an id: lowercase letters, digits and '-' (such as \"class-b-plan\")"},
  "class_name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9 _-]*$",
                 "x-expected": "a share-class name as the documents write it (such as \"B\"), quoted if YAML might read it as a boolean"},
  "date": {"type": "string", "format": "date", "pattern": "^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}$",
           "x-expected": "an ISO date (YYYY-MM-DD)"},
  "rate": {"type": "string", "pattern": RATE_PATTERN,
           "x-expected": "a rate written as a string: a percent (\"0.50%\") or basis points (\"50bp\"); a bare number is ambiguous"},
  "period": {"type": "string", "pattern": PERIOD_PATTERN,
             "x-expected": "a period such as \"30 days\", \"3 months\", \"1 year\" or \"quarter\""},
  "section": section,
  "body": {"enum": ["trustees", "independent_trustees", "shareholders", "class_shareholders"],
           "x-expected": "a body: trustees, independent_trustees, shareholders or class_shareholders"},
  "requirement": {"anyOf": [
      ref("body"),
      obj({"all_of": arr(ref("requirement"), minItems=1)}, ["all_of"]),
      obj({"any_of": arr(ref("requirement"), minItems=1)}, ["any_of"]),
  ], "x-expected": "a body, {all_of: [...]} or {any_of: [...]}"},
  "names": arr({"type": "string", "minLength": 1}, **{"x-expected": "a list of trustee names"}),
  "notice": obj({
      "notice_days": {"type": ["integer", "null"], "minimum": 0, "x-expected": "a whole number of days, or null"},
      "notice_bound": {"enum": ["at-most", "exactly", "at-least", "none"]},
      "written": {"type": "boolean"}, "at_any_time": {"type": "boolean"},
      "without_penalty": {"type": "boolean"}, "by": ref("requirement"), "section": section}),
  "approval": obj({"requires": ref("requirement"), "in_person": {"type": "boolean"},
                   "called_for_purpose": {"type": "boolean"}, "section": section}),
  "assignment": obj({"terminates_automatically": {"type": "boolean"}, "section": section}),
  "provisions": obj({
      "fee_cap": obj({"rate": ref("rate"), "basis": {"type": "string"}, "section": section}, ["rate"]),
      "approval": ref("approval"),
      "continuance": obj({"every": ref("period"), "after": ref("period"), "requires": ref("requirement"),
                          "in_person": {"type": "boolean"}, "called_for_purpose": {"type": "boolean"},
                          "section": section}),
      "reporting": obj({"every": ref("period"), "section": section}),
      "termination": obj({"by": ref("requirement"), "section": section,
                          "by_fund": ref("notice"), "by_counterparty": ref("notice")}),
      "related_agreements": obj({
          "termination": obj({"notice_days_max": {"type": "integer", "minimum": 0},
                              "without_penalty": {"type": "boolean"}, "written": {"type": "boolean"},
                              "by": ref("requirement"), "section": section}),
          "assignment": ref("assignment")}),
      "fee_increase": ref("approval"),
      "compensation": obj({"section": section}),
      "term": obj({"initial_until": nullable("date"), "then": ref("period"),
                   "continuance_requires": ref("requirement"), "in_person": {"type": "boolean"},
                   "called_for_purpose": {"type": "boolean"}, "section": section}),
      "assignment": ref("assignment"),
      "name_use": obj({"names": arr({"type": "string"}), "cease_within": ref("period"),
                       "trigger": {"enum": ["termination", "request"]}, "section": section}),
  }, patternProperties={"^x_": {}}),
  "amendment": obj({
      "id": ref("slug"), "title": {"type": "string"}, "dated": nullable("date"),
      "effective": nullable("date"), "adds": arr(ref("slug")), "removes": arr(ref("slug")),
      "changes": obj({"fee_cap": obj({"from": ref("rate"), "to": ref("rate")}, ["to"])}),
      "fee_schedule": {"type": "object", "additionalProperties": ref("rate")},
      "provisions": ref("provisions"),
      "section": section, "source": {"type": "string"}}, ["id"]),
  "document": obj({
      "id": ref("slug"),
      "kind": {"enum": ["distribution-plan", "distribution-agreement", "management-agreement",
                        "advisory-agreement", "multi-class-plan", "fee-waiver"]},
      "title": {"type": "string", "minLength": 1},
      "dated": nullable("date"), "adopted": nullable("date"), "effective": nullable("date"),
      "terminated": nullable("date"), "source": {"type": "string"},
      "counterparty": {"type": "string"}, "share_class": ref("class_name"),
      "related_plan": ref("slug"), "schedule": arr(ref("slug")),
      "fee_schedule": {"type": "object", "additionalProperties": ref("rate")},
      "provisions": ref("provisions"), "amendments": arr(ref("amendment")),
      "interim": {"type": "boolean"}, "replaces": ref("slug"),
      "predecessor": obj({
          "title": {"type": "string", "minLength": 1,
                    "description": "the replaced contract's title, as the documents name it"},
          "terminated": {**ref("date"), "description": "the day the replaced contract ended: Rule 15a-4's 150 days run from it"},
          "note": {"type": "string", "description": "why the replaced contract is not recorded among the documents"}},
          ["title", "terminated"],
          description="for an interim contract (Rule 15a-4) whose predecessor is not among the documents: "
                      "the contract it replaces; otherwise write `replaces: <id>`"),
      "designates": arr(ref("class_name")), "no_12b1": arr(ref("class_name")), "section": section,
  }, ["id", "kind", "title"]),
  "trustee": obj({"name": {"type": "string", "minLength": 1}, "independent": {"type": "boolean"},
                  "from": nullable("date"), "until": nullable("date"),
                  "elected": obj({"by": {"enum": ["shareholders", "board"],
                                         "description": "who elected the trustee: the shareholders at a meeting, or the board filling a vacancy (ICA §16(a))"},
                                  "on": dict(ref("date"), description="the day of that election")},
                                 ["by", "on"],
                                 description="how and when the trustee was elected (board-composition judges ICA §16(a) only where every trustee in office records it)")},
                 ["name"]),
  "portfolio": obj({
      "id": ref("slug"), "name": {"type": "string"}, "management_fee": ref("rate"),
      "classes": {"type": "object", "propertyNames": ref("class_name"),
                  "additionalProperties": {"anyOf": [obj({
                      "distribution_fee": ref("rate"), "offered": {"type": "boolean"},
                      "first_offered": nullable("date")}), {"type": "null"}]}},
  }, ["id"]),
  "action": obj({
      "approves": ref("slug"),
      "action": {"enum": ["initial", "continuance", "amendment", "material-amendment", "ratification"]},
      "ratifies": ref("date"), "portfolios": arr(ref("slug")),
      "effective": {**ref("date"), "description": "the day a continuance takes effect, where the minutes say; "
                    "without it, the anniversary it continues when voted inside the Rule 15a-2 window, "
                    "else the day of the vote"},
      "for": ref("names"), "against": ref("names"), "abstain": ref("names")}, ["action"]),
  "meeting": obj({"date": ref("date"), "in_person": {"type": "boolean"},
                  "relief": {"type": ["string", "null"]}, "called_for_purpose": {"type": "boolean"},
                  "actions": arr(ref("action"))}, ["date", "actions"]),
  "count": {"type": "integer", "minimum": 0, "x-expected": "a whole number of shares"},
  "shareholder_vote": obj({
      "date": ref("date"), "approves": ref("slug"),
      "action": {"enum": ["initial", "continuance", "amendment", "material-amendment"]},
      "portfolio": ref("slug"), "share_class": ref("class_name"),
      "for": ref("count"), "against": ref("count"), "present": ref("count"),
      "outstanding": ref("count")}, ["date", "approves", "for", "outstanding"]),
  "report": obj({"plan": ref("slug"), "period_end": ref("date"), "reviewed": nullable("date")},
                ["plan", "period_end"]),
}
lists = {
  "trustees": arr(ref("trustee")),
  "portfolios": arr(ref("portfolio")),
  "documents": arr(ref("document")),
  "meetings": arr(ref("meeting")),
  "shareholder_votes": arr(ref("shareholder_vote")),
  "reports": arr(ref("report")),
}
root_props = {
  "format": {"const": 1, "x-expected": "format version 1"},
  "policy": {"type": "string", "minLength": 1},
  "as_of": ref("date"),
  "include": arr({"type": "string", "minLength": 1}),
  "trust": obj({"name": {"type": "string", "minLength": 1},
                "type": {"enum": ["open-end", "closed-end"]},
                "names": arr(obj({"name": {"type": "string", "minLength": 1},
                                  "from": nullable("date"), "until": nullable("date")}, ["name"]))},
               ["name"]),
  "share_classes": {"type": "object", "propertyNames": ref("class_name"),
                    "additionalProperties": {"anyOf": [obj({"plan": ref("slug"),
                        "distribution_agreement": ref("slug")}), {"type": "null"}]}},
  **lists,
}
schema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://mist-check.invalid/schema/format-1.json",
  "title": "mist-check fund configuration, format 1",
  "description": "A trust's root file (with `trust:`) or a part it includes (top-level lists only).",
  "type": "object",
  "if": {"required": ["trust"]},
  "then": {"properties": root_props, "required": ["format", "trust"], "additionalProperties": False},
  "else": {"properties": lists, "additionalProperties": False},
  "$defs": defs,
}

# Hover help (yaml-language-server shows `description`): one line for every property, keyed by the
# object that holds it, as docs/format.md names the objects (tests/test_format_doc.py keeps the two
# in step). A part file's lists share the root's descriptions.
DESCRIPTIONS = {
  "root.format": "the format version of this file: 1",
  "root.policy": "the policy pack the trust is judged by: a built-in id (ica-1940, mist) or a pack file inside the trust's directory; --policy wins over it, and it wins over [tool.mist-check] policy",
  "root.as_of": "the day the date-aware rules judge at (YYYY-MM-DD); --as-of wins over it; without either, today",
  "root.include": "glob patterns, relative to this file and inside its directory, of the part files that hold the rest of the trust's lists",
  "root.trust": "the trust itself; the key that makes this file a trust's root",
  "root.share_classes": "the share classes the trust uses, each with the plan and the distribution agreement that govern it",
  "root.trustees": "the board roster: every trustee, past and present, with the days in office",
  "root.portfolios": "the trust's series (portfolios), their fees and the classes each offers",
  "root.documents": "the governing documents: plans, distribution, management and advisory agreements, the Rule 18f-3 plan, fee waivers",
  "root.meetings": "board meetings, each with its actions and their roll calls",
  "root.shareholder_votes": "shareholder votes, as counts of shares",
  "root.reports": "the quarterly written reports to the board on a Rule 12b-1 plan, and when the board reviewed each",
  "root.trust.name": "the trust's name as it is today",
  "root.trust.type": "open-end (the default) or closed-end; ICA §15(b)(2) binds the principal underwriters of open-end companies",
  "root.trust.names": "the names the trust has used and when, for the name-cessation rule",
  "root.trust.names[].name": "a name the trust has used",
  "root.trust.names[].from": "the first day the trust used the name",
  "root.trust.names[].until": "the last day the trust used the name; null while it still does",
  "root.share_classes.<key>.plan": "the id of the Rule 12b-1 plan (a distribution-plan document) of the class",
  "root.share_classes.<key>.distribution_agreement": "the id of the distribution agreement of the class",
  "requirement.all_of": "every one of these requirements must be met",
  "requirement.any_of": "at least one of these requirements must be met",
  "notice.notice_days": "the days of notice the clause gives; null where it gives no number",
  "notice.notice_bound": "how the text bounds the notice: at-most (\"not more than\"), exactly (\"upon\", the default), at-least (\"not less than\"), none (no number)",
  "notice.written": "the clause asks for written notice (default false)",
  "notice.at_any_time": "the clause lets the party terminate at any time (default false)",
  "notice.without_penalty": "the clause says the termination is without penalty (default false)",
  "notice.by": "who may terminate on the fund's behalf: a body, {all_of: [...]} or {any_of: [...]}",
  "notice.section": "the section of the document that holds the clause",
  "approval.requires": "who must approve: a body, {all_of: [...]} or {any_of: [...]}",
  "approval.in_person": "the text requires the vote to be cast in person",
  "approval.called_for_purpose": "the text requires a meeting called for the purpose of the vote",
  "approval.section": "the section of the document that says this",
  "assignment.terminates_automatically": "the text says the contract ends automatically on its assignment",
  "assignment.section": "the section of the document that says this",
  "provisions.fee_cap": "the plan's ceiling on the distribution fee",
  "provisions.approval": "the approval the document requires for itself to take effect",
  "provisions.continuance": "how the plan is continued from year to year",
  "provisions.reporting": "how often written reports of the amounts spent go to the board",
  "provisions.termination": "how the document can be terminated",
  "provisions.related_agreements": "what the plan requires of the agreements related to it",
  "provisions.fee_increase": "the approval a material increase of the fee requires",
  "provisions.compensation": "the section that sets the fee (its Schedule A is then cited with it)",
  "provisions.term": "an agreement's initial term and how it is continued after it",
  "provisions.assignment": "the agreement's clause on assignment",
  "provisions.name_use": "the clause on the fund's use of the adviser's or distributor's name",
  "provisions.fee_cap.rate": "the highest annual rate the plan allows, as a string (\"0.50%\" or \"50bp\")",
  "provisions.fee_cap.basis": "what the rate is applied to, as the text says (\"average daily net assets\")",
  "provisions.fee_cap.section": "the section of the document that says this",
  "provisions.continuance.every": "how often the plan must be continued (\"1 year\")",
  "provisions.continuance.after": "how long after it takes effect the first continuance is due",
  "provisions.continuance.requires": "who must approve each continuance",
  "provisions.continuance.in_person": "each continuance vote must be cast in person",
  "provisions.continuance.called_for_purpose": "each continuance vote must be taken at a meeting called for the purpose",
  "provisions.continuance.section": "the section of the document that says this",
  "provisions.reporting.every": "how often the reports are due (\"quarter\")",
  "provisions.reporting.section": "the section of the document that says this",
  "provisions.termination.by": "who may terminate a plan: a body, {all_of: [...]} or {any_of: [...]}",
  "provisions.termination.section": "the section of the document that says this",
  "provisions.termination.by_fund": "termination of an agreement by the fund: its notice and who acts",
  "provisions.termination.by_counterparty": "termination of an agreement by the other party: its notice",
  "provisions.related_agreements.termination": "the termination clause every related agreement must have",
  "provisions.related_agreements.assignment": "the assignment clause every related agreement must have",
  "provisions.related_agreements.termination.notice_days_max": "the most days of notice a related agreement may require",
  "provisions.related_agreements.termination.without_penalty": "the related agreement must be terminable without penalty",
  "provisions.related_agreements.termination.written": "the notice must be written",
  "provisions.related_agreements.termination.by": "who must be able to terminate a related agreement",
  "provisions.related_agreements.termination.section": "the section of the plan that says this",
  "provisions.compensation.section": "the section of the document that sets the compensation",
  "provisions.term.initial_until": "the last day of the initial term; null where the text leaves it blank",
  "provisions.term.then": "how long each continuance lasts after the initial term (\"1 year\")",
  "provisions.term.continuance_requires": "who must approve each continuance",
  "provisions.term.in_person": "continuance votes must be cast in person",
  "provisions.term.called_for_purpose": "continuance votes must be taken at a meeting called for the purpose",
  "provisions.term.section": "the section of the document that says this",
  "provisions.name_use.names": "the names the fund must stop using",
  "provisions.name_use.cease_within": "how soon the fund must stop using them (\"30 days\")",
  "provisions.name_use.trigger": "what starts that period: the agreement's termination, or the other party's request",
  "provisions.name_use.section": "the section of the document that says this",
  "amendment.id": "the amendment's id (unique among documents and amendments); votes name it in approves:",
  "amendment.title": "the amendment's title (\"Amendment No. 1\")",
  "amendment.dated": "the date the amendment bears; null where the filing leaves it blank",
  "amendment.effective": "the day the amendment takes effect",
  "amendment.adds": "the portfolios the amendment adds to the document's Schedule A",
  "amendment.removes": "the portfolios the amendment deletes from Schedule A",
  "amendment.changes": "what the amendment changes in the document's provisions",
  "amendment.fee_schedule": "rates the amendment sets, by portfolio id, over the document's fee_schedule from its date",
  "amendment.provisions": "provisions that replace the document's from the amendment's date",
  "amendment.section": "the section of the document under which the amendment is made",
  "amendment.source": "the filed text of the amendment, relative to this file (checked by the filed-text rule)",
  "amendment.changes.fee_cap": "a change of the plan's fee cap",
  "amendment.changes.fee_cap.from": "the rate before the amendment",
  "amendment.changes.fee_cap.to": "the rate from the amendment's date",
  "document.id": "the document's id (unique among documents and amendments)",
  "document.kind": "what the document is: distribution-plan, distribution-agreement, management-agreement, advisory-agreement, multi-class-plan or fee-waiver",
  "document.title": "the document's title as filed",
  "document.dated": "the date the document bears; null where the filing leaves it blank",
  "document.adopted": "the day the document was adopted; null where the filing leaves it blank",
  "document.effective": "the day the document took effect",
  "document.terminated": "the day the document ended; null or absent while it is in force",
  "document.source": "the filed text of the document, relative to this file (checked by the filed-text rule)",
  "document.counterparty": "the other party to an agreement (the distributor, manager or adviser)",
  "document.share_class": "the share class a plan or agreement is for",
  "document.related_plan": "the id of the Rule 12b-1 plan a distribution agreement is made under",
  "document.schedule": "the portfolios the document covers (its Schedule A), by id",
  "document.fee_schedule": "the fee of each portfolio the document covers (its Schedule A): portfolio id to rate",
  "document.provisions": "what the document's text says, each provision with its section",
  "document.amendments": "the document's amendments",
  "document.interim": "an interim contract under Rule 15a-4, approved by the board without a shareholder vote",
  "document.replaces": "the id of the contract an interim contract replaces",
  "document.designates": "the share classes a multi-class plan designates",
  "document.no_12b1": "the classes a multi-class plan says pay no Rule 12b-1 fee",
  "document.section": "the section that holds what the document records outside its provisions (a multi-class plan's designations)",
  "trustee.name": "the trustee's name, as the roll calls write it",
  "trustee.independent": "the trustee is not an interested person of the fund (ICA §2(a)(19))",
  "trustee.from": "the first day in office",
  "trustee.until": "the last day in office; null while in office",
  "portfolio.id": "the portfolio's id, as documents and votes name it",
  "portfolio.name": "the portfolio's name",
  "portfolio.management_fee": "the management fee actually charged, as a rate string",
  "portfolio.classes": "the share classes the portfolio has, by name",
  "portfolio.classes.<key>.distribution_fee": "the Rule 12b-1 fee the class actually pays, as a rate string",
  "portfolio.classes.<key>.offered": "the class is offered today",
  "portfolio.classes.<key>.first_offered": "the first day the class was offered",
  "action.approves": "the id of the document or amendment the action is about",
  "action.action": "what the board does: initial, continuance, amendment, material-amendment or ratification",
  "action.ratifies": "for a ratification: the date of the meeting, held under SEC relief, whose votes it ratifies",
  "action.portfolios": "the portfolios the action is for, where the minutes name them (each must be a portfolio id)",
  "action.for": "the trustees who voted for",
  "action.against": "the trustees who voted against",
  "action.abstain": "the trustees who abstained",
  "meeting.date": "the day of the meeting",
  "meeting.in_person": "the trustees met in person (false: by telephone, video or written consent)",
  "meeting.relief": "the SEC relief relied on for votes not cast in person (such as covid-2020); null for none",
  "meeting.called_for_purpose": "the meeting was called for the purpose of the votes it took",
  "meeting.actions": "what the board did at the meeting",
  "shareholder_vote.date": "the day of the vote",
  "shareholder_vote.approves": "the id of the document or amendment voted on",
  "shareholder_vote.action": "what was voted: initial, continuance, amendment or material-amendment",
  "shareholder_vote.portfolio": "the portfolio whose shareholders voted",
  "shareholder_vote.share_class": "for a class vote: the class that voted",
  "shareholder_vote.for": "shares voted for",
  "shareholder_vote.against": "shares voted against",
  "shareholder_vote.present": "shares present in person or by proxy",
  "shareholder_vote.outstanding": "shares outstanding and entitled to vote",
  "report.plan": "the id of the plan the report is on",
  "report.period_end": "the last day of the quarter the report covers",
  "report.reviewed": "the day the board reviewed the report; null if it has not",
}


def _objects(node, name, visit):
    """Call ``visit(name, properties)`` for every object of the schema, named as docs/format.md
    names it (``$defs`` by their own name; a list's items ``[]``; a mapping's values ``<key>``)."""
    if not isinstance(node, dict) or "$ref" in node:
        return
    for branch in node.get("anyOf", ()):
        _objects(branch, name, visit)
    if node.get("type") == "array":
        _objects(node.get("items"), name + "[]", visit)
    if "properties" in node:
        visit(name, node["properties"])
        for key, sub in node["properties"].items():
            _objects(sub, f"{name}.{key}", visit)
    if isinstance(node.get("additionalProperties"), dict):
        _objects(node["additionalProperties"], name + ".<key>", visit)


def describe(schema):
    """Give every property its description (one that is written inline is kept)."""
    used, missing = set(), []

    def visit(name, props):
        for key, sub in props.items():
            full = f"{name}.{key}"
            look = "root" + full[4:] if full.startswith("part.") else full
            if look in DESCRIPTIONS:
                used.add(look)
                if "description" not in sub:
                    props[key] = {**sub, "description": DESCRIPTIONS[look]}
            elif "description" not in sub:
                missing.append(full)

    _objects(schema["then"], "root", visit)
    _objects(schema["else"], "part", visit)
    for def_name, node in schema["$defs"].items():
        _objects(node, def_name, visit)
    unused = set(DESCRIPTIONS) - used
    if missing or unused:
        raise SystemExit(f"gen_schema: no description for {missing}; unused descriptions {sorted(unused)}")
    return schema


if __name__ == "__main__" and len(sys.argv) > 1:
    with open(sys.argv[1], "w") as out:
        json.dump(describe(schema), out, indent=1, ensure_ascii=False)
        out.write("\n")
