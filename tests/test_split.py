"""xlplan split: one stamped copy per owner (or other grouping column) of the real template."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import master_of, template_version_of
from tests.test_merge_common import T0, cells, diff, edit_master, layout_of, new_master, row_of
from xlplan.cli import main
from xlplan.core import merge as core
from xlplan.core.layout import (
    INPUT_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    STATUS_SHEET,
    TEMPLATE_VERSION,
)
from xlplan.core.texts import Refusal as BookError
from xlplan.engines.copies import COPY_SHEETS
from xlplan.engines.xlsx import XlsxEngine, lock_file
from xlplan.files import split_file as split_master
from xlplan.seed import seed_rows


def _stamp(path: Path) -> core.Stamp:
    wb = load_workbook(path)
    stamp, problems = core.stamp_from_grid(list(wb[META_SHEET].iter_rows(values_only=True)))
    assert problems == []
    assert stamp is not None
    return stamp


def _ids(path: Path) -> list[str]:
    m = master_of(path)
    return [r.id for r in m.all_rows()]


def test_split_by_owner_issues_only_the_owners_the_seed_names(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    res = split_master(master, tmp_path / "out", by="owner", now=T0)
    # The seed names one owner cell, 「税務課、県警」 on 4-2-01: both departments get the row.
    exp_owners = {o for r in seed_rows() if r.get("owner") for o in r["owner"].split("、")}
    assert exp_owners == {"税務課", "県警"}
    assert {f.group for f in res.files} == exp_owners
    for f in res.files:
        assert f.row_ids == ["4-2-01"]
        assert _ids(f.path) == ["4-2-01"]
    # Rows without an owner are reported (all 67 of them), never silently dropped.
    exp_unassigned = sorted(r["id"] for r in seed_rows() if not r.get("owner"))
    assert sorted(r.id for r in res.unassigned) == exp_unassigned
    assert len(exp_unassigned) == 67
    (f,) = [f for f in res.findings if f.code == "split_unassigned"]
    assert "67行" in f.message
    assert "4-1-01～4-1-12、4-2-02～4-2-48、4-3-01～4-3-08" in f.message


def test_copy_is_the_template_with_only_the_groups_rows(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    before = load_workbook(master)
    res = split_master(master, tmp_path / "out", by="owner", now=T0)
    copy = res.files[0].path
    wb = load_workbook(copy)
    assert wb.sheetnames == [s for s in before.sheetnames if s in COPY_SHEETS]
    assert template_version_of(copy) == TEMPLATE_VERSION
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb[META_SHEET].protection.sheet
    # The issued row: every cell (typed and computed) as in the master, styles kept.
    src_ws, ws = before[INPUT_SHEET["4-2"]], wb[INPUT_SHEET["4-2"]]
    r0, r1 = row_of(src_ws, "4-2", "4-2-01"), row_of(ws, "4-2", "4-2-01")
    for c in range(1, src_ws.max_column + 1):
        assert ws.cell(r1, c).value == src_ws.cell(r0, c).value
        assert ws.cell(r1, c).style == src_ws.cell(r0, c).style
    assert ws.row_dimensions[r1].height == src_ws.row_dimensions[r0].height
    # The headings, validation, conditional formats and settings are the template's.
    for r in (1, 2, 3):
        assert [c.value for c in ws[r]] == [c.value for c in src_ws[r]]
    assert len(ws.data_validations.dataValidation) == len(src_ws.data_validations.dataValidation)
    assert len(ws.conditional_formatting) == len(src_ws.conditional_formatting)
    assert cells(wb[SETTINGS_SHEET].parent, skip_sheets=[s for s in wb.sheetnames if s != SETTINGS_SHEET]) \
        == cells(before, skip_sheets=[s for s in before.sheetnames if s != SETTINGS_SHEET])
    # The table shrinks to the kept rows; the other input sheets keep their headings only.
    assert ws.tables["Input42"].ref.endswith(str(r1))
    for key in ("4-1", "4-3"):
        other = wb[INPUT_SHEET[key]]
        assert all(v is None for row in other.iter_rows(min_row=4, values_only=True) for v in row)
    # Typed columns staff do not own are locked; theirs are open.
    lay = layout_of(ws, "4-2")
    assert ws.cell(r1, lay.cols["final_target"]).protection.locked
    assert ws.cell(r1, lay.cols["id"]).protection.locked
    assert not ws.cell(r1, lay.cols["actual"]).protection.locked
    assert not ws.cell(r1, lay.cols["status_text"]).protection.locked
    assert ws.protection.sheet


@pytest.mark.slow
def test_stamp_records_master_issue_time_and_row_fingerprints(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    res = split_master(master, tmp_path / "out", by="middle", now=T0)
    mid = core.meta_value(list(load_workbook(master)[META_SHEET].iter_rows(values_only=True)),
                          core.MASTER_ID)
    assert mid == res.master_id and mid
    rows = {r.id: r for r in master_of(master).all_rows()}
    issues = set()
    for f in res.files:
        s = _stamp(f.path)
        assert (s.master_id, s.issued_at, s.group_by, s.group) == (mid, "2021-01-15 09:00:00",
                                                                   "middle", f.group)
        assert s.source == master.name
        issues.add(s.issue_id)
        assert [r.id for r in s.rows] == f.row_ids
        for issued in s.rows:
            assert issued.intact
            exp = core.issue_row(rows[issued.id])
            assert issued.fingerprint == exp.fingerprint
            assert issued.values["actual"] == core.canonical(rows[issued.id].values["actual"])
    assert len(issues) == len(res.files)


def test_split_by_middle_issues_every_row_exactly_once(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    res = split_master(master, tmp_path / "out", by="middle", now=T0)
    exp_groups = {r["middle"] for r in seed_rows()}
    assert {f.group for f in res.files} == exp_groups
    issued = [i for f in res.files for i in _ids(f.path)]
    assert sorted(issued) == sorted(r["id"] for r in seed_rows())
    assert res.unassigned == []
    seed = {r["id"]: r for r in seed_rows()}
    for f in res.files:
        assert {seed[i]["middle"] for i in f.row_ids} == {f.group}


@pytest.mark.slow  # writes one copy per 取組名 (about 60 workbooks)
def test_split_by_program_reports_rows_without_a_programme(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    exp_blank = sorted(r["id"] for r in seed_rows() if not r["program"].strip())
    assert exp_blank  # the seed has indicators printed without a 取組名
    res = split_master(master, tmp_path / "out", by="program", include_unassigned=True, now=T0)
    assert sorted(r.id for r in res.unassigned) == exp_blank
    (rest,) = [f for f in res.files if f.group == "未設定"]
    assert not set(exp_blank) & {i for f in res.files if f is not rest for i in f.row_ids}
    (f,) = [f for f in res.findings if f.code == "split_unassigned"]
    assert "「未設定」のファイルで配布" in f.message
    assert sorted(_ids(rest.path)) == exp_blank


def test_split_writes_only_the_issue_record_into_the_master(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    before = cells(master)
    res = split_master(master, tmp_path / "out", by="sheet", now=T0)
    changed = diff(before, cells(master))
    # The issue record, and the 回収状況 sheet rebuilt from it (issue 12).
    assert changed and {sheet for sheet, _ in changed} == {META_SHEET, STATUS_SHEET}
    assert res.backup is not None and res.backup.read_bytes() != master.read_bytes()
    assert cells(res.backup) == before
    log = core.issue_log(list(load_workbook(master)[META_SHEET].iter_rows(values_only=True)))
    assert [(i.group, len(i.row_ids)) for i in log] == [("4-1", 12), ("4-2", 48), ("4-3", 8)]
    # A second split keeps the master's identity and adds to the log.
    res2 = split_master(master, tmp_path / "out2", by="sheet", now=T0)
    assert res2.master_id == res.master_id
    log2 = core.issue_log(list(load_workbook(master)[META_SHEET].iter_rows(values_only=True)))
    assert len(log2) == 6


def test_split_refuses_master_with_duplicate_ids_or_open_in_excel(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    edit_master(master, {("4-2-02", "id"): "4-2-01"})
    with pytest.raises(BookError) as e:
        split_master(master, tmp_path / "out", now=T0)
    assert e.value.code == "duplicate_id"
    master2 = new_master(tmp_path / "b")
    lock_file(master2).write_text("")
    with pytest.raises(BookError) as e2:
        split_master(master2, tmp_path / "out2", now=T0)
    assert e2.value.code == "open_in_excel"
    assert not (tmp_path / "out2").exists()


def test_cli_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master = new_master(tmp_path)
    assert main(["split", str(master), "--by", "sheet", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "3ファイル" in out and "wrote 3 copies by sheet" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "資料4_master_4-1.xlsx", "資料4_master_4-2.xlsx", "資料4_master_4-3.xlsx"]
    with pytest.raises(SystemExit):
        main(["split", str(master), "--by", "nonsense", "--out", str(tmp_path / "x")])


def test_copies_of_a_rendered_master_leave_the_printed_reports_behind(tmp_path: Path) -> None:
    from xlplan.core.layout import REPORT_SHEET, SUMMARY_SHEET

    master = new_master(tmp_path)
    assert main(["render", str(master)]) == 0
    wb = load_workbook(master)
    reports = [*REPORT_SHEET.values(), SUMMARY_SHEET]
    assert set(reports) <= set(wb.sheetnames)
    assert [c.value for c in wb[META_SHEET]["A"] if str(c.value).startswith("report_fp.")] == \
        [f"report_fp.{t}" for t in reports]
    before = {t: cells(wb, skip_sheets=[s for s in wb.sheetnames if s != t]) for t in reports}
    res = split_master(master, tmp_path / "out", by="sheet", now=T0)
    for f in res.files:
        copy = load_workbook(f.path)
        assert not set(reports) & set(copy.sheetnames)
        assert not [n for n in copy.defined_names if n.startswith("xlplan_report_fp_")]
        meta = [str(c.value) for c in copy[META_SHEET]["A"] if c.value is not None]
        assert not [label for label in meta if label.startswith("report_fp.")]
        assert XlsxEngine(f.path).sheet_names()
    after = load_workbook(master)
    for t in reports:  # the master's printed reports are untouched
        assert cells(after, skip_sheets=[s for s in after.sheetnames if s != t]) == before[t]
