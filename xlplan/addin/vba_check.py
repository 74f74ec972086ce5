"""Checks a VBA project must pass before it ships: the same function for the build and the tests.

VBA compiles a module as a whole, so one call to a procedure that is not in the project
breaks every button of that module, and Excel says so only when a button is pressed.
:func:`check_project` finds that, and the other mistakes that show only inside Excel,
from the source text:

* ``callback``: every ribbon callback (``onAction`` ...) names a public Sub of the
  project; an ``onAction`` Sub takes exactly ``control As IRibbonControl``;
* ``undefined``: every procedure our modules call is defined in the project (in the
  same module, or public in another, or a ``Declare``) or is a VBA / Excel built-in of
  :data:`BUILTINS`;
* ``option-explicit``, ``ascii``, ``ptrsafe``: ``Option Explicit`` in every module of
  ours, ASCII-only source (the VBA editor reads text with the system code page), and
  every ``Declare`` is ``PtrSafe`` (64-bit Office refuses the others);
* ``ambiguous``: no public procedure of ours has the name of one in another module;
* ``needs-module``: a module we ship from xlwings calls a procedure of an xlwings
  module we do not ship.

This is a line scanner, not a parser: it knows comments, string literals, line
continuations, ``:`` between statements and declarations, which is enough to find the
calls of a plain module. No VBA grammar parser on PyPI is used here: the one that
parses (``antlr4-vba``) needs about 20 seconds for one module of ours, which the build
should not pay; the tests run it over our modules as a second, independent reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from xlplan.addin.vba_project import VbaModule

# VBA and Excel names our modules may call without defining them. Kept short on
# purpose and in plain view: a new built-in is added here with the code that uses it.
BUILTINS = frozenset(name.lower() for name in (
    # VBA library: conversion, strings, arrays, dates, files, interaction
    "Abs", "Array", "Asc", "AscW", "CBool", "CByte", "CDate", "CDbl", "CInt", "CLng",
    "CSng", "CStr", "CVar", "Chr", "Chr$", "ChrW", "ChrW$", "CreateObject", "Date",
    "DateAdd", "DateDiff", "Dir", "Dir$", "DoEvents", "Environ", "Environ$", "Error",
    "Fix", "Format", "Format$", "GetObject", "Hex", "Hex$", "IIf", "InStr", "InStrRev",
    "Int", "IsArray", "IsDate", "IsEmpty", "IsError", "IsMissing", "IsNull",
    "IsNumeric", "IsObject", "Join", "Kill", "LBound", "LCase", "LCase$", "Left",
    "Left$", "Len", "LTrim", "LTrim$", "Mid", "Mid$", "MkDir", "MsgBox", "Now",
    "Replace", "RGB", "Right", "Right$", "RTrim", "RTrim$", "Round", "Space", "Split",
    "StrComp", "String", "String$", "Timer", "Trim", "Trim$", "TypeName", "UBound",
    "UCase", "UCase$", "Val",
    # Excel's global members (Application's, reachable without a prefix)
    "ActiveSheet", "ActiveWorkbook", "Application", "Cells", "Columns", "Range", "Rows",
    "Sheets", "ThisWorkbook", "Workbooks", "Worksheets",
))

# Words that open a statement or sit before "(" without being a call.
KEYWORDS = frozenset(w.lower() for w in (
    "And", "As", "ByRef", "ByVal", "Call", "Case", "Const", "Declare", "Dim", "Do", "Each",
    "Else", "ElseIf", "End", "Enum", "Erase", "Exit", "For", "Friend", "Function", "Get",
    "GoSub", "GoTo", "If", "Implements", "In", "Is", "Let", "Like", "Loop", "Me", "Mod",
    "New", "Next", "Not", "Nothing", "On", "Option", "Optional", "Or", "ParamArray",
    "Preserve", "Private", "Property", "Public", "RaiseEvent", "ReDim", "Resume",
    "Return", "Select", "Set", "Static", "Step", "Stop", "Sub", "Then", "To", "Type",
    "TypeOf", "Until", "Wend", "While", "With", "WithEvents", "Xor", "Attribute",
))

# Ribbon attributes that name a VBA callback (customUI 2006/01 and 2009/07).
CALLBACK_ATTRS = ("onAction", "onChange", "onLoad", "loadImage", "getEnabled",
                  "getVisible", "getLabel", "getScreentip", "getSupertip", "getImage",
                  "getPressed", "getText", "getContent", "getItemCount", "getItemLabel",
                  "getSelectedItemIndex", "getShowImage", "getShowLabel", "getSize",
                  "getDescription", "getKeytip")

_PROC = re.compile(
    r"^(?:(Public|Private|Friend)\s+)?(?:Static\s+)?"
    r"(Sub|Function|Property\s+Get|Property\s+Let|Property\s+Set)\s+(\w+)\s*"
    r"(?:\(([^()]*(?:\([^()]*\)[^()]*)*)\))?", re.I)
_END_PROC = re.compile(r"^End\s+(Sub|Function|Property)\b", re.I)
_DECLARE = re.compile(r"^(?:(?:Public|Private)\s+)?Declare\s+(PtrSafe\s+)?(?:Sub|Function)\s+(\w+)",
                      re.I)
_IDENT = re.compile(r"[A-Za-z]\w*\$?")


@dataclass(frozen=True)
class Finding:
    """One problem: a stable code, where, and what (English; shown with the Japanese line)."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.where}: {self.message}"


