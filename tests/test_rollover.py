"""xlplan rollover: next year's master from this year's, this year's values kept on record."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import add_table_sheet, master_of, records_of
from tests.test_merge_common import T0, T1, cells, edit, edit_master, issued, new_master, value_at
from xlplan.cli import main
from xlplan.core import merge as core
from xlplan.core.layout import INPUT_SHEET, META_SHEET, TABLE_NAME, TARGETS_SHEET, Kind, columns_for
from xlplan.core.logs import CHANGES, HISTORY, TARGETS
from xlplan.core.rollover import CLEAR_KEYS
from xlplan.core.settings_grid import settings_from_grid
from xlplan.core.texts import Refusal as BookError
from xlplan.files import check_file, recompute_file, render_file
from xlplan.files import merge_file as merge_into_master
from xlplan.files import rollover_file as rollover_master

T2 = datetime(2021, 4, 2, 10, 0, 0)
CARRIED = [c.key for s in ("4-1", "4-2", "4-3") for c in columns_for(s)
           if c.kind is not Kind.COMPUTED and c.key not in CLEAR_KEYS]


def _rows(path: Path) -> dict[str, dict[str, object]]:
    m = master_of(path)
    return {r.id: dict(r.values) for r in m.all_rows()}


def test_rollover_moves_the_year_and_archives_this_years_values(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    data = master.read_bytes()
    new = tmp_path / "資料4_令和3年度.xlsx"
    res = rollover_master(master, 2021, new, now=T2)
    assert master.read_bytes() == data  # this year's master is left as it is
    assert (res.from_year, res.to_year, res.archived) == (2020, 2021, 68)

    wb = load_workbook(new)
    s, findings = settings_from_grid(list(wb['設定'].iter_rows(values_only=True)))
    assert findings == []
    assert (s.fiscal_year, s.report_date) == (2021, date(2022, 3, 1))
    assert (s.baseline_year, s.mid_year, s.final_year) == (2019, 2020, 2021)  # fixed by the plan
    ws = wb[INPUT_SHEET["4-1"]]
    heads = [c.value for c in ws[3]]
    assert "令和3年度実績値" in heads and "令和3年度末見込値" in heads and "令和3年度の取組状況" in heads
    assert "基準値（令和元年度）" in heads and "最終目標（令和3年度）" in heads
    assert not any("令和2年度実績" in str(h) for h in heads)
    for key, tab in INPUT_SHEET.items():  # Excel needs table column names = header cells
        t = wb[tab].tables[TABLE_NAME[key]]
        assert [c.name for c in t.tableColumns] == [c.value for c in wb[tab][3]][: len(t.tableColumns)]

    before, after = _rows(master), _rows(new)
    assert set(after) == set(before)
    for rid, row in after.items():
        for k in CLEAR_KEYS:
            if k in row:
                assert row[k] is None, (rid, k)
        for k in CARRIED:
            if k in row:
                assert row[k] == before[rid][k], (rid, k)

    hist = records_of(HISTORY, wb)
    assert len(hist) == 68 and {h["fiscal_year"] for h in hist} == {2020}
    old = load_workbook(master)
    for h in hist:
        rid = str(h["id"])
        assert h["actual"] == before[rid]["actual"]
        assert h["status_text"] == before[rid]["status_text"]
        assert h["final_target"] == before[rid]["final_target"]
        assert h["mark"] == value_at(old, rid, "mark")  # as the master printed it
        assert h["trend"] == value_at(old, rid, "trend")
        assert h["era"] == "令和2年度"
    # The new master is consistent: recomputing it changes nothing.
    assert recompute_file(new).changed_cells == 0
    recs = records_of(CHANGES, wb)
    assert [r["action"] for r in recs] == ["年度更新"]


def _printed_marks(path: Path, tab: str) -> dict[str, object]:
    """ID → the mark printed on a report sheet (the 進捗率 column)."""
    ws = load_workbook(path)[tab]
    heads = [c.value for c in ws[3]]
    id_col = heads.index("ID") + 1
    mark_col = next(i for i, h in enumerate(heads, start=1) if str(h).startswith("進捗率"))
    return {str(ws.cell(r, id_col).value): ws.cell(r, mark_col).value
            for r in range(4, ws.max_row + 1) if ws.cell(r, id_col).value}


def test_rollover_renders_the_report_sheets_for_the_new_year(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    render_file(master)
    last_year = _printed_marks(master, "資料4-2")
    new = tmp_path / "資料4_令和3年度.xlsx"
    rollover_master(master, 2021, new, now=T2)

    ws = load_workbook(new)["資料4-2"]
    heads = [str(c.value) for c in ws[3] if c.value is not None]
    assert "令和3年度実績値" in heads and "令和3年度末見込値" in heads
    assert "基準値に対する令和3年度の見込値（実績値）" in heads
    assert not any("令和2年度" in h for h in heads)  # nothing left of last year's report
    # Its marks are the new master's, computed from the new (cleared) input.
    inputs = {r.id: r.values["mark"] for r in master_of(new).inputs["4-2"].rows}
    printed = _printed_marks(new, "資料4-2")
    assert printed == inputs
    assert printed != last_year
    # Consistent: `xlplan check` finds neither hand edits nor stale report sheets.
    assert [f for f in check_file(new, write=False).findings if f.code.startswith("report_")] == []


def test_new_master_has_a_new_identity_and_refuses_last_years_copies(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    back = edit(sent["4-1"], tmp_path / "late.xlsx", {("4-1-01", "policy"): "遅れて返送"})
    new = tmp_path / "new.xlsx"
    rollover_master(master, 2021, new, now=T2)
    meta_old = list(load_workbook(master)[META_SHEET].iter_rows(values_only=True))
    meta_new = list(load_workbook(new)[META_SHEET].iter_rows(values_only=True))
    old_id = core.meta_value(meta_old, core.MASTER_ID)
    assert core.meta_value(meta_new, core.MASTER_ID) not in (None, old_id)
    assert core.meta_value(meta_new, core.ROLLED_FROM) == old_id
    assert core.issue_log(meta_new) == []
    rep = merge_into_master(new, [back], now=T2)
    assert "merge_other_master" in [f.code for f in rep.files[0].findings]
    assert rep.changes == []
    # Merged into last year's master instead, it is fine.
    assert len(merge_into_master(master, [back], now=T2).changes) == 1


def _add_target_rows(path: Path, rows: list[list[object]]) -> None:
    wb = load_workbook(path)
    add_table_sheet(wb, TARGETS)
    ws = wb[TARGETS_SHEET]
    heads = [c.value for c in ws[1]]
    for line in rows:
        rec = dict(zip(["日付", "ID", "目標", "変更後", "理由"], line, strict=True))
        ws.append([rec.get(h) for h in heads])
    wb.save(path)


def test_target_changes_entered_in_the_sheet_are_applied_with_date_and_reason(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    _add_target_rows(master, [
        [datetime(2021, 3, 20), "4-2-05", "最終目標", "120件", "計画改定により上方修正"],
        [None, "4-1-03", "中間目標", "50%", ""],  # no reason: refused
        [None, "4-9-99", "最終目標", "1件", "存在しない指標"],  # unknown ID: refused
    ])
    old_target = value_at(master, "4-2-05", "final_target")
    new = tmp_path / "new.xlsx"
    res = rollover_master(master, 2021, new, now=T2)
    assert value_at(new, "4-2-05", "final_target") == "120件"
    assert value_at(new, "4-1-03", "mid_target") == value_at(master, "4-1-03", "mid_target")
    assert [f.row_id for f in res.findings if f.code == "target_request_invalid"] == ["4-1-03", "4-9-99"]
    recs = records_of(TARGETS, new)
    applied = [r for r in recs if r["id"] == "4-2-05"]
    assert len(applied) == 1
    r = applied[0]
    assert (r["state"], r["old"], r["new"], r["reason"], r["fiscal_year"]) == (
        "適用済", old_target, "120件", "計画改定により上方修正", 2021)
    assert r["date"] == datetime(2021, 3, 20)
    # The archive keeps this year's target; the old master is unchanged.
    hist = {h["id"]: h for h in records_of(HISTORY, new)}
    assert hist["4-2-05"]["final_target"] == old_target
    assert value_at(master, "4-2-05", "final_target") == old_target


def test_target_changes_from_a_csv_file(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    csv = tmp_path / "targets.csv"
    csv.write_text("ID,目標,変更後,理由,日付\n4-3-01,最終目標,10件,所管課の見直し,2021/3/31\n",
                   encoding="utf-8-sig")
    new = tmp_path / "new.xlsx"
    res = rollover_master(master, 2021, new, targets=csv, now=T2)
    assert value_at(new, "4-3-01", "final_target") == "10件"
    (e,) = res.target_changes
    assert (e["id"], e["state"], e["date"], e["reason"]) == ("4-3-01", "適用済", date(2021, 3, 31),
                                                             "所管課の見直し")
    recs = records_of(TARGETS, new)
    assert [(r["id"], r["new"]) for r in recs] == [("4-3-01", "10件")]


@pytest.mark.slow
def test_target_changed_in_a_cell_without_a_record_is_recorded_as_such(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    y2021 = tmp_path / "2021.xlsx"
    rollover_master(master, 2021, y2021, now=T2)
    edit_master(y2021, {("4-2-10", "final_target"): "999件"})  # typed over, no reason given
    y2022 = tmp_path / "2022.xlsx"
    res = rollover_master(y2021, 2022, y2022, now=datetime(2022, 4, 1))
    (f,) = [f for f in res.findings if f.code == "target_changed_unrecorded"]
    assert f.row_id == "4-2-10"
    assert "rollover_past_final" in [f.code for f in res.findings]  # 2022 > final year 2021
    recs = records_of(TARGETS, y2022)
    (r,) = [r for r in recs if r["id"] == "4-2-10"]
    assert r["new"] == "999件" and r["old"] == value_at(master, "4-2-10", "final_target")
    assert "理由の記録なし" in str(r["reason"])
    hist = records_of(HISTORY, y2022)
    assert sorted({h["fiscal_year"] for h in hist}) == [2020, 2021] and len(hist) == 136


def test_rollover_keeps_the_change_history(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    back = edit(sent["4-3"], tmp_path / "b.xlsx", {("4-3-01", "policy"): "継続"})
    merge_into_master(master, [back], now=T1)
    new = tmp_path / "new.xlsx"
    rollover_master(master, 2021, new, now=T2)
    acts = [r["action"] for r in records_of(CHANGES, new)]
    assert acts == ["取込", "年度更新"]
    hist = {h["id"]: h for h in records_of(HISTORY, new)}
    assert hist["4-3-01"]["policy"] == "継続"


def test_rollover_refusals(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    for to, out, code in [(2020, "a.xlsx", "rollover_year"), (2019, "b.xlsx", "rollover_year"),
                          (2021, master.name, "rollover_in_place")]:
        with pytest.raises(BookError) as e:
            rollover_master(master, to, tmp_path / out, now=T2)
        assert e.value.code == code
    exists = tmp_path / "exists.xlsx"
    exists.write_bytes(b"keep me")
    with pytest.raises(BookError) as e:
        rollover_master(master, 2021, exists, now=T2)
    assert e.value.code == "exists" and exists.read_bytes() == b"keep me"
    rollover_master(master, 2021, exists, force=True, now=T2)
    assert cells(exists)


def test_cli_rollover(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master = new_master(tmp_path)
    new = tmp_path / "new.xlsx"
    assert main(["rollover", str(master), "--to", "2021", "-o", str(new)]) == 0
    out = capsys.readouterr().out
    assert "rolled 2020 → 2021" in out and "archived 68 rows" in out
    assert main(["rollover", str(master), "--to", "2021", "-o", str(new)]) == 2
    assert "exists" in capsys.readouterr().err
    assert T0 < T2


@pytest.mark.slow
def test_copies_of_next_years_master_carry_their_rows_history_only(tmp_path: Path) -> None:
    from xlplan.core.layout import HISTORY_SHEET, SETTINGS_SHEET
    from xlplan.files import split_file as split_master

    master = new_master(tmp_path)
    new = tmp_path / "new.xlsx"
    rollover_master(master, 2021, new, now=T2)
    res = split_master(new, tmp_path / "out", by="sheet", now=T2)
    (c43,) = [f for f in res.files if f.group == "4-3"]
    wb = load_workbook(c43.path)
    assert wb.sheetnames == [*INPUT_SHEET.values(), SETTINGS_SHEET, HISTORY_SHEET, META_SHEET]
    hist = records_of(HISTORY, wb)
    assert sorted(str(h["id"]) for h in hist) == [f"4-3-0{i}" for i in range(1, 9)]
    assert {h["fiscal_year"] for h in hist} == {2020}
    assert "令和3年度実績値" in [c.value for c in wb[INPUT_SHEET["4-3"]][3]]
