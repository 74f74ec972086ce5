"""How hard the property tests try: every example in ``make test`` (CI), a fifth of them in
``make quick`` (which sets ``XLPLAN_LANE=quick``) so the fast lane stays under 3 minutes."""

from __future__ import annotations

import os

QUICK = os.environ.get("XLPLAN_LANE") == "quick"


def examples(n: int) -> int:
    """``n`` examples, or a fifth of them (at least 20) in the quick lane."""
    return max(20, n // 5) if QUICK else n
