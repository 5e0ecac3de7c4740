"""Positions that depend on the text: the size of the 发文机关标志, the 署名 and 成文日期 lines, and the 版记 box.
Each returns the XML of a paragraph whose style comes from the template; only the numbers are computed here."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markupsafe import Markup

from . import gbt9704 as G
from .dates import format_date
from .model import Colophon, Mark, Signature
from .textwidth import cells, lines_needed


def escape(text: str) -> str:
    """Text as an XML element's content (& < > escaped): xml.sax.saxutils.escape would import urllib, http and ssl."""
    return html.escape(text, quote=False)


ADVANCE = G.CHAR + G.TRACKING  # one 三号 character as laid out (with the tracking that fits 28 to a line)
MARK_MAX_PT = G.SIZES_PT["小初"]  # large enough to be 醒目, small enough for most names on one line
MARK_MIN_PT = G.BODY_PT  # never smaller than the body text
MARK_WIDTH_MM = G.TEXT_W_MM - 6  # leave a little of the text block's line free either side
STACK_GAP = 0.5  # characters between a stack of names and the 文件 to its right
STACK_LINE = 1.25  # a stacked name's line height, in its own size
PT_MM = G.PT_MM


def mark_width(names: list[str], suffix: str) -> float:
    """The mark's width in characters of its own size: one line, or the widest name of a stack and the suffix."""
    if len(names) == 1:
        return cells(names[0] + suffix)
    return max(cells(n) for n in names) + (cells(suffix) + STACK_GAP if suffix else 0)


def mark_size(names: list[str], suffix: str = "") -> float:
    """Size (pt, in half points) of the 发文机关标志: as large as MARK_MAX_PT allows, shrunk so that it fits the
    line (the longest name of a stack, and 文件 beside it); it may come out under MARK_MIN_PT, which the answers'
    validation refuses (mark_too_wide)."""
    fit_pt = MARK_WIDTH_MM / PT_MM / max(mark_width(names, suffix), 1)
    return int(min(MARK_MAX_PT, fit_pt) * 2) / 2


def mark_too_wide(names: list[str], suffix: str = "") -> bool:
    return mark_size(names, suffix) < MARK_MIN_PT


def _mark_rpr(size_hp: int, raise_by: int = 0) -> str:
    position = f'<w:position w:val="{raise_by}"/>' if raise_by else ""
    return f'<w:rPr><w:rFonts w:hint="eastAsia"/>{position}<w:sz w:val="{size_hp}"/><w:szCs w:val="{size_hp}"/></w:rPr>'


MARK_TOP_MM = G.MARK_TOP_MM  # the mark's top edge from the paper's top (GB/T 9704 7.2.4)


def _space(twips: int, keep: bool = False) -> str:
    """An empty paragraph exactly ``twips`` high."""
    return (f'<w:p><w:pPr><w:pStyle w:val="Body"/>{"<w:keepNext/>" if keep else ""}<w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{twips}" w:lineRule="exact"/></w:pPr></w:p>'
            ) if twips > 0 else ""


