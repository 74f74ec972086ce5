"""Property: any text XML can carry is written as text and read back unchanged."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.lanes import examples
from xlplan.ooxml import Package

ILLEGAL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                   0xFFFE, 0xFFFF])
legal_chars = st.characters(codec=None, exclude_categories=("Cs",),
                            exclude_characters=ILLEGAL)
formula_prefix = st.sampled_from(["", "=", "＝", "+", "-", "@", "'", "=HYPERLINK(", "_x0041_",
                                  "_x005F_", " ", "\t", "\r\n"])
texts = st.builds(lambda p, t: p + t, formula_prefix, st.text(legal_chars, max_size=40))


def decode(text: str) -> str:
    """ECMA-376 Part 1 §22.9.2.19 ST_Xstring decoding (openpyxl does not apply it)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


@pytest.fixture(scope="module")
def small() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = "seed"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(texts, min_size=1, max_size=6))
def test_text_round_trips_through_openpyxl(small: bytes, values: list[str]) -> None:
    pkg = Package.read(small)
    pkg.set_cells("S", {(i + 2, 2): v for i, v in enumerate(values)})
    ws = openpyxl.load_workbook(io.BytesIO(pkg.to_bytes()))["S"]
    for i, v in enumerate(values):
        cell = ws.cell(i + 2, 2)
        assert cell.data_type == "s"
        got = cell.value
        if v == "":
            assert got in ("", None)  # an empty inline string reads back as empty
        else:
            assert decode(got) == v


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.text(legal_chars, max_size=5), bad=st.sampled_from(list(ILLEGAL)),
       suffix=st.text(legal_chars, max_size=5))
def test_illegal_characters_refused(small: bytes, prefix: str, bad: str, suffix: str) -> None:
    pkg = Package.read(small)
    with pytest.raises(ValueError, match="cannot store"):
        pkg.set_cells("S", {(1, 1): prefix + bad + suffix})
    assert pkg.to_bytes() == Package.read(small).to_bytes()
