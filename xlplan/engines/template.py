"""Build the master workbook ``workbook/資料4_template.xlsx`` from the seed transcription.

``xlplan template OUT`` runs :func:`write_template`; a test rebuilds it and compares it
with the committed file, so the two never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core.layout import (
    BAND_ROW,
    DIRECTION_WORDS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INPUT_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    SHEETS,
    TABLE_NAME,
    TEMPLATE_FILE,
    TEMPLATE_VERSION,
    TITLE,
    TITLE_ROW,
    Kind,
    columns_for,
    heading_shown,
    layout_headings,
)
from xlplan.core.schemes import preset_names
from xlplan.core.settings import MarkLabels, Settings
from xlplan.core.settings_grid import (
    ADDRESS_HEADER,
    ADDRESS_LABEL,
    DUE_LABEL,
    HEADINGS_LABEL,
    LOOP_SECTION,
    SCHEME_LABEL,
    SETTING_ITEMS,
    loop_rows,
    scheme_rows,
    setting_value,
)
from xlplan.core.texts import say
from xlplan.engines import styles
from xlplan.seed import seed_manual

# Rows below the data that still get drop-downs and unlocked cells, for new indicators.
SPARE_ROWS = 200

_L = MarkLabels()  # the drop-downs offer the FY2020 symbols of the shipped 設定
_COMMON = (_L.unknown, _L.suspended)
TREND_CHOICES = (_L.up, _L.down, _L.flat, f"({_L.up})", f"({_L.down})", f"({_L.flat})", *_COMMON)
MARK_CHOICES = {
    "4-1": (_L.reached, _L.missed, *_COMMON),
    "4-2": (_L.full, _L.half, _L.some, _L.none, _L.worse, *_COMMON),
    "4-3": (_L.full, _L.half, _L.some, _L.none, _L.worse, *_COMMON),
}
DIRECTION_CHOICES = tuple(DIRECTION_WORDS.values())

BANDS = {
    Kind.KEY: (say("template.band_input"), styles.FILL_BAND_INPUT),
    Kind.TEXT: (say("template.band_input"), styles.FILL_BAND_INPUT),
    Kind.VALUE: (say("template.band_input"), styles.FILL_BAND_INPUT),
    Kind.CHOICE: (say("template.band_input"), styles.FILL_BAND_INPUT),
    Kind.OVERRIDE: (say("template.band_override"), styles.FILL_BAND_OVERRIDE),
    Kind.COMPUTED: (say("template.band_computed"), styles.FILL_BAND_COMPUTED),
}

# The four rows whose printed marks are a human judgement (docs/rules.md, rule 8): the
# reasons are data of the seed transcription (xlplan/data/seed_fy2020.toml, [manual]),
# what the report's own narrative columns give for the judgement.
MANUAL_JUDGEMENTS: dict[str, str] = seed_manual()


def manual_reason(indicator: str) -> str | None:
    for prefix, reason in MANUAL_JUDGEMENTS.items():
        if indicator.replace("\n", "").startswith(prefix):
            return reason
    return None


def input_rows(seed: Iterable[Mapping[str, str]]) -> dict[str, list[dict[str, object]]]:
    """Seed rows → the typed cells of each input sheet, overrides included."""
    out: dict[str, list[dict[str, object]]] = {s: [] for s in SHEETS}
    for r in seed:
        row: dict[str, object] = {c.key: r.get(c.key, "") for c in columns_for(r["sheet"])
                                  if c.kind is not Kind.COMPUTED}
        reason = manual_reason(r["indicator"])
        if reason:
            row["trend_override"] = r["printed_trend"]
            row["mark_override"] = r["printed_mark"]
            row["override_reason"] = reason
        else:
            row["trend_override"] = row["mark_override"] = row["override_reason"] = ""
        out[r["sheet"]].append(row)
    return out


def estimate_height(texts: Iterable[tuple[str, float]], line_pt: float = 13.0) -> float:
    """Row height (points) that shows wrapped text: ~1 full-width char per 2 width units."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width / 1.9))
        n = sum(max(1, -(-_display_len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, n)
    return min(409.0, round(lines * line_pt + 4, 1))


def _display_len(s: str) -> int:
    """Length in full-width characters: ASCII counts as half."""
    ascii_n = sum(1 for ch in s if ord(ch) < 128)
    return (len(s) - ascii_n) + (ascii_n + 1) // 2


def _input_sheet(wb: Workbook, sheet: str, rows: list[dict[str, object]]) -> Worksheet:
    ws = wb.create_sheet(INPUT_SHEET[sheet])
    cols = columns_for(sheet)
    ncol = len(cols)
    last_row = FIRST_DATA_ROW + len(rows) - 1
    spare_last = last_row + SPARE_ROWS

    ws.cell(TITLE_ROW, 1, TITLE[sheet]).font = Font(name=styles.FONT_NAME, size=14, bold=True)
    ws.row_dimensions[TITLE_ROW].height = 24

    # Column-group band: which columns are typed, judged by hand, or computed.
    start = 1
    for i in range(1, ncol + 1):
        band = BANDS[cols[i - 1].kind]
        nxt = BANDS[cols[i].kind] if i < ncol else None
        if nxt != band:
            cell = ws.cell(BAND_ROW, start, band[0])
            cell.fill = band[1]
            cell.font = Font(name=styles.FONT_NAME, size=9, bold=True)
            cell.alignment = Alignment(horizontal="center")
            for j in range(start + 1, i + 1):
                ws.cell(BAND_ROW, j).fill = band[1]
            if i > start:
                ws.merge_cells(start_row=BAND_ROW, start_column=start, end_row=BAND_ROW, end_column=i)
            start = i + 1

    settings = Settings()
    for j, c in enumerate(cols, start=1):
        h = ws.cell(HEADER_ROW, j, c.heading_for(settings))
        h.style = styles.STYLE_HEADER
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = c.width
        # Column default: input columns unlocked (so new rows can be typed), computed locked;
        # value columns formatted as text, so Excel keeps 50%, 1,234件 and 2021/3/31 as typed.
        ws.column_dimensions[letter].protection = Protection(locked=c.kind is Kind.COMPUTED)
        if c.kind is Kind.VALUE:
            ws.column_dimensions[letter].number_format = "@"
    ws.row_dimensions[HEADER_ROW].height = 66

    style_of = {
        Kind.KEY: styles.STYLE_INPUT, Kind.TEXT: styles.STYLE_INPUT,
        Kind.VALUE: styles.STYLE_VALUE, Kind.CHOICE: styles.STYLE_INPUT,
        Kind.OVERRIDE: styles.STYLE_OVERRIDE, Kind.COMPUTED: styles.STYLE_COMPUTED,
    }
    for i, row in enumerate(rows):
        r = FIRST_DATA_ROW + i
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(r, j, row.get(c.key) if c.kind is not Kind.COMPUTED else None)
            cell.style = styles.STYLE_MARK if c.key in ("trend", "mark") else style_of[c.kind]
            if c.key == "progress":
                cell.number_format = "0.0%"
            cell.protection = Protection(locked=c.kind is Kind.COMPUTED)
        ws.row_dimensions[r].height = estimate_height(
            (str(row.get(c.key) or ""), c.width) for c in cols if c.kind is not Kind.COMPUTED
        )

    letters = {c.key: get_column_letter(j) for j, c in enumerate(cols, start=1)}

    def dv(key: str, choices: Iterable[str], title: str, prompt: str) -> None:
        v = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                           showErrorMessage=True, showInputMessage=True,
                           errorTitle=say("template.dv_error"), error=prompt,
                           promptTitle=title, prompt=prompt)
        v.add(f"{letters[key]}{FIRST_DATA_ROW}:{letters[key]}{spare_last}")
        ws.add_data_validation(v)

    for key, choices in (("direction", DIRECTION_CHOICES), ("trend_override", TREND_CHOICES),
                         ("mark_override", MARK_CHOICES[sheet])):
        dv(key, choices, heading_shown(sheet, key), say("template.dv_" + key))

    table = Table(displayName=TABLE_NAME[sheet],
                  ref=f"A{HEADER_ROW}:{get_column_letter(ncol)}{max(last_row, FIRST_DATA_ROW)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False,
                                          showColumnStripes=False)
    ws.add_table(table)

    ws.freeze_panes = f"{get_column_letter(cols.index(next(c for c in cols if c.key == 'indicator')) + 2)}{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = f"{INPUT_SHEET[sheet]}　&P / &N"
    ws.sheet_view.zoomScale = 85
    ws.protection = SheetProtection(
        sheet=True, formatCells=False, formatColumns=False, formatRows=False,
        insertRows=False, deleteRows=False, sort=False, autoFilter=False,
        insertHyperlinks=False, selectLockedCells=False, selectUnlockedCells=False,
    )
    return ws


NAME_PREFIX = "xlplan_"
VALUE_COL = 2
FIRST_ROW = 3




def write_settings_sheet(wb: Workbook, settings: Settings) -> None:
    """Create (or rewrite) the 設定 sheet with these settings."""
    if SETTINGS_SHEET in wb.sheetnames:
        del wb[SETTINGS_SHEET]
    ws = wb.create_sheet(SETTINGS_SHEET)
    ws["A1"] = say("template.settings_title")
    ws["A1"].font = Font(name=styles.FONT_NAME, size=14, bold=True)
    for col, head in enumerate(say("template.settings_headings").split("\t"), start=1):
        ws.cell(2, col, head).style = styles.STYLE_HEADER
    for i, item in enumerate(SETTING_ITEMS):
        r = FIRST_ROW + i
        ws.cell(r, 1, item.label).style = styles.STYLE_INPUT
        v = ws.cell(r, VALUE_COL, setting_value(settings, item.field))
        v.style = styles.STYLE_OVERRIDE
        v.protection = Protection(locked=False)
        if item.kind == "date":
            v.number_format = "yyyy/m/d"
        elif item.kind == "rate":
            v.number_format = "0%"
        ws.cell(r, 3, item.help).style = styles.STYLE_INPUT
        name = NAME_PREFIX + item.field.replace(".", "_")
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{SETTINGS_SHEET}'!$B${r}")
    # The mark scheme (判定方式): a preset picked from a drop-down, its rows below when it
    # is not the FY2020 progress scheme (xlplan.core.settings_grid reads them).
    r = FIRST_ROW + len(SETTING_ITEMS)
    for line in scheme_rows(settings):
        for j, v in enumerate(line, start=1):
            c = ws.cell(r, j, v)
            c.style = styles.STYLE_OVERRIDE if j == VALUE_COL else styles.STYLE_INPUT
            if j == VALUE_COL:
                c.protection = Protection(locked=False)
        if line and line[0] == SCHEME_LABEL:
            pick = DataValidation(type="list", formula1='"' + ",".join(preset_names()) + '"',
                                  allow_blank=False, showErrorMessage=True)
            pick.add(f"B{r}")
            ws.add_data_validation(pick)
        r += 1
    # The headings these years produce, for reference (written by the tool).
    r += 1
    ws.cell(r, 1, HEADINGS_LABEL).font = Font(name=styles.FONT_NAME, bold=True)
    for j, text in enumerate(layout_headings(settings), start=1):
        c = ws.cell(r + j, 1, text)
        c.style = styles.STYLE_COMPUTED
        ws.merge_cells(start_row=r + j, start_column=1, end_row=r + j, end_column=3)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 60
    for row in ws.iter_rows(min_row=FIRST_ROW):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top",
                                    horizontal=c.alignment.horizontal)
    _loop_rows(ws, r + len(layout_headings(settings)) + 2)
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False,
                                    formatRows=False)


