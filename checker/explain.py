"""``mist-check explain ID``: the rule's docstring, then its settings in each policy pack."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from .diff import plain
from .engine import CORE_CHECKS, Checker, Options
from .errors import UsageError
from .hints import did_you_mean
from .policy import DEFAULT_POLICY, builtin_policies


def explain(rule_id: str, policy: str | None = None, plugins: tuple[str, ...] = (),
            entry_points: bool = True) -> str:
    checker = Checker(Options(plugins=plugins, entry_points=entry_points))
    if rule_id in CORE_CHECKS:
        severity, text = CORE_CHECKS[rule_id]
        return f"# {rule_id} ({severity})\n\n{text}.\n\nA finding of the checker itself, not of a plugin.\n"
    rule = checker.rules.get(rule_id)
    if rule is None:
        known = set(checker.rules) | set(CORE_CHECKS)
        raise UsageError(f"unknown rule id {rule_id!r}{did_you_mean(rule_id, known)} (see `mist-check rules`)")
    lines = [f"# {rule.id}", "", f"Default severity: {rule.severity}"]
    for case, sev in sorted(rule.cases.items()):
        lines.append(f"  {case}: {sev}")
    lines += [f"Plugin: {rule.plugin}", "", (rule.doc or "").strip(), ""]
    packs = [policy] if policy else builtin_policies()
    for name in packs:
        pack = checker.policy(name)
        settings = pack.rules.get(rule.id)
        enabled = settings.enabled if settings is not None else True
        lines.append(f"## In policy {pack.id}" + ("" if enabled else " (not enabled)"))
        if settings is not None:
            if settings.severity is not None:
                lines.append(f"- severity: {settings.severity.value}")
            for case, sev in sorted(settings.severities.items()):
                lines.append(f"- severity of {case}: {sev.value}")
            for case, text in sorted(settings.authority.items()):
                label = "authority" if case == "default" else f"authority ({case})"
                lines.append(f"- {label}: {text}")
        for pname in rule.params:
            param = _param(pack, settings, pname)
            if param is None:
                lines.append(f"- {pname}: not set")
                continue
            for start, value, ref in param.history:
                since = f" from {start.isoformat()}" if isinstance(start, date) else ""
                lines.append(f"- {pname}{since}: {value} ({ref})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def catalogue(plugins: tuple[str, ...] = (), entry_points: bool = False) -> str:
    """The rule catalogue in Markdown: every rule's explain page, as ``docs/rules.md`` keeps it."""
    checker = Checker(Options(plugins=plugins, entry_points=entry_points))
    out = ["# Rule catalogue", "",
           "Generated from the rules' docstrings and the policy packs by `mist-check rules --format markdown`;",
           "`tests/test_docs.py` keeps it in sync. `mist-check explain ID` prints the same page.", "",
           "| id | default severity | summary |", "|---|---|---|"]
    for rule_id, (severity, text) in sorted(CORE_CHECKS.items()):
        out.append(f"| `{rule_id}` | {severity} | {text} (the checker itself) |")
    for rule in checker.rules.values():
        out.append(f"| [`{rule.id}`](#{rule.id}) | {rule.severity} | {rule.summary} |")
    out.append("")
    for rule in checker.rules.values():
        page = explain(rule.id, None, plugins, entry_points).replace("# ", "## ", 1)
        page = "\n".join(("#" + line) if line.startswith("## ") and not line.startswith("## " + rule.id)
                         else line for line in page.splitlines())
        out += [page.rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"


def _param(pack: Any, settings: Any, name: str) -> Any:
    """A rule's parameter in ``pack``: the rule's own setting, else the pack's shared one."""
    return (settings.params.get(name) if settings else None) or pack.parameters.get(name)


def rules_json(policy: str | None = None, plugins: tuple[str, ...] = (), entry_points: bool = True) -> str:
    """``mist-check rules --format json``: every rule with its settings in one pack (default ``ica-1940``).

    Sorted by id, keys sorted: the same rules and pack print the same bytes."""
    checker = Checker(Options(plugins=plugins, entry_points=entry_points))
    pack = checker.policy(policy or DEFAULT_POLICY)
    rows: list[dict[str, Any]] = []
    for rule_id, (severity, text) in CORE_CHECKS.items():
        rows.append({"id": rule_id, "severity": severity, "plugin": "mist_check (core)", "summary": text,
                     "core": True, "enabled": True, "cases": {}, "authority": {}, "parameters": []})
    for rule in checker.rules.values():
        settings = pack.rules.get(rule.id)
        params = []
        for pname in rule.params:
            param = _param(pack, settings, pname)
            history = [] if param is None else [
                {"from": plain(start), "value": plain(value), "reference": ref} for start, value, ref in param.history]
            params.append({"name": pname, "history": history})
        severity = settings.severity.value if settings and settings.severity else rule.severity
        cases = dict(rule.cases)
        if settings:
            cases.update({case: sev.value for case, sev in settings.severities.items()})
        rows.append({"id": rule.id, "severity": severity, "plugin": rule.plugin, "summary": rule.summary,
                     "core": False, "enabled": settings.enabled if settings is not None else True,
                     "cases": {k: str(v) for k, v in sorted(cases.items())},
                     "authority": dict(sorted(settings.authority.items())) if settings else {},
                     "parameters": params})
    rows.sort(key=lambda row: row["id"])
    document = {"version": 1, "policy": pack.id, "rules": rows}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
