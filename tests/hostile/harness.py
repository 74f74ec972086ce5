"""Running every file command on a corpus case, and reading the results independently.

The command line runs in-process (:func:`xlplan.cli.main`, output captured), so the whole
corpus takes seconds per case rather than a process start per command. The readers here
are openpyxl (cells, data types) and :mod:`zipfile`; nothing of xlplan's reading code.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.test_merge_common import edit, issued
from xlplan.core.layout import (
    CHANGES_SHEET,
    CHECK_SHEET,
    INPUT_SHEET,
    META_SHEET,
    STATUS_SHEET,
    Kind,
    columns_for,
    heading_key,
    heading_keys,
)
from xlplan.core.report import REPORT_NAMES

COMMANDS = ("check", "recompute", "render", "update", "export", "split", "merge", "rollover")
OURS = frozenset({*REPORT_NAMES, CHECK_SHEET, META_SHEET, CHANGES_SHEET, STATUS_SHEET})
RETURN_EDITS = {("4-2-20", "status_text"): "返送で更新した取組状況",
                ("4-2-21", "projection"): "75%"}
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "\t", "\r")

Key = tuple[str, str]  # (sheet, coordinate)


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    def lines(self, stream: str = "err") -> list[str]:
        text = self.err if stream == "err" else self.out
        return [ln for ln in text.splitlines() if ln.strip()]


def cli(*argv: str | Path) -> Run:
    """``xlplan ARGV`` in this process, with stdout and stderr captured."""
    from xlplan.cli import main

    args = [str(a) for a in argv]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as e:  # argparse usage errors
            code = int(e.code or 0)
    return Run(args, code, out.getvalue(), err.getvalue())


# ------------------------------------------------------------------ the scene


@cache
def _scene_bytes() -> tuple[bytes, bytes]:
    """A master that issued copies by sheet, and the 4-2 copy as returned with edits."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        master, sent = issued(Path(d))
        back = edit(sent["4-2"], Path(d) / "back" / "4-2返送.xlsx", RETURN_EDITS, by="担当 花子")
        return master.read_bytes(), back.read_bytes()


def scene(folder: Path) -> tuple[Path, Path]:
    """(master, returned copy) in ``folder``; the master's name is the default one."""
    master_bytes, back_bytes = _scene_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "資料4.xlsx"
    master.write_bytes(master_bytes)
    back = folder / "back" / "4-2返送.xlsx"
    back.parent.mkdir(exist_ok=True)
    back.write_bytes(back_bytes)
    return master, back


def argv_for(command: str, master: Path, folder: Path, back: Path) -> list[list[str | Path]]:
    """The command line(s) a command runs with on ``master``."""
    suffix = master.suffix if master.suffix else ".xlsx"
    return {
        "check": [["check", master]],
        "recompute": [["recompute", master]],
        "render": [["render", master]],
        "update": [["update", master]],
        "export": [["export", master], ["export", master, "--csv"]],
        "split": [["split", master, "--out", folder / "copies"]],
        "merge": [["merge", master, back]],
        "rollover": [["rollover", master, "--to", "2021", "-o", folder / f"next{suffix}"]],
    }[command]


def outputs(command: str, folder: Path) -> list[Path]:
    """The new files a command writes beside the master."""
    if command == "split":
        return sorted((folder / "copies").glob("*.xlsx")) if (folder / "copies").exists() else []
    if command == "rollover":
        return sorted(p for p in folder.glob("next*") if p.is_file())
    return []


# ------------------------------------------------------------------ reading, independently


@dataclass
class Snap:
    """A file as read by openpyxl: every cell's value and data type, by sheet."""

    data: bytes
    cells: dict[Key, tuple[object, str]] = field(default_factory=dict)
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet → table columns
    headings: dict[str, dict[int, str]] = field(default_factory=dict)  # input sheet → col → key
    header_row: dict[str, int] = field(default_factory=dict)
    readable: bool = True

    def formulas(self) -> dict[Key, str]:
        return {k: str(v) for k, (v, t) in self.cells.items() if t == "f"}


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part, for ``part`` (read straight from the zip)."""
    import posixpath

    from lxml import etree

    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in zf.namelist():
        return {}
    out = {}
    for rel in etree.fromstring(zf.read(rels)).iter(f"{_PR}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id", "")] = (target.lstrip("/") if target.startswith("/")
                                  else posixpath.normpath(posixpath.join(folder, target)))
    return out


def _text(el: object) -> str:
    """The text of an ``si`` / ``is`` element: its ``t``, or its runs' ``t`` (no phonetics)."""
    direct = el.find(f"{_NS}t")  # type: ignore[attr-defined]
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in el.findall(f"{_NS}r")  # type: ignore[attr-defined]
                   for t in r.findall(f"{_NS}t"))