@dataclass
class Procedure:
    module: str
    name: str
    kind: str  # sub, function, property
    public: bool
    params: str
    statements: list[str] = field(default_factory=list)


@dataclass
class ParsedModule:
    module: VbaModule
    procedures: list[Procedure]
    declares: dict[str, bool]  # name -> PtrSafe
    module_names: set[str]  # module-level variables, constants, enum members, types


def statements(code: str) -> list[str]:
    """The module's statements: comments and string contents removed, continuation
    lines joined, ``:``-separated statements split (a label keeps its colon)."""
    out: list[str] = []
    text = re.sub(r" _\r?\n", " ", code)
    for raw in text.splitlines():
        buf, i, in_str = [], 0, False
        while i < len(raw):
            ch = raw[i]
            if in_str:
                if ch == '"':
                    if raw[i + 1:i + 2] == '"':
                        i += 2
                        continue
                    in_str = False
                    buf.append('"')
                i += 1
                continue
            if ch == '"':
                in_str = True
                buf.append('"')
            elif ch == "'":
                break
            else:
                buf.append(ch)
            i += 1
        line = "".join(buf).strip()
        if re.match(r"Rem\b", line, re.I):
            continue
        label = re.match(r"^(\w+):(?!=)\s*(.*)$", line)
        if label and label.group(1).lower() not in KEYWORDS:
            out.append(label.group(1) + ":")
            line = label.group(2)
        for part in re.split(r":(?!=)", line):
            part = part.strip()
            # A one-line If holds statements after Then (and Else): scan them too.
            one_line_if = re.match(r"^((?:Else)?If\b.*?\bThen)\s+(\S.*)$", part, re.I)
            if one_line_if:
                out.append(one_line_if.group(1))
                out += [s.strip() for s in re.split(r"\bElse\b", one_line_if.group(2))
                        if s.strip()]
            elif part:
                out.append(part)
    return out


def _declared_names(stmt: str) -> list[str]:
    """Names a Dim / Const / Static / module-level declaration introduces."""
    m = re.match(r"^(?:(?:Public|Private|Global|Dim|Static|Const)\s+)+(?:WithEvents\s+)?(.*)$",
                 stmt, re.I)
    if not m or re.match(r"^(?:(?:Public|Private)\s+)?(?:Sub|Function|Property|Declare|"
                         r"Enum|Type|Event)\b", stmt, re.I):
        return []
    body = re.sub(r"\([^()]*\)", "", m.group(1))  # array bounds
    body = re.sub(r"^Const\s+", "", body, flags=re.I)
    return [p.strip().split()[0].rstrip("$%&!#@") for p in body.split(",") if p.strip()]


