"""Mark colours, keyed by what a mark means (its role), never by the symbol printed.

A secretariat that relabels ◎ on the 設定 sheet, or picks another grading scheme, keeps
the colours: the colour follows the role (target reached, half way, some progress, no
change, worse; 4-1's reached / missed; not judged) that the active scheme gives the
label (:func:`xlplan.core.schemes.role_of`).
"""

from __future__ import annotations

from xlplan.core.schemes import ROLE_COLOURS, Role, role_of
from xlplan.core.settings import Settings

NO_COLOUR = ("FFFFFF", "000000")


def colours_of(sheet: str, mark: str, settings: Settings) -> tuple[str, str]:
    """(fill, font colour) of a shown mark on ``sheet`` under the 設定 sheet's scheme."""
    role = role_of(settings.active_scheme, mark, sheet)
    return ROLE_COLOURS[role] if role is not None else NO_COLOUR


def role_colours(role: Role) -> tuple[str, str]:
    return ROLE_COLOURS[role]
