"""回収状況, ``xlplan status``: the secretariat's loop on the real template (issue 12).

The template is split by 中項目 with a deadline; some copies come back (one with a
conflict, one twice, one from another template version that cannot be taken, one
corrupt) and are merged. The expected rows are built here from the seed and from the
inputs the test created: which 中項目 exist and how many rows each holds (counted from
the seed transcription), who saved which file, which cells were edited. The clock is
injected everywhere (``now=``, ``--as-of``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import sheet_grid
from tests.test_merge_common import T0, T1, edit, edit_master, new_master
from xlplan.cli import main
from xlplan.core import merge as core
from xlplan.core.collection import return_log
from xlplan.core.layout import META_SHEET, STATUS_SHEET, SUMMARY_SHEET
from xlplan.core.texts import UI
from xlplan.files import merge_file, render_file, rollover_file, split_file, status_file
from xlplan.seed import seed_rows

DUE = date(2021, 1, 29)
T2 = datetime(2021, 2, 3, 10, 0, 0)  # the second version of one copy
T3 = datetime(2021, 2, 4, 11, 0, 0)  # the same file merged again
HEADINGS = UI["status.headings"].split("\t")

# The 中項目 the test returns (texts as the seed transcribes them).
KURASHI = "ア　「あらゆる人が暮らしやすい社会」の実現に向けた取組"  # 4-2-01 … 4-2-18
CHOUNAI = "ア　ICTを活用した庁内業務の効率化"  # 4-1-01 … 4-1-05
KYOSO = "ア　共創の機会の創出"  # 4-3-01 … 4-3-03


def seed_middles() -> Counter[str]:
    """中項目 → number of indicators, from the seed transcription."""
    return Counter(r["middle"].replace("\n", "").strip() for r in seed_rows())


@dataclass
class Loop:
    master: Path
    copies: dict[str, Path]  # 中項目 → the copy sent out
    first: list[Path]  # merged at T1
    second: Path  # merged at T2 (and again at T3)


def _other_version(wb) -> None:  # type: ignore[no-untyped-def]
    wb[META_SHEET]["B1"] = "xlplan-template-0"  # a copy pasted into another template version


def run_loop(folder: Path, *, merge: bool = True) -> Loop:
    master = new_master(folder, "資料4.xlsx")
    res = split_file(master, folder / "配布", by="middle", now=T0, due="2021-01-29")
    copies = {f.group: f.path for f in res.files}
    back = folder / "返送"
    edit_master(master, {("4-2-03", "actual"): "事務局が直した値"})
    a = edit(copies[KURASHI], back / "暮らし.xlsx", {
        ("4-2-01", "projection"): "50%",
        ("4-2-03", "actual"): "担当課の値",  # conflict: the master changed it too
    }, by="山田 花子")
    b1 = edit(copies[CHOUNAI], back / "庁内_1回目.xlsx", {
        ("4-1-01", "actual"): "1,234時間",
        ("4-1-03", "basis"): "前年度の実績から推計",
    }, by="佐藤 次郎")
    c = edit(copies[KYOSO], back / "共創.xlsx", {("4-3-01", "actual"): "5件"}, by="鈴木 三郎",
             also=_other_version)
    broken = back / "壊れた.xlsx"
    broken.write_bytes(copies[KURASHI].read_bytes()[:2000])
    b2 = edit(b1, back / "庁内_2回目.xlsx", {("4-1-05", "countermeasure"): "対策を検討中"},
              by="高橋 四郎")
    loop = Loop(master, copies, [a, b1, c, broken], b2)
    if merge:
        merge_file(master, loop.first, now=T1)
        merge_file(master, [b2], now=T2)
    return loop


def status_rows(path: Path) -> list[dict[str, object]]:
    grid = sheet_grid(path, STATUS_SHEET)
    head = next(i for i, r in enumerate(grid) if list(r[:len(HEADINGS)]) == HEADINGS)
    return [dict(zip(HEADINGS, r, strict=False)) for r in grid[head + 1:] if any(r)]


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Loop:
    return run_loop(tmp_path_factory.mktemp("loop"))


def test_the_sheet_has_one_row_per_copy_with_its_state(loop: Loop) -> None:
    rows = status_rows(loop.master)
    middles = seed_middles()
    assert len(middles) == 9
    assert [r["配布先"] for r in rows] == list(middles)  # the issue's order: the seed's
    assert {r["配布先"]: r["行数"] for r in rows} == dict(middles)
    by = {r["配布先"]: r for r in rows}
    issued = {i.group: i for i in core.issue_log(sheet_grid(loop.master, META_SHEET))}
    for group, r in by.items():
        assert r["配布ID"] == issued[group].issue_id
        assert r["配布日時"] == "2021-01-15 09:00:00"
        assert r["ファイル名"] == loop.copies[group].name
        assert r["提出期限"] == "2021-01-29"
    # One with a conflict: the master's value stays, the copy is 一部競合.
    assert (by[KURASHI]["状態"], by[KURASHI]["反映セル数"], by[KURASHI]["競合数"]) == ("一部競合", 1, 1)
    assert (by[KURASHI]["回収日時"], by[KURASHI]["保存者"]) == ("2021-02-01 17:30:00", "山田 花子")
    # One returned twice: first at T1, last at T2; cells summed over both files.
    r = by[CHOUNAI]
    assert (r["状態"], r["回収日時"], r["最終取込"]) == ("回収済", "2021-02-01 17:30:00", "2021-02-03 10:00:00")
    assert (r["保存者"], r["反映セル数"], r["競合数"], r["返送ファイル"]) == ("高橋 四郎", 3, 0, "庁内_2回目.xlsx")
    # Another template version: read, nothing taken.
    assert (by[KYOSO]["状態"], by[KYOSO]["反映セル数"], by[KYOSO]["保存者"]) == ("取込せず", 0, "鈴木 三郎")
    # The other six: nothing back; the sheet was rebuilt at T2, five days past the deadline.
    out = [g for g in middles if g not in (KURASHI, CHOUNAI, KYOSO)]
    for g in out:
        assert (by[g]["状態"], by[g]["回収日時"], by[g]["期限超過"]) == ("未回収", None, "5日超過")
    assert all(by[g]["期限超過"] is None for g in (KURASHI, CHOUNAI, KYOSO))
    grid = sheet_grid(loop.master, STATUS_SHEET)
    assert grid[0][0] == "回収状況（2021-02-03 10:00 現在）"
    assert grid[1][0] == "配布 9件、回収 3件（うち一部競合 1件、取込せず 1件）、未回収 6件（うち期限超過 6件）"


def test_the_record_behind_the_sheet(loop: Loop) -> None:
    """Every return once, by file content; the corrupt file belongs to no copy."""
    log = return_log(sheet_grid(loop.master, META_SHEET))
    assert [(r.file, r.status, r.saved_by, r.changes, r.conflicts) for r in log] == [
        ("暮らし.xlsx", "conflicts", "山田 花子", 1, 1),
        ("庁内_1回目.xlsx", "merged", "佐藤 次郎", 2, 0),
        ("共創.xlsx", "refused", "鈴木 三郎", 0, 0),
        ("庁内_2回目.xlsx", "merged", "高橋 四郎", 1, 0),
    ]


def test_merging_the_same_file_again_changes_nothing(loop: Loop, tmp_path: Path) -> None:
    master = tmp_path / "資料4.xlsx"
    master.write_bytes(loop.master.read_bytes())
    rep = merge_file(master, [loop.second], now=T3)
    assert rep.saved is None and master.read_bytes() == loop.master.read_bytes()
    assert {f.code for f in rep.files[0].findings} >= {"merge_seen_before"}


def test_status_judges_deadlines_by_the_clock_given(loop: Loop) -> None:
    before = status_file(loop.master, now=datetime(2021, 1, 29, 23, 0)).data["collection"]
    assert before.overdue == 0 and before.outstanding == 6
    after = status_file(loop.master, now=datetime(2021, 2, 5, 12, 0)).data["collection"]
    assert (after.issued, after.returned, after.outstanding, after.overdue) == (9, 3, 6, 6)
    assert {c.overdue_days for c in after.copies if c.overdue} == {7}
    assert after.line() == "配布 9件、回収 3件（うち一部競合 1件、取込せず 1件）、未回収 6件（うち期限超過 6件）"


def test_xlplan_status_prints_the_same_and_exits_1_when_overdue(
        loop: Loop, capsys: pytest.CaptureFixture[str]) -> None:
    data = loop.master.read_bytes()
    assert main(["status", str(loop.master), "--as-of", "2021-01-28"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "配布 9件、回収 3件（うち一部競合 1件、取込せず 1件）、未回収 6件"
    assert f"・{KURASHI}（{loop.copies[KURASHI].name}、18指標）：一部競合" in out
    assert main(["status", str(loop.master), "--as-of", "2021-02-05"]) == 1
    out = capsys.readouterr().out
    assert "未回収 6件（うち期限超過 6件）" in out and "、7日超過" in out
    assert main(["status", str(loop.master), "--json", "--as-of", "2021-02-05"]) == 1
    got = json.loads(capsys.readouterr().out)
    assert {k: got[k] for k in ("issued", "returned", "outstanding", "overdue", "conflicts",
                                "refused", "superseded")} == {
        "issued": 9, "returned": 3, "outstanding": 6, "overdue": 6, "conflicts": 1,
        "refused": 1, "superseded": 0}
    (kyoso,) = [c for c in got["copies"] if c["group"] == KYOSO]
    assert (kyoso["state"], kyoso["rows"], kyoso["row_ids"]) == ("refused", 3, ["4-3-01", "4-3-02", "4-3-03"])
    assert loop.master.read_bytes() == data  # status only reads
    assert main(["status", str(loop.master), "--as-of", "来週"]) == 2
    assert "来週" in capsys.readouterr().err


def test_status_write_rebuilds_the_sheet(loop: Loop, tmp_path: Path) -> None:
    master = tmp_path / "資料4.xlsx"
    master.write_bytes(loop.master.read_bytes())
    wb = load_workbook(master)
    wb[STATUS_SHEET]["A6"] = "手で書いた"  # overwritten: the sheet is xlplan's
    wb.save(master)
    assert main(["status", str(master), "--write", "--as-of", "2021-02-05"]) == 1
    rows = status_rows(master)
    assert len(rows) == 9 and "手で書いた" not in {r["配布先"] for r in rows}
    assert {r["期限超過"] for r in rows if r["状態"] == "未回収"} == {"7日超過"}
    assert sheet_grid(master, STATUS_SHEET)[0][0] == "回収状況（2021-02-05 23:59 現在）"
    ws = load_workbook(master)[STATUS_SHEET]
    assert ws.auto_filter.ref == f"A4:N{4 + 9}"
    states = {ws.cell(r, 7).value: ws.cell(r, 7).fill.fgColor.rgb for r in range(5, 14)}
    assert states["回収済"].endswith("C6EFCE") and states["一部競合"].endswith("FFEB9C")
    assert states["取込せず"].endswith("FFC7CE")


@pytest.mark.slow
def test_rerunning_split_marks_the_old_copies_superseded(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    first = split_file(master, tmp_path / "1", by="sheet", now=T0, due=DUE)
    back = edit(first.files[1].path, tmp_path / "返送" / "4-2.xlsx", {("4-2-05", "actual"): "3件"})
    merge_file(master, [back], now=T1)
    second = split_file(master, tmp_path / "2", by="sheet", now=T2, due="2021/2/20")
    rows = status_rows(master)
    assert len(rows) == 6  # three copies each time, never a row twice
    assert [(r["配布先"], r["状態"]) for r in rows] == [
        ("4-1", "未回収"), ("4-2", "未回収"), ("4-3", "未回収"),
        ("4-1", "再配布済"), ("4-2", "再配布済"), ("4-3", "再配布済")]
    assert [r["配布ID"] for r in rows[:3]] == [f.issue_id for f in second.files]
    assert [r["配布ID"] for r in rows[3:]] == [f.issue_id for f in first.files]
    assert rows[4]["回収日時"] == "2021-02-01 17:30:00"  # the old copy did come back
    assert {r["提出期限"] for r in rows[:3]} == {"2021-02-20"}
    assert sheet_grid(master, STATUS_SHEET)[1][0] == "配布 3件、回収 0件、未回収 3件（ほかに再配布済 3件）"
    # Merging the old copy's file again records nothing new.
    merge_file(master, [back], now=T3)
    assert len(return_log(sheet_grid(master, META_SHEET))) == 1


def test_one_row_two_owners_in_one_split_is_not_a_reissue(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    split_file(master, tmp_path / "out", by="owner", now=T0)
    rows = status_rows(master)
    assert sorted((r["配布先"], r["状態"], r["行数"]) for r in rows) == [
        ("県警", "未回収", 1), ("税務課", "未回収", 1)]
    assert all(r["提出期限"] is None and r["期限超過"] is None for r in rows)  # no deadline


def test_deadline_from_the_settings_sheet_or_refused(tmp_path: Path) -> None:
    master = new_master(tmp_path)
    wb = load_workbook(master)
    ws = wb["設定"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "提出期限")
    ws.cell(row, 2).value = "令和3年1月10日"  # before the issue: a warning
    wb.save(master)
    res = split_file(master, tmp_path / "out", by="sheet", now=T0)
    assert res.due == date(2021, 1, 10)
    assert [f.code for f in res.findings if f.code.startswith("split_due")] == ["split_due_past"]
    assert {r["期限超過"] for r in status_rows(master)} == {"5日超過"}
    # What names no day is refused before anything is written.
    before = master.read_bytes()
    assert main(["split", str(master), "--by", "sheet", "--out", str(tmp_path / "o2"),
                 "--due", "1月末"]) == 2
    ws.cell(row, 2).value = "月末"
    wb.save(master)
    before = master.read_bytes()
    assert main(["split", str(master), "--by", "sheet", "--out", str(tmp_path / "o3")]) == 2
    assert master.read_bytes() == before and not (tmp_path / "o3").exists()


def test_summary_sheet_counts_the_copies(loop: Loop, tmp_path: Path) -> None:
    master = tmp_path / "資料4.xlsx"
    master.write_bytes(loop.master.read_bytes())
    render_file(master)
    grid = sheet_grid(master, SUMMARY_SHEET)
    title = next(i for i, r in enumerate(grid) if r[0] == "5. 配布・回収の状況")
    got = {r[0]: r[2] for r in grid[title + 2:title + 8]}
    assert got == {"配布（再配布済を除く）": 9, "回収済": 1, "一部競合": 1, "取込せず": 1,
                   "未回収": 6, "再配布済": 0}
    assert "期限超過" in str(grid[title + 8][0])
    # The check finds the rendered 集計 as it would render it: no hand edit, not stale.
    from xlplan.files import check_file

    found = check_file(master, write=False).findings
    assert not [f for f in found if f.sheet == SUMMARY_SHEET]


def test_rollover_starts_without_last_years_copies(loop: Loop, tmp_path: Path) -> None:
    new = tmp_path / "資料4_令和3年度.xlsx"
    rollover_file(loop.master, 2021, new, now=T3)
    wb = load_workbook(new)
    assert STATUS_SHEET not in wb.sheetnames
    meta = sheet_grid(new, META_SHEET)
    assert core.issue_log(meta) == [] and return_log(meta) == []
    # The copies that came back still show in last year's master, which is unchanged.
    assert len(status_rows(loop.master)) == 9


def test_a_master_that_sent_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master = new_master(tmp_path)
    assert main(["status", str(master)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == UI["status.none"]
    assert main(["status", str(master), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["copies"] == [] and got["issued"] == 0 and got["overdue"] == 0
    assert STATUS_SHEET not in load_workbook(master).sheetnames  # read only
    assert main(["status", str(master), "--write"]) == 0
    grid = sheet_grid(master, STATUS_SHEET)
    assert grid[1][0] == UI["status.none"] and list(grid[3][:len(HEADINGS)]) == HEADINGS
    assert len([r for r in grid if any(r)]) == 4  # title, line, note, headings


def test_a_copy_returned_unchanged_is_recorded_and_nothing_else(tmp_path: Path) -> None:
    from tests.test_merge_common import cells, diff

    master = new_master(tmp_path)
    res = split_file(master, tmp_path / "out", by="sheet", now=T0)
    back = edit(res.files[2].path, tmp_path / "返送" / "4-3.xlsx", {}, by="田中 五郎")
    before = cells(master)
    rep = merge_file(master, [back], now=T1)
    assert rep.changes == [] and rep.saved is not None
    assert {sheet for sheet, _ in diff(before, cells(master))} == {META_SHEET, STATUS_SHEET}
    (r,) = [r for r in status_rows(master) if r["配布先"] == "4-3"]
    assert (r["状態"], r["反映セル数"], r["競合数"], r["保存者"]) == ("回収済", 0, 0, "田中 五郎")
