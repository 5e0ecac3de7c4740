"""Breaking a long 标题 into lines that form a trapezoid, only at phrase boundaries."""

from __future__ import annotations

import re

from . import gbt9704 as G
from .textwidth import cells

TITLE_CELLS = G.TITLE_CHARS  # 二号 characters on the text block's line

# Spans that must stay whole: a quoted name (“安全生产月”), a number with its unit (2025年), and the names given.
_KEEP = re.compile(r"“[^”]*”|《[^》]*》|\d+[年月日号个]?")
# Places where a title may break: before these words (after the issuer, before the subject) …
_BEFORE = ("关于", "开展", "印发", "转发", "做好", "“", "《", "活动的", "的通知", "暨", "工作的")


# Words a line never ends inside, even when no phrase boundary fits.
_WORDS = ("通知", "方案", "活动", "安全", "生产", "关于", "开展", "印发", "办公室", "委员会", "管理局", "应急")


def _spans(title: str, keep: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans kept whole: quoted names, numbers with their unit, the names given (an organ's name, the scope). A
    cited title too long for a line (关于印发《…活动方案》的通知) breaks inside, at its own phrases."""
    spans = [m.span() for m in _KEEP.finditer(title) if not (m.group().startswith("《") and len(m.group()) > 12)]
    for name in keep:
        spans += [m.span() for m in re.finditer(re.escape(name), title)] if name else []
    return spans


def break_points(title: str, keep: tuple[str, ...] = ()) -> list[int]:
    """Indexes at which a line may start, never inside a kept span (quoted names, numbers, place names)."""
    protected: set[int] = set()
    spans = _spans(title, keep)
    for start, end in spans:
        protected.update(range(start + 1, end))
    points: set[int] = set()
    for word in _BEFORE:
        points.update(m.start() for m in re.finditer(re.escape(word), title))
    for start, end in spans:
        points.update((start, end))
    points.update(i + 1 for i, ch in enumerate(title) if ch in " 　")
    return sorted(p for p in points if 0 < p < len(title) and p not in protected)


def split_title(title: str, keep: tuple[str, ...] = (), width: float = TITLE_CELLS) -> list[str]:
    """The title as lines of at most ``width`` cells, as few as possible, lengths as even as possible, and
    never a longer line above a shorter one by more than a little (a trapezoid, wider at the bottom)."""
    title = title.strip()
    if cells(title) <= width:
        return [title]
    points = break_points(title, keep)
    total = _Prefix(title)
    best: tuple[float, list[str]] | None = None
    for count in range(1, min(len(points), 4) + 1):
        for lines in _cuts(title, points, count, width, total):
            widths = [cells(line) for line in lines]
            spread = max(widths) - min(widths)
            inverted = sum(max(0.0, a - b) for a, b in zip(widths, widths[1:]))  # a wider line above a narrower one
            score = spread + 2 * inverted
            if best is None or score < best[0]:
                best = (score, lines)
        if best:
            return best[1]
    # No phrase boundary fits: each line as long as it may be, ending outside the spans kept whole that fit a line,
    # never inside a number or a word.
    inside = {i for start, end in _spans(title, keep) if cells(title[start:end]) <= width for i in range(start + 1, end)}
    for word in _WORDS:
        inside.update(m.start() + k for m in re.finditer(word, title) for k in range(1, len(word)))
    inside.update(i for i in range(1, len(title)) if title[i - 1].isdigit() and title[i].isdigit())
    phrases = set(points)
    lines, start = [], 0
    while total.cells(start, len(title)) > width:
        last = start + 1  # the lines that fit end at start+1 … last (at least one character a line)
        while last < len(title) - 1 and total.cells(start, last + 1) <= width:
            last += 1
        fits = range(start + 1, last + 1)
        long_enough = [i for i in fits if total.cells(start, i) >= width * 0.6]
        end = next((i for i in reversed(long_enough) if i in phrases),  # a phrase boundary, if the line stays long
                   next((i for i in reversed(fits) if i not in inside), fits[-1]))
        lines.append(title[start:end].strip())
        start = end
    return lines + [title[start:].strip()]


class _Prefix:
    """Widths of the slices of one text in constant time: cells, and cells of what is not white space."""

    def __init__(self, text: str):
        self.all, self.ink = [0.0], [0.0]
        for ch in text:
            w = cells(ch)
            self.all.append(self.all[-1] + w)
            self.ink.append(self.ink[-1] + (0.0 if ch.isspace() else w))

    def cells(self, start: int, end: int) -> float:
        return self.all[end] - self.all[start]

    def inked(self, start: int, end: int) -> float:
        return self.ink[end] - self.ink[start]


def _cuts(title: str, points: list[int], count: int, width: float, total: _Prefix):
    """The lines of every way to break ``title`` at ``count`` of ``points`` (in the order of
    itertools.combinations) in which each line, stripped, is not empty and fits ``width``. Ways that cannot fit are
    never built: a line is extended only while it fits, and only while what is left can still fit the lines left —
    so the work follows the ways that fit, not every combination of the points."""
    line_of: dict[tuple[int, int], tuple[str, float]] = {}

    def line(a: int, b: int) -> tuple[str, float]:
        if (a, b) not in line_of:
            text = title[a:b].strip()
            line_of[(a, b)] = (text, cells(text))
        return line_of[(a, b)]

    def walk(start: int, first: int, left: int, lines: list[str]):
        if left == 0:
            text, w = line(start, len(title))
            if text and w <= width:
                yield [*lines, text]
            return
        for k in range(first, len(points) - left + 1):
            end = points[k]
            if total.inked(start, end) > width:
                break  # longer lines from here are wider still
            if total.inked(end, len(title)) > left * width:
                continue  # what is left cannot fit the lines left
            text, w = line(start, end)
            if text and w <= width:
                yield from walk(end, k + 1, left - 1, [*lines, text])

    yield from walk(0, 0, count, [])