ADDRESS_ROWS = 50  # empty, unlocked rows of the address table


def _loop_rows(ws: Worksheet, r: int) -> None:
    """配布と回収 (issue 12): the deadline, the mail drafts' sender and templates, and the
    address table, as :func:`xlplan.core.settings_grid.loop_settings_from_grid` reads them.
    The templates' cells do not wrap: their text is long; the formula bar shows it all."""
    ws.cell(r, 1, LOOP_SECTION).font = Font(name=styles.FONT_NAME, bold=True)
    r += 1
    for col, head in enumerate(say("template.settings_headings").split("\t"), start=1):
        ws.cell(r, col, head).style = styles.STYLE_HEADER
    for label, value, help_ in loop_rows():
        r += 1
        ws.cell(r, 1, label).style = styles.STYLE_INPUT
        v = ws.cell(r, VALUE_COL, value)
        v.style = styles.STYLE_OVERRIDE
        v.protection = Protection(locked=False)
        multiline = isinstance(value, str) and "\n" in value
        v.alignment = Alignment(wrap_text=not multiline, vertical="top")
        if label == DUE_LABEL:
            v.number_format = "yyyy/m/d"
        ws.cell(r, 3, help_).style = styles.STYLE_INPUT
        ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
    r += 2
    for col, head in enumerate((ADDRESS_LABEL, *ADDRESS_HEADER), start=1):
        ws.cell(r, col, head).style = styles.STYLE_HEADER
        ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[r].height = 30
    for i in range(1, ADDRESS_ROWS + 1):
        for col in (1, 2, 3):
            c = ws.cell(r + i, col)
            c.style = styles.STYLE_OVERRIDE if col == VALUE_COL else styles.STYLE_INPUT
            c.protection = Protection(locked=False)


