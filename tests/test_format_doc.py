"""docs/format.md, the user's format reference, and the JSON Schema name the same keys, object by
object; every property of the schema has a description (hover help); the page's examples check."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO
from mist_check.cli import main
from mist_check.schema import schema

DOC = (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def schema_objects() -> dict[str, dict[str, Any]]:
    """Every object of the schema with its properties, named as the page names them: a ``$defs``
    entry by its name, a key below it by ``.key``, a list's items by ``[]``, a mapping's values by
    ``.<key>``; the root file is ``root``, a part file ``part``."""
    found: dict[str, dict[str, Any]] = {}

    def visit(node: Any, name: str) -> None:
        if not isinstance(node, dict) or "$ref" in node:
            return
        for branch in node.get("anyOf", ()):
            visit(branch, name)
        if node.get("type") == "array":
            visit(node.get("items"), name + "[]")
        if "properties" in node:
            found.setdefault(name, {}).update(node["properties"])
            for key, sub in node["properties"].items():
                visit(sub, f"{name}.{key}")
        if isinstance(node.get("additionalProperties"), dict):
            visit(node["additionalProperties"], name + ".<key>")

    visit(schema()["then"], "root")
    visit(schema()["else"], "part")
    for name, node in schema()["$defs"].items():
        visit(node, name)
    return found


def doc_tables() -> dict[str, list[str]]:
    """The keys of each table the page marks ``<!-- keys: NAME -->`` (the first column's names)."""
    tables: dict[str, list[str]] = {}
    for match in re.finditer(r"<!-- keys: (\S+) -->\n(.*?)(?:\n\n|\Z)", DOC + "\n\n", re.DOTALL):
        name, body = match.groups()
        lines = body.splitlines()
        while lines and not lines[0].startswith("|"):  # a line of prose between marker and table
            lines.pop(0)
        rows = [line for line in lines[2:] if line.startswith("|")]
        assert name not in tables, f"docs/format.md documents {name} twice"
        tables[name] = [re.fullmatch(r"\| `([a-z_0-9]+)` \|.*", row).group(1) for row in rows]  # type: ignore[union-attr]
    return tables


def test_every_object_of_the_schema_is_documented_and_nothing_else() -> None:
    assert sorted(doc_tables()) == sorted(schema_objects())


@pytest.mark.parametrize("name", sorted(schema_objects()))
def test_the_page_lists_exactly_the_keys_of_the_schema(name: str) -> None:
    documented = doc_tables().get(name, [])
    assert len(documented) == len(set(documented)), f"{name}: a key listed twice"
    assert set(documented) == set(schema_objects()[name]), (
        f"{name}: docs/format.md lists {sorted(set(documented) - set(schema_objects()[name]))} that the "
        f"schema lacks and lacks {sorted(set(schema_objects()[name]) - set(documented))}")


@pytest.mark.parametrize("name", sorted(schema_objects()))
def test_every_property_has_a_description(name: str) -> None:
    for key, sub in schema_objects()[name].items():
        text = sub.get("description")
        assert isinstance(text, str) and len(text) > 10 and "\n" not in text, f"{name}.{key}"


def test_every_value_the_schema_enumerates_is_on_the_page() -> None:
    def enums(node: Any) -> set[str]:
        if isinstance(node, dict):
            out = {str(v) for v in node.get("enum", ())}
            return out.union(*(enums(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(enums(v) for v in node))
        return set()

    missing = sorted(v for v in enums(schema()) if f"`{v}`" not in DOC)
    assert not missing, f"docs/format.md does not name {missing}"


def test_required_keys_are_marked_required() -> None:
    tables = {name: match for match in re.finditer(r"<!-- keys: (\S+) -->\n(.*?)(?:\n\n|\Z)", DOC, re.DOTALL)
              for name in [match.group(1)]}
    for name, props in schema_objects().items():
        node = _object_node(name)
        for key in node.get("required", ()):
            row = re.search(rf"^\| `{key}` \|.*$", tables[name].group(2), re.MULTILINE)
            assert row and "required" in row.group(0), f"{name}.{key} is required; the page must say so"


def _object_node(name: str) -> dict[str, Any]:
    """The schema node (with ``required``) of a named object."""
    nodes: list[dict[str, Any]] = []

    def visit(node: Any, at: str) -> None:
        if not isinstance(node, dict) or "$ref" in node:
            return
        for branch in node.get("anyOf", ()):
            visit(branch, at)
        if node.get("type") == "array":
            visit(node.get("items"), at + "[]")
        if "properties" in node:
            if at == name:
                nodes.append(node)
            for key, sub in node["properties"].items():
                visit(sub, f"{at}.{key}")
        if isinstance(node.get("additionalProperties"), dict):
            visit(node["additionalProperties"], at + ".<key>")

    root = schema()
    if name == "root":
        return {"required": root["then"]["required"]}
    visit(root["else"], "part")
    for def_name, node in root["$defs"].items():
        visit(node, def_name)
    visit(root["then"], "root")
    required = [key for node in nodes for key in node.get("required", ())]
    return {"required": required if name != "requirement" else []}  # all_of | any_of: one of two


def test_the_example_checks_without_input_errors(tmp_path: Path, capsys) -> None:
    example = DOC.split("## An example", 1)[1].split("\n## ", 1)[0]
    for block in re.findall(r"```yaml\n(.*?)```", example, re.DOTALL):
        name = block.splitlines()[0].removeprefix("# ").strip()
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(block, encoding="utf-8")
    assert (tmp_path / "trust.yaml").is_file() and (tmp_path / "documents" / "class-b-plan.yaml").is_file()
    main(["check", str(tmp_path), "--no-entry-points", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings, "the example is judged"
    assert not [f for f in findings if f["rule"] in ("parse-error", "schema", "reference")]


def test_the_editor_snippets_name_the_schema_command_and_parse(tmp_path: Path) -> None:
    editor = DOC.split("## Editor support", 1)[1]
    assert "mist-check schema > format-1.schema.json" in editor
    assert "# yaml-language-server: $schema=" in editor
    settings = json.loads(re.search(r"```json\n(.*?)```", editor, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert "./format-1.schema.json" in settings["yaml.schemas"]


@pytest.mark.parametrize("doc", ["README.md", *sorted(p.name for p in (REPO / "docs").glob("*.md"))])
def test_no_link_leaves_the_repository(doc: str) -> None:
    path = REPO / doc if doc == "README.md" else REPO / "docs" / doc
    text = path.read_text(encoding="utf-8")
    assert "../shared" not in text
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (path.parent / target).exists(), f"{doc} links {target}, which a clone lacks"
