"""`drafter check --render`: the page as printed. The .docx goes through LibreOffice to PDF and is measured in
millimetres, with the same yardsticks as the layout tests: paper, text block, 22 lines × 28 characters, the red
mark's place, page numbers."""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import Finding
from .lint import STD, finding

if TYPE_CHECKING:
    from .measure import Line, Page

TOP, BOTTOM, LEFT, RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0
PITCH = 225 / 22  # mm between lines
PAGE_NO = re.compile(r"^—\s*(\d+)\s*—$")
ONE_CHAR = 14 * 25.4 / 72  # mm: the width of one 4号 character, the space between a page number and the edge
HANGING = "，。、；：！？”’）》"  # punctuation that may hang past the right edge at a line's end
FULL_WIDTH = re.compile(r"^[\u4e00-\u9fff，。、“”：；（）！？《》—]+$")


def measured(path: Path) -> list[Finding]:
    from .measure import read_pdf
    from .pdf import to_pdf

    with tempfile.TemporaryDirectory() as tmp:
        pages = read_pdf(to_pdf(Path(path), Path(tmp)))
    out: list[Finding] = []
    for page in pages:
        where = f"第{page.number}页"
        if abs(page.width - 210) > 1 or abs(page.height - 297) > 1:
            out.append(finding("error", "页面", f"{where}不是 A4（{page.width:.0f}×{page.height:.0f} mm）", f"{STD} 5.1"))
        body = [ln for ln in page.lines if ln.bottom <= BOTTOM + 1 and not PAGE_NO.match(ln.text)]
        outside = [ln for ln in body if ln.x0 < LEFT - 1.5 or ln.top < TOP - 1.5 or ln.x1 > RIGHT + 1.5
                   and not (ln.text[-1] in HANGING and ln.x1 <= RIGHT + 6)]
        if outside:
            out.append(finding("error", "版心", f"{where}有文字超出版心（156×225 mm）", f"{STD} 5.2.1", outside[0].text))
        text = [ln for ln in body if abs(ln.size - 16) < 0.5]
        if len(text) > 22:
            out.append(finding("error", "行数", f"{where}排了 {len(text)} 行三号字，应为每面 22 行", f"{STD} 5.2.3"))
        gaps = [b.top - a.top for a, b in zip(text, text[1:]) if 0 < b.top - a.top < 2 * PITCH - 1]
        if len(gaps) >= 8 and abs(statistics.median(gaps) - PITCH) > 0.4:
            out.append(finding("error", "行数", f"{where}行距 {statistics.median(gaps):.2f} mm，每面排不成 22 行"
                                                f"（应为 {PITCH:.2f} mm）", f"{STD} 5.2.3"))
        widest = max((len(ln.text) for ln in text if FULL_WIDTH.match(ln.text)), default=0)
        if widest > 28:
            out.append(finding("error", "字数", f"{where}有一行排了 {widest} 字，应为每行 28 字", f"{STD} 5.2.3"))
    return out + _page_numbers(pages) + _red_mark(pages)


def page_number(page: Page) -> Line | None:
    """The page number as printed: a line in “— N —” form anywhere, else a short line with a number below the text
    block (where a “-1-”, “第1页” or bare “1” sits)."""
    proper = next((ln for ln in page.lines if PAGE_NO.match(ln.text)), None)
    if proper is not None:
        return proper
    below = [ln for ln in page.lines if ln.top > BOTTOM + 1 and len(ln.text) <= 12 and re.search(r"\d", ln.text)]
    return below[-1] if below else None


def _page_numbers(pages: list[Page]) -> list[Finding]:
    """Form, height and side of the page numbers: “— N —”, 7 mm under the text block, odd pages right and even
    pages left, one character in from the edge. Each problem is reported once, with the pages it is on."""
    found: dict[tuple[str, str], list[tuple[Page, Line]]] = {}
    for page in pages:
        number = page_number(page)
        if number is None:
            has_text = any(ln.bottom <= BOTTOM + 1 for ln in page.lines)
            if has_text and page.number < len(pages):  # the last page may be the 版记's, which has none
                found.setdefault(("warning", "missing"), []).append((page, number))
            continue
        side = "right" if page.number % 2 == 1 else "left"
        gap = RIGHT - number.x1 if side == "right" else number.x0 - LEFT
        problems = [("error", "form") if not PAGE_NO.match(number.text) else None,
                    ("error", "height") if abs(number.top - (BOTTOM + 7)) > 1.5 else None,
                    ("error", side) if gap > 12 or gap < -1.5 else
                    ("warning", f"{side} indent") if abs(gap - ONE_CHAR) > 1.5 else None]
        for problem in filter(None, problems):
            found.setdefault(problem, []).append((page, number))
    out = []
    for (severity, problem), where in found.items():
        page, line = where[0]
        on = "第" + "、".join(str(p.number) for p, _ in where) + "页"
        message = {
            "missing": f"{on}没有页码",
            "form": f"{on}的页码写作“{line.text if line else ''}”，应写作“— {page.number} —”：阿拉伯数字，左右各一条一字线（—）",
            "height": f"{on}的页码应在版心下边缘之下 7 mm",
            "right": f"{on}是单页，页码应居右（单页居右、双页居左）",
            "left": f"{on}是双页，页码应居左（单页居右、双页居左）",
            "right indent": f"{on}的页码居右应空一字（约 {ONE_CHAR:.1f} mm）",
            "left indent": f"{on}的页码居左应空一字（约 {ONE_CHAR:.1f} mm）",
        }[problem]
        out.append(finding(severity, "页码", message, f"{STD} 7.5", line.text if line else ""))
    return out


def _red_mark(pages: list[Page]) -> list[Finding]:
    """The red 发文机关标志's top edge, 72 mm from the paper's top."""
    out: list[Finding] = []
    first = pages[0] if pages else None
    red = [ln for ln in (first.lines if first else []) if any(c and c[:3] == (1.0, 0.0, 0.0) for c in ln.colors)]
    if red and abs(red[0].top - 72) > 2.5:
        out.append(finding("error", "发文机关标志", f"发文机关标志上边缘距纸张上边 {red[0].top:.0f} mm，应为 72 mm"
                                                "（版心下 35 mm）", f"{STD} 7.2.4", red[0].text))
    return out
