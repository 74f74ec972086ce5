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