def _param_names(params: str) -> list[str]:
    names = []
    for p in re.sub(r"\([^()]*\)", "", params or "").split(","):
        words = [w for w in p.split() if w.lower() not in
                 {"optional", "byval", "byref", "paramarray"}]
        if words:
            names.append(words[0].rstrip("$%&!#@"))
    return names


def parse_module(module: VbaModule) -> ParsedModule:
    procs: list[Procedure] = []
    declares: dict[str, bool] = {}
    names: set[str] = set()
    current: Procedure | None = None
    in_block: str | None = None  # Enum / Type
    for stmt in statements(module.code):
        if stmt.startswith(("#", "Attribute ")):
            continue
        if in_block:
            if re.match(rf"^End\s+{in_block}\b", stmt, re.I):
                in_block = None
            elif in_block.lower() == "enum":
                names.add(stmt.split()[0].lower())
            continue
        if current is None:
            block = re.match(r"^(?:(?:Public|Private)\s+)?(Enum|Type)\s+(\w+)", stmt, re.I)
            if block:
                in_block = block.group(1)
                names.add(block.group(2).lower())
                continue
            d = _DECLARE.match(stmt)
            if d:
                declares[d.group(2).lower()] = bool(d.group(1))
                continue
            p = _PROC.match(stmt)
            if p:
                scope, kind, name, params = p.groups()
                current = Procedure(module.name, name, kind.split()[0].lower(),
                                    (scope or "Public").lower() != "private", params or "")
                procs.append(current)
                continue
            names.update(n.lower() for n in _declared_names(stmt))
        elif _END_PROC.match(stmt):
            current = None
        else:
            current.statements.append(stmt)
    return ParsedModule(module, procs, declares, names)


def called_names(proc: Procedure, module_names: set[str]) -> list[str]:
    """Unqualified names ``proc`` calls: ``Name(`` in an expression, or a statement
    that starts with a name and is not an assignment (``Name arg, arg`` / ``Call``).
    Local variables, parameters and module-level variables are not calls."""
    local = {n.lower() for n in _param_names(proc.params)} | module_names
    for stmt in proc.statements:
        local.update(n.lower() for n in _declared_names(stmt))
        m = re.match(r"^(?:ReDim\s+(?:Preserve\s+)?)(\w+)", stmt, re.I)
        if m:
            local.add(m.group(1).lower())
        m = re.match(r"^For\s+(?:Each\s+)?(\w+)", stmt, re.I)
        if m:
            local.add(m.group(1).lower())
    local.add(proc.name.lower())  # a Function assigns its own name
    calls: list[str] = []
    for stmt in proc.statements:
        if stmt.endswith(":") or re.match(r"^(?:Dim|Static|Const|ReDim)\b", stmt, re.I):
            stmt = re.sub(r"^.*?=", "", stmt) if re.match(r"^Const\b", stmt, re.I) else ""
        text = re.sub(r'"[^"]*"', '""', stmt)
        call = re.match(r"^Call\s+(\w+\$?)", text, re.I)
        if call:
            calls.append(call.group(1))
        first = re.match(r"^([A-Za-z]\w*\$?)(?=\s|$)(?!\s*=)(?!\s*\()", text)
        if first and first.group(1).lower() not in KEYWORDS:
            calls.append(first.group(1))
        for m in re.finditer(r"(?<![\w.$])([A-Za-z]\w*\$?)\s*\(", text):
            calls.append(m.group(1))
    return [c for c in calls if c.lower() not in KEYWORDS and c.lower() not in local]


