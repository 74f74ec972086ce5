"""xlplan check: every finding printed and written to チェック結果 with links."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.helpers import master_of
from xlplan.core.layout import CHECK_SHEET, INPUT_SHEET
from xlplan.files import check_file


def _cell_of(path: Path, sheet: str, row_id: str, heading_start: str) -> str:
    ws = load_workbook(path)[INPUT_SHEET[sheet]]
    col = next(c.column_letter for c in ws[3] if str(c.value).startswith(heading_start))
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == row_id)
    return f"{col}{row}"


def test_seed_typos_are_found_where_they_are(master: Path) -> None:
    out = check_file(master, write=False)
    got = {(f.code, f.sheet, f.cell) for f in out.findings}
    # 延15,3728人: the seed's broken digit grouping (オンライン看護技術学習の受講者数)
    typo = next(r for r in master_of(master).all_rows()
                if "延15,3728人" in r.text("actual"))
    assert ("digit_grouping", typo.tab, typo.cell("actual")) in got
    assert any(code == "date_incomplete" and cell == typo.cell("baseline") for code, _, cell in got)
    # 0回 projection against a 1件 target, and 550件 against 戸 (the unit typos of docs/rules.md)
    units = [f for f in out.findings if f.code == "unit_mismatch"]
    texts = " ".join(f.message for f in units)
    assert "「回」" in texts and "「件」" in texts
    assert "「戸」" in texts
    # the four manual judgements are listed beside their computed value
    overrides = [f for f in out.findings if f.code == "override_mark"]
    assert len(overrides) >= 3 and all("計算では" in f.message for f in overrides)


def test_check_writes_results_sheet_with_links_and_exits_1_on_errors(master: Path) -> None:
    res = run_cli("check", master)
    assert res.returncode == 1  # the seed's 延15,3728人 is an error
    assert "digit_grouping" in res.stdout
    wb = load_workbook(master)
    ws = wb[CHECK_SHEET]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert any(r[1] == "digit_grouping" for r in rows)
    links = [ws.cell(r, 4).hyperlink for r in range(4, ws.max_row + 1) if ws.cell(r, 4).value]
    assert links and all(h is not None and h.location and "!" in h.location for h in links)


def test_override_without_reason_and_missed_target_without_reason_are_errors(master: Path) -> None:
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-1"]]
    heads = [c.value for c in ws[3]]
    col = {h: i + 1 for i, h in enumerate(heads)}
    ws.cell(5, col["手動判定の理由"]).value = None  # 4-1-02 RPA: override kept, reason deleted
    ws.cell(15, col["中間目標が未達成（未達成見込）となった理由"]).value = "－"  # 4-1-12: printed (↘) ×
    wb.save(master)
    findings = check_file(master, write=False).findings
    codes = {(f.code, f.cell) for f in findings}
    assert ("override_without_reason", f"{_col(heads, '手動判定の理由')}5") in codes
    missed_rows = {f.cell for f in findings if f.code == "miss_without_reason"}
    assert missed_rows == {f"{_col(heads, '中間目標が未達成（未達成見込）となった理由')}15"}


def _col(heads: list[object], name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(heads.index(name) + 1)


def test_unchanged_template_gives_the_same_findings_twice(master: Path) -> None:
    a = check_file(master).findings
    b = check_file(master).findings
    assert [f.line() for f in a] == [f.line() for f in b]
    assert _cell_of(master, "4-2", "4-2-01", "ID") == "A4"


def test_a_changed_value_not_yet_recomputed_shows_as_stale(master: Path) -> None:
    assert not [f for f in check_file(master, write=False).findings if f.code.startswith("stale_")]
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-3"]]
    heads = [c.value for c in ws[3]]
    ws.cell(4, heads.index("令和2年度末見込値") + 1).value = "2回"  # 情報交換の場: 0 → 2 of 2
    wb.save(master)
    stale = {(f.code, f.cell) for f in check_file(master, write=False).findings
             if f.code.startswith("stale_")}
    assert stale == {("stale_mark", f"{_col(heads, '進捗率')}4")}  # ○ shown, ◎ due; ↗ unchanged
    assert run_cli("recompute", master).returncode == 0
    assert not [f for f in check_file(master, write=False).findings if f.code.startswith("stale_")]


def test_finding_lines_are_one_line(master: Path) -> None:
    res = run_cli("check", master, "--no-write")
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("[")]
    assert any("延15,3728人 （令和2年11月末）" in ln for ln in lines)
