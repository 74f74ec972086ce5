"""The workbook's stylesheet (``xl/styles.xml``, ECMA-376 Part 1 §18.8), edited append-only.

Nothing already in the stylesheet is renumbered or changed: every cell of every sheet
keeps pointing at the same formatting. New fonts, fills, borders, number formats, cell
formats (``xf``) and differential formats (``dxf``) are appended, and an entry whose
markup equals one already there is reused instead (deduplication by canonical markup).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml import etree

from ._xml import NS_MAIN, Element, Tree, canonical, children, insert_in_order, q

# CT_Stylesheet child sequence (§18.8.39 styleSheet; schema sml.xsd).
STYLESHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                    "cellStyles", "dxfs", "tableStyles", "colors", "extLst")
# The order Excel writes a font's children in (CT_Font is a choice, any order is valid).
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u",
              "vertAlign", "sz", "color", "name", "family", "charset", "scheme")
# CT_Xf children.
XF_ORDER = ("alignment", "protection", "extLst")

# Built-in number formats (§18.8.30 numFmt) that are the same in every locale.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss",
    47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_BUILTIN_BY_CODE = {v: k for k, v in BUILTIN_FORMATS.items()}
# Built-in ids that show dates or times (14-22, 45-47, and the East Asian 27-36, 50-58).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
FIRST_CUSTOM_FORMAT = 164
DATE_FORMAT = 14       # the locale's short date (yyyy/m/d in Japanese Excel)
DATETIME_FORMAT = 22   # the locale's date and time

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[[^\]]*\]")


def is_date_code(code: str) -> bool:
    """Whether a number format code shows a date or time (the first section decides)."""
    text = _QUOTED.sub("", code)
    elapsed = re.search(r"\[(h+|m+|s+)\]", text, re.I) is not None
    text = _BRACKET.sub("", text).split(";")[0]
    if elapsed:
        return True
    return re.search(r"[dmyhs]", text, re.I) is not None and "General" not in text


def _rgb(value: str, what: str) -> str:
    text = value.strip().lstrip("#").upper()
    if re.fullmatch(r"[0-9A-F]{6}", text):
        return "FF" + text
    if re.fullmatch(r"[0-9A-F]{8}", text):
        return text
    raise ValueError(f"{what} must be a colour as RRGGBB or AARRGGBB, not {value!r}")


class Styles:
    """Append-only view of one stylesheet."""

    def __init__(self, tree: Tree, on_change: Callable[[], None]) -> None:
        self.tree = tree
        self._on_change = on_change
        self._keys: dict[str, dict[tuple[object, ...], int]] = {}

    @property
    def root(self) -> Element:
        return self.tree.getroot()

    # -- containers -------------------------------------------------------------------
    def _container(self, name: str, *, create: bool = False) -> Element | None:
        el = self.root.find(q(name))
        if el is None and create:
            el = etree.Element(q(name))
            el.set("count", "0")
            insert_in_order(self.root, el, STYLESHEET_ORDER)
        return el

    def _items(self, container: str, item: str) -> list[Element]:
        el = self._container(container)
        return [] if el is None else children(el, q(item))

    def _append(self, container: str, item: str, el: Element) -> int:
        """Index of ``el`` in the container, appended unless identical markup is there."""
        keys = self._keys.get(container)
        if keys is None:
            keys = {}
            for i, existing in enumerate(self._items(container, item)):
                keys.setdefault(canonical(existing), i)
            self._keys[container] = keys
        key = canonical(el)
        if key in keys:
            return keys[key]
        parent = self._container(container, create=True)
        assert parent is not None
        index = len(children(parent, q(item)))
        parent.append(el)
        parent.set("count", str(index + 1))
        keys[key] = index
        self._on_change()
        return index

    # -- reading ----------------------------------------------------------------------
    def xf_count(self) -> int:
        return len(self._items("cellXfs", "xf"))

    def xf(self, index: int) -> Element:
        xfs = self._items("cellXfs", "xf")
        if not xfs:
            return etree.Element(q("xf"), {"numFmtId": "0", "fontId": "0", "fillId": "0",
                                           "borderId": "0", "xfId": "0"})
        if not 0 <= index < len(xfs):
            index = 0
        return xfs[index]

    def format_code(self, num_fmt_id: int) -> str | None:
        for nf in self._items("numFmts", "numFmt"):
            if nf.get("numFmtId") == str(num_fmt_id):
                return nf.get("formatCode")
        return BUILTIN_FORMATS.get(num_fmt_id)

    def is_date_xf(self, index: int) -> bool:
        num = int(self.xf(index).get("numFmtId", "0"))
        code = self.format_code(num)
        if code is not None and any(nf.get("numFmtId") == str(num)
                                    for nf in self._items("numFmts", "numFmt")):
            return is_date_code(code)
        return num in DATE_FORMAT_IDS or (code is not None and is_date_code(code))

    # -- adding -----------------------------------------------------------------------
    def num_fmt_id(self, code: str) -> int:
        """Id of number format ``code``: built-in, existing custom, or a new one >= 164."""
        if not isinstance(code, str) or not code:
            raise ValueError(f"number format must be a non-empty string, not {code!r}")
        customs = self._items("numFmts", "numFmt")
        for nf in customs:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId", "0"))
        if code in _BUILTIN_BY_CODE:
            return _BUILTIN_BY_CODE[code]
        used = {int(nf.get("numFmtId", "0")) for nf in customs}
        new_id = max([FIRST_CUSTOM_FORMAT - 1, *used]) + 1
        parent = self._container("numFmts", create=True)
        assert parent is not None
        el = etree.SubElement(parent, q("numFmt"))
        el.set("numFmtId", str(new_id))
        el.set("formatCode", code)
        parent.set("count", str(len(children(parent, q("numFmt")))))
        self._on_change()
        return new_id

    def add_font(self, el: Element) -> int:
        return self._append("fonts", "font", el)

    def add_fill(self, el: Element) -> int:
        return self._append("fills", "fill", el)

    def add_border(self, el: Element) -> int:
        return self._append("borders", "border", el)

    def add_xf(self, el: Element) -> int:
        return self._append("cellXfs", "xf", el)

    def add_dxf(self, el: Element) -> int:
        return self._append("dxfs", "dxf", el)

    def font(self, index: int) -> Element:
        fonts = self._items("fonts", "font")
        if 0 <= index < len(fonts):
            return fonts[index]
        return etree.Element(q("font"))

    # -- derived formats --------------------------------------------------------------
    def derive(self, base: int, *, number_format: str | int | None = None,
               fill_rgb: str | None = None, font_rgb: str | None = None,
               bold: bool | None = None) -> int:
        """Index of a cell format equal to ``base`` with the given changes."""
        xf = copy.deepcopy(self.xf(base))
        if number_format is not None:
            num = number_format if isinstance(number_format, int) else \
                self.num_fmt_id(number_format)
            xf.set("numFmtId", str(num))
            xf.set("applyNumberFormat", "1")
        if fill_rgb is not None:
            fill = etree.Element(q("fill"))
            pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb=_rgb(fill_rgb, "fill_rgb"))
            etree.SubElement(pattern, q("bgColor"), indexed="64")
            xf.set("fillId", str(self.add_fill(fill)))
            xf.set("applyFill", "1")
        if font_rgb is not None or bold is not None:
            font = copy.deepcopy(self.font(int(xf.get("fontId", "0"))))
            if font_rgb is not None:
                for c in children(font, q("color")):
                    font.remove(c)
                color = etree.Element(q("color"))
                color.set("rgb", _rgb(font_rgb, "font_rgb"))
                insert_in_order(font, color, FONT_ORDER)
            if bold is not None:
                for b in children(font, q("b")):
                    font.remove(b)
                if bold:
                    insert_in_order(font, etree.Element(q("b")), FONT_ORDER)
            xf.set("fontId", str(self.add_font(font)))
            xf.set("applyFont", "1")
        return self.add_xf(xf)

    # -- import from another stylesheet ----------------------------------------------
    def importer(self, other: Styles) -> StyleImporter:
        return StyleImporter(other, self)


class StyleImporter:
    """Maps formats of a source stylesheet into the target one, memoised."""

    def __init__(self, source: Styles, target: Styles) -> None:
        self.source = source
        self.target = target
        self._xf: dict[int, int] = {}
        self._dxf: dict[int, int] = {}
        self._numfmt: dict[int, int] = {}

    def _copy_item(self, container: str, item: str, index: int) -> Element | None:
        items = self.source._items(container, item)
        if 0 <= index < len(items):
            return copy.deepcopy(items[index])
        return None

    def num_fmt(self, num_id: int) -> int:
        if num_id in self._numfmt:
            return self._numfmt[num_id]
        custom = {int(nf.get("numFmtId", "0")): nf.get("formatCode", "")
                  for nf in self.source._items("numFmts", "numFmt")}
        if num_id in custom:
            code = custom[num_id]
            target_custom = {int(nf.get("numFmtId", "0")): nf.get("formatCode", "")
                             for nf in self.target._items("numFmts", "numFmt")}
            same_custom = target_custom.get(num_id) == code
            same_builtin = BUILTIN_FORMATS.get(num_id) == code and num_id not in target_custom
            if num_id < FIRST_CUSTOM_FORMAT and (same_custom or same_builtin):
                new = num_id
            else:
                new = self.target.num_fmt_id(code)
        else:
            new = num_id  # built-in: same id everywhere
        self._numfmt[num_id] = new
        return new

    def _named_style(self, xf_id: int) -> int:
        """Target cellStyleXfs index for the source's named cell style ``xf_id``: the
        target style of the same name, else Normal."""
        name = None
        for cs in self.source._items("cellStyles", "cellStyle"):
            if cs.get("xfId") == str(xf_id):
                name = cs.get("name")
                break
        normal = 0
        for cs in self.target._items("cellStyles", "cellStyle"):
            if name is not None and cs.get("name") == name:
                return int(cs.get("xfId", "0"))
            if cs.get("builtinId") == "0":
                normal = int(cs.get("xfId", "0"))
        return normal

    def xf(self, index: int) -> int:
        """Target cellXfs index for source cellXfs ``index``."""
        if index in self._xf:
            return self._xf[index]
        xfs = self.source._items("cellXfs", "xf")
        if not 0 <= index < len(xfs):
            self._xf[index] = 0
            return 0
        xf = copy.deepcopy(xfs[index])
        for attr, container, item, add in (
                ("fontId", "fonts", "font", self.target.add_font),
                ("fillId", "fills", "fill", self.target.add_fill),
                ("borderId", "borders", "border", self.target.add_border)):
            el = self._copy_item(container, item, int(xf.get(attr, "0")))
            if el is not None:
                xf.set(attr, str(add(el)))
            elif xf.get(attr) is not None:
                xf.set(attr, "0")
        xf.set("numFmtId", str(self.num_fmt(int(xf.get("numFmtId", "0")))))
        if xf.get("xfId") is not None or self.target._items("cellStyleXfs", "xf"):
            xf.set("xfId", str(self._named_style(int(xf.get("xfId", "0")))))
        new = self.target.add_xf(xf)
        self._xf[index] = new
        return new

    def dxf(self, index: int) -> int:
        if index in self._dxf:
            return self._dxf[index]
        el = self._copy_item("dxfs", "dxf", index)
        if el is None:
            raise ValueError(f"differential format {index} does not exist in the source")
        nf = el.find(q("numFmt"))
        if nf is not None:
            nf.set("numFmtId", str(self.num_fmt_dxf(nf)))
        new = self.target.add_dxf(el)
        self._dxf[index] = new
        return new

    def num_fmt_dxf(self, nf: Element) -> int:
        code = nf.get("formatCode")
        num = int(nf.get("numFmtId", "0"))
        if code is None:
            return num
        if BUILTIN_FORMATS.get(num) == code:
            return num
        return self.target.num_fmt_id(code)


__all__ = ["NS_MAIN", "StyleImporter", "Styles", "is_date_code"]