def snap(path: Path) -> Snap:
    """Every cell of every worksheet with its value and data type (openpyxl's letters:
    ``f`` formula, ``s`` text, ``n`` number, ``b`` boolean, ``e`` error), read straight from
    the zip with lxml: independent of xlplan and of openpyxl, and fast on any file (only
    the cells the file holds are visited)."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    data = Path(path).read_bytes()
    s = Snap(data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        zf.testzip()
        wb_rels = _rels(zf, "xl/workbook.xml")
        wb = etree.fromstring(zf.read("xl/workbook.xml"))
        shared = [_text(si) for si in etree.fromstring(zf.read("xl/sharedStrings.xml"))
                  .iter(f"{_NS}si")] if "xl/sharedStrings.xml" in zf.namelist() else []
        sheets = [(el.get("name", ""), wb_rels.get(el.get(f"{_R}id", ""), ""))
                  for el in wb.iter(f"{_NS}sheet")]
        for name, part in sheets:
            root = etree.fromstring(zf.read(part))
            if root.tag != f"{_NS}worksheet":
                continue
            for c in root.iter(f"{_NS}c"):
                t = c.get("t", "n")
                f = c.find(f"{_NS}f")
                v = c.findtext(f"{_NS}v")
                if f is not None:
                    s.cells[(name, c.get("r", ""))] = ("=" + (f.text or ""), "f")
                elif t == "inlineStr":
                    is_ = c.find(f"{_NS}is")
                    s.cells[(name, c.get("r", ""))] = (_text(is_) if is_ is not None else "", "s")
                elif v is None:
                    continue
                elif t == "s":
                    s.cells[(name, c.get("r", ""))] = (shared[int(v)], "s")
                elif t == "str":
                    s.cells[(name, c.get("r", ""))] = (v, "s")
                elif t in ("b", "e"):
                    s.cells[(name, c.get("r", ""))] = (v, t)
                else:
                    x = float(v)
                    if not math.isfinite(x):  # NaN is not equal to itself: keep its text
                        s.cells[(name, c.get("r", ""))] = (f"number {v}", "n")
                        continue
                    s.cells[(name, c.get("r", ""))] = (int(x) if x.is_integer() and "." not in v
                                                       and "E" not in v.upper() else x, "n")
            for rid in (tp.get(f"{_R}id", "") for tp in root.iter(f"{_NS}tablePart")):
                table = _rels(zf, part).get(rid)
                if table:
                    c0, _, c1, _ = range_boundaries(etree.fromstring(zf.read(table)).get("ref"))
                    s.tables[name] = (c0, c1)
    except Exception:
        s.readable = False
        s.cells.clear()
        return s
    from openpyxl.utils.cell import coordinate_to_tuple

    top: dict[tuple[str, int], dict[int, str]] = {}
    for (name, coord), (v, _t) in s.cells.items():
        if name in INPUT_SHEET.values() and isinstance(v, str):
            row, col = coordinate_to_tuple(coord)
            if row <= 10:
                top.setdefault((name, row), {})[col] = v
    for sheet, tab in INPUT_SHEET.items():
        keys = heading_keys(sheet)
        for r in range(1, 11):
            found = {c: keys[heading_key(v)] for c, v in top.get((tab, r), {}).items()
                     if heading_key(v) in keys}
            if len(found) > 5:
                s.headings[tab] = found
                s.header_row[tab] = r
                break
    return s


def _computed(before: Snap, key: Key) -> bool:
    """A computed cell of an input sheet: under a computed heading inside the table."""
    tab, coord = key
    if tab not in before.headings:
        return False
    from openpyxl.utils.cell import coordinate_to_tuple

    r, c = coordinate_to_tuple(coord)
    sheet = next(s for s, t in INPUT_SHEET.items() if t == tab)
    kinds = {col.key: col.kind for col in columns_for(sheet)}
    k = before.headings[tab].get(c)
    lo, hi = before.tables.get(tab, (0, 10**6))
    return (k is not None and kinds.get(k) is Kind.COMPUTED and lo <= c <= hi
            and r > before.header_row[tab])


def typed(s: Snap, before: Snap, foreign: Iterable[str] = ()) -> dict[Key, object]:
    """The cells people typed: every cell except xlplan's own sheets and computed cells."""
    keep = set(foreign)
    return {k: v for k, (v, _t) in s.cells.items()
            if (k[0] not in OURS or k[0] in keep) and not _computed(before, k)}


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def typed_changes(before: Snap, after: Snap, foreign: Iterable[str] = (),
                  allowed: Iterable[Key] = ()) -> dict[Key, tuple[object, object]]:
    """Typed cells that differ; a new ID in a row that had none is not a change."""
    a, b = typed(before, before, foreign), typed(after, before, foreign)
    ok = set(allowed)
    out = {}
    for k in set(a) | set(b):
        if k in ok or same(a.get(k), b.get(k)):
            continue
        tab = k[0]
        col_key = before.headings.get(tab, {})
        from openpyxl.utils.cell import coordinate_to_tuple

        _r, c = coordinate_to_tuple(k[1])
        if col_key.get(c) == "id" and a.get(k) is None:
            continue  # recompute gives a new row its ID
        out[k] = (a.get(k), b.get(k))
    return out


def new_formulas(before: Snap, after: Snap, *, same_place: bool = True) -> dict[Key, str]:
    """Formula cells in ``after`` that ``before`` did not have (at that place, or at all)."""
    old = before.formulas()
    texts = set(old.values())
    return {k: f for k, f in after.formulas().items()
            if (old.get(k) != f if same_place else f not in texts)}


def formula_looking_csv(text: str) -> list[str]:
    """CSV fields a spreadsheet would read as a formula."""
    rows = list(csv.reader(io.StringIO(text)))
    return [f for r in rows for f in r if f.startswith(FORMULA_STARTS) and not _number(f)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def json_records(text: str) -> list[dict[str, object]]:
    data = json.loads(text)
    assert isinstance(data, list)
    return data


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def one_line(run: Run) -> str:
    lines = run.lines("err")
    assert len(lines) == 1, (run.argv, run.err)
    return lines[0]


def collapse(text: str) -> str:
    return " ".join(text.split())


def backups(folder: Path) -> Sequence[Path]:
    return [p for p in folder.rglob("backup/*") if p.is_file()]
