"""Package consistency checks written independently of the patcher (zipfile + ElementTree).

They state the Excel strictness rules the patcher must keep: every part has a content type
and every Override names a part [OPC M2.4]; every internal relationship points at a part;
relationship ids are unique per part; sheet names are unique; localSheetId values index a
sheet; activeTab names a visible sheet; exactly one worksheet tab is selected; rows and
cells ascend; every s index exists in cellXfs; table ids and names are unique.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def rels_of(z: zipfile.ZipFile, part: str) -> list[tuple[str, str, str | None]]:
    """(id, type, target member or None for external) of a part's relationships."""
    d, base = posixpath.split(part)
    name = posixpath.join(d, "_rels", base + ".rels") if part else "_rels/.rels"
    if name not in z.namelist():
        return []
    out = []
    for el in ET.fromstring(z.read(name)):
        target = el.get("Target", "")
        if el.get("TargetMode") == "External":
            out.append((el.get("Id", ""), el.get("Type", ""), None))
            continue
        path = target if target.startswith("/") else "/" + posixpath.join(d, target)
        out.append((el.get("Id", ""), el.get("Type", ""),
                    posixpath.normpath(unquote(path)).lstrip("/")))
    return out


def check_package(data: bytes) -> None:
    z = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in z.namelist() if not n.endswith("/")]
    lower = {n.lower() for n in names}
    assert len(lower) == len(names), "equivalent part names"
    types = ET.fromstring(z.read("[Content_Types].xml"))
    defaults = {el.get("Extension", "").lower() for el in types if el.tag == CT + "Default"}
    overrides = [el.get("PartName", "") for el in types if el.tag == CT + "Override"]
    assert len({o.lower() for o in overrides}) == len(overrides), "duplicate Override"
    for o in overrides:
        assert o.lstrip("/").lower() in lower, f"Override for missing part {o}"
    for n in names:
        if n == "[Content_Types].xml":
            continue
        ext = n.rsplit(".", 1)[-1].lower()
        assert ext in defaults or "/" + n.lower() in {o.lower() for o in overrides}, \
            f"no content type for {n}"
    for n in ["", *names]:
        if n.endswith(".rels"):
            continue
        rels = rels_of(z, n)
        ids = [r[0] for r in rels]
        assert len(ids) == len(set(ids)), f"duplicate relationship id in {n}"
        for _, rtype, target in rels:
            if target is not None:
                assert target.lower() in lower, f"{n} points at missing {target} ({rtype})"
    for n in names:
        if n.endswith(".rels"):
            source = n.replace("_rels/", "").removesuffix(".rels")
            assert source == ".rels" or source.lower() in lower or n == "_rels/.rels", \
                f"orphan relationships part {n}"

    wb_part = next(t for _, rt, t in rels_of(z, "") if rt.endswith("/officeDocument"))
    assert wb_part is not None
    wb = ET.fromstring(z.read(wb_part))
    sheets = wb.findall(f"{M}sheets/{M}sheet")
    sheet_names = [s.get("name", "").casefold() for s in sheets]
    assert len(set(sheet_names)) == len(sheet_names), "duplicate sheet name"
    sheet_ids = [s.get("sheetId") for s in sheets]
    assert len(set(sheet_ids)) == len(sheet_ids), "duplicate sheetId"
    visible = [i for i, s in enumerate(sheets) if s.get("state", "visible") == "visible"]
    assert visible, "no visible sheet"
    keys = set()
    for dn in wb.findall(f"{M}definedNames/{M}definedName"):
        lid = dn.get("localSheetId")
        if lid is not None:
            assert 0 <= int(lid) < len(sheets), f"localSheetId {lid} out of range"
        key = (dn.get("name", "").casefold(), lid)
        assert key not in keys, f"duplicate defined name {key}"
        keys.add(key)
    view = wb.find(f"{M}bookViews/{M}workbookView")
    active = int(view.get("activeTab", "0")) if view is not None else 0
    assert active in visible, f"activeTab {active} is not a visible sheet"
    if view is not None:
        assert int(view.get("firstSheet", "0")) <= active

    wb_rels = {rid: t for rid, _, t in rels_of(z, wb_part)}
    styles_part = next((t for _, rt, t in rels_of(z, wb_part) if rt.endswith("/styles")), None)
    n_xf = 1
    if styles_part:
        st = ET.fromstring(z.read(styles_part))
        xfs = st.find(f"{M}cellXfs")
        n_xf = len(xfs.findall(f"{M}xf")) if xfs is not None else 0
        if xfs is not None and xfs.get("count") is not None:
            assert int(xfs.get("count", "0")) == n_xf, "cellXfs count"
    selected = []
    table_ids: list[str] = []
    table_names: list[str] = []
    for i, s in enumerate(sheets):
        part = wb_rels[s.get(f"{R}id", "")]
        assert part is not None
        root = ET.fromstring(z.read(part))
        if any(sv.get("tabSelected") in ("1", "true") for sv in root.iter(f"{M}sheetView")):
            selected.append(i)
        if root.tag != f"{M}worksheet":
            continue
        last_row = 0
        for row in root.iter(f"{M}row"):
            r = int(row.get("r", "0"))
            assert r > last_row, f"{part}: rows out of order at {r}"
            last_row = r
            last_col = 0
            for c in row.findall(f"{M}c"):
                m = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r", ""))
                assert m and int(m.group(2)) == r, f"{part}: cell {c.get('r')} in row {r}"
                col = _col(m.group(1))
                assert col > last_col, f"{part}: cells out of order at {c.get('r')}"
                last_col = col
                assert int(c.get("s", "0")) < max(n_xf, 1), f"{part}: bad s at {c.get('r')}"
                kids = [k.tag.split("}")[1] for k in c]
                order = ["f", "v", "is", "extLst"]
                assert kids == sorted(kids, key=order.index), f"{part}: child order {kids}"
                if c.get("t") == "inlineStr":
                    assert c.find(f"{M}f") is None, f"{part}: text cell with a formula"
        for _, rt, t in rels_of(z, part):
            if rt.endswith("/table") and t:
                table = ET.fromstring(z.read(t))
                table_ids.append(table.get("id", ""))
                table_names.append(table.get("displayName", "").casefold())
    assert selected == [active], f"selected tabs {selected}, active {active}"
    assert len(set(table_ids)) == len(table_ids), "duplicate table id"
    assert len(set(table_names)) == len(table_names), "duplicate table name"
