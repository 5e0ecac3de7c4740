"""`drafter check --render`: the page as printed. The .docx goes through LibreOffice to PDF and is measured in
millimetres, with the same yardsticks as the layout tests: paper, text block, 22 lines × 28 characters, the red
mark's place and size, page numbers, the 署名 and 成文日期 on a page with text, and a letter's (信函) red double
rules. What the document is (信函, 套打, whose 署名) is read from the .docx (anatomy.py)."""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .. import gbt9704 as G
from ..finding import Finding
from .pdf_pages import PT
from .rules import STD, finding

if TYPE_CHECKING:
    from .anatomy import Anatomy
    from .pdf_pages import Line, Page, Rule

TOP, BOTTOM, LEFT, RIGHT = G.TEXT_TOP_MM, G.TEXT_BOTTOM_MM, G.TEXT_LEFT_MM, G.TEXT_RIGHT_MM
MARK_TOP = {"文件": G.MARK_TOP_MM, "信函": G.LETTER_MARK_TOP_MM}  # mm from the paper's top to the mark's top edge
LETTER_RULE, LETTER_BOTTOM, LETTER_GAP = G.LETTER_RULE_MM, G.PAPER_H_MM - G.LETTER_BOTTOM_MM, G.LETTER_RULE_GAP_MM
PITCH = G.PITCH_MM  # mm between lines
PAGE_NO = re.compile(r"^—\s*(\d+)\s*—$")
ONE_CHAR = G.CHAR_SMALL_MM  # the width of one 4号 character, the space between a page number and the edge
HANGING = "，。、；：！？”’）》"  # punctuation that may hang past the right edge at a line's end
FULL_WIDTH = re.compile(r"^[\u4e00-\u9fff，。、“”：；（）！？《》—]+$")


def measured(path: Path, pdf: Path | None = None) -> list[Finding]:
    """What the printed pages of the .docx at ``path`` show against the standard; ``pdf``: its pages converted
    already (else LibreOffice converts it here)."""
    from ..pdf import to_pdf
    from .anatomy import recognise
    from .pdf_pages import read_pdf
    from .read import read

    a = recognise(read(Path(path)))
    if pdf is not None:
        pages = read_pdf(pdf)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pages = read_pdf(to_pdf(Path(path), Path(tmp)))
    letterhead = set(map(id, red_mark(pages))) if a.format == "信函" else set()  # above the text block by design
    out: list[Finding] = []
    for page in pages:
        where = f"第{page.number}页"
        w, h = sorted((page.width, page.height)) if page.landscape else (page.width, page.height)
        if abs(w - G.PAPER_W_MM) > 1 or abs(h - G.PAPER_H_MM) > 1:
            out.append(finding("error", "页面", f"{where}不是 A4（{page.width:.0f}×{page.height:.0f} mm）", f"{STD} 5.1"))
        top, bottom, left, right = text_block(page)
        body = [ln for ln in page.lines if ln.bottom <= bottom + 1 and not PAGE_NO.match(ln.text)
                and id(ln) not in letterhead]
        outside = [ln for ln in body if ln.x0 < left - 1.5 or ln.top < top - 1.5 or ln.x1 > right + 1.5
                   and not (ln.text[-1] in HANGING and ln.x1 <= right + 6)]
        if outside:
            out.append(finding("error", "版心", f"{where}有文字超出版心（{G.TEXT_BLOCK}）", f"{STD} 5.2.1", outside[0].text))
        text = [ln for ln in body if abs(ln.size - G.BODY_PT) < 0.5]
        most = G.LANDSCAPE_LINES if page.landscape else G.LINES_PER_PAGE
        if len(text) > most:
            out.append(finding("error", "行数", f"{where}排了 {len(text)} 行三号字，应为每面 {G.LINES_PER_PAGE} 行",
                               f"{STD} 5.2.3"))
        gaps = [b.top - a.top for a, b in zip(text, text[1:]) if 0 < b.top - a.top < 2 * PITCH - 1]
        if len(gaps) >= 8 and abs(statistics.median(gaps) - PITCH) > 0.4:
            out.append(finding("error", "行数", f"{where}行距 {statistics.median(gaps):.2f} mm，每面排不成 {G.LINES_PER_PAGE} 行"
                                                f"（应为 {PITCH:.2f} mm）", f"{STD} 5.2.3"))
        # a closing mark hanging past the right edge (as Word and LibreOffice let it) is not one of the 28
        widest = max((len(ln.text) - (ln.text[-1] in HANGING and ln.x1 > right + 1)
                      for ln in text if FULL_WIDTH.match(ln.text)), default=0)
        if widest > (G.LANDSCAPE_CHARS if page.landscape else G.CHARS_PER_LINE):
            out.append(finding("error", "字数", f"{where}有一行排了 {widest} 字，应为每行 {G.CHARS_PER_LINE} 字",
                               f"{STD} 5.2.3"))
    return (out + _page_numbers(pages, a) + _red_mark(pages, a) + _no_room(pages, a) + _letter_rules(pages, a)
            + _signature_page(pages, a))


