"""The committed template is what the code builds, and holds the seed faithfully."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.workbook_dump import dump_workbook
from xlplan.core.layout import INPUT_SHEET, SETTINGS_SHEET, SHEETS, Kind, columns_for
from xlplan.engines.template import MANUAL_JUDGEMENTS, build_template
from xlplan.files import export_file
from xlplan.seed import seed_rows

# The mark fills as docs/report.md lists them (green on track, amber behind, red worse).
PALETTE = {"◎": "C6EFCE", "△": "FFEB9C", "×": "FFC7CE", "－": "EDEDED", "不明": "EDEDED"}


def test_committed_template_matches_a_fresh_build(tmp_path: Path, template_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    build_template().save(fresh)
    exp, got = dump_workbook(fresh), dump_workbook(template_path)
    assert got["sheets"] == exp["sheets"]
    for name in exp["by_sheet"]:
        assert got["by_sheet"][name] == exp["by_sheet"][name], (
            f"sheet {name} differs from a fresh build: run `make template`")
    assert got == exp


def test_every_seed_row_is_in_the_template_as_transcribed(template_path: Path) -> None:
    records = {r["id"]: r for r in export_file(template_path).data["records"]}
    seed = seed_rows()
    assert len(records) == len(seed) == 68
    assert [r["sheet"] for r in records.values()].count("4-2") == 48
    for s in seed:
        got = records[s["id"]]
        for c in columns_for(s["sheet"]):
            if c.kind in (Kind.TEXT, Kind.VALUE, Kind.CHOICE) and c.key in s:
                assert got[c.key] == s[c.key].strip(), (s["id"], c.key)


def test_shown_marks_are_the_printed_ones_and_computed_differ_in_four_rows(template_path: Path) -> None:
    records = {r["id"]: r for r in export_file(template_path).data["records"]}
    differing = []
    for s in seed_rows():
        got = records[s["id"]]
        assert (got["trend"], got["mark"]) == (s["printed_trend"], s["printed_mark"]), s["id"]
        if (got["computed_trend"], got["computed_mark"]) != (got["trend"], got["mark"]):
            differing.append(s["indicator"])
            assert got["override_reason"], s["id"]
    assert len(differing) == 4 == len(MANUAL_JUDGEMENTS)
    for prefix in MANUAL_JUDGEMENTS:
        assert any(d.replace("\n", "").startswith(prefix) for d in differing), prefix


def test_every_row_has_a_direction_and_owners_only_where_the_seed_names_them(template_path: Path) -> None:
    records = export_file(template_path).data["records"]
    assert all(r["direction"] in ("増加", "減少", "維持") for r in records)
    decreasing = {r["indicator"].split("\n")[0] for r in records if r["direction"] == "減少"}
    assert decreasing == {"年間用紙使用量", "介護職員の離職率", "分娩間隔"}
    owners = {r["id"]: r["owner"] for r in records if r["owner"]}
    assert owners == {"4-2-01": "税務課、県警"}


def test_excel_conventions(template_path: Path) -> None:
    wb = load_workbook(template_path)
    for sheet in SHEETS:
        ws = wb[INPUT_SHEET[sheet]]
        cols = columns_for(sheet)
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4")
        assert ws.print_title_rows is not None
        assert ws.page_setup.orientation == "landscape"
        assert ws.protection.sheet is True
        assert len(ws.tables) == 1
        # drop-downs on direction and both overrides
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert len(lists) == 3
        # both mark columns are coloured by what the mark means (docs/report.md's palette),
        # and value columns are text, so Excel keeps 50% and 2021/3/31 as typed
        for key in ("computed_mark", "mark"):
            j = next(i for i, c in enumerate(cols, start=1) if c.key == key)
            for r in range(4, ws.max_row + 1):
                mark = ws.cell(r, j).value
                if mark in PALETTE:
                    assert ws.cell(r, j).fill.fgColor.rgb[-6:] == PALETTE[mark], (sheet, r, mark)
        for j, c in enumerate(cols, start=1):
            if c.kind is Kind.VALUE:
                assert ws.cell(4, j).number_format == "@", (sheet, c.key)
        # computed cells locked, typed cells unlocked
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(4, j)
            assert cell.protection.locked is (c.kind is Kind.COMPUTED), (sheet, c.key)
            assert cell.font.name == "游ゴシック"
            if c.kind is Kind.TEXT:
                assert cell.alignment.wrap_text
    assert SETTINGS_SHEET in wb.sheetnames
    assert "xlplan_fiscal_year" in wb.defined_names
