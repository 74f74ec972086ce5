"""A master whose 設定 picks another grading scheme, or relabels the marks, end to end.

The 設定 sheet's 判定方式 row picks a preset; recompute, render and check follow it (the
marks on the input sheets, the 資料 legend, the 集計 columns), and switching back gives
today's workbook again, value for value. Relabelled marks keep the colour of what they
mean. Expected grades are worked out here by hand from the seed's values and the
four-stage rule of docs/rules.md (達成: target reached; 前進/後退: better/worse than the
baseline by more than the band, 10 % of the baseline; 横ばい: within it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import master_of, set_setting
from xlplan.core.layout import INPUT_SHEET, REPORT_SHEET, SUMMARY_SHEET
from xlplan.files import check_file, update_file

# ID → the four-stage grade, from (baseline, projection, final target) in the seed:
HAND = {
    "4-2-01": "達成",  # 46.51% → 60.76%, target 60.00%: reached
    "4-2-11": "前進",  # 2件 → 3件: +1 > band 0.2, target 8件 not reached
    "4-2-12": "後退",  # 4回 → 2回: −2, worse by more than the band 0.4
    "4-2-16": "横ばい",  # 86.50% → 87.20%: +0.7 within the band 8.65
    "4-2-24": "横ばい",  # 7,090件 → 6,900件: −190 within the band 709
    "4-2-44": "横ばい",  # 449日 → 464日, lower is better (target 419日): 15 within 44.9
}
# Fill colours by what a mark means, as docs/report.md lists them.
GREEN, RED = "C6EFCE", "FFC7CE"


def _values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _marks(path: Path) -> dict[str, object]:
    return {r.id: r.values["mark"] for r in master_of(path).inputs["4-2"].rows}


def test_another_scheme_is_followed_everywhere_and_switching_back_restores(
        master: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    shutil.copy2(master, plain)
    update_file(plain)
    update_file(plain)

    set_setting(master, "判定方式", "four-stage")
    update_file(master)
    marks = _marks(master)
    assert {k: marks[k] for k in HAND} == HAND
    wb = load_workbook(master)
    heads = [str(c.value) for c in wb[REPORT_SHEET["4-2"]][3] if c.value]
    assert any("達成" in h and "横ばい" in h for h in heads)  # the legend in the heading
    note = str(wb[REPORT_SHEET["4-2"]]["A2"].value)
    assert "凡例" in note and "後退" in note and "進捗率＝" not in note
    summary = [c.value for row in wb[SUMMARY_SHEET].iter_rows(max_row=6) for c in row]
    assert {"達成", "前進", "横ばい", "後退"} <= set(summary)
    assert "◎" not in summary
    # A grade nobody would read as ◎ keeps the colour of what it means.
    ws = wb[INPUT_SHEET["4-2"]]
    mark_col = next(c.column for c in ws[3] if c.value == "進捗率")
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, mark_col).value == "達成":
            assert ws.cell(r, mark_col).fill.fgColor.rgb.endswith(GREEN)
        if ws.cell(r, mark_col).value == "後退":
            assert ws.cell(r, mark_col).fill.fgColor.rgb.endswith(RED)
    codes = {f.code for f in check_file(master, write=False).findings}
    assert "settings_scheme_unknown" not in codes and "stale_mark" not in codes

    set_setting(master, "判定方式", "progress")
    update_file(master)
    update_file(master)  # the first one's check still saw last scheme's report: stale
    update_file(plain)
    got, exp = _values(master), _values(plain)
    assert set(got) == set(exp)
    for name in exp:
        if name in ("_xlplan",):  # fingerprints are hashes of what was written: compared below
            continue
        assert got[name] == exp[name], name
    assert _marks(master) == _marks(plain)


@pytest.mark.parametrize(("label", "symbol"), [("記号：目標達成", "達"), ("記号：減少", "悪")])
def test_relabelled_marks_keep_their_colours(master: Path, label: str, symbol: str) -> None:
    set_setting(master, label, symbol)
    update_file(master)
    wb = load_workbook(master)
    colour = GREEN if symbol == "達" else RED
    for tab in (INPUT_SHEET["4-2"], REPORT_SHEET["4-2"]):
        ws = wb[tab]
        cells = [c for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.split("※")[0] == symbol]
        assert cells, tab
        assert all(c.fill.fgColor.rgb.endswith(colour) for c in cells), tab
