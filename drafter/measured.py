"""`drafter check --render`: the page as printed. The .docx goes through LibreOffice to PDF and is measured in
millimetres, with the same yardsticks as the layout tests: paper, text block, 22 lines × 28 characters, the red
mark's place, page numbers."""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path

from .catalogue import Finding
from .lint import STD, finding

TOP, BOTTOM, LEFT, RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0
PITCH = 225 / 22  # mm between lines
PAGE_NO = re.compile(r"^—\s*(\d+)\s*—$")
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
        number = next((ln for ln in page.lines if PAGE_NO.match(ln.text)), None)
        if number is None:
            if body and page.number < len(pages):
                out.append(finding("warning", "页码", f"{where}没有页码", f"{STD} 7.5"))
            continue
        if abs(number.top - (BOTTOM + 7)) > 1.5:
            out.append(finding("error", "页码", f"{where}页码应在版心下边缘之下 7 mm", f"{STD} 7.5", number.text))
        odd = page.number % 2 == 1
        side_ok = number.x1 > RIGHT - 12 if odd else number.x0 < LEFT + 12
        if not side_ok:
            out.append(finding("error", "页码", f"{where}页码应{'居右' if odd else '居左'}（单页居右、双页居左）",
                               f"{STD} 7.5", number.text))
    first = pages[0] if pages else None
    red = [ln for ln in (first.lines if first else []) if any(c and c[:3] == (1.0, 0.0, 0.0) for c in ln.colors)]
    if red and abs(red[0].top - 72) > 2.5:
        out.append(finding("error", "发文机关标志", f"发文机关标志上边缘距纸张上边 {red[0].top:.0f} mm，应为 72 mm"
                                                "（版心下 35 mm）", f"{STD} 7.2.4", red[0].text))
    return out
