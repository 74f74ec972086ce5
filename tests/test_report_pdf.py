"""The PDF the meeting reads, checked against sources independent of xlplan.

LibreOffice renders it; poppler's pdftotext reads it back; the seed (the printed FY2020
report) says which indicators must be on which 資料 with which marks; a committed
reference image (made by LibreOffice + pdftoppm) pins the look of the first page.
tools/setup.sh installs LibreOffice, fonts-noto-cjk and poppler-utils, so these run in CI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageChops, ImageStat

from tests.golden.dump import REFERENCE_DPI, REFERENCE_PNG, rendered_template
from tests.helpers import layouts_of, master_of_workbook
from xlplan import cli
from xlplan.core.layout import REPORT_SHEET, SHEETS
from xlplan.core.texts import Refusal as BookError
from xlplan.pdf import export_pdf, find_soffice
from xlplan.seed import seed_rows

pytestmark = pytest.mark.slow

SEED = seed_rows()
# Mean absolute difference (0-255 grey levels) allowed between the first page and the
# committed reference: small font-hinting changes stay well below it; a moved column,
# a lost border or a different page do not (see test_reference_tolerance_is_meaningful).
IMAGE_TOLERANCE = 4.0


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class PdfPage:
    number: int
    height: float
    words: list[Word]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read_pdf(pdf: Path) -> list[PdfPage]:
    """Every word of the PDF with its box, page by page (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for n, m in enumerate(re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>',
                                      html, re.S), start=1):
        words = [Word(unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">(.*?)</word>', m.group(2))]
        pages.append(PdfPage(n, float(m.group(1)), words))
    return pages


def norm(s: str) -> str:
    """Width, spaces and the PDF's long-vowel habit (テレワ－ク = テレワーク) do not count."""
    s = "".join(unicodedata.normalize("NFKC", s).split())
    return re.sub(r"(?<=[ァ-ヶ])[-‐―－ｰ]", "ー", s)


MARK_WORDS = {"◎", "○", "△", "－", "-", "×", "不明"}
ARROW_WORDS = {"↗", "↘", "→", "(↗)", "(↘)", "(→)"}


def _strip_note(s: str) -> str:
    return re.sub(r"※\d+$", "", s)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if find_soffice() is None or shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice and poppler-utils are needed: run tools/setup.sh")
    return rendered_template(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def pdf(rendered: Path) -> Path:
    return export_pdf(rendered, rendered.with_name("資料4.pdf"))


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[PdfPage]:
    return read_pdf(pdf)


def _sheet_of(page: PdfPage) -> str | None:
    """The 資料 a page belongs to, from its footer (資料4-2 － 3 －)."""
    for w in page.words:
        if w.y0 > page.height * 0.9 and w.text in (*REPORT_SHEET.values(), "集計"):
            return w.text
    return None


def _find_rows(pages: list[PdfPage], sheet: str) -> dict[str, tuple[int, str, str]]:
    """ID → (page, printed arrow, printed mark) for the seed rows of one 資料."""
    rows = [r for r in SEED if r["sheet"] == sheet]
    mine = [p for p in pages if _sheet_of(p) == REPORT_SHEET[sheet]]
    assert mine, f"no page with the footer {REPORT_SHEET[sheet]}"
    found: dict[str, tuple[int, str, str]] = {}
    i = 0
    for page in mine:
        heads = {norm(w.text): w for w in page.words if w.y0 < page.height * 0.25}
        # the 成果指標 column lies between the centres of its heading and the one before
        left, right = heads["取組名"].xc, heads["成果指標"].xc
        marks = [w for w in page.words if _strip_note(norm(w.text)) in {norm(m) for m in MARK_WORDS}]
        arrows = [w for w in page.words if _strip_note(w.text) in ARROW_WORDS]
        x_mark = max(w.xc for w in marks)
        x_trend = max(w.xc for w in arrows)
        starts: list[tuple[str, Word]] = []
        cands = sorted((w for w in page.words if left < w.x0 < right and w.y0 > heads["成果指標"].y1),
                       key=lambda w: (w.y0, w.x0))
        for w in cands:
            if i >= len(rows):
                break
            target = norm(rows[i]["indicator"])
            t = norm(w.text)
            if len(t) >= min(3, len(target)) and target.startswith(t):
                starts.append((rows[i]["id"], w))
                i += 1
        bottom = min([w.y0 for w in page.words if w.text.startswith("※1")] + [page.height * 0.95])
        for k, (rid, w) in enumerate(starts):
            y_end = starts[k + 1][1].y0 if k + 1 < len(starts) else bottom
            band = sorted((x for x in page.words if w.y0 - 2 <= x.y0 < y_end - 1), key=lambda x: x.y0)
            mark = "".join(x.text for x in band if abs(x.xc - x_mark) < 18)
            trend = "".join(x.text for x in band if abs(x.xc - x_trend) < 18)
            found[rid] = (page.number, _strip_note(trend), _strip_note(mark))
    return found


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_seed_indicator_is_printed_with_its_mark_on_its_page(pages, sheet: str) -> None:
    found = _find_rows(pages, sheet)
    exp = {r["id"]: (norm(r["printed_trend"]), norm(r["printed_mark"]))
           for r in SEED if r["sheet"] == sheet}
    assert set(found) == set(exp), f"not found in the PDF: {sorted(set(exp) - set(found))}"
    got = {rid: (norm(t), norm(m)) for rid, (_p, t, m) in found.items()}
    assert got == exp


def test_all_68_indicators_are_in_the_pdf(pages) -> None:
    n = sum(len(_find_rows(pages, s)) for s in SHEETS)
    assert n == 68 == len(SEED)


def test_page_count_and_pages_per_report(pages, rendered: Path) -> None:
    """LibreOffice breaks pages exactly where xlplan planned them (no extra breaks)."""
    reports = layouts_of(master_of_workbook(load_workbook(rendered)))
    planned = {rep.name: rep.pages for rep in reports.sheets.values()}
    got: dict[str, int] = {}
    for p in pages:
        name = _sheet_of(p)
        assert name is not None, f"page {p.number} has no 資料 footer"
        got[name] = got.get(name, 0) + 1
    assert {k: got[k] for k in planned} == planned
    # the seed printed 2 + 5 + 1 pages; the summary adds one to three
    assert 8 <= sum(planned.values()) <= 11
    assert 1 <= got["集計"] <= 3
    assert 9 <= len(pages) <= 14
    order = [_sheet_of(p) for p in pages]
    assert order == sorted(order, key=["資料4-1", "資料4-2", "資料4-3", "集計"].index)


def test_legend_formula_and_japanese_text(pages) -> None:
    first42 = next(p for p in pages if _sheet_of(p) == "資料4-2")
    text = norm(first42.text())
    assert norm("進捗率＝（評価値－基準値）÷（最終目標－基準値）") in text
    for item in ("◎100%以上", "○50%以上進捗", "△50%未満進捗", "×減少"):
        assert norm(item) in text
    assert norm("資料４－２　個別施策・推進を支える土台づくり") in text
    summary = norm(" ".join(p.text() for p in pages if _sheet_of(p) == "集計"))
    assert norm("資料別の判定の数") in summary and norm("手動判定") in summary


def test_pdf_uses_a_japanese_font(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"CJK ?jp|CJKjp|Gothic|Mincho|IPA", fonts, re.I), fonts


def _page_image(pdf: Path, page: int, folder: Path) -> Image.Image:
    prefix = folder / f"p{page}"
    subprocess.run(["pdftoppm", "-r", str(REFERENCE_DPI), "-gray", "-png", "-f", str(page),
                    "-l", str(page), "-singlefile", str(pdf), str(prefix)], check=True)
    return Image.open(prefix.with_suffix(".png")).convert("L")


def _difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 255.0
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def test_first_page_matches_the_reference_image(pdf: Path, tmp_path: Path) -> None:
    exp = Image.open(REFERENCE_PNG).convert("L")
    got = _page_image(pdf, 1, tmp_path)
    diff = _difference(exp, got)
    assert diff <= IMAGE_TOLERANCE, (
        f"page 1 differs from {REFERENCE_PNG.name} by {diff:.2f} grey levels on average; "
        "if intended, run `python -m tests.golden.update --pdf` and review the image")


def test_reference_tolerance_is_meaningful(pdf: Path, tmp_path: Path) -> None:
    """Another page of the same PDF is far outside the tolerance."""
    exp = Image.open(REFERENCE_PNG).convert("L")
    other = _page_image(pdf, 2, tmp_path)
    assert _difference(exp, other) > 2 * IMAGE_TOLERANCE


def test_libreoffice_opens_the_whole_regenerated_workbook(rendered: Path, tmp_path: Path) -> None:
    soffice = find_soffice()
    assert soffice is not None
    work = tmp_path / "lo"
    work.mkdir()
    src = work / "master.xlsx"
    shutil.copy2(rendered, src)
    res = subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                          "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                          str(work), str(src)], capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr
    out = read_pdf(work / "master.pdf")
    text = norm(" ".join(p.text() for p in out))
    assert norm("資料４－１") in text and norm("テレワーク実施者数") in text
    assert len(out) > 10  # input sheets, reports, summary, settings


def test_cli_pdf(rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "会議資料.pdf"
    assert cli.main(["pdf", str(rendered), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "PDF" in capsys.readouterr().out
    before = load_workbook(rendered).sheetnames
    assert load_workbook(rendered).sheetnames == before  # the workbook is not changed


def test_missing_libreoffice_says_how_to_install(rendered: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no libreoffice here
    monkeypatch.delenv("XLPLAN_SOFFICE", raising=False)
    with pytest.raises(BookError) as e:
        export_pdf(rendered, tmp_path / "x.pdf")
    assert e.value.code == "libreoffice_missing"
    assert "apt-get install libreoffice-calc-nogui fonts-noto-cjk" in e.value.fix
    assert "Excel" in e.value.fix and "install" in e.value.english
    assert cli.main(["pdf", str(rendered)]) == 2
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "apt-get" in err
    assert not (tmp_path / "x.pdf").exists()
