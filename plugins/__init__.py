"""The built-in rules, one module each, registered as any third-party plugin is."""
from __future__ import annotations

BUILTIN_PLUGINS: tuple[str, ...] = (
    "mist_check.plugins.annual_continuance",
    "mist_check.plugins.assignment_termination",
    "mist_check.plugins.board_composition",
    "mist_check.plugins.document_dates",
    "mist_check.plugins.fee_cap",
    "mist_check.plugins.filed_text",
    "mist_check.plugins.interim_contract",
    "mist_check.plugins.name_cessation",
    "mist_check.plugins.plan_coverage",
    "mist_check.plugins.provision_sections",
    "mist_check.plugins.quarterly_reports",
    "mist_check.plugins.required_approvals",
    "mist_check.plugins.schedule_coverage",
    "mist_check.plugins.termination_notice",
)