def text_block(page: Page) -> tuple[float, float, float, float]:
    """Top, bottom, left and right of the text block (mm). A landscape page (a wide table, GB/T 9704 8) is the
    portrait page turned a quarter to the left: its top margin is the binding side's 28 mm, its left the 35 mm."""
    if page.landscape:
        return LEFT, page.height - (G.PAPER_W_MM - RIGHT), G.PAPER_H_MM - BOTTOM, page.width - TOP
    return TOP, BOTTOM, LEFT, RIGHT


def page_number(page: Page) -> Line | None:
    """The page number as printed: a line in “— N —” form anywhere, else a short line with a number below the text
    block (where a “-1-”, “第1页” or bare “1” sits). A landscape page's, set across it, is given as the portrait
    page has it: landscape y is portrait x, and portrait y is 297 mm less landscape x."""
    if page.landscape:
        from .pdf_pages import Line

        t = page.turned
        turn = G.PAPER_H_MM
        return None if t is None else Line(t.text, turn - t.x1, turn - t.x0, t.top, t.bottom, t.sizes, t.colors, 0.0)
    proper = next((ln for ln in page.lines if PAGE_NO.match(ln.text)), None)
    if proper is not None:
        return proper
    below = [ln for ln in page.lines if ln.top > BOTTOM + 1 and len(ln.text) <= 12 and re.search(r"\d", ln.text)]
    return below[-1] if below else None


def _page_numbers(pages: list[Page], a: Anatomy) -> list[Finding]:
    """Form, height and side of the page numbers: “— N —”, 7 mm under the text block, odd pages right and even
    pages left, one character in from the edge; none on a letter's first page (GB/T 9704 10.1). Each problem is
    reported once, with the pages it is on."""
    found: dict[tuple[Literal["error", "warning"], str], list[tuple[Page, Line | None]]] = {}
    out = []
    for page in pages:
        number = page_number(page)
        if a.format == "信函" and page.number == 1:
            if number is not None:
                out.append(finding("error", "页码", "信函格式首页不显示页码，第1页却有页码", f"{STD} 10.1", number.text))
            continue
        if number is None:
            has_text = any(ln.bottom <= text_block(page)[1] + 1 for ln in page.lines)
            if has_text and page.number < len(pages):  # the last page may be the 版记's, which has none
                found.setdefault(("warning", "missing"), []).append((page, number))
            continue
        side = "right" if page.number % 2 == 1 else "left"
        gap = RIGHT - number.x1 if side == "right" else number.x0 - LEFT
        problems: list[tuple[Literal["error", "warning"], str] | None] = [
            ("error", "form") if not PAGE_NO.match(number.text) else None,
            ("error", "height") if abs(number.top - (BOTTOM + G.PAGE_NUMBER_BELOW_MM)) > 1.5 else None,
            ("error", side) if gap > 12 or gap < -1.5 else
            ("warning", f"{side} indent") if abs(gap - ONE_CHAR) > 1.5 else None]
        for problem in filter(None, problems):
            found.setdefault(problem, []).append((page, number))
    for (severity, kind), where in found.items():
        page, line = where[0]
        on = "第" + "、".join(str(p.number) for p, _ in where) + "页"
        message = {
            "missing": f"{on}没有页码",
            "form": f"{on}的页码写作“{line.text if line else ''}”，应写作“— {page.number} —”：阿拉伯数字，左右各一条一字线（—）",
            "height": f"{on}的页码应在版心下边缘之下 {G.PAGE_NUMBER_BELOW_MM} mm",
            "right": f"{on}是单页，页码应居右（单页居右、双页居左）",
            "left": f"{on}是双页，页码应居左（单页居右、双页居左）",
            "right indent": f"{on}的页码居右应空一字（约 {ONE_CHAR:.1f} mm）",
            "left indent": f"{on}的页码居左应空一字（约 {ONE_CHAR:.1f} mm）",
        }[kind]
        out.append(finding(severity, "页码", message, f"{STD} 7.5", line.text if line else ""))
    return out


