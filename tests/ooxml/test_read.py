"""Opening packages: what is read, and one English sentence for every broken one."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from xlplan.ooxml import Package, PackageError

from .conftest import EXCEL, EXCEL_FILES, TEMPLATE, members


def rezip(data: bytes, *, drop: str | None = None, replace: dict[str, bytes] | None = None
          ) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            dst.writestr(info, (replace or {}).get(info.filename, src.read(info)))
    return out.getvalue()


def test_template_sheets() -> None:
    pkg = Package.read(TEMPLATE)
    assert pkg.sheet_names == ["4-1入力", "4-2入力", "4-3入力", "資料4-1", "資料4-2",
                               "資料4-3", "集計", "設定", "_xlplan"]
    assert {pkg.sheet_kind(n) for n in pkg.sheet_names} == {"worksheet"}
    assert pkg.sheet_state("_xlplan") == "hidden"
    assert pkg.sheet_state("4-1入力") == "visible"
    assert not pkg.macro_enabled


def test_read_from_bytes_and_path_agree(template_bytes: bytes) -> None:
    assert Package.read(template_bytes).to_bytes() == Package.read(TEMPLATE).to_bytes()


def test_chartsheet_and_hidden_fixtures() -> None:
    pkg = Package.read(EXCEL / "chartsheet01.xlsx")
    assert pkg.sheet_names == ["Sheet1", "Chart1"]
    assert pkg.sheet_kind("Chart1") == "chartsheet"
    with pytest.raises(PackageError, match="chartsheet, not a worksheet"):
        pkg.set_cells("Chart1", {(1, 1): 1})
    hide = Package.read(EXCEL / "hide01.xlsx")
    assert [hide.sheet_state(n) for n in hide.sheet_names] == ["visible", "hidden", "visible"]
    assert Package.read(EXCEL / "button07.xlsm").macro_enabled


def test_unknown_sheet_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no sheet named"):
        Package.read(TEMPLATE).set_cells("nope", {(1, 1): 1})


@pytest.mark.parametrize("name", EXCEL_FILES)
def test_untouched_round_trip_is_byte_identical(name: str) -> None:
    """Reading and writing with no change keeps every member's bytes and the member order."""
    data = (EXCEL / name).read_bytes()
    out = Package.read(data).to_bytes()
    assert list(members(out)) == list(members(data))
    assert members(out) == members(data)


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "x.xlsx"
    p.write_text("hello")
    with pytest.raises(PackageError, match="not an Excel workbook") as e:
        Package.read(p)
    assert "\n" not in e.value.detail


def test_truncated(template_bytes: bytes) -> None:
    with pytest.raises(PackageError):
        Package.read(template_bytes[: len(template_bytes) // 2])


def test_crc_error(template_bytes: bytes) -> None:
    data = bytearray(rezip(template_bytes))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/styles.xml")
    # flip a byte inside the compressed data of styles.xml
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 20] ^= 0xFF
    with pytest.raises(PackageError, match="damaged"):
        Package.read(bytes(data))


def test_missing_sheet_part(template_bytes: bytes) -> None:
    with pytest.raises(PackageError, match=r"4-2入力.*missing"):
        Package.read(rezip(template_bytes, drop="xl/worksheets/sheet2.xml"))


def test_missing_content_types(template_bytes: bytes) -> None:
    with pytest.raises(PackageError, match="Content_Types"):
        Package.read(rezip(template_bytes, drop="[Content_Types].xml"))


def test_missing_workbook(template_bytes: bytes) -> None:
    with pytest.raises(PackageError, match="workbook part"):
        Package.read(rezip(template_bytes, drop="xl/workbook.xml"))


def test_folder(tmp_path: Path) -> None:
    d = tmp_path / "dir.xlsx"
    d.mkdir()
    with pytest.raises(PackageError, match="folder"):
        Package.read(d)


def test_encrypted_or_xls() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(PackageError, match="password-protected"):
        Package.read(ole)


def test_bad_xml_in_a_part_names_the_part(template_bytes: bytes) -> None:
    data = rezip(template_bytes, replace={"xl/worksheets/sheet2.xml": b"<worksheet"})
    pkg = Package.read(data)  # sheets are parsed when first used
    with pytest.raises(PackageError, match=r"sheet2\.xml is not well-formed"):
        pkg.set_cells("4-2入力", {(1, 1): 1})


def test_dtd_refused(template_bytes: bytes) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData/></worksheet>")
    pkg = Package.read(rezip(template_bytes, replace={"xl/worksheets/sheet2.xml": bomb}))
    with pytest.raises(PackageError, match="DTD"):
        pkg.set_cells("4-2入力", {(1, 1): 1})


def test_binary_workbook_refused(template_bytes: bytes) -> None:
    ct = members(template_bytes)["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.binary.macroEnabled.main")
    with pytest.raises(PackageError, match="xlsb"):
        Package.read(rezip(template_bytes, replace={"[Content_Types].xml": ct}))


def test_size_limit(template_bytes: bytes) -> None:
    with pytest.raises(PackageError, match="expand"):
        Package.read(template_bytes, max_size=1000)