def mark(m: Mark, drawn: bool = True, top_mm: float | None = None) -> Markup:
    """The 发文机关标志 (GB/T 9704 7.2.4) and the space above it, its top edge MARK_TOP_MM from the paper's top (or
    ``top_mm``, where an office's pre-printed paper has it). One organ: one line in the Mark style; a name too long
    for MARK_MAX_PT is set smaller and raised by the difference so that its top edge stays put. Several: their
    names stacked, host first, each spread to the width of the longest, 文件 to their right and centred on the
    stack, the whole centred; the stack ends on the line grid. Not ``drawn`` (套打): the same space, left blank."""
    above = 3 * G.LINE + round(((top_mm or MARK_TOP_MM) - MARK_TOP_MM) * G.MM)  # three lines at the standard's place
    size = mark_size(m.names, m.suffix)
    hp = int(size * 2)
    if len(m.names) == 1:
        raise_by = round((MARK_MAX_PT * 2 - hp) * 0.8)  # half-points; the glyphs' ascent is about 0.8 of the size
        run = (f'<w:r>{_mark_rpr(hp, raise_by)}<w:t xml:space="preserve">{escape(m.names[0] + m.suffix)}</w:t></w:r>'
               if drawn else "")
        return Markup(_space(above) + f'<w:p><w:pPr><w:pStyle w:val="Mark"/></w:pPr>{run}</w:p>')
    line = round(size * STACK_LINE * 20)  # twips
    height = line * len(m.names)
    top = above + STACK_TOP  # where a one-line mark's glyphs start: the stack's glyphs start there too
    after = MARK_BELOW - (line - hp * 10)  # the 文号's lines follow at the distance they have under one line
    if not drawn:
        return Markup(_space(top) + _space(height) + _space(after))
    name_w = round(max(cells(n) for n in m.names) * size * 20)
    gap = round(STACK_GAP * size * 20)
    suffix_w = round(cells(m.suffix) * size * 20) + gap if m.suffix else 0

    def para(text: str, jc: str, left: int = 0) -> str:
        run = f'<w:r>{_mark_rpr(hp)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        return (f'<w:p><w:pPr><w:pStyle w:val="Mark"/><w:spacing w:before="0" w:after="0" w:line="{line}" '
                f'w:lineRule="exact"/><w:ind w:left="{left}" w:right="0" w:firstLine="0"/><w:jc w:val="{jc}"/>'
                f'</w:pPr>{run}</w:p>')

    rows = []
    for i, name in enumerate(m.names):
        tcs = table_cell(name_w, para(name, "distribute"), valign="top")
        if suffix_w:
            tcs += table_cell(suffix_w, para(m.suffix if i == 0 else "", "left", gap),
                              merge="restart" if i == 0 else "continue")
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{line}" w:hRule="exact"/></w:trPr>{tcs}</w:tr>')
    widths = [name_w] + ([suffix_w] if suffix_w else [])
    return Markup(_space(top) + table(widths, "".join(rows), borders=False) + _space(after))


# Measured through LibreOffice: how far into the Mark line a one-line mark's glyphs start, and how much of the line
# is left under them (twips); a stack's glyphs start and end as far from the lines around them.
STACK_TOP, MARK_BELOW = 250, 227


def paragraph(style: str, text: str, *, left: float = 0, right: float = 0, jc: str | None = None,
              keep: bool = False, tabs: Sequence[tuple[str, float]] = ()) -> str:
    jc_xml = f'<w:jc w:val="{jc}"/>' if jc else ""
    keep_xml = "<w:keepNext/>" if keep else ""
    tab_xml = ("<w:tabs>" + "".join(f'<w:tab w:val="{k}" w:pos="{round(x)}"/>' for k, x in tabs) + "</w:tabs>"
               if tabs else "")
    runs = "".join('<w:r><w:tab/></w:r>' if part == "\t" else
                   f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                   for part in re.split(r"(\t)", text) if part)
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_xml}{tab_xml}<w:ind w:left="{round(left)}" '
            f'w:right="{round(right)}" w:firstLine="0"/>{jc_xml}</w:pPr>{runs}</w:p>')


def _blank(lines: int) -> str:
    """Blank lines kept with what follows (the space for seals above a signature)."""
    return '<w:p><w:pPr><w:pStyle w:val="Body"/><w:keepNext/></w:pPr></w:p>' * lines


SEAL_MM = 42  # an organ's seal, the usual 4.2 cm
SEAL_GAP_MM = 4  # seals side by side neither touch nor cross (GB/T 9704 7.3.5.1)
SEAL_ROW_LINES = 5  # lines from one row of sealed names to the next: 51 mm, room for a 42 mm seal


