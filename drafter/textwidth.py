"""Widths of text in character cells, the unit of the 公文 grid: a Chinese character or full-width sign is one
cell, a half-width digit, letter or sign half a cell."""

from __future__ import annotations

import unicodedata


def cells(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def lines_needed(text: str, per_line: float, first_indent: float = 0.0, hanging: float = 0.0) -> int:
    """Lines a paragraph takes at ``per_line`` cells a line (a close estimate: no kinsoku shuffling)."""
    lines, used = 1, first_indent
    for ch in text:
        w = cells(ch)
        if used + w > per_line + 1e-9:
            lines += 1
            used = hanging
        used += w
    return lines