def red(color: tuple) -> bool:
    """Whether a PDF colour (grey, RGB or CMYK, 0–1) is red."""
    if len(color) == 3:
        r, g, b = color
        return r > 0.7 and g < 0.35 and b < 0.35
    if len(color) == 4:
        c, m, y, k = color
        return c < 0.3 and m > 0.7 and y > 0.7 and k < 0.3
    return False


def red_mark(pages: list[Page]) -> list[Line]:
    """The red 发文机关标志 on the first page: its red lines from the first, as long as red lines follow one another
    (a joint notice's names, stacked, and the 文件 beside them)."""
    lines = pages[0].lines if pages else []
    start = next((k for k, ln in enumerate(lines) if any(red(c) for c in ln.colors)), None)
    if start is None:
        return []
    out = []
    for ln in lines[start:]:
        if not any(red(c) for c in ln.colors):
            break
        out.append(ln)
    return out


def _red_mark(pages: list[Page], a: Anatomy) -> list[Finding]:
    """The red 发文机关标志: its top edge (the top of its first line) 72 mm from the paper's top, a letter's 30 mm;
    its size not under the body text's (三号, 16 pt: 7.2.4 wants it 醒目). Printed on paper that has the red head
    already (套打), the document has none, as it should."""
    mark = red_mark(pages)
    if not mark:
        return []
    out: list[Finding] = []
    want = MARK_TOP[a.format]
    if abs(mark[0].top - want) > 2.5:
        where = f"版心上边缘下 {G.MARK_BELOW_TEXT_TOP_MM} mm" if a.format == "文件" else "信函格式"
        out.append(finding("error", "发文机关标志", f"发文机关标志上边缘距纸张上边 {mark[0].top:.0f} mm，应为 {want:.0f} mm"
                                                f"（{where}）", f"{STD} {'7.2.4' if a.format == '文件' else '10.1'}",
                           mark[0].text))
    small = min(mark, key=lambda ln: ln.size)
    if small.size < G.BODY_PT - 0.5:
        out.append(finding("error", "发文机关标志", f"发文机关标志印出来只有 {small.size:g} 磅，比正文（三号，{G.BODY_PT} 磅）还小："
                                                "标志应醒目，字号不小于三号", f"{STD} 7.2.4", small.text))
    return out


def _no_room(pages: list[Page], a: Anatomy) -> list[Finding]:
    """No mark at all is right on paper printed with the red head (套打), but then the 发文字号 stands under the
    head's place; a 文号 near the top of the text block leaves no room for one."""
    if not pages or red_mark(pages) or a.mark is not None or a.doc_number is None or a.format == "信函":
        return []
    number = _squash(a.doc_number.text)
    line = next((ln for ln in pages[0].lines if _squash(ln.text) == number), None)
    if line is None or line.top >= TOP + 2 * PITCH:
        return []
    return [finding("warning", "发文机关标志", f"版头没有发文机关标志，发文字号在纸张上边 {line.top:.0f} mm 处，以上没有留出红头的位置："
                                            "用印好红头的公文纸打印（套打）时，发文字号应排在红头之下", f"{STD} 7.2.4",
                    line.text)]


