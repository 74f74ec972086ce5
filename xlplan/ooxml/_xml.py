"""XML helpers: namespaces, a safe parser and a serializer that keeps prefixes.

lxml is used (not ``xml.etree``) because it keeps every namespace declaration and prefix
of a part as it was read. ``mc:Ignorable="x14ac xr"`` names *prefixes*; ElementTree
renames prefixes to ``ns0``… on output and drops declarations it thinks unused, which
breaks that attribute and makes Excel refuse the part. lxml also keeps attribute order,
comments and processing instructions, so a part we edit differs from the original only
where we changed it.
"""

from __future__ import annotations

from lxml import etree

from .errors import PackageError

Element = etree._Element
Tree = etree._ElementTree

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_XM = "http://schemas.microsoft.com/office/excel/2006/main"
NS_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
NS_XML = "http://www.w3.org/XML/1998/namespace"
NS_VML_EXCEL = "urn:schemas-microsoft-com:office:excel"

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def q(tag: str, ns: str = NS_MAIN) -> str:
    """Clark name ``{ns}tag``."""
    return f"{{{ns}}}{tag}"


def parse(data: bytes, part: str) -> Tree:
    """Parse one part. No DTDs, no entities, no network (OOXML parts never need them)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             load_dtd=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise PackageError(f"part /{part} is not well-formed XML ({e.msg})") from None
    tree = root.getroottree()
    if getattr(tree.docinfo, "doctype", ""):
        raise PackageError(f"part /{part} declares a DTD, which Office Open XML does not allow")
    return tree


def serialize(tree: Tree) -> bytes:
    """The part's bytes: an Excel-style XML declaration, then the document as lxml keeps it."""
    body = etree.tostring(tree, xml_declaration=False, encoding="UTF-8")
    return XML_DECLARATION + body


def local(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: Element, tag: str) -> list[Element]:
    return [c for c in el if c.tag == tag]


def canonical(el: Element) -> tuple[object, ...]:
    """A hashable key for an element: equal keys mean the same markup (attribute order aside)."""
    kids = tuple(canonical(c) for c in el if isinstance(c.tag, str))
    attrs = tuple(sorted((str(k), str(v)) for k, v in el.attrib.items()))
    return (el.tag, attrs, (el.text or "").strip(), kids)


def insert_in_order(parent: Element, child: Element, order: tuple[str, ...]) -> None:
    """Insert ``child`` (whose local name is in ``order``) before the first sibling that the
    schema sequence ``order`` puts after it. Siblings not in ``order`` (``mc:AlternateContent``
    wrappers, comments) are stepped over, so the child never lands inside a run of them
    that belongs later in the sequence by accident of position."""
    rank = order.index(local(child))
    for i, sib in enumerate(parent):
        sib_name = local(sib)
        if sib_name in order and order.index(sib_name) > rank:
            parent.insert(i, child)
            return
    parent.append(child)
