"""A minimal writer of MS-CFB compound files (version 3, 512-byte sectors).

Enough for ``xl/vbaProject.bin``: a root storage holding streams and one level of
storages (``VBA``), written once, in one pass, with no free space to manage. Section
numbers refer to [MS-CFB] (Compound File Binary File Format, revision 10.0).

Layout of the file this module writes, in sector order after the 512-byte header::

    [large streams][mini stream][mini FAT][directory][FAT]

Streams shorter than the mini stream cutoff (4,096 bytes) live in the mini stream in
64-byte mini sectors (§2.1, §2.4); larger ones in their own chains of regular sectors.
Every timestamp and CLSID is zero, so the same input gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512  # §2.2: sector shift 9 in a version 3 file
MINI_SECTOR = 64  # §2.2: mini sector shift 6
MINI_CUTOFF = 4096  # §2.2: mini stream cutoff size
DIR_ENTRY = 128  # §2.6
# §2.1 special sector numbers
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF  # §2.6.1: no sibling / child
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
HEADER_DIFAT = 109  # §2.2: FAT sector locations held by the header itself
# §2.6.1 object types and colours
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    color: int = BLACK
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """§2.6.4: shorter names first, then by upper-cased UTF-16 code points."""
    return (len(name.encode("utf-16-le")), name.upper())


def _tree(children: list[_Entry]) -> int:
    """Link ``children`` as a red-black tree (§2.6.4); return the root's stream ID.

    The tree is built by splitting the sorted list at its middle, so the two subtrees
    of any node differ in size by one at most and every empty child pointer hangs
    below the deepest level of nodes or the one above it. Colouring the deepest level
    red and everything else black then meets every red-black rule: a red node has
    only empty children, and every path to an empty pointer passes the same number
    of black nodes.
    """
    ordered = sorted(children, key=lambda e: _sort_key(e.name))
    if not ordered:
        return NOSTREAM
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ordered[mid]
        depth_of[node.sid] = depth
        node.left = build(lo, mid, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        return node.sid

    root = build(0, len(ordered), 0)
    deepest = max(depth_of.values())
    for e in ordered:
        e.color = RED if depth_of[e.sid] == deepest > 0 else BLACK
    return root


def _dir_entry(e: _Entry) -> bytes:
    """One 128-byte directory entry (§2.6.1)."""
    name = e.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"CFB names are at most 31 characters: {e.name!r}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name) + 2 if e.name else 0, e.kind, e.color, e.left, e.right, e.child,
        b"\0" * 16, 0, 0, 0, e.start, e.size)


_UNUSED_ENTRY = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM,
                            NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\0" * (-len(data) % unit)


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """The bytes of a compound file holding ``streams``.

    Keys are paths below the root storage, ``/`` between a storage and its stream:
    ``{"PROJECT": b"...", "VBA/dir": b"..."}``. One level of storages is enough here.
    """
    root = _Entry("Root Entry", ROOT)
    storages: dict[str, _Entry] = {}
    entries = [root]
    for path, data in streams.items():
        parent = root
        *folders, name = path.split("/")
        if len(folders) > 1:
            raise ValueError(f"only one level of storages is supported: {path!r}")
        for folder in folders:
            if folder not in storages:
                storages[folder] = _Entry(folder, STORAGE)
                root.children.append(storages[folder])
                entries.append(storages[folder])
            parent = storages[folder]
        stream = _Entry(name, STREAM, bytes(data), size=len(data))
        parent.children.append(stream)
        entries.append(stream)
    for sid, e in enumerate(entries):
        e.sid = sid
    for e in entries:
        e.child = _tree(e.children)

    sectors: list[bytes] = []  # the file after its header, one 512-byte sector each
    fat: list[int] = []

    def chain(data: bytes, marker: int | None = None) -> int:
        """Append ``data`` as a chain of sectors; return its first sector number."""
        first = len(sectors)
        count = max(1, -(-len(data) // SECTOR))
        padded = _pad(data, SECTOR) or b"\0" * SECTOR
        for i in range(count):
            sectors.append(padded[i * SECTOR:(i + 1) * SECTOR])
            fat.append(marker if marker is not None else
                       (first + i + 1 if i + 1 < count else ENDOFCHAIN))
        return first

    # Large streams: their own sector chains (§2.3).
    for e in entries:
        if e.kind == STREAM and e.size >= MINI_CUTOFF:
            e.start = chain(e.data)
    # Small streams: 64-byte mini sectors in the mini stream, chained in the mini FAT
    # (§2.4); the mini stream itself is the root entry's stream (§2.6.2).
    mini = bytearray()
    minifat: list[int] = []
    for e in entries:
        if e.kind == STREAM and e.size < MINI_CUTOFF:
            if e.size == 0:
                e.start = ENDOFCHAIN
                continue
            first = len(minifat)
            count = -(-e.size // MINI_SECTOR)
            minifat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            mini += _pad(e.data, MINI_SECTOR)
            e.start = first
    if mini:
        root.start, root.size = chain(bytes(mini)), len(mini)
        # Unused mini FAT slots are FREESECT (§2.3).
        free_slots = -len(minifat) % (SECTOR // 4)
        minifat_data = struct.pack(f"<{len(minifat) + free_slots}I", *minifat,
                                   *[FREESECT] * free_slots)
        first_minifat, n_minifat = chain(minifat_data), len(minifat_data) // SECTOR
    else:
        first_minifat, n_minifat = ENDOFCHAIN, 0
    # Directory (§2.6): entries in stream-ID order, unused entries fill the last sector.
    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _UNUSED_ENTRY * (-len(entries) % (SECTOR // DIR_ENTRY))
    first_dir = chain(directory)
    # FAT (§2.3): it describes itself too, so size it with its own sectors included.
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > HEADER_DIFAT:
        raise ValueError("file too large for a header-only DIFAT")
    fat_first = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * (SECTOR // 4) - len(fat))
    fat_data = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(n_fat):
        sectors.append(fat_data[i * SECTOR:(i + 1) * SECTOR])
    difat = [fat_first + i for i in range(n_fat)] + [FREESECT] * (HEADER_DIFAT - n_fat)
    # Header (§2.2).
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        SIGNATURE, b"\0" * 16,
        0x003E, 0x0003,  # minor version, major version 3
        0xFFFE,  # byte order: little-endian
        9, 6,  # sector shift, mini sector shift
        b"\0" * 6,
        0,  # number of directory sectors: must be 0 in version 3
        n_fat, first_dir,
        0,  # transaction signature
        MINI_CUTOFF,
        first_minifat, n_minifat,
        ENDOFCHAIN, 0,  # no DIFAT sectors
    ) + struct.pack(f"<{HEADER_DIFAT}I", *difat)
    assert len(header) == SECTOR
    return header + b"".join(sectors)
