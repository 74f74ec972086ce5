"""Open Packaging Conventions: part names, content types and relationships.

ECMA-376 Part 2 (OPC): part names are compared as case-insensitive ASCII [M1.12]; every
part has exactly one matching Default or Override in ``[Content_Types].xml`` [M2.4], no
two Defaults for one extension nor two Overrides for one part [M2.5]; a new part whose
extension's Default does not give its content type gets an Override [M2.8]; lookup is
Override first, then Default [M2.9]. Relationship ids are unique within one
relationships part and are ``xsd:ID`` values.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from lxml import etree

from ._xml import NS_CT, NS_PKG_REL, Element, Tree, q

RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
RT_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_WORKSHEET = _RT + "worksheet"
RT_CHARTSHEET = _RT + "chartsheet"
RT_DIALOGSHEET = _RT + "dialogsheet"
RT_MACROSHEET = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"
RT_INTL_MACROSHEET = "http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet"
RT_STYLES = _RT + "styles"
RT_SHARED_STRINGS = _RT + "sharedStrings"
RT_CALC_CHAIN = _RT + "calcChain"
RT_TABLE = _RT + "table"
RT_HYPERLINK = _RT + "hyperlink"

CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ".xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ".xlsm",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ".xltx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ".xltm",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": ".xlam",
}

_REL_ID = re.compile(r"rId(\d+)\Z")


def rels_part_for(part: str) -> str:
    """The relationships part of ``part`` ("" is the package itself)."""
    if not part:
        return "_rels/.rels"
    d, base = posixpath.split(part)
    return posixpath.join(d, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """Zip member name a relative or absolute relationship target points at."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        path = target
    else:
        path = "/" + posixpath.join(posixpath.dirname(source), target)
    path = posixpath.normpath(path)
    return path.lstrip("/")


def relative(source: str, target: str) -> str:
    """A relative target from ``source``'s folder to member ``target`` (percent-encoded)."""
    rel = posixpath.relpath("/" + target, "/" + (posixpath.dirname(source) or "."))
    if not source or posixpath.dirname(source) == "":
        rel = target
    return quote(rel, safe="/._-~!$&'()*+,;=:@")


@dataclass
class Rel:
    id: str
    type: str
    target: str  # as written
    external: bool
    element: Element


class Relationships:
    """One ``.rels`` part (source ``source``; "" for the package)."""

    def __init__(self, source: str, tree: Tree | None) -> None:
        self.source = source
        if tree is None:
            root = etree.fromstring(f'<Relationships xmlns="{NS_PKG_REL}"/>'.encode())
            tree = root.getroottree()
        self.tree = tree

    @property
    def root(self) -> Element:
        return self.tree.getroot()

    def __iter__(self):  # type: ignore[no-untyped-def]
        for el in self.root:
            if el.tag != q("Relationship", NS_PKG_REL):
                continue
            yield Rel(el.get("Id", ""), el.get("Type", ""), el.get("Target", ""),
                      el.get("TargetMode", "Internal") == "External", el)

    def all(self) -> list[Rel]:
        return list(iter(self))

    def by_id(self, rid: str) -> Rel | None:
        for rel in self.all():
            if rel.id == rid:
                return rel
        return None

    def of_type(self, rtype: str) -> list[Rel]:
        return [r for r in self.all() if r.type == rtype]

    def target_part(self, rel: Rel) -> str | None:
        return None if rel.external else resolve(self.source, rel.target)

    def new_id(self) -> str:
        used = {r.id for r in self.all()}
        n = max((int(m.group(1)) for r in used if (m := _REL_ID.match(r))), default=0) + 1
        while f"rId{n}" in used:
            n += 1
        return f"rId{n}"

    def add(self, rtype: str, target: str, *, external: bool = False, rid: str | None = None,
            absolute_target: bool = False) -> str:
        """Add a relationship to member ``target`` (or an external address); its id."""
        rid = rid or self.new_id()
        el = etree.SubElement(self.root, q("Relationship", NS_PKG_REL))
        el.set("Id", rid)
        el.set("Type", rtype)
        if external:
            el.set("Target", target)
            el.set("TargetMode", "External")
        elif absolute_target:
            el.set("Target", "/" + quote(target, safe="/._-~!$&'()*+,;=:@"))
        else:
            el.set("Target", relative(self.source, target))
        return rid

    def remove(self, rid: str) -> None:
        for rel in self.all():
            if rel.id == rid:
                self.root.remove(rel.element)


class ContentTypes:
    """``[Content_Types].xml``."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree

    @property
    def root(self) -> Element:
        return self.tree.getroot()

    def _defaults(self) -> dict[str, Element]:
        return {el.get("Extension", "").lower(): el
                for el in self.root if el.tag == q("Default", NS_CT)}

    def _overrides(self) -> dict[str, Element]:
        return {el.get("PartName", "").lower(): el
                for el in self.root if el.tag == q("Override", NS_CT)}

    @staticmethod
    def _part_name(part: str) -> str:
        return "/" + part

    def get(self, part: str) -> str | None:
        """Content type of member ``part`` [M2.9]."""
        ov = self._overrides().get(self._part_name(part).lower())
        if ov is None:
            ov = self._overrides().get(quote(self._part_name(part)).lower())
        if ov is not None:
            return ov.get("ContentType")
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        de = self._defaults().get(ext)
        return de.get("ContentType") if de is not None else None

    def set(self, part: str, content_type: str) -> None:
        """Make ``part`` have ``content_type`` with as little markup as needed [M2.8]."""
        if self.get(part) == content_type:
            return
        overrides = self._overrides()
        el = overrides.get(self._part_name(part).lower())
        if el is None:
            el = etree.SubElement(self.root, q("Override", NS_CT))
            el.set("PartName", self._part_name(part))
        el.set("ContentType", content_type)

    def remove(self, part: str) -> None:
        for key in (self._part_name(part).lower(), quote(self._part_name(part)).lower()):
            el = self._overrides().get(key)
            if el is not None:
                self.root.remove(el)