def width(text: str) -> float:
    """A line of 三号 text as laid out (twips): its characters, and the little space Word and LibreOffice add where
    Chinese meets digits or Latin letters ("2025年5月20日" has four such places)."""
    kinds = [cells(ch) == 1 for ch in text]
    return cells(text) * ADVANCE + sum(a != b for a, b in zip(kinds, kinds[1:])) * AUTOSPACE


AUTOSPACE = G.CHAR / 5  # measured: 1.1–1.2 mm between Chinese and digits in a 三号 line


def seal_rows(names: list[str], date: str) -> list[list[tuple[str, float]]]:
    """Sealed signatures (GB/T 9704 7.3.5.1): rows of (name, centre in twips from the text block's left), in the
    order of issue; the last name centred over the date, the others to its left one seal's pitch apart (seals
    neither touch nor cross), as many to a row as fit with their seals inside the text block, full rows first."""
    widest = max(width(n) for n in names)
    pitch = max((SEAL_MM + SEAL_GAP_MM) * G.MM, widest + 2 * G.CHAR)
    date_centre = G.TEXT_W - 4 * G.CHAR - width(date) / 2
    last = min(date_centre, G.TEXT_W - width(names[-1]) / 2)
    room = max(widest / 2, SEAL_MM * G.MM / 2)  # a seal's or a name's half width stays inside the text block
    per_row = max(1, int((last - room) // pitch) + 1)
    rows = [names[i:i + per_row] for i in range(0, len(names), per_row)]
    return [[(n, min(last - (len(row) - 1 - k) * pitch, G.TEXT_W - width(n) / 2)) for k, n in enumerate(row)]
            for row in rows]


def signature(sig: Signature) -> Markup:
    """署名 and 成文日期 by GB/T 9704 7.3.5, kept on one page with the line above them. Sealed: the date four
    characters from the right; the organs' names in rows in the order of issue, one seal's room for each, the last
    centred over the date, two blank lines above for the first row of seals. Unsealed: one blank line, each name
    two characters from the right, one below another, the date under the last starting two characters right of
    its first character (if the date is the longer, the date two characters from the right and the names moved
    left to keep the two-character step)."""
    date = format_date(sig.date)
    if sig.sealed:
        out = [_blank(2)]
        for i, row in enumerate(seal_rows(sig.names, date)):
            if i:
                out.append(_blank(SEAL_ROW_LINES - 1))
            text = "".join("\t" + name for name, _ in row)
            out.append(paragraph("Signer", text, jc="left", keep=True, tabs=[("center", c) for _, c in row]))
        out.append(paragraph("SignDate", date, right=4 * G.CHAR, jc="right"))
        return Markup("".join(out))
    last, dw = width(sig.names[-1]), width(date)
    shift = dw + 2 * ADVANCE - last if dw > last else 0.0  # a date longer than the name: the names move left
    out = [_blank(1)]
    out += [paragraph("Signer", name, right=2 * G.CHAR + shift, jc="right", keep=True) for name in sig.names]
    if shift:
        out.append(paragraph("SignDate", date, right=2 * G.CHAR, jc="right"))
    else:
        out.append(paragraph("SignDate", date, left=G.TEXT_W - 2 * G.CHAR - last + 2 * ADVANCE, jc="left"))
    return Markup("".join(out))


# 版记 rules (GB/T 9704 7.4.1): the first and last thick, those between thin; border sizes in eighths of a point.
THICK, THIN = G.COLOPHON_THICK, G.COLOPHON_THIN
EMU = 635  # EMU per twip


def _row(style: str, text: str, lines: int, tabbed: bool = False) -> str:
    if tabbed:
        organ, _, date = text.partition("\t")
        run = (f'<w:r><w:t xml:space="preserve">{escape(organ)}</w:t></w:r><w:r><w:tab/></w:r>'
               f'<w:r><w:t xml:space="preserve">{escape(date)}</w:t></w:r>')
    else:
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return (f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{lines * G.LINE}" w:hRule="atLeast"/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{G.TEXT_W}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:tc></w:tr>')


def copy_to_text(names: list[str]) -> str:
    return "抄送：" + "，".join(names) + "。"


def colophon(col: Colophon, letter: bool = False) -> Markup:
    """The 版记 as a text box anchored to the bottom edge of the text block of the page it falls on, so the last
    rule sits on that edge whatever the length of the text above; text wraps above it, never under it. A letter's
    (GB/T 9704 10.1) has no rules and no 印发机关 and 印发日期: its 抄送 alone, if any."""
    rows, total = [], 0
    if letter and not col.copy_to:
        return Markup("")
    if col.copy_to:
        text = copy_to_text(col.copy_to)
        n = lines_needed(text, (G.TEXT_W - 2 * G.CHAR_SMALL) / G.CHAR_SMALL, hanging=3)
        rows.append(_row("CopyTo", text, n))
        total += n
    if not letter:
        rows.append(_row("Printer", f"{col.printer}\t{format_date(col.print_date)}印发", 1, tabbed=True))
        total += 1
    border = ('<w:{0} w:val="nil"/>' if letter else
              '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>')
    borders = (border.format("top", THICK) + border.format("bottom", THICK) + border.format("insideH", THIN)
               + '<w:left w:val="nil"/><w:right w:val="nil"/><w:insideV w:val="nil"/>')
    table = (f'<w:tbl><w:tblPr><w:tblW w:w="{G.TEXT_W}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
             '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
             '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
             f'<w:tblGrid><w:gridCol w:w="{G.TEXT_W}"/></w:tblGrid>{"".join(rows)}</w:tbl>')
    # A table must be followed by a paragraph; this one is 1 pt high so the last rule stays on the edge.
    tail = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')
    cx, cy = G.TEXT_W * EMU, (total * G.LINE + 20) * EMU
    box = (f'<wps:txbx><w:txbxContent>{table}{tail}</w:txbxContent></wps:txbx>'
           '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">'
           '<a:noAutofit/></wps:bodyPr>')
    return Markup('<w:p><w:pPr><w:pStyle w:val="Body"/><w:spacing w:before="0" w:after="0" w:line="20" '
                  'w:lineRule="exact"/></w:pPr>'
                  + anchored(100, "版记", (G.PAGE_H - G.MARGIN_BOTTOM) * EMU - cy, cx, cy, box, wrap=True) + '</w:p>')


TEXT_BOX = ' txBox="1"'


def anchored(shape_id: int, name: str, top: float, cx: float, cy: float, content: str, fill: str | None = None,
             wrap: bool = False, left: float | None = None) -> str:
    """A run holding a shape (a text box, or a filled rectangle when ``fill``) ``top`` EMU from the paper's top,
    centred on the text block (or ``left`` EMU from the paper's left); ``wrap`` keeps text above and below it,
    else text runs over it."""
    wrapping = "<wp:wrapTopAndBottom/>" if wrap else "<wp:wrapNone/>"
    look = (f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>")
    body = content or ('<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0">'
                       '<a:noAutofit/></wps:bodyPr>')
    return (
        '<w:r><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{shape_id}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:simplePos x="0" y="0"/>'
        + ('<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>' if left is None else
           f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(left)}</wp:posOffset></wp:positionH>')
        + f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(top)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{round(cx)}" cy="{round(cy)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>{wrapping}'
        f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:cNvSpPr{TEXT_BOX if content else ""}/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{round(cx)}" cy="{round(cy)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{look}<a:ln><a:noFill/></a:ln></wps:spPr>'
        f'{body}</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


# 信函格式 (GB/T 9704 10.1): the mark's top edge from the paper's top, a red double rule (thick over thin) under it
# and another (thin over thick) above the paper's bottom, both centred. The rules' weights are ours (the standard
# names their order only), in mm.
LETTER_MARK_TOP_MM, LETTER_RULE_GAP_MM = G.LETTER_MARK_TOP_MM, G.LETTER_RULE_GAP_MM
LETTER_BOTTOM_MM, LETTER_RULE_MM = G.LETTER_BOTTOM_MM, G.LETTER_RULE_MM
LETTER_MARK_MAX_PT = G.SIZES_PT["一号"]
THICK_MM, THIN_MM, BETWEEN_MM = 0.8, 0.3, 0.3
# Under the first double rule, the 发文字号 at 7/8 of a 三号 character's height (10.1).
LETTER_NUMBER_GAP_MM = G.CHAR_MM * 7 / 8


def letter_mark_size(m: Mark) -> float:
    return min(LETTER_MARK_MAX_PT, mark_size(m.names, m.suffix))


def letterhead(m: Mark, drawn: bool = True, top_mm: float | None = None) -> Markup:
    """The 信函 head: the mark and both double rules, placed on the first page by their distances from the paper's
    edges, then the space down to the 发文字号's line under the first rule. Not ``drawn`` (套打): the space only."""
    emu_mm = G.MM * EMU
    top = top_mm or LETTER_MARK_TOP_MM
    size = letter_mark_size(m)
    height_mm = size * PT_MM
    rule_top = top + height_mm + LETTER_RULE_GAP_MM
    rule_h = THICK_MM + BETWEEN_MM + THIN_MM
    # the 文号's glyphs stand LETTER_NUMBER_GAP_MM under the rule; a 三号 line's glyphs start LINE_GLYPH_MM into it
    space = round((rule_top + rule_h + LETTER_NUMBER_GAP_MM - LINE_GLYPH_MM - G.MARGIN_TOP / G.MM) * G.MM)
    shapes = ""
    if drawn:
        hp = int(size * 2)
        text = (f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="Mark"/><w:snapToGrid w:val="0"/>'
                f'<w:spacing w:before="0" w:after="0" w:line="{round(size * 20)}" w:lineRule="exact"/>'
                '<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
                f'<w:r>{_mark_rpr(hp)}<w:t xml:space="preserve">{escape("".join(m.names) + m.suffix)}</w:t></w:r></w:p>'
                '</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" '
                'rIns="0" bIns="0" anchor="t"><a:noAutofit/></wps:bodyPr>')
        shapes += anchored(101, "发文机关标志", (top + LETTER_GLYPH_RISE * height_mm) * emu_mm, G.TEXT_W * EMU,
                           (height_mm + 2) * emu_mm, text)
        bottom = G.PAGE_H / G.MM - LETTER_BOTTOM_MM
        for n, (y, h) in enumerate([(rule_top, THICK_MM), (rule_top + THICK_MM + BETWEEN_MM, THIN_MM),
                                    (bottom - rule_h, THIN_MM), (bottom - THICK_MM, THICK_MM)]):
            shapes += anchored(102 + n, "红色双线", y * emu_mm, LETTER_RULE_MM * emu_mm, h * emu_mm, "", fill=G.RED)
    return Markup('<w:p><w:pPr><w:pStyle w:val="Body"/><w:snapToGrid w:val="0"/><w:spacing w:before="0" '
                  f'w:after="0" w:line="{space}" w:lineRule="exact"/></w:pPr>{shapes}</w:p>')


# A landscape page (GB/T 9704 8: a wide table, its head on the binding side) is the portrait page turned a quarter
# to the left: its page number stays where the portrait pages have it — under the text block (7.5), one 四号
# character in from the right (odd pages) or the left (even) — which on the turned page is along its left edge,
# the number's text running down the page. Positions in mm on the landscape page.
PAGE_NUMBER_BELOW_MM, PAGE_NUMBER_BOX_MM = G.PAGE_NUMBER_BELOW_MM, 60


def turned_page_number(odd: bool) -> str:
    """The footer paragraph of a landscape section: its page number, a text box turned with the page."""
    text_bottom = (G.PAGE_H - G.MARGIN_BOTTOM) / G.MM  # of the portrait page
    # the portrait y of the number's top becomes the landscape x of its glyphs' tops: x = 297 − y
    glyph_top_x = G.PAGE_H / G.MM - (text_bottom + PAGE_NUMBER_BELOW_MM)
    across = G.CHAR_SMALL_MM * 1.5  # the box's width across the text: one line of 四号 and some room
    left = glyph_top_x - across  # measured: the glyphs' tops stand at the box's right edge
    text_left, text_right = G.MARGIN_LEFT / G.MM, (G.PAGE_W - G.MARGIN_RIGHT) / G.MM  # portrait x becomes y
    # the box runs to the text block's right edge (odd pages: its bottom end) or from its left edge (even), and the
    # number is indented one character from there, as the portrait pages' footers have it
    if odd:
        top, jc, indent = text_right - PAGE_NUMBER_BOX_MM, "right", f'w:left="0" w:right="{G.CHAR_SMALL}"'
    else:
        top, jc, indent = text_left, "left", f'w:left="{G.CHAR_SMALL}" w:right="0"'

    emu = G.MM * EMU
    run = (f'<w:rPr><w:rFonts w:ascii="{G.FONT_PAGE_NUMBER}" w:hAnsi="{G.FONT_PAGE_NUMBER}" w:eastAsia="{G.FONT_PAGE_NUMBER}" w:cs="{G.FONT_PAGE_NUMBER}"/><w:sz w:val="{G.SIZE_SMALL}"/>'
           f'<w:szCs w:val="{G.SIZE_SMALL}"/></w:rPr>')
    text = (f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
            f'w:line="{G.SIZE_SMALL * 10}" w:lineRule="exact"/><w:ind {indent} w:firstLine="0"/>'
            f'<w:jc w:val="{jc}"/></w:pPr><w:r>{run}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:fldSimple w:instr=" PAGE "><w:r>{run}<w:t>1</w:t></w:r></w:fldSimple>'
            f'<w:r>{run}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t">'
            '<a:noAutofit/></wps:bodyPr>')
    return (f'<w:p {NS_W}><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr>'
            + anchored(110 if odd else 111, "页码", top * emu, across * emu, PAGE_NUMBER_BOX_MM * emu, text,
                       left=left * emu) + '</w:p>')


NS_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


LINE_GLYPH_MM = 2.1  # measured: a 三号 line's glyphs start this far into its 10.2 mm line
LETTER_GLYPH_RISE = 0.2  # measured: a mark's glyphs stand this much of their size above their text box's top


# Tables: one look for every table of a notice (the template's and those built at render time).

def table_cell(width: int, content: str, span: int = 1, merge: str | None = None, valign: str = "center") -> str:
    """A cell ``width`` twips wide spanning ``span`` grid columns, its content (paragraphs) centred vertically;
    ``merge`` "restart" or "continue" joins it with the cells below or above (a label over several rows)."""
    extra = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (f'<w:vMerge w:val="{merge}"/>' if merge else "")
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}<w:vAlign w:val="{valign}"/></w:tcPr>'
            f'{content}</w:tc>')


def table_row(cells: str, header: bool = False, lines: int = 1) -> str:
    """A row at least ``lines`` grid lines high (rows off the line grid shift every following line), never split
    across pages; a header row is repeated on each page."""
    hdr = "<w:tblHeader/>" if header else ""
    return (f'<w:tr><w:trPr><w:cantSplit/>{hdr}<w:trHeight w:val="{lines * G.LINE}" w:hRule="atLeast"/>'
            f'</w:trPr>{cells}</w:tr>')


CELL_MARGIN = 80  # twips left and right of the text in a bordered table's cell


def table(widths: list[int], rows: str, borders: bool = True) -> str:
    """A centred, fixed-layout table of thin black borders on the grid ``widths`` (twips); without ``borders``, a
    table for placing text (no rules, no cell margins)."""
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' if borders else '<w:{0} w:val="nil"/>'
    lines = "".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    side = CELL_MARGIN if borders else 0
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{lines}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
            f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')
