"""Measuring a rendered PDF in millimetres: text lines, characters per line, rules, page numbers.

Used by `drafter check --render` (layout_measured.py) and the layout tests; positions are from the paper's
top-left corner."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from ..gbt9704 import PT_MM as PT  # mm per point


@dataclass
class Line:
    """A line of text as laid out: its characters, top and bottom, left and right edges (mm), and sizes (pt).

    ``baseline`` is where the glyphs stand. LibreOffice places it in an exact-height grid line by the font's
    ascent and descent, so it sits a few tenths of a millimetre higher or lower from one Chinese font to another;
    measure the grid by baselines with that tolerance."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    sizes: tuple[float, ...]
    colors: tuple
    baseline: float

    @property
    def size(self) -> float:
        return max(set(self.sizes), key=self.sizes.count)


@dataclass
class Rule:
    top: float
    x0: float
    x1: float
    width_pt: float
    color: tuple

    @property
    def length(self) -> float:
        return self.x1 - self.x0


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]
    turned: Line | None = None  # text set across the page (a landscape page's number), its characters top to bottom

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _group_lines(chars: list[dict], page_height: float) -> list[Line]:
    """The page's upright characters in lines: each joins the first line begun (top to bottom) whose first
    character's bottom is within 2 pt of its own. Lines are begun in the order of their rounded bottoms, so only
    those within 3 of the character's rounded bottom can hold it: they are found by bisection, not by trying every
    line (a page of tiny type has hundreds)."""
    rows: list[list[dict]] = []
    keys: list[int] = []  # each row's first character's rounded bottom, in the order rows were begun (ascending)
    for ch in sorted(chars, key=lambda c: (round(c["bottom"], 0), c["x0"])):
        if ch["text"].isspace() or not ch.get("upright", True):  # text set across the page: _turned
            continue
        key = round(ch["bottom"])
        k = bisect.bisect_left(keys, key - 3)
        while k < len(rows) and keys[k] <= key + 3 and abs(rows[k][0]["bottom"] - ch["bottom"]) >= 2.0:
            k += 1
        if k < len(rows) and keys[k] <= key + 3:
            rows[k].append(ch)
        else:
            rows.append([ch])
            keys.append(key)
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        out.append(Line(
            text="".join(c["text"] for c in row),
            top=min(c["top"] for c in row) * PT, bottom=max(c["bottom"] for c in row) * PT,
            x0=row[0]["x0"] * PT, x1=row[-1]["x1"] * PT,
            sizes=tuple(round(c["size"], 1) for c in row),
            colors=tuple(tuple(c.get("non_stroking_color") or ()) for c in row),
            baseline=max(page_height - c["matrix"][5] for c in row) * PT))
    return sorted(out, key=lambda line: line.top)


def _turned(chars: list[dict]) -> Line | None:
    """The characters set across the page (not upright), read top to bottom, as one line."""
    turned = sorted((c for c in chars if not c.get("upright", True) and not c["text"].isspace()),
                    key=lambda c: c["top"])
    if not turned:
        return None
    return Line(text="".join(c["text"] for c in turned), top=min(c["top"] for c in turned) * PT,
                bottom=max(c["bottom"] for c in turned) * PT, x0=min(c["x0"] for c in turned) * PT,
                x1=max(c["x1"] for c in turned) * PT, sizes=tuple(round(c["size"], 1) for c in turned),
                colors=tuple(tuple(c.get("non_stroking_color") or ()) for c in turned), baseline=0.0)


def read_pdf(path: Path) -> list[Page]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for i, pg in enumerate(pdf.pages, 1):
            rules = []
            # rules drawn as lines, as rectangles, or as filled shapes (LibreOffice draws a shape as a curve)
            for r in list(pg.lines) + list(pg.rects) + [c for c in pg.curves if c.get("fill")]:
                height = abs(r["bottom"] - r["top"])
                if height * PT > 2:  # a box, not a rule
                    continue
                rules.append(Rule(top=(r["top"] + r["bottom"]) / 2 * PT, x0=r["x0"] * PT, x1=r["x1"] * PT,
                                  width_pt=max(r.get("linewidth") or 0, height),
                                  color=tuple(r.get("stroking_color") or r.get("non_stroking_color") or ())))
            pages.append(Page(i, float(pg.width) * PT, float(pg.height) * PT,
                              _group_lines(pg.chars, float(pg.height)), sorted(rules, key=lambda r: r.top),
                              _turned(pg.chars)))
    return pages
