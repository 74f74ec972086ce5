"""The report sheets and the summary written into the master (xlplan render).

Real workbooks: a copy of the shipped template, rendered through the library or the
CLI, read back with openpyxl. Expected marks come from the printed seed report.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.golden.dump import dump_workbook
from tests.helpers import input_cells, layouts_of, master_of_workbook, report_findings_of
from xlplan.core.findings import Level
from xlplan.core.layout import INPUT_SHEET, META_SHEET, REPORT_SHEET, SHEETS, SUMMARY_SHEET
from xlplan.core.meta import report_fingerprints, report_fp_label
from xlplan.core.report import REPORT_NAMES
from xlplan.core.texts import Refusal as BookError
from xlplan.engines.xlsx import lock_file
from xlplan.files import render_file
from xlplan.seed import seed_rows

# Mark colours as docs/report.md lists them: (fill, font) by what the mark means.
PALETTE = {"◎": ("C6EFCE", "006100"), "○": ("E2EFDA", "375623"), "△": ("FFEB9C", "9C5700"),
           "×": ("FFC7CE", "9C0006"), "－": ("EDEDED", "595959"), "不明": ("EDEDED", "595959"),
           "進捗管理の停止": ("EDEDED", "595959")}

SEED = seed_rows()
SEED_BY_ID = {r["id"]: r for r in SEED}


@pytest.fixture(scope="module")
def _rendered_once(tmp_path_factory: pytest.TempPathFactory, template_path: Path) -> bytes:
    """The template rendered once per module: tests get a private copy of the result."""
    path = tmp_path_factory.mktemp("rendered") / "資料4.xlsx"
    path.write_bytes(template_path.read_bytes())
    render_file(path)
    return path.read_bytes()


@pytest.fixture
def rendered(_rendered_once: bytes, master: Path) -> Path:
    master.write_bytes(_rendered_once)
    return master


def _report_rows(ws):  # type: ignore[no-untyped-def]
    """(ID, row) of the indicator rows: the ID column is the first one after the table."""
    heads = {c.value: c.column for c in ws[3] if c.value}
    id_col = heads["ID"]
    return [(ws.cell(r, id_col).value, r) for r in range(4, ws.max_row + 1)
            if ws.cell(r, id_col).value]


def test_sheet_order(rendered: Path) -> None:
    names = load_workbook(rendered).sheetnames
    inputs = [INPUT_SHEET[s] for s in SHEETS]
    assert names[:7] == [*inputs, *(REPORT_SHEET[s] for s in SHEETS), SUMMARY_SHEET]
    assert set(names[7:]) >= {"設定"}


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_indicator_with_its_printed_marks(rendered: Path, sheet: str) -> None:
    ws = load_workbook(rendered)[REPORT_SHEET[sheet]]
    heads = [c.value for c in ws[3]]
    ind = next(i for i, h in enumerate(heads, 1) if h == "成果指標")
    mark = next(i for i, h in enumerate(heads, 1) if h and (h.startswith("進捗率") or h.endswith("中間目標到達")))
    trend = mark - 1
    rows = _report_rows(ws)
    assert [i for i, _r in rows] == [r["id"] for r in SEED if r["sheet"] == sheet]
    for rid, r in rows:
        s = SEED_BY_ID[rid]
        assert ws.cell(r, ind).value == s["indicator"].strip()
        got_mark = str(ws.cell(r, mark).value).split("※")[0]
        got_trend = str(ws.cell(r, trend).value).split("※")[0]
        assert (got_trend, got_mark) == (s["printed_trend"], s["printed_mark"]), rid
        cell = ws.cell(r, mark)
        assert cell.alignment.horizontal == "center"
        bg, fg = PALETTE[got_mark]
        assert cell.fill.fgColor.rgb.endswith(bg)
        assert cell.font.color.rgb.endswith(fg)


def test_override_is_visible_and_footnoted(rendered: Path) -> None:
    ws = load_workbook(rendered)["資料4-1"]
    rows = dict(_report_rows(ws))
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    r = rows["4-1-08"]  # 産総研デザインスクール: ↘/× by hand
    marks = [ws.cell(r, c).value for c in range(1, 20)]
    assert "↘※3" in marks and "×※3" in marks
    note = next(v for v in values if v.startswith("※3"))
    assert "手動判定" in note and "生徒が参加できなかった" in note


@pytest.mark.parametrize("sheet", SHEETS)
def test_hierarchy_is_merged_and_vertical(rendered: Path, sheet: str) -> None:
    ws = load_workbook(rendered)[REPORT_SHEET[sheet]]
    rows = dict(_report_rows(ws))
    by_row = {r: rid for rid, r in rows.items()}
    merged = [m for m in ws.merged_cells.ranges
              if m.min_row >= 4 and m.min_col <= 4 and m.min_col == m.max_col]
    assert merged
    for m in merged:
        ids = [by_row[r] for r in range(m.min_row, m.max_row + 1)]
        col_head = ws.cell(3, m.min_col).value
        key = {"大項目": "major", "中項目": "middle", "小項目": "minor", "取組名": "program"}[col_head]
        assert len({SEED_BY_ID[i][key] for i in ids}) == 1, (m, ids)
    # 大項目 and 中項目 print vertically (stacked), as in the seed
    for col in (1, 2):
        tops = [ws.cell(m.min_row, col) for m in merged if m.min_col == col]
        assert tops and all(c.alignment.textRotation == 255 for c in tops)
    assert ws.cell(4, 1).value == SEED_BY_ID[by_row[4]]["major"]


@pytest.mark.parametrize("sheet", SHEETS)
def test_print_settings(rendered: Path, sheet: str) -> None:
    wb = load_workbook(rendered)
    ws = wb[REPORT_SHEET[sheet]]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 8  # A3
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$1:$3"
    assert REPORT_SHEET[sheet] in ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text
    last_col = "R" if sheet == "4-1" else "P"
    assert ws.print_area.endswith(f"!$A$1:${last_col}${ws.max_row}")
    # page breaks fall between 取組名 groups, never inside one
    rows = dict(_report_rows(ws))
    by_row = {r: rid for rid, r in rows.items()}
    for b in ws.row_breaks.brk:
        above, below = SEED_BY_ID[by_row[b.id]], SEED_BY_ID.get(by_row.get(b.id + 1, ""))
        assert below is not None
        keys = ("major", "middle", "minor", "program")
        assert not above["program"] or [above[k] for k in keys] != [below[k] for k in keys]


def test_rendering_twice_gives_the_same_sheets(master: Path, tmp_path: Path) -> None:
    render_file(master)
    first = dump_workbook(master)
    render_file(master)
    assert dump_workbook(master) == first


def test_render_never_touches_what_people_typed(master: Path) -> None:
    typed = input_cells(master)
    before = load_workbook(master)
    grids = {t: [[c.value for c in row] for row in before[t].iter_rows()]
             for t in INPUT_SHEET.values()}
    out = render_file(master)
    assert out.changed_cells == 0  # the shipped template is already recomputed
    after = load_workbook(master)
    assert input_cells(master) == typed
    for t, grid in grids.items():
        assert [[c.value for c in row] for row in after[t].iter_rows()] == grid
    assert out.backup is not None and out.backup.exists()


def test_a_new_value_shows_in_the_report(master: Path) -> None:
    wb = load_workbook(master)
    m = master_of_workbook(wb)
    row = next(r for r in m.inputs["4-2"].rows if r.id == "4-2-02")  # 年間用紙使用量 (↘)/×
    wb[row.tab][row.addr["projection"]] = "300,000千枚"  # below the 365,241千枚 target
    wb.save(master)
    typed = input_cells(master)
    out = render_file(master)
    assert out.changed_cells > 0  # computed columns brought up to date first
    assert input_cells(master) == typed
    ws = load_workbook(master)["資料4-2"]
    r = dict(_report_rows(ws))["4-2-02"]
    assert [ws.cell(r, c).value for c in range(1, 20)].count("◎") == 1


def test_hand_edits_are_reported_and_not_kept(rendered: Path) -> None:
    wb = load_workbook(rendered)
    assert report_findings_of(wb) == []
    ws = wb["資料4-2"]
    r = dict(_report_rows(ws))["4-2-05"]
    mark_col = max(c.column for c in ws[3] if c.value and str(c.value).startswith("進捗率"))
    ws.cell(r, mark_col).value = "○"  # someone "corrects" the printed mark by hand
    wb.save(rendered)

    found = report_findings_of(load_workbook(rendered))
    assert [f.code for f in found] == ["report_edited"]
    f = found[0]
    assert f.level is Level.WARNING and f.sheet == "資料4-2"
    assert f.cell == f"{ws.cell(r, mark_col).column_letter}{r}"
    assert "消えます" in f.message and f.row_id == "4-2-05"

    out = render_file(rendered)
    assert [x.code for x in out.findings if x.code == "report_edited"] == ["report_edited"]
    ws2 = load_workbook(rendered)["資料4-2"]
    assert ws2.cell(r, mark_col).value == "◎"
    assert report_findings_of(load_workbook(rendered)) == []


def test_edit_of_input_makes_the_report_stale_not_edited(rendered: Path) -> None:
    wb = load_workbook(rendered)
    m = master_of_workbook(wb)
    row = next(r for r in m.inputs["4-3"].rows if r.id == "4-3-02")
    wb[row.tab][row.addr["status_text"]] = "新しい取組状況"
    found = report_findings_of(wb)
    assert {(f.code, f.level, f.sheet) for f in found} == {("report_stale", Level.INFO, "資料4-3")}


def test_a_report_sheet_without_fingerprint_is_compared_cell_by_cell(rendered: Path) -> None:
    wb = load_workbook(rendered)
    meta = wb[META_SHEET]
    for c in meta["A"]:
        if c.value == report_fp_label("資料4-1"):
            c.value = None
            meta.cell(c.row, 2).value = None
    wb["資料4-1"]["A1"] = "差し替えたタイトル"
    found = report_findings_of(wb)
    assert [(f.code, f.sheet, f.cell) for f in found] == [("report_edited", "資料4-1", "A1")]


def test_fingerprints_are_rows_of_the_meta_sheet(rendered: Path) -> None:
    """One ``_xlplan`` row per report sheet (label in A, hex hash in B), no defined names."""

    def fp_rows(path: Path) -> list[tuple[int, object, object]]:
        ws = load_workbook(path)[META_SHEET]
        return [(c.row, c.value, ws.cell(c.row, 2).value) for c in ws["A"]
                if str(c.value or "").startswith("report_fp.")]

    rows = fp_rows(rendered)
    assert [label for _, label, _ in rows] == [f"report_fp.{n}" for n in REPORT_NAMES]
    assert [r for r, _, _ in rows] == list(range(rows[0][0], rows[0][0] + len(REPORT_NAMES)))
    wb = load_workbook(rendered)
    for _, label, value in rows:
        assert isinstance(value, str) and len(value) == 32 and int(value, 16) >= 0
        grid = list(wb[META_SHEET].iter_rows(values_only=True))
        assert report_fingerprints(grid)[str(label).removeprefix("report_fp.")] == value
    assert not [n for n in wb.defined_names if "report_fp" in n]
    ws = wb["4-3入力"]
    m = master_of_workbook(wb)
    row = next(r for r in m.inputs["4-3"].rows if r.id == "4-3-02")
    ws[row.addr["status_text"]] = "新しい取組状況"
    wb.save(rendered)
    render_file(rendered)
    again = fp_rows(rendered)  # rewritten in place: same rows, no second set
    assert [(r, label) for r, label, _ in again] == [(r, label) for r, label, _ in rows]
    assert [v for *_, v in again] != [v for *_, v in rows]
    assert not [n for n in load_workbook(rendered).defined_names if "report_fp" in n]


def test_summary_sheet_and_native_chart(rendered: Path, tmp_path: Path) -> None:
    wb = load_workbook(rendered)
    ws = wb[SUMMARY_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(1, 12) if ws.cell(r, 1).value}
    head = rows["資料"]
    marks = [ws.cell(head, c).value for c in range(3, 10)]
    for sheet in SHEETS:
        exp = Counter(r["printed_mark"] for r in SEED if r["sheet"] == sheet)
        r = rows[REPORT_SHEET[sheet]]
        assert [ws.cell(r, c).value for c in range(3, 10)] == [exp.get(m, 0) for m in marks]
    assert ws.cell(rows["合計"], 10).value == 68
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("産総研デザインスク" in t for t in texts)
    assert any(t.startswith("令和2年度報告の判断") for t in texts)
    # a real chart object in the file (not a picture), and it survives openpyxl round trips
    copy = tmp_path / "again.xlsx"
    load_workbook(rendered).save(copy)
    for path in (rendered, copy):
        with zipfile.ZipFile(path) as zf:
            charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
            assert len(charts) == 1
            xml = zf.read(charts[0]).decode()
            assert 'barDir val="bar"' in xml and 'grouping val="stacked"' in xml
            assert xml.count("<ser>") == 7 and "'集計'!$A$6:$A$8" in xml
            assert not [n for n in zf.namelist() if n.startswith("xl/media/")]


def test_render_to_another_file_leaves_the_master_alone(master: Path, tmp_path: Path) -> None:
    before = master.read_bytes()
    out = tmp_path / "out.xlsx"
    res = render_file(master, out=out)
    assert res.path == out and res.backup is None
    assert master.read_bytes() == before
    assert set(REPORT_NAMES) <= set(load_workbook(out).sheetnames)


def test_render_refuses_a_workbook_open_in_excel(master: Path) -> None:
    lock_file(master).write_text("x")
    with pytest.raises(BookError) as e:
        render_file(master)
    assert e.value.code == "open_in_excel"


def test_cli_render(master: Path) -> None:
    res = run_cli("render", master)
    assert res.returncode == 0, res.stderr
    assert "資料4-2" in res.stdout and "バックアップ" in res.stdout
    assert set(REPORT_NAMES) <= set(load_workbook(master).sheetnames)
    bad = run_cli("render", master.with_name("none.xlsx"))
    assert bad.returncode == 2 and "ファイルが見つかりません" in bad.stderr


def test_layouts_match_what_was_written(rendered: Path) -> None:
    wb = load_workbook(rendered)
    reports = layouts_of(master_of_workbook(wb))
    for rep in reports.sheets.values():
        ws = wb[rep.name]
        for (r, c), v in rep.cells().items():
            assert ws.cell(r, c).value == v
        assert sorted(str(m) for m in ws.merged_cells.ranges) == sorted(s.ref for s in rep.merges)
        assert [b.id for b in ws.row_breaks.brk] == list(rep.row_breaks)


def test_an_unreadable_input_sheet_still_renders_the_others(master: Path) -> None:
    wb = load_workbook(master)
    del wb["4-3入力"]
    wb.save(master)
    out = render_file(master)
    assert any(f.code == "sheet_missing" for f in out.findings)
    wb = load_workbook(master)
    assert _report_rows(wb["資料4-2"])
    assert not _report_rows(wb["資料4-3"])

