"""Mark colours, keyed by what a mark means (its role), never by the symbol printed.

A secretariat that relabels ◎ on the 設定 sheet, or picks another grading scheme, keeps
the colours: the colour follows the role (target reached, half way, some progress, no
change, worse; 4-1's reached / missed; not judged).
"""

from __future__ import annotations

from xlplan.core.settings import MarkLabels

# role → (fill, font colour), RRGGBB: green on track, amber behind, red worse, grey none.
ROLE_COLOURS: dict[str, tuple[str, str]] = {
    "full": ("C6EFCE", "006100"),
    "half": ("E2EFDA", "375623"),
    "some": ("FFEB9C", "9C5700"),
    "none": ("EDEDED", "595959"),
    "worse": ("FFC7CE", "9C0006"),
    "reached": ("E2EFDA", "375623"),
    "missed": ("FFC7CE", "9C0006"),
    "unknown": ("EDEDED", "595959"),
    "suspended": ("EDEDED", "595959"),
    "ungraded": ("EDEDED", "595959"),
}
NO_COLOUR = ("FFFFFF", "000000")

# Roles that grade progress on 4-2/4-3, and the mid-target roles of 4-1.
PROGRESS_ROLES = ("full", "half", "some", "none", "worse")
MID_ROLES = ("reached", "missed")
COMMON_ROLES = ("unknown", "suspended")


def role_of(sheet: str, mark: str, labels: MarkLabels) -> str | None:
    """The role of a shown mark on ``sheet`` ("4-1" marks are reached/missed)."""
    roles = (MID_ROLES if sheet == "4-1" else PROGRESS_ROLES) + COMMON_ROLES
    for role in roles:
        if getattr(labels, role) == mark:
            return role
    return None


def colours_of(sheet: str, mark: str, labels: MarkLabels) -> tuple[str, str]:
    role = role_of(sheet, mark, labels)
    return ROLE_COLOURS[role] if role is not None else NO_COLOUR
