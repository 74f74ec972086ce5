"""xlplan merge: returned copies of the real template back into the master, three-way.

Each test issues the template by sheet (4-1, 4-2, 4-3 copies), edits copies the way
staff do (openpyxl, saved with a 保存者), merges, and compares the master cell by cell
before and after: only the applied cells, the computed columns, 変更履歴 and _xlplan may
change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import records_of
from tests.test_merge_common import (
    T1,
    addr,
    cells,
    changed_outside,
    computed_cells,
    edit,
    edit_master,
    issued,
    layout_of,
    new_master,
    row_of,
    template_bytes,
    value_at,
)
from xlplan.cli import main
from xlplan.core.layout import CHANGES_SHEET, INPUT_SHEET
from xlplan.core.logs import CHANGES
from xlplan.core.merge import Reason
from xlplan.core.returns import FileVerdict, merge_summary_ja
from xlplan.core.texts import Refusal as BookError
from xlplan.engines.xlsx import lock_file
from xlplan.files import merge_file as merge_into_master
from xlplan.files import split_file as split_master


def _cell(master: Path, rid: str, key: str) -> tuple[str, str]:
    wb = load_workbook(master)
    sheet = rid.rsplit("-", 1)[0]
    ws = wb[INPUT_SHEET[sheet]]
    return (ws.title, addr(ws, sheet, rid, key))


def _codes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for fr in report.files for f in fr.findings]


def test_clean_merge_applies_exactly_the_edited_cells(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    r42 = edit(sent["4-2"], tmp_path / "back" / "4-2.xlsx", {
        ("4-2-05", "actual"): "30件\n（令和3年1月末）",
        ("4-2-05", "status_text"): "説明会を3回開催した。",
        ("4-2-10", "policy"): "来年度も継続する。",
    }, by="山田 花子")
    r43 = edit(sent["4-3"], tmp_path / "back" / "4-3.xlsx", {("4-3-02", "projection"): "12回"},
               by="佐藤 一郎")
    edited = [("4-2-05", "actual"), ("4-2-05", "status_text"), ("4-2-10", "policy"),
              ("4-3-02", "projection")]
    before, computed = cells(master), computed_cells(master)
    old_values = {k: value_at(master, *k) for k in edited}

    rep = merge_into_master(master, [r42, r43], now=T1)

    assert rep.ok and [f.status for f in rep.files] == [FileVerdict.MERGED, FileVerdict.MERGED]
    assert sorted((c.row_id, c.key) for c in rep.changes) == sorted(edited)
    after = cells(master)
    assert changed_outside(before, after, [_cell(master, *k) for k in edited], computed) == {}
    assert value_at(master, "4-2-05", "actual") == "30件\n（令和3年1月末）"
    assert value_at(master, "4-3-02", "projection") == "12回"
    # Backup first, equal to the master before.
    assert rep.backup is not None and cells(rep.backup) == before
    # 変更履歴: when, which file, who saved it, row, column, old → new.
    recs = records_of(CHANGES, master)
    got = {(r["file"], r["saved_by"], r["id"], r["column"], r["old"], r["new"], r["at"])
           for r in recs}
    exp = {
        ("4-2.xlsx", "山田 花子", "4-2-05", "令和2年度実績値", old_values[("4-2-05", "actual")],
         "30件\n（令和3年1月末）", "2021-02-01 17:30:00"),
        ("4-2.xlsx", "山田 花子", "4-2-05", "令和2年度の取組状況",
         old_values[("4-2-05", "status_text")], "説明会を3回開催した。", "2021-02-01 17:30:00"),
        ("4-2.xlsx", "山田 花子", "4-2-10", "今後の取組方針・対策", old_values[("4-2-10", "policy")],
         "来年度も継続する。", "2021-02-01 17:30:00"),
        ("4-3.xlsx", "佐藤 一郎", "4-3-02", "令和2年度末見込値", old_values[("4-3-02", "projection")],
         "12回", "2021-02-01 17:30:00"),
    }
    assert got == exp
    # The marks were recomputed from the new values.
    assert rep.recomputed_cells > 0


def test_merging_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    back = edit(sent["4-1"], tmp_path / "back.xlsx", {("4-1-03", "challenges"): "人手不足"})
    first = merge_into_master(master, [back], now=T1)
    assert len(first.changes) == 1
    data = master.read_bytes()
    second = merge_into_master(master, [back, back], now=T1)
    assert second.changes == [] and second.conflicts == []
    assert master.read_bytes() == data  # not even saved
    assert second.saved is None
    assert "merge_seen_before" in _codes(second)
    assert [f.already for f in second.files] == [1, 1]


def test_a_change_taken_once_is_not_taken_again_after_the_master_moved_on(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    back = edit(sent["4-1"], tmp_path / "back.xlsx", {("4-1-03", "challenges"): "人手不足"})
    merge_into_master(master, [back], now=T1)
    edit_master(master, {("4-1-03", "challenges"): "人手不足（事務局で補記）"})
    again = merge_into_master(master, [back], now=T1)
    assert again.changes == [] and again.conflicts == []
    assert value_at(master, "4-1-03", "challenges") == "人手不足（事務局で補記）"


def test_conflict_when_both_sides_changed_a_cell_differently(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    edit_master(master, {("4-2-07", "actual"): "事務局が直した値", ("4-2-08", "actual"): "同じ値"})
    back = edit(sent["4-2"], tmp_path / "back.xlsx", {
        ("4-2-07", "actual"): "担当課の値",  # conflict
        ("4-2-08", "actual"): "同じ値",  # same change on both sides: nothing to do
        ("4-2-09", "actual"): "9件",  # clean
    })
    before, computed = cells(master), computed_cells(master)
    rep = merge_into_master(master, [back], now=T1)
    (fr,) = rep.files
    assert fr.status == FileVerdict.CONFLICTS and not rep.ok
    (c,) = fr.conflicts
    assert (c.row_id, c.key, c.reason) == ("4-2-07", "actual", Reason.BOTH_CHANGED)
    assert (c.master_text, c.returned_text) == ("事務局が直した値", "担当課の値")
    assert c.base_text is not None and c.base_text not in ("事務局が直した値", "担当課の値")
    assert [(x.row_id, x.key) for x in fr.changes] == [("4-2-09", "actual")]
    assert fr.already == 1
    assert value_at(master, "4-2-07", "actual") == "事務局が直した値"
    assert changed_outside(before, cells(master), [_cell(master, "4-2-09", "actual")], computed) == {}
    assert "担当課の値" in merge_summary_ja(rep)


def test_two_people_return_the_same_issue(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    a = edit(sent["4-3"], tmp_path / "a.xlsx", {("4-3-01", "actual"): "5件", ("4-3-04", "basis"): "推計"},
             by="A")
    b = edit(sent["4-3"], tmp_path / "b.xlsx", {("4-3-01", "actual"): "6件", ("4-3-04", "basis"): "推計"},
             by="B")
    rep = merge_into_master(master, [a, b], now=T1)
    fa, fb = rep.files
    assert [(c.row_id, c.key) for c in fa.changes] == [("4-3-01", "actual"), ("4-3-04", "basis")]
    assert fb.changes == []
    assert [(c.row_id, c.key, c.master_text, c.returned_text) for c in fb.conflicts] == [
        ("4-3-01", "actual", "5件", "6件")]
    assert fb.already == 1
    assert value_at(master, "4-3-01", "actual") == "5件"


def test_reordered_rows_are_matched_by_id(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)

    def reverse(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb[INPUT_SHEET["4-3"]]
        lay = layout_of(ws, "4-3")
        first, last = lay.header_row + 1, row_of(ws, "4-3", "4-3-08")
        block = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
                 for r in range(first, last + 1)]
        for i, line in enumerate(reversed(block)):
            for c, v in enumerate(line, start=1):
                ws.cell(first + i, c).value = v

    back = edit(sent["4-3"], tmp_path / "back.xlsx", {("4-3-02", "policy"): "方針A"}, also=reverse)
    wb = load_workbook(back)
    assert row_of(wb[INPUT_SHEET["4-3"]], "4-3", "4-3-08") == 4  # really reversed
    back = edit(back, None, {("4-3-07", "policy"): "方針B"})
    rep = merge_into_master(master, [back], now=T1)
    assert rep.ok
    assert value_at(master, "4-3-02", "policy") == "方針A"
    assert value_at(master, "4-3-07", "policy") == "方針B"
    assert len(rep.changes) == 2


def test_deleted_row_is_reported_and_the_master_row_kept(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)

    def delete(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb[INPUT_SHEET["4-1"]]
        ws.delete_rows(row_of(ws, "4-1", "4-1-05"))

    back = edit(sent["4-1"], tmp_path / "back.xlsx", {("4-1-06", "questions"): "質問"}, also=delete)
    before = cells(master)
    rep = merge_into_master(master, [back], now=T1)
    (fr,) = rep.files
    (f,) = [f for f in fr.findings if f.code == "merge_row_deleted"]
    assert f.row_id == "4-1-05"
    assert [(c.row_id, c.key) for c in fr.changes] == [("4-1-06", "questions")]
    row = row_of(load_workbook(master)[INPUT_SHEET["4-1"]], "4-1", "4-1-05")
    assert all(v == before.get(k) for k, v in cells(master).items()
               if k[0] == INPUT_SHEET["4-1"] and k[1][1:] == str(row) and k[1][0] < "X")


def test_duplicated_rows(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)

    def duplicate(rid: str, actual: object):  # type: ignore[no-untyped-def]
        def do(wb) -> None:  # type: ignore[no-untyped-def]
            ws = wb[INPUT_SHEET["4-3"]]
            src = row_of(ws, "4-3", rid)
            dest = ws.max_row + 1
            for c in range(1, ws.max_column + 1):
                ws.cell(dest, c).value = ws.cell(src, c).value
            if actual is not None:
                ws.cell(dest, layout_of(ws, "4-3").cols["actual"]).value = actual
        return do

    differ = edit(sent["4-3"], tmp_path / "d1.xlsx", {("4-3-03", "actual"): "1件"},
                  also=duplicate("4-3-03", "2件"))
    same = edit(sent["4-3"], tmp_path / "d2.xlsx", {("4-3-05", "actual"): "7件"},
                also=duplicate("4-3-05", None))
    rep = merge_into_master(master, [differ, same], now=T1)
    f1, f2 = rep.files
    assert "merge_duplicate_id" in [f.code for f in f1.findings] and f1.changes == []
    assert value_at(master, "4-3-03", "actual") != "1件"
    assert "merge_duplicate_same" in [f.code for f in f2.findings]
    assert [(c.row_id, c.new_text) for c in f2.changes] == [("4-3-05", "7件")]


def test_new_rows_and_locked_columns_are_reported_not_taken(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)

    def add_row(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb[INPUT_SHEET["4-3"]]
        lay = layout_of(ws, "4-3")
        r = ws.max_row + 1
        ws.cell(r, lay.cols["indicator"]).value = "新しい指標"
        ws.cell(r, lay.cols["actual"]).value = "3件"

    back = edit(sent["4-3"], tmp_path / "back.xlsx", {
        ("4-3-01", "final_target"): "999件",  # the secretariat's column
        ("4-3-01", "mark_override"): "◎",
        ("4-3-01", "status_text"): "実施した",
    }, also=add_row)
    before, computed = cells(master), computed_cells(master)
    rep = merge_into_master(master, [back], now=T1)
    codes = _codes(rep)
    assert codes.count("merge_not_editable") == 2 and "merge_new_row" in codes
    assert [(c.row_id, c.key) for c in rep.changes] == [("4-3-01", "status_text")]
    assert changed_outside(before, cells(master), [_cell(master, "4-3-01", "status_text")],
                           computed) == {}
    assert len([k for k in cells(master) if k[0] == INPUT_SHEET["4-3"]]) == \
        len([k for k in before if k[0] == INPUT_SHEET["4-3"]])


def test_returns_of_an_older_issue_are_reported_and_merged_three_way(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    split_master(master, tmp_path / "second", by="sheet", now=T1)
    back = edit(sent["4-2"], tmp_path / "old.xlsx", {("4-2-11", "basis"): "古い配布分への記入"})
    rep = merge_into_master(master, [back], now=T1)
    assert "merge_older_issue" in _codes(rep)
    assert value_at(master, "4-2-11", "basis") == "古い配布分への記入"


def test_copies_from_another_master_or_without_stamp_are_not_applied(tmp_path: Path) -> None:
    master, _ = issued(tmp_path / "a")
    # Another master (e.g. last year's): same template, another identity in _xlplan.
    other = new_master(tmp_path / "b")
    res = split_master(other, tmp_path / "b" / "out", by="sheet", now=T1)
    assert _master_id(other) != _master_id(master)
    foreign = edit(res.files[0].path, tmp_path / "foreign.xlsx", {("4-1-01", "actual"): "1人"})
    # The bare template, filled in: no stamp at all.
    bare = tmp_path / "bare.xlsx"
    bare.write_bytes(template_bytes())
    bare = edit(bare, None, {("4-1-01", "actual"): "2人"})
    before = cells(master)
    rep = merge_into_master(master, [foreign, bare], now=T1)
    f1, f2 = rep.files
    assert f1.status == f2.status == FileVerdict.REFUSED
    assert "merge_other_master" in [f.code for f in f1.findings]
    assert "merge_no_stamp" in [f.code for f in f2.findings]
    assert [(c.row_id, c.reason, c.returned_text) for c in f1.conflicts] == [
        ("4-1-01", Reason.NO_BASE, "1人")]
    assert [(c.row_id, c.reason, c.returned_text) for c in f2.conflicts] == [
        ("4-1-01", Reason.NO_BASE, "2人")]
    assert rep.changes == [] and rep.saved is None
    assert cells(master) == before


def test_dry_run_writes_nothing_and_reports_exactly_what_would_change(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    edit_master(master, {("4-2-20", "actual"): "事務局"})
    back = edit(sent["4-2"], tmp_path / "back.xlsx", {("4-2-20", "actual"): "担当課",
                                                      ("4-2-21", "actual"): "21件"})
    data = master.read_bytes()
    report = tmp_path / "結果.xlsx"
    dry = merge_into_master(master, [back], dry_run=True, report_path=report, now=T1)
    assert master.read_bytes() == data
    assert not (tmp_path / "backup").exists() or not any((tmp_path / "backup").iterdir())
    assert [(c.row_id, c.new_text) for c in dry.changes] == [("4-2-21", "21件")]
    assert [(c.row_id, c.returned_text) for c in dry.conflicts] == [("4-2-20", "担当課")]
    wb = load_workbook(report)
    assert wb.sheetnames == ["概要", "変更", "競合", "指摘"]
    assert [c.value for c in wb["変更"][2]][3:8:4] == ["4-2-21", "21件"]
    assert wb["競合"]["J2"].value == "担当課" and wb["競合"]["I2"].value == "事務局"
    assert "試行" in wb["概要"]["A1"].value
    # The real merge then does exactly what the dry run said.
    real = merge_into_master(master, [back], now=T1)
    assert [(c.row_id, c.key, c.new_text) for c in real.changes] == \
        [(c.row_id, c.key, c.new_text) for c in dry.changes]
    assert [(c.row_id, c.key) for c in real.conflicts] == [(c.row_id, c.key) for c in dry.conflicts]


def _master_id(path: Path) -> str | None:
    from tests.helpers import sheet_grid
    from xlplan.core import merge as core
    from xlplan.core.layout import META_SHEET

    return core.meta_value(sheet_grid(path, META_SHEET), core.MASTER_ID)


def test_the_merge_action_plans_writes_into_an_open_workbook(tmp_path: Path) -> None:
    from xlplan.actions.merge import merge
    from xlplan.engines.xlsx import XlsxEngine

    master, sent = issued(tmp_path)
    back = edit(sent["4-1"], tmp_path / "back.xlsx", {("4-1-02", "actual"): "1,000時間"})
    data = master.read_bytes()
    engine = XlsxEngine(master)
    result = merge(engine, [back], now=T1)
    engine.apply(result.plan)
    wb = engine.workbook()
    rep = result.data["report"]
    assert master.read_bytes() == data  # the caller saves
    assert rep.saved is None and len(rep.changes) == 1
    assert value_at(wb, "4-1-02", "actual") == "1,000時間"
    assert CHANGES_SHEET in wb.sheetnames
    text = merge_summary_ja(rep)
    assert text.startswith("1ファイルを確認：反映 1セル、競合 0件。")
    assert "back.xlsx" in text and "取込済" in text
    assert rep.cell_writes() == [(INPUT_SHEET["4-1"], _cell(master, "4-1-02", "actual")[1], "1,000時間")]


def test_unsaved_copy_has_unknown_saver(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    rep = merge_into_master(master, [sent["4-3"]], now=T1)
    (fr,) = rep.files
    assert fr.status == FileVerdict.NOTHING and fr.saved_by == "（不明）"
    assert "merge_not_saved_by_excel" in [f.code for f in fr.findings]
    assert fr.unchanged > 0 and fr.changes == []


def test_master_open_in_excel_is_refused_before_reading_anything(tmp_path: Path) -> None:
    master, sent = issued(tmp_path)
    back = edit(sent["4-1"], tmp_path / "back.xlsx", {("4-1-02", "actual"): "1,000時間"})
    lock_file(master).write_text("")
    data = master.read_bytes()
    with pytest.raises(BookError) as e:
        merge_into_master(master, [back], now=T1)
    assert e.value.code == "open_in_excel"
    assert master.read_bytes() == data
    # A dry run only reads, so it is allowed.
    assert len(merge_into_master(master, [back], dry_run=True).changes) == 1


def test_cli_merge_exit_status_progress_and_summary(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    master, sent = issued(tmp_path)
    ok = edit(sent["4-1"], tmp_path / "ok.xlsx", {("4-1-02", "policy"): "継続"})
    assert main(["merge", str(master), str(ok)]) == 0
    out = capsys.readouterr()
    assert "ok.xlsx（4-1）：取込済 — 反映 1セル" in out.out
    assert "merged: 1 applied, 0 conflicts" in out.out
    edit_master(master, {("4-3-06", "policy"): "事務局"})
    bad = edit(sent["4-3"], tmp_path / "bad.xlsx", {("4-3-06", "policy"): "担当課"})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["merge", str(master), str(ok), str(bad), str(broken), "--dry-run"]) == 1
    out = capsys.readouterr()
    assert "取り込み / merging" in out.err  # progress bar for several files
    assert "【試行" in out.out and "[競合]" in out.out
    assert "broken.xlsx: failed" in out.out


def test_a_row_sent_to_two_owners_takes_the_first_answer_and_lists_the_second(
        tmp_path: Path) -> None:
    # 4-2-01 belongs to 「税務課、県警」 in the seed: both get it; both answer.
    master = new_master(tmp_path)
    res = split_master(master, tmp_path / "out", by="owner", now=T1)
    copies = {f.group: f.path for f in res.files}
    tax = edit(copies["税務課"], tmp_path / "tax.xlsx",
               {("4-2-01", "actual"): "62.00%", ("4-2-01", "challenges"): "税務課の課題"}, by="税務課")
    police = edit(copies["県警"], tmp_path / "police.xlsx",
                  {("4-2-01", "actual"): "61.50%", ("4-2-01", "policy"): "県警の方針"}, by="県警")
    rep = merge_into_master(master, [tax, police], now=T1)
    f1, f2 = rep.files
    assert sorted(c.key for c in f1.changes) == ["actual", "challenges"]
    assert [c.key for c in f2.changes] == ["policy"]
    assert [(c.key, c.master_text, c.returned_text) for c in f2.conflicts] == [
        ("actual", "62.00%", "61.50%")]
    assert value_at(master, "4-2-01", "actual") == "62.00%"
    assert value_at(master, "4-2-01", "policy") == "県警の方針"
    saved = {(r["saved_by"], r["key"]) for r in records_of(CHANGES, master)}
    assert saved == {("税務課", "actual"), ("税務課", "challenges"), ("県警", "policy")}
