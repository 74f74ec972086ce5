"""The catalogue of staff-facing texts (xlplan/core/texts.py) and the docs agree, and the
code that reports something takes its words from the catalogue.

* Every finding and refusal code is documented in a code table of docs/ (a table whose
  first column is headed ``code``), and every code documented there exists.
* Findings are made only through the catalogue (``xlplan.core.texts.finding``); modules of
  the action layer and the engines hold no Japanese sentence of their own.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT
from xlplan.core.texts import FINDINGS, FLAG_MESSAGES, PARSER_WARNINGS, REFUSALS

DOCS = ROOT / "docs"
CODE = re.compile(r"`([a-z][a-z0-9_]*)`")
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u9fff]")  # kana, kanji


def documented_codes() -> dict[str, set[str]]:
    """Code → the doc files whose code tables list it."""
    out: dict[str, set[str]] = {}
    for doc in sorted(DOCS.glob("*.md")):
        lines = doc.read_text(encoding="utf-8").splitlines()
        in_table = False
        for line in lines:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.strip():
                in_table = False
                continue
            if cells and cells[0] == "code":
                in_table = True
                continue
            if in_table and not set(cells[0]) <= set("-: "):
                for code in CODE.findall(cells[0]):
                    out.setdefault(code, set()).add(doc.name)
    return out


def catalogue_codes() -> set[str]:
    """Every code a finding or a refusal can carry."""
    flags = {k for k in FLAG_MESSAGES if k != "units_differ"}  # reported as unit_mismatch
    templates = {"value_warning", "mark_flag", "file_refused"}  # shapes shared by several codes, not codes
    return (set(FINDINGS) - templates) | set(REFUSALS) | flags | set(PARSER_WARNINGS)


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    documented = documented_codes()
    missing = catalogue_codes() - set(documented)
    assert not missing, f"document these codes in a code table of docs/: {sorted(missing)}"
    stale = set(documented) - catalogue_codes()
    assert not stale, f"docs list codes the catalogue does not have: {sorted(stale)}"


def _strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


# Modules whose Japanese words are the product's vocabulary, not sentences: the catalogue
# itself, the glossary of the workbook (sheet and column names, log headings, 設定 rows,
# grouping columns, the seed's manual judgements are data), and the lexicon and grammar
# of what staff type into value cells (units, eras, status words).
VOCABULARY = {
    "core/texts.py", "core/layout.py", "core/logs.py", "core/settings_grid.py",
    "core/settings.py", "core/split.py", "core/rollover.py", "core/schemes.py",
    "core/lexicon.py", "core/parse.py", "core/dates.py", "core/normalize.py",
    "engines/styles.py",
}
# cli.py's Japanese words are sheet and tab names (チェック結果, 過去実績, 担当課, ICT進捗…)
# inside the English argparse help, which names them as staff see them in the workbook;
# every line it prints comes from the catalogue (UI "cli.*").
ENGLISH_HELP = {"cli.py"}


def test_sentences_live_in_the_catalogue() -> None:
    pkg = ROOT / "xlplan"
    offenders = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).as_posix()
        if rel in VOCABULARY or rel in ENGLISH_HELP:
            continue
        offenders += [f"{rel}:{line} {text[:40]!r}" for line, text in _strings(path)
                      if JAPANESE.search(text)]
    assert not offenders, "move these texts to xlplan/core/texts.py:\n" + "\n".join(offenders)


def test_findings_are_made_from_the_catalogue() -> None:
    pkg = ROOT / "xlplan"
    direct = [f"{p.relative_to(pkg)}:{n}" for p in sorted(pkg.rglob("*.py"))
              if p.name not in ("texts.py", "findings.py") and p.parent.name != "addin"
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
              if re.search(r"\bFinding\(", line)]
    assert not direct, "build findings with xlplan.core.texts.finding: " + ", ".join(direct)


def test_column_names_in_messages_read_as_japanese() -> None:
    """Messages name a column by its heading without the year (「{fy}の取組状況」 →
    「取組状況」): never a fragment that starts with の or 末, or 「…に対するの…」."""
    from xlplan.core.layout import SHEETS, columns_for, heading_shown

    for sheet in SHEETS:
        for c in columns_for(sheet):
            shown = heading_shown(sheet, c.key)
            assert shown and not shown.startswith(("の", "末")), (sheet, c.heading, shown)
            assert "するの" not in shown and "（）" not in shown, (sheet, c.heading, shown)
