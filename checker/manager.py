"""The PluginManager: built-in rules, installed entry points (group ``mist_check``), ``--plugin``."""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pluggy

from . import hookspecs
from .errors import UsageError
from .rules import Rule

if TYPE_CHECKING:
    from .filings.extract import Extractor

GROUP = "mist_check"
BUILTIN_EXTRACTORS = "mist_check.filings.provisions"  # the provision readers of filed text


def plugin_manager(extra: Iterable[str] = (), entry_points: bool = True) -> pluggy.PluginManager:
    """Register the built-ins as any plugin is registered, then entry points, then ``extra``."""
    from mist_check.plugins import BUILTIN_PLUGINS

    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    for name in (*BUILTIN_PLUGINS, BUILTIN_EXTRACTORS):
        _register(pm, name)
    if entry_points:
        try:
            pm.load_setuptools_entrypoints(GROUP)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: B036 - a broken third-party package must not become a traceback
            raise UsageError(f"an installed mist_check plugin failed to load: {type(exc).__name__}: {exc}") from None
    for name in extra:
        _register(pm, name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) if exc.plugin is not None else "?"
        raise UsageError(f"plugin {name}: {exc}") from None
    return pm


def _register(pm: pluggy.PluginManager, name: str) -> None:
    try:
        module = importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B036 - SystemExit at import too
        raise UsageError(f"plugin {name!r} cannot be imported: {type(exc).__name__}: {exc}") from None
    if pm.is_registered(module):
        return
    try:
        pm.register(module, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise UsageError(f"plugin {name!r} cannot be registered: {exc}") from None


def collect_rules(pm: pluggy.PluginManager) -> dict[str, Rule]:
    """Every rule of every plugin, by id; a duplicate id is an error of the run."""
    rules: dict[str, Rule] = {}
    for impl in pm.hook.mist_check_rules.get_hookimpls():
        try:
            declared = list(impl.function() or ())
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: B036 - SystemExit, GeneratorExit: one line, exit 2
            raise UsageError(f"plugin {impl.plugin_name!r} failed to declare its rules: "
                             f"{type(exc).__name__}: {exc}") from None
        for rule in declared:
            if not isinstance(rule, Rule):
                raise UsageError(f"plugin {impl.plugin_name!r} declared {rule!r}, which is not a Rule")
            problem = _bad_rule(rule)
            if problem:
                raise UsageError(f"plugin {impl.plugin_name!r} declares {problem}")
            if rule.id in rules:
                raise UsageError(f"rule id {rule.id!r} is declared by both {rules[rule.id].plugin!r} "
                                 f"and {impl.plugin_name!r}")
            rules[rule.id] = Rule(rule.id, rule.check, rule.severity, rule.cases, rule.params,
                                  rule.doc, rule.plugin or impl.plugin_name)
    return dict(sorted(rules.items()))


def collect_extractors(pm: pluggy.PluginManager) -> list[Extractor]:
    """Every provision extractor of every plugin, built-ins first; a duplicate name is an error."""
    from .filings.extract import Extractor

    out: dict[str, Extractor] = {}
    impls = sorted(pm.hook.mist_check_extractors.get_hookimpls(),
                   key=lambda i: (i.plugin_name != BUILTIN_EXTRACTORS, i.plugin_name))
    for impl in impls:
        try:
            declared = impl.function()
        except Exception as exc:
            raise UsageError(f"plugin {impl.plugin_name!r} failed to declare its extractors: {exc}") from None
        for extractor in declared or ():
            if not isinstance(extractor, Extractor):
                raise UsageError(f"plugin {impl.plugin_name!r} declared {extractor!r}, which is not an Extractor")
            if extractor.name in out:
                raise UsageError(f"extractor {extractor.name!r} is declared twice (by {impl.plugin_name!r})")
            out[extractor.name] = extractor
    return list(out.values())


# Ids of the findings the engine itself makes (``engine.CORE_CHECKS``): a plugin may not take one,
# or its findings would pass for the engine's (``parse-error`` cannot be ignored, say).
RESERVED_IDS = ("parse-error", "schema", "reference", "plugin-error", "unused-suppression")
_SEVERITIES = ("error", "warning", "note")


def _bad_rule(rule: Rule) -> str | None:
    """What makes a declared rule unusable (``None``: nothing)."""
    if not isinstance(rule.id, str) or not rule.id or not rule.id.isprintable() or any(c.isspace() for c in rule.id):
        return f"a rule id {rule.id!r}, which is not a word (printable, without spaces)"
    if rule.id in RESERVED_IDS:
        return f"the rule id {rule.id!r}, which is reserved for the checker's own findings"
    if not callable(rule.check):
        return f"rule {rule.id!r} with a check that is not callable"
    if not isinstance(rule.severity, str) or rule.severity not in _SEVERITIES:
        return f"rule {rule.id!r} with severity {rule.severity!r} (expected error, warning or note)"
    if not isinstance(rule.cases, Mapping) or not isinstance(rule.params, Mapping):
        return f"rule {rule.id!r} whose cases or params are not mappings"
    for case, severity in rule.cases.items():
        if not isinstance(severity, str) or severity not in _SEVERITIES:
            return f"rule {rule.id!r} with severity {severity!r} for case {case!r}"
    return None

