"""What a package holds, part by part, and what an openpyxl load + save would lose."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._xml import NS_A, NS_C, NS_MC, NS_XDR, local, q

if TYPE_CHECKING:
    from .package import InventoryItem, Package

_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"

# content type → (what, openpyxl drops it)
_BY_CONTENT_TYPE: dict[str, tuple[str, bool]] = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ("workbook", False),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("workbook (macro-enabled)", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ("workbook (template)", False),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ("workbook (macro-enabled template)", False),
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": ("workbook (add-in)", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml": ("worksheet", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml": ("chart sheet", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml": ("dialog sheet", True),
    "application/vnd.ms-excel.macrosheet+xml": ("Excel 4.0 macro sheet", True),
    "application/vnd.ms-excel.intlmacrosheet+xml": ("Excel 4.0 macro sheet", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml": ("styles", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml": ("shared strings", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml": ("calculation chain", False),
    "application/vnd.openxmlformats-officedocument.theme+xml": ("theme", False),
    "application/vnd.openxmlformats-package.core-properties+xml": ("document properties", False),
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": ("document properties", False),
    "application/vnd.openxmlformats-officedocument.custom-properties+xml": ("custom document properties", False),
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml": ("chart", False),
    "application/vnd.ms-office.chartex+xml": ("chart (Excel 2016 type)", True),
    "application/vnd.ms-office.chartstyle+xml": ("chart style", True),
    "application/vnd.ms-office.chartcolorstyle+xml": ("chart colours", True),
    "application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml": ("shapes on a chart", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml": ("comment", False),
    "application/vnd.ms-excel.threadedcomments+xml": ("threaded comment", True),
    "application/vnd.ms-excel.person+xml": ("threaded comment people", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml": ("table", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml": ("query table", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml": ("data connection", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml": ("external link", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml": ("pivot table", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml": ("pivot cache", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml": ("pivot cache", False),
    "application/vnd.ms-excel.slicer+xml": ("slicer", True),
    "application/vnd.ms-excel.slicerCache+xml": ("slicer", True),
    "application/vnd.ms-excel.timeline+xml": ("timeline", True),
    "application/vnd.ms-excel.timelineCache+xml": ("timeline", True),
    "application/vnd.ms-excel.controlproperties+xml": ("form control", True),
    "application/vnd.ms-office.activeX+xml": ("ActiveX control", True),
    "application/vnd.ms-office.activeX": ("ActiveX control", True),
    "application/vnd.ms-office.vbaProject": ("VBA project", True),
    "application/vnd.ms-office.vbaProjectSignature": ("VBA project signature", True),
    "application/vnd.ms-office.vbaProjectSignatureAgile": ("VBA project signature", True),
    "application/vnd.ms-office.vbaProjectSignatureV3": ("VBA project signature", True),
    "application/vnd.openxmlformats-officedocument.oleObject": ("embedded object", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings": ("printer settings", True),
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml": ("custom XML", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.customXmlMappings+xml": ("XML map", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml": ("cell metadata", True),
    "application/vnd.ms-excel.rdrichvalue+xml": ("image in cell", True),
    "application/vnd.ms-excel.rdrichvaluestructure+xml": ("image in cell", True),
    "application/vnd.ms-excel.rdrichvaluetypes+xml": ("image in cell", True),
    "application/vnd.ms-excel.richvaluerel+xml": ("image in cell", True),
    "application/vnd.ms-excel.featurepropertybag+xml": ("cell checkbox", True),
    "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml": ("SmartArt", True),
    "application/vnd.openxmlformats-officedocument.drawingml.diagramLayout+xml": ("SmartArt", True),
    "application/vnd.openxmlformats-officedocument.drawingml.diagramStyle+xml": ("SmartArt", True),
    "application/vnd.openxmlformats-officedocument.drawingml.diagramColors+xml": ("SmartArt", True),
    "application/vnd.ms-office.drawingml.diagramDrawing+xml": ("SmartArt", True),
    "application/vnd.ms-excel.webextension+xml": ("Office add-in", True),
    "application/vnd.ms-office.webextension+xml": ("Office add-in", True),
    "application/vnd.ms-office.webextensiontaskpanes+xml": ("Office add-in", True),
}
_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CONTROL_TYPES = {"Button", "Checkbox", "Drop", "List", "Radio", "Spin", "Scroll", "GBox",
                  "Label", "Edit", "Dialog"}


def inventory(pkg: Package) -> list[InventoryItem]:
    from .package import InventoryItem

    owner: dict[str, str] = {}
    for s in pkg._sheets():
        for part in pkg._closure(s.part):
            owner.setdefault(part, s.name)
    vml_of_comments: set[str] = set()
    for part in pkg.part_names():
        if pkg.content_type(part) == "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml":
            for s in pkg._sheets():
                if owner.get(part) == s.name:
                    vml_of_comments.update(
                        tp for rtype, tp in pkg._targets(s.part) if rtype.endswith("/vmlDrawing"))
    items: list[InventoryItem] = []

    def add(part: str, what: str, count: int = 1, drops: bool = False) -> None:
        items.append(InventoryItem(part, what, owner.get(part), count, drops))

    for part in pkg.part_names():
        if part.endswith("/") or part == "[Content_Types].xml" or part.endswith(".rels"):
            continue
        ct = pkg.content_type(part) or ""
        if part.lower().startswith("customxml/"):
            add(part, "custom XML", drops=True)
            continue
        if ct == _DRAWING:
            _drawing(pkg, part, add)
            continue
        if ct == _VML:
            _vml(pkg, part, add, part in vml_of_comments)
            continue
        if ct.startswith("image/"):
            # openpyxl keeps pictures of sheet drawings only (and only with Pillow installed)
            if part in owner:
                add(part, "image")
            else:
                add(part, "image (not on a sheet drawing: in a cell, a theme or a chart fill)",
                    drops=True)
            continue
        known = _BY_CONTENT_TYPE.get(ct)
        if known is not None:
            what, drops = known
            add(part, what, drops=drops)
            if ct == _WORKSHEET:
                _worksheet(pkg, part, add)
            elif ct == _SST:
                _shared_strings(pkg, part, add)
            continue
        if "vbaproject" in part.lower():
            add(part, "VBA project", drops=True)
            continue
        add(part, f"other part ({ct or 'no content type'})", drops=True)
    return items


def _drawing(pkg: Package, part: str, add) -> None:  # type: ignore[no-untyped-def]
    root = pkg._tree(part).getroot()
    shapes = len(list(root.iter(q("sp", NS_XDR)))) + len(list(root.iter(q("cxnSp", NS_XDR))))
    pics = len(list(root.iter(q("pic", NS_XDR))))
    charts = len(list(root.iter(q("chart", NS_C))))
    other_frames = 0
    for gd in root.iter(q("graphicData", NS_A)):
        uri = gd.get("uri", "")
        if "slicer" in uri:
            add(part, "slicer", drops=True)
        elif "timeslicer" in uri:
            add(part, "timeline", drops=True)
        elif "diagram" in uri:
            add(part, "SmartArt", drops=True)
        elif "chartex" in uri:
            add(part, "chart (Excel 2016 type)", drops=True)
        elif "chart" not in uri:
            other_frames += 1
    controls = sum(1 for ac in root.iter(q("AlternateContent", NS_MC))
                   for el in ac.iter() if local(el) == "sp"
                   and any(str(k).endswith("macro") for k in el.attrib))
    add(part, "drawing")
    if shapes:
        add(part, "text box / shape", shapes, True)
    if pics:
        add(part, "picture", pics, False)
    if charts:
        add(part, "chart in drawing", charts, False)
    if controls:
        add(part, "form control", controls, True)
    if other_frames:
        add(part, "embedded object", other_frames, True)


def _vml(pkg: Package, part: str, add, for_comments: bool) -> None:  # type: ignore[no-untyped-def]
    text = pkg.part_bytes(part).decode("utf-8", "replace")
    kinds = re.findall(r"ObjectType\s*=\s*[\"'](\w+)[\"']", text)
    notes = kinds.count("Note")
    controls = sum(1 for k in kinds if k in _CONTROL_TYPES)
    pictures = len(re.findall(r"<v:imagedata\b", text))
    if notes or for_comments:
        add(part, "comment shapes (VML)", max(notes, 1))
    if controls:
        add(part, "form control", controls, True)
    if pictures:
        add(part, "header/footer or VML picture", pictures, True)
    if not (notes or controls or pictures or for_comments):
        add(part, "VML drawing", 1, True)


def _worksheet(pkg: Package, part: str, add) -> None:  # type: ignore[no-untyped-def]
    root = pkg._tree(part).getroot()
    sparks = len(list(root.iter(q("sparklineGroup", _X14))))
    if sparks:
        add(part, "sparkline group", sparks, True)
    x14cf = len(list(root.iter(q("conditionalFormatting", _X14))))
    if x14cf:
        add(part, "conditional format (Excel 2010 extension)", x14cf, True)
    x14dv = len(list(root.iter(q("dataValidation", _X14))))
    if x14dv:
        add(part, "data validation (Excel 2010 extension)", x14dv, True)
    ole = root.find(q("oleObjects"))
    if ole is not None:
        add(part, "embedded object", len(list(ole.iter(q("oleObject")))), True)
    controls = root.find(q("controls"))
    if controls is not None:
        add(part, "form control", len(list(controls.iter(q("control")))), True)
    rich = sum(1 for is_ in root.iter(q("is")) if is_.find(q("r")) is not None)
    if rich:
        add(part, "rich text", rich, True)
    formulas = len(list(root.iter(q("f"))))
    if formulas:
        add(part, "formula", formulas, False)


def _shared_strings(pkg: Package, part: str, add) -> None:  # type: ignore[no-untyped-def]
    root = pkg._tree(part).getroot()
    rich = sum(1 for si in root.iter(q("si")) if si.find(q("r")) is not None)
    if rich:
        add(part, "rich text", rich, True)
