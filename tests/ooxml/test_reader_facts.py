"""What a reader of cells needs from a package: parts, date system, tables, extension."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook

from xlplan.ooxml import Package

from .conftest import EXCEL, TEMPLATE


def test_parts_and_tables_of_the_template(template_bytes: bytes) -> None:
    pkg = Package.read(template_bytes)
    names = zipfile.ZipFile(io.BytesIO(template_bytes)).namelist()
    wb = load_workbook(io.BytesIO(template_bytes))
    for name in pkg.sheet_names:
        assert pkg.sheet_part(name) in names
        exp = {t.displayName: t.ref for t in wb[name].tables.values()} \
            if hasattr(wb[name], "tables") else {}
        assert pkg.tables(name) == exp
    assert pkg.tables("4-2入力") == {"Input42": "A3:AB51"}
    assert pkg.styles_part() == "xl/styles.xml"
    assert pkg.extension == ".xlsx" and not pkg.date1904
    assert pkg.shared_strings_part() in (None, *names)


def test_extension_follows_the_content_type(xlsm_bytes: bytes) -> None:
    assert Package.read(xlsm_bytes).extension == ".xlsm"
    assert Package.read(TEMPLATE).extension == ".xlsx"


def test_date1904_and_shared_strings() -> None:
    pkg = Package.read(EXCEL / "date_1904_02.xlsx")
    assert pkg.date1904
    assert Package.read(EXCEL / "shared_strings01.xlsx").shared_strings_part() == \
        "xl/sharedStrings.xml"
    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    assert Package.read(buf.getvalue()).shared_strings_part() is None
