"""Print a pip constraints file pinning every dependency of pyproject.toml (runtime and the test
extra) to the lower bound it declares: `.ci/run` installs these to prove the oldest allowed work."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def lower_bounds(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    pins = []
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)", requirement)
        if match is None:
            raise SystemExit(f"{requirement!r} declares no lower bound (>=)")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    print("\n".join(lower_bounds(root / "pyproject.toml")))