def check_project(modules: Sequence[VbaModule], *, ours: Iterable[str],
                  ribbon_xml: bytes | None = None,
                  unshipped: Sequence[VbaModule] = ()) -> list[Finding]:
    """Every finding for the project made of ``modules``; ``[]`` when it may ship.

    ``ours`` names the modules we write (checked in full); the others (xlwings' client)
    are checked only for what they need from ``unshipped`` modules of their package.
    """
    ours = {n.lower() for n in ours}
    parsed = {m.name.lower(): parse_module(m) for m in modules}
    public: dict[str, list[str]] = {}
    for pm in parsed.values():
        for p in pm.procedures:
            if p.public and pm.module.kind == "standard":
                public.setdefault(p.name.lower(), []).append(pm.module.name)
        for name in pm.declares:
            public.setdefault(name, []).append(pm.module.name)
    findings: list[Finding] = []
    for key, pm in parsed.items():
        if key not in ours:
            continue
        name = pm.module.name
        code = pm.module.code
        if not code.isascii():
            line = next(i for i, text in enumerate(code.splitlines(), 1) if not text.isascii())
            findings.append(Finding("ascii", f"{name}:{line}", "non-ASCII character"))
        if not re.search(r"^Option Explicit\s*$", code, re.M | re.I):
            findings.append(Finding("option-explicit", name, "no Option Explicit"))
        for decl, ptrsafe in pm.declares.items():
            if not ptrsafe:
                findings.append(Finding("ptrsafe", name, f"Declare {decl} is not PtrSafe"))
        own = {p.name.lower() for p in pm.procedures} | set(pm.declares)
        for p in pm.procedures:
            if p.public and pm.module.kind == "standard" and len(public[p.name.lower()]) > 1:
                others = [m for m in public[p.name.lower()] if m != name]
                findings.append(Finding("ambiguous", f"{name}.{p.name}",
                                        f"also public in {', '.join(others)}"))
            for called in dict.fromkeys(called_names(p, pm.module_names)):
                low = called.lower()
                if low in own or low in public or low in BUILTINS or low in parsed:
                    continue
                findings.append(Finding("undefined", f"{name}.{p.name}",
                                        f"calls {called}, which is not in the project "
                                        "nor a VBA/Excel built-in"))
    if ribbon_xml is not None:
        findings += _check_callbacks(ribbon_xml, parsed)
    findings += _check_needs(parsed, ours, unshipped)
    return findings


def _check_callbacks(ribbon_xml: bytes, parsed: dict[str, ParsedModule]) -> list[Finding]:
    out: list[Finding] = []
    for el in ET.fromstring(ribbon_xml).iter():
        for attr in CALLBACK_ATTRS:
            target = el.get(attr)
            if not target:
                continue
            where = f"ribbon {el.get('id', el.tag)} {attr}={target}"
            module, _, sub = target.rpartition(".")
            if module and module.lower() not in parsed:
                out.append(Finding("callback", where, f"no module {module} in the project"))
                continue
            candidates = [parsed[module.lower()]] if module else list(parsed.values())
            procs = [p for pm in candidates for p in pm.procedures
                     if p.name.lower() == sub.lower() and p.public and p.kind == "sub"]
            if not procs:
                out.append(Finding("callback", where, f"no public Sub {sub}"))
            elif attr == "onAction" and " ".join(procs[0].params.split()).lower() != \
                    "control as iribboncontrol":
                out.append(Finding("callback", where, f"{sub}({procs[0].params}) must take "
                                                      "(control As IRibbonControl)"))
    return out


def _check_needs(parsed: dict[str, ParsedModule], ours: set[str],
                 unshipped: Sequence[VbaModule]) -> list[Finding]:
    """A shipped third-party module that calls into a module left out breaks its compile."""
    if not unshipped:
        return []
    provides: dict[str, str] = {}
    for m in unshipped:
        if m.name.lower() in parsed:
            continue
        for p in parse_module(m).procedures:
            if p.public:
                provides.setdefault(p.name.lower(), m.name)
    out: list[Finding] = []
    for key, pm in parsed.items():
        if key in ours:
            continue
        own = {p.name.lower() for p in pm.procedures}
        needed: dict[str, str] = {}
        for p in pm.procedures:
            for called in called_names(p, pm.module_names):
                low = called.lower()
                if low in provides and low not in own:
                    needed.setdefault(provides[low], called)
        for mod, called in sorted(needed.items()):
            out.append(Finding("needs-module", pm.module.name,
                               f"calls {called} of {mod}, which is not shipped"))
    return out