def _meta_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws["A1"], ws["B1"] = "template_version", TEMPLATE_VERSION
    ws["A2"], ws["B2"] = "note", say("template.meta_note")
    ws.sheet_state = "hidden"


def build_template(seed: Iterable[Mapping[str, str]] | None = None,
                   settings: Settings | None = None) -> Workbook:
    """A fresh master workbook holding the seed's indicators, marks computed and the
    printed 資料4-1/4-2/4-3 and 集計 rendered from them."""
    from xlplan.actions.render import render
    from xlplan.engines.xlsx import XlsxEngine
    from xlplan.seed import seed_rows

    settings = settings or Settings()
    rows = input_rows(seed if seed is not None else seed_rows())
    wb = Workbook()
    wb.remove(wb.active)
    styles.register_styles(wb)
    for sheet in SHEETS:
        _input_sheet(wb, sheet, rows[sheet])
    write_settings_sheet(wb, settings)
    _meta_sheet(wb)
    wb.defined_names["xlplan_template_version"] = DefinedName(
        "xlplan_template_version", attr_text=f"'{META_SHEET}'!$B$1")
    wb.properties.creator = "xlplan"
    wb.properties.title = say("template.title")
    fixed = date(2021, 3, 1)
    wb.properties.created = wb.properties.modified = _midnight(fixed)
    wb.active = 0
    engine = XlsxEngine.of(wb, TEMPLATE_FILE)
    engine.apply(render(engine).plan)
    wb = engine.workbook()
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.worksheets[0]
    return wb


def _midnight(d: date):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def write_template(path: Path | str) -> Path:
    from xlplan.engines.xlsx import atomic_save

    path = Path(path)
    wb = build_template()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_save(wb, path)
    return path
