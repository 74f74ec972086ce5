"""Every command of the CLI is in the README's command table (and nothing stale is)."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from xlplan.cli import build_parser


def _commands() -> set[str]:
    ap = build_parser()
    sub = next(a for a in ap._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)  # type: ignore[attr-defined]


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `xlplan (\w+)", readme, flags=re.M))
    documented |= set(re.findall(r"/ `xlplan (\w+)", readme))
    assert _commands() - documented - {"demo"} == set(), "add these commands to README.md"
    assert documented - _commands() == set(), "README documents commands that do not exist"
    assert "make demo" in readme and "make test" in readme


def test_how_it_is_built_names_every_folder_and_top_level_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    pkg = ROOT / "xlplan"
    parts = [f"xlplan/{d.name}/" for d in pkg.iterdir()
             if d.is_dir() and (d / "__init__.py").exists()]
    parts += [f"xlplan/{m.name}" for m in pkg.glob("*.py") if not m.name.startswith("__")]
    missing = sorted(p for p in parts if p not in section and p.split("/")[-1] not in section)
    assert not missing, f"README 'How it is built' does not mention {missing}"


def test_the_code_cites_the_projects_own_docs() -> None:
    """docs/… references in the code point at files of this project's docs/."""
    cited = set()
    for path in (ROOT / "xlplan").rglob("*.py"):
        cited |= set(re.findall(r"docs/([\w.-]+\.md)", path.read_text(encoding="utf-8")))
    have = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert cited, "the code cites no docs at all: the pattern is wrong"
    assert cited <= have, f"cited but not in docs/: {sorted(cited - have)}"
