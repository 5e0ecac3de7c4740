"""`drafter check`: reading a .docx (read.py), recognising a notice's elements (anatomy.py), the rules (rules.py),
and with --render the printed PDF (pdf_pages.py) and the rules measured on it (layout_measured.py).

``check`` and ``measured`` are loaded when first asked for, so that importing one of the modules (reading a .docx for
`drafter parents import`) costs no more than that module."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layout_measured import measured
    from .rules import check

__all__ = ["check", "measured"]


def __getattr__(name: str) -> object:  # object: a name not imported above is of no use to mypy
    if name == "check":
        from .rules import check

        return check
    if name == "measured":
        from .layout_measured import measured

        return measured
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
