"""What openpyxl cannot carry survives every write (issue 13, item 3), and macros are kept.

The master is saved by LibreOffice with a text box, a comment and a picture on 4-2入力
(built through LibreOffice's UNO bridge, tests/ooxml/uno_fixture.py); recompute, render,
update, check and merge must keep all three, byte for byte, and LibreOffice must still open
the result. ``split`` copies cannot carry them: it says so.
"""

from __future__ import annotations

import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.hostile.corpus import xlam_master, xlsm_master
from tests.hostile.harness import RETURN_EDITS, cli, members, scene
from tests.ooxml.conftest import HERE as OOXML_TESTS
from tests.ooxml.conftest import SYSTEM_PYTHON, has_uno
from tests.test_merge_common import value_at
from xlplan.core.layout import CHECK_SHEET, INPUT_SHEET
from xlplan.ooxml import Package

SHEET = INPUT_SHEET["4-2"]
# What tests/ooxml/uno_fixture.py draws (that module runs under the system Python with UNO).
TEXT_BOX = "テキストボックス"
COMMENT = "メモ: 確認済み"


@cache
def _lo_master_bytes(source: bytes) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.xlsx", Path(d) / "out.xlsx"
        src.write_bytes(source)
        proc = subprocess.run([SYSTEM_PYTHON, str(OOXML_TESTS / "uno_fixture.py"), str(src),
                               str(out), SHEET], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and out.exists(), proc.stderr
        return out.read_bytes()


def _objects(path: Path) -> dict[str, bytes]:
    """The parts holding the text box, the comment and the picture of 4-2入力."""
    pkg = Package.read(path)
    kinds = {"text box / shape", "comment", "picture", "image", "comment shapes (VML)"}
    parts = {i.part for i in pkg.inventory() if i.sheet == SHEET and i.what in kinds}
    data = members(path)
    return {p: data[p] for p in sorted(parts)}


def _has_all_three(path: Path) -> None:
    import re

    xml = [d for p, d in _objects(path).items() if p.endswith((".xml", ".vml"))]
    text = re.sub(r"<[^>]+>", "", b"".join(xml).decode("utf-8"))  # runs split the comment
    whats = {i.what for i in Package.read(path).inventory() if i.sheet == SHEET}
    assert {"text box / shape", "comment", "picture"} <= whats, whats
    assert TEXT_BOX in text and COMMENT in text


@pytest.fixture
def lo_master(tmp_path: Path) -> tuple[Path, Path]:
    if not has_uno():
        pytest.skip("LibreOffice's Python UNO bridge (python3-uno) is not installed")
    master, back = scene(tmp_path)
    master.write_bytes(_lo_master_bytes(master.read_bytes()))
    _has_all_three(master)
    return master, back


@pytest.mark.slow
def test_text_box_comment_and_picture_survive_every_write(lo_master: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    master, back = lo_master
    objects = _objects(master)
    wb = load_workbook(master)
    ws = wb[SHEET]
    # something for recompute to do: a changed projection (written through the package,
    # as openpyxl would drop the very objects under test)
    from tests.test_merge_common import addr

    ref = addr(ws, "4-2", "4-2-01", "projection")
    pkg = Package.read(master)
    from openpyxl.utils.cell import coordinate_to_tuple

    pkg.set_cells(SHEET, {coordinate_to_tuple(ref): "50%"})
    pkg.write(master)

    runs: dict[str, object] = {}
    for argv in (["recompute", master], ["render", master], ["check", master],
                 ["update", master], ["merge", master, back]):
        before = master.read_bytes()
        run = cli(*argv)
        runs[argv[0]] = run
        assert run.code in (0, 1), (argv, run.err)
        assert master.read_bytes() != before, argv  # it did write
        assert _objects(master) == objects, argv  # byte for byte
    assert "セル更新" in runs["recompute"].out  # type: ignore[attr-defined]
    assert value_at(master, "4-2-01", "mark") != "◎"  # recomputed: 60.76% → 50%
    for (rid, key), v in RETURN_EDITS.items():
        assert value_at(master, rid, key) == v  # merged
    assert CHECK_SHEET in load_workbook(master).sheetnames

    # LibreOffice still opens the result and shows the three
    from tests.ooxml.lo import convert

    out = convert([master], "xlsx", tmp_path / "lo")[0]
    _has_all_three(out)

    # rollover writes a new master from this one: it keeps them too
    nxt = tmp_path / "次年度.xlsx"
    assert cli("rollover", master, "--to", "2021", "-o", nxt).code == 0
    assert _objects(nxt) == objects


@pytest.mark.slow
def test_split_says_what_the_copies_do_not_carry(lo_master: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    master, _ = lo_master
    run = cli("split", master, "--by", "sheet", "--out", tmp_path / "copies")
    assert run.code == 0, run.err
    line = next(ln for ln in run.out.splitlines() if "split_not_carried" in ln)
    assert "テキストボックス・図形（4-2入力）" in line
    assert _objects(master)  # the master keeps them


@pytest.mark.parametrize("make", [xlsm_master, xlam_master], ids=["xlsm", "xlam"])
def test_macro_enabled_masters_are_saved_as_what_they_are(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    master, back = scene(tmp_path)
    path = make(master)
    vba = members(path)["xl/vbaProject.bin"]
    ctype = Package.read(path).extension
    for argv in (["recompute", path], ["render", path], ["update", path], ["check", path],
                 ["merge", path, back]):
        assert cli(*argv).code in (0, 1), argv
        got = members(path)
        assert got["xl/vbaProject.bin"] == vba
        assert Package.read(path).extension == ctype == path.suffix
        with zipfile.ZipFile(path) as zf:
            assert b"vbaProject" in zf.read("xl/_rels/workbook.xml.rels")
    # -o must keep the kind of file: an .xlsx name for a macro-enabled master is refused
    before = path.read_bytes()
    run = cli("render", path, "-o", tmp_path / "結果.xlsx")
    assert run.code == 2 and path.suffix in run.err and path.read_bytes() == before
    assert not (tmp_path / "結果.xlsx").exists()
    ok = cli("render", path, "-o", tmp_path / f"結果{path.suffix}")
    assert ok.code == 0 and members(tmp_path / f"結果{path.suffix}")["xl/vbaProject.bin"] == vba
    # split copies are plain .xlsx without macros, and say so
    run = cli("split", path, "--by", "sheet", "--out", tmp_path / "copies")
    assert run.code == 0 and "マクロ（VBA）" in run.out
    for copy in (tmp_path / "copies").glob("*"):
        assert copy.suffix == ".xlsx"
        assert not any("vba" in n.lower() for n in members(copy))


def test_rich_text_in_a_typed_cell_is_kept(tmp_path: Path) -> None:
    from tests.hostile.corpus import rich_text

    master, back = scene(tmp_path)
    path = rich_text(master)
    pkg = Package.read(path)
    part = pkg.sheet_part(SHEET)

    def runs_of(p: Path) -> list[tuple[str, str]]:
        """(run properties, text) of the rich text runs of the cell, read with lxml."""
        from lxml import etree

        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        xml = members(p)[Package.read(p).sheet_part(SHEET)]
        sst = members(p).get("xl/sharedStrings.xml")
        holders = list(etree.fromstring(xml).iter(f"{ns}is"))
        if sst:
            holders += list(etree.fromstring(sst).iter(f"{ns}si"))
        out = []
        for h in holders:
            runs = h.findall(f"{ns}r")
            text = "".join(r.findtext(f"{ns}t") or "" for r in runs)
            if "予算が不足" in text:
                for r in runs:
                    pr = r.find(f"{ns}rPr")
                    out.append((etree.tostring(pr, method="c14n").decode() if pr is not None
                                else "", r.findtext(f"{ns}t") or ""))
        return out

    before = runs_of(path)
    assert len(before) == 5 and part and any("<b" in pr for pr, _ in before)
    for argv in (["recompute", path], ["render", path], ["update", path], ["merge", path, back]):
        assert cli(*argv).code in (0, 1)
        assert runs_of(path) == before, argv
    cell = load_workbook(path, rich_text=True)[SHEET]
    texts = [str(c.value) for row in cell.iter_rows() for c in row if c.value is not None]
    assert any("予算が不足" in t for t in texts)
