"""Positions that depend on the text: the size of the 发文机关标志, the 署名 and 成文日期 lines, and the 版记 box.
Each returns the XML of a paragraph whose style comes from the template; only the numbers are computed here."""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from . import gbt9704 as G
from .dates import format_date
from .model import Colophon, Signature
from .textwidth import cells, lines_needed

ADVANCE = G.CHAR + G.TRACKING  # one 三号 character as laid out (with the tracking that fits 28 to a line)
MARK_MAX_PT = 36  # 小初: large enough to be 醒目, small enough for most names on one line
MARK_WIDTH_MM = 150  # leave a little of the 156 mm line free either side


def mark_size(mark: str) -> int:
    """Font size (half-points) of the 发文机关标志: as large as MARK_MAX_PT allows, shrunk so it fits one line."""
    fit_pt = MARK_WIDTH_MM * 2.8346 / max(cells(mark), 1)
    return int(min(MARK_MAX_PT, fit_pt) * 2)


def mark_run(mark: str) -> Markup:
    """The 发文机关标志 as one run. A name too long for MARK_MAX_PT is set smaller; it is raised by the difference
    so that its top edge stays where GB/T 9704 7.2.4 puts it (35 mm under the text block's top)."""
    size = mark_size(mark)
    raise_by = round((MARK_MAX_PT * 2 - size) * 0.8)  # half-points; the glyphs' ascent is about 0.8 of the size
    return Markup(f'<w:r><w:rPr><w:position w:val="{raise_by}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
                  f'</w:rPr><w:t xml:space="preserve">{escape(mark)}</w:t></w:r>')


def paragraph(style: str, text: str, *, left: int = 0, right: int = 0, jc: str | None = None) -> Markup:
    jc_xml = f'<w:jc w:val="{jc}"/>' if jc else ""
    return Markup(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:ind w:left="{round(left)}" w:right="{round(right)}" '
        f'w:firstLine="0"/>{jc_xml}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def signature(sig: Signature) -> dict:
    """署名 and 成文日期 by GB/T 9704 7.3.5. Sealed: the date four characters from the right, the issuer centred
    over it, two blank lines above for the seal. Unsealed: one blank line, the issuer two characters from the
    right, the date starting two characters right of the issuer's first character (if the date is the longer,
    the date two characters from the right and the issuer moved left to keep the two-character step)."""
    date = format_date(sig.date)
    iw, dw = cells(sig.issuer), cells(date)
    if sig.sealed:
        signer_right = 4 * G.CHAR + (dw - iw) / 2 * ADVANCE
        return {"blank_lines": 2,
                "signer": paragraph("Signer", sig.issuer, right=max(signer_right, 0), jc="right"),
                "date": paragraph("SignDate", date, right=4 * G.CHAR, jc="right")}
    if dw <= iw - 2:
        date_left = (G.CHARS_PER_LINE - 2 - iw + 2) * ADVANCE
        return {"blank_lines": 1,
                "signer": paragraph("Signer", sig.issuer, right=2 * G.CHAR, jc="right"),
                "date": paragraph("SignDate", date, left=date_left, jc="left")}
    return {"blank_lines": 1,
            "signer": paragraph("Signer", sig.issuer, right=(4 + dw - iw) * ADVANCE, jc="right"),
            "date": paragraph("SignDate", date, right=2 * G.CHAR, jc="right")}


# 版记 rules: the first and last thick (0.35 mm), those between thin (0.25 mm); border sizes in eighths of a point.
THICK, THIN = 8, 6
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


def colophon(col: Colophon) -> Markup:
    """The 版记 as a text box anchored to the bottom edge of the text block of the page it falls on, so the last
    rule sits on that edge whatever the length of the text above; text wraps above it, never under it."""
    rows, total = [], 0
    if col.copy_to:
        text = copy_to_text(col.copy_to)
        n = lines_needed(text, (G.TEXT_W - 2 * G.CHAR_SMALL) / G.CHAR_SMALL, hanging=3)
        rows.append(_row("CopyTo", text, n))
        total += n
    rows.append(_row("Printer", f"{col.printer}\t{format_date(col.print_date)}印发", 1, tabbed=True))
    total += 1
    border = '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>'
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
    return Markup(
        '<w:p><w:pPr><w:pStyle w:val="Body"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
        '</w:pPr><w:r><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" '
        'locked="0" layoutInCell="1" allowOverlap="0" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{(G.PAGE_H - G.MARGIN_BOTTOM) * EMU - cy}</wp:posOffset>'
        '</wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        '<wp:docPr id="100" name="版记"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{table}{tail}</w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">'
        '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>')


# Tables: one look for every table of a notice (the template's and those built at render time).

def table_cell(width: int, content: str, span: int = 1, merge: str | None = None) -> str:
    """A cell ``width`` twips wide spanning ``span`` grid columns, its content (paragraphs) centred vertically;
    ``merge`` "restart" or "continue" joins it with the cells below or above (a label over several rows)."""
    extra = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (f'<w:vMerge w:val="{merge}"/>' if merge else "")
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}<w:vAlign w:val="center"/></w:tcPr>'
            f'{content}</w:tc>')


def table_row(cells: str, header: bool = False, lines: int = 1) -> str:
    """A row at least ``lines`` grid lines high (rows off the line grid shift every following line), never split
    across pages; a header row is repeated on each page."""
    hdr = "<w:tblHeader/>" if header else ""
    return (f'<w:tr><w:trPr><w:cantSplit/>{hdr}<w:trHeight w:val="{lines * G.LINE}" w:hRule="atLeast"/>'
            f'</w:trPr>{cells}</w:tr>')


def table(widths: list[int], rows: str) -> str:
    """A centred, fixed-layout table of thin black borders on the grid ``widths`` (twips)."""
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')
