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

if __name__ == "__main__" and len(sys.argv) > 1:
    with open(sys.argv[1], "w") as out:
        json.dump(schema, out, indent=1, ensure_ascii=False)
        out.write("\n")