def _rules(page: Page) -> list[list[Rule]]:
    """The page's red rules, one drawn once (a border may come as a line and a box), in groups of rules closer than
    2 mm to one another (a double rule), top to bottom."""
    seen: set[tuple] = set()
    groups: list[list] = []
    for r in page.rules:
        key = (round(r.top, 1), round(r.x0), round(r.x1))
        if not red(r.color) or key in seen:
            continue
        seen.add(key)
        if groups and r.top - groups[-1][-1].top < 2:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _letter_rules(pages: list[Page], a: Anatomy) -> list[Finding]:
    """A letter's (信函, GB/T 9704 10.1) first page: a red double rule 4 mm under the mark, thick over thin, and
    another 20 mm above the paper's bottom edge, thin over thick, both 170 mm long and centred."""
    if a.format != "信函" or not pages or not red_mark(pages):  # 套打: the rules are on the paper
        return []
    rule = f"{STD} 10.1"
    groups = [g for g in _rules(pages[0]) if len(g) == 2]
    upper = next((g for g in groups if g[0].top < 150), None)
    lower = next((g for g in reversed(groups) if g[0].top > 150), None)
    out = []
    if upper is None or lower is None:
        missing = "和".join(w for w, g in (("发文机关标志下", upper), (f"距纸张下边 {G.LETTER_BOTTOM_MM} mm 处", lower))
                           if g is None)
        out.append(finding("error", "红色双线", f"信函格式首页{missing}应有一条红色双线（长 {LETTER_RULE} mm）", rule))
    for group, name, thick_first in ((upper, "上方", True), (lower, "下方", False)):
        if group is None:
            continue
        first, second = group
        if (first.width_pt > second.width_pt) != thick_first or abs(first.width_pt - second.width_pt) < 0.1:
            out.append(finding("error", "红色双线", f"信函格式{name}的红色双线应{'上粗下细' if thick_first else '上细下粗'}",
                               rule))
        longest = max(group, key=lambda r: abs(r.length - LETTER_RULE))
        if abs(longest.length - LETTER_RULE) > 2:
            out.append(finding("error", "红色双线", f"信函格式{name}的红色双线长 {longest.length:.0f} mm，应为 {LETTER_RULE} mm", rule))
        elif abs((longest.x0 + longest.x1) / 2 - G.PAPER_W_MM / 2) > 2:
            out.append(finding("error", "红色双线", f"信函格式{name}的红色双线应居中（左端距纸张左边 {longest.x0:.0f} mm，"
                                                  f"应为 {(G.PAPER_W_MM - LETTER_RULE) / 2:g} mm）", rule))
    if lower is not None:
        bottom = lower[-1].top + lower[-1].width_pt * PT / 2
        if abs(bottom - LETTER_BOTTOM) > 1.5:
            out.append(finding("error", "红色双线", f"信函格式下方的红色双线距纸张下边 {G.PAPER_H_MM - bottom:.0f} mm，"
                                                f"应为 {G.LETTER_BOTTOM_MM} mm", rule))
    if upper is not None:
        gap = upper[0].top - upper[0].width_pt * PT / 2 - red_mark(pages)[-1].bottom
        if abs(gap - LETTER_GAP) > 1.5:
            out.append(finding("error", "红色双线", f"信函格式上方的红色双线距发文机关标志 {gap:.0f} mm，应为 {LETTER_GAP} mm", rule))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _signature_page(pages: list[Page], a: Anatomy) -> list[Finding]:
    """The 署名 and the 成文日期 on one page, and text of the notice above them on it (GB/T 9704 7.3.5.5: spacing
    is adjusted so that they stand with the text; a page of 署名 alone, or “此页无正文”, is not the way)."""
    if a.date is None or not a.signatures:
        return []
    flat = [(page, ln) for page in pages for ln in page.lines if ln.bottom <= BOTTOM + 1 and not PAGE_NO.match(ln.text)]
    date = _squash(a.date.text)
    at = next((k for k, (_, ln) in enumerate(flat) if _squash(ln.text) == date), None)
    signed = [_squash(p.text) for p in a.signatures]
    if at is None or at < len(signed):
        return []
    lines = flat[at - len(signed):at + 1]
    if [_squash(ln.text) for _, ln in lines[:-1]] != signed:  # not laid out as read (names wrapped, say)
        return []
    rule = f"{STD} 7.3.5.5"
    signed_on = sorted({page.number for page, _ in lines[:-1]})
    dated_on = lines[-1][0].number
    if signed_on != [dated_on]:
        where = "署名在第{}页，成文日期在第{}页".format("、".join(map(str, signed_on)), dated_on)
        return [finding("error", "成文日期", f"署名和成文日期应在同一页（{where}）：应调整行距、字距，使其与正文同处一面",
                        rule, a.date.text)]
    page, first = lines[0]
    above = [ln for ln in page.lines if ln.bottom <= first.top and TOP - 3 <= ln.top and not PAGE_NO.match(ln.text)
             and "此页无正文" not in _squash(ln.text) and not any(red(c) for c in ln.colors)]
    if not above:
        return [finding("error", "署名", f"第{page.number}页只有署名和成文日期，没有正文：应调整行距、字距，使署名、成文日期与"
                                        "正文同处一面，不采用标注“此页无正文”的办法", rule, a.signatures[0].text)]
    return []
