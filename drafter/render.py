"""Notice → .docx: the Notice becomes a plain context that the docxtpl template 通知.docx fills.

The renderer knows nothing about sectors or answers; escaping is on and undefined names are errors."""

from __future__ import annotations

import io
from importlib import resources
from itertools import accumulate, pairwise
from pathlib import Path

from markupsafe import Markup

from . import gbt9704 as G
from .errors import RenderError
from .layout import (
    CELL_MARGIN,
    colophon,
    escape,
    letterhead,
    mark,
    signature,
    table,
    table_cell,
    table_row,
    turned_page_number,
)
from .model import Document, FormGrid, Notice, Paragraph, PlanTable, StatsTable, Table, TextList
from .title import split_title

TEMPLATE = "通知.docx"
# Who fills in a statistics table, above it (two lines: 31 四号 characters fit on one).
REPORTER_LINES = ("填报单位（盖章）：" + "　" * 12 + "填报日期：", "联系人：" + "　" * 12 + "联系电话：")


FORM_W = G.TEXT_W // 2 * 2  # a form's width: the text block's, in two equal halves
# the label cell beside a blank in a form: six 四号 characters and the cell's margins
FORM_LABEL_W = 6 * G.CHAR_SMALL + 2 * CELL_MARGIN
FORM_ROW_LINES = 2  # a form's rows are at least two lines high, room to write in


def template_path(name: str = TEMPLATE) -> Path:
    """The 公文 template ``name``. It lives with its builder in the repository's top-level templates/公文/, where offices
    find and adapt it; a wheel carries it inside the package as drafter/templates/公文/ (pyproject.toml maps that
    folder in as the data of ``drafter.templates``). Installed from a wheel: that copy; run from a source tree (an
    editable install, or the repository on PYTHONPATH): the folder beside this package."""
    shipped = resources.files("drafter") / "templates" / "公文" / name
    if shipped.is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "templates" / "公文" / name


def _runin(heading: str) -> str:
    return heading if heading[-1:] in "。：；！？" else heading + "。"


def blocks(notice: Notice | Document) -> list[dict]:
    """A body in reading order, one entry per paragraph of the document."""
    out: list[dict] = []
    for level, number, block in notice.numbered_blocks():
        if isinstance(block, Paragraph):
            if out and out[-1].get("await_text"):
                out[-1].update(text=block.text, await_text=False)
            else:
                out.append({"kind": "p", "text": block.text})
            continue
        if level == 1:
            out.append({"kind": "h1", "heading": number + block.title})
        elif level == 2:
            out.append({"kind": "h2", "heading": number + block.title})
        else:
            # Levels 3–4 run into their first paragraph, if the section starts with one.
            starts_with_text = bool(block.children) and isinstance(block.children[0], Paragraph)
            out.append({"kind": "hp", "level": level, "text": "", "await_text": starts_with_text,
                        "heading": number + (_runin(block.title) if starts_with_text else block.title)})
    for entry in out:
        entry.pop("await_text", None)
    return out


def attachment(label: str, a) -> dict:
    base = {"label": label, "title": a.title, "kind": a.kind, "note": getattr(a, "note", None)}
    if isinstance(a, TextList):
        base["entries"] = [f"{i}.{item}" for i, item in enumerate(a.items, 1)]
    elif isinstance(a, FormGrid):
        base["table"] = form_table(a.rows)
    elif isinstance(a, StatsTable):
        base["reporter_lines"] = REPORTER_LINES
        base["rows"] = [{"no": i, "activity": r.activity, "blanks": "\n".join(r.blanks)}
                        for i, r in enumerate(a.rows, 1)]
    elif isinstance(a, PlanTable):
        base["rows"] = [{"no": i, "activity": r.activity, "requirement": r.requirement, "owner": r.owner}
                        for i, r in enumerate(a.rows, 1)]
    elif isinstance(a, Table):
        base["reporter_lines"] = REPORTER_LINES if a.reporter else ()
        base["table"] = grid_table(a)
    elif isinstance(a, Document):
        base["blocks"] = blocks(a)
    return base


def _cell(width: int, text: str, style: str, merge: str | None = None) -> str:
    run = (f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
           if text else "")
    return table_cell(width, f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>', merge=merge)


def column_widths(columns: list[list[str]], total: int = G.TEXT_W) -> list[int]:
    """Widths (twips) summing to ``total`` (the text block's), each column's share by its longest text (a heading is
    never narrower than its own characters; long texts are wrapped, so their weight is capped)."""
    least = [max(2, len(col[0])) * G.CHAR_SMALL + 200 for col in columns]
    weight = [min(max((len(t) for t in col), default=2), 24) + 2 for col in columns]
    spare = total - sum(least)
    if spare <= 0:  # headings too long for the page: equal columns, the headings wrap
        widths = [total // len(columns)] * len(columns)
    else:
        widths = [w + spare * k // sum(weight) for w, k in zip(least, weight)]
    widths[-1] += total - sum(widths)
    return widths


def grid_table(a: Table) -> Markup:
    """A table laid out by the clerk: headings repeated on each page, rows, groups whose label spans their rows in
    the first column, then blank rows; an optional 序号 column numbers the rows written."""
    lines = [(None, r) for r in a.rows] + [(k, r) for k, (_, rows) in enumerate(a.groups) for r in rows]
    columns = (["序号"] if a.numbered else []) + list(a.columns)
    rows, merges, previous = [], [], None
    for n, (group, cells) in enumerate(lines, 1):
        label = [] if group is None else [a.groups[group][0]]
        rows.append(([str(n)] if a.numbered else []) + label + list(cells))
        merges.append(None if group is None else ("continue" if group == previous else "restart"))
        previous = group
    # a landscape table spans the turned page's text block: its height on the portrait page
    widths = column_widths([[h, *(r[i] for r in rows)] for i, h in enumerate(columns)],
                           G.TEXT_H if a.landscape else G.TEXT_W)
    trs = [table_row("".join(_cell(w, h, "TableHead") for w, h in zip(widths, columns)), header=True)]
    at = 1 if a.numbered else 0  # the column a group's label stands in
    for row, merge in zip(rows, merges):
        tcs = [_cell(w, "" if merge == "continue" else text, "TableCenter", merge) if i == at and merge else
               _cell(w, text, "TableCenter" if len(text) <= 6 else "TableText")
               for i, (w, text) in enumerate(zip(widths, row))]
        trs.append(table_row("".join(tcs), lines=FORM_ROW_LINES))
    trs += [table_row("".join(_cell(w, "", "TableText") for w in widths), lines=FORM_ROW_LINES)] * a.blank_rows
    return Markup(table(widths, "".join(trs)))


def form_layout(labels: list[str]) -> list[list[tuple[int, str | None]]]:
    """The table rows (cells as (width, label, or None for a blank to fill in)) of one row of a form: one label
    and a blank across the table; two labels, each with its blank; three or more, the labels as the headings of
    as many columns with a row of blanks under them. No label is ever dropped."""
    if len(labels) <= 2:
        pair = FORM_W // max(len(labels), 1)
        return [[cell for label in labels for cell in ((FORM_LABEL_W, label), (pair - FORM_LABEL_W, None))]]
    widths = [FORM_W // len(labels)] * (len(labels) - 1)
    widths.append(FORM_W - sum(widths))
    return [list(zip(widths, labels)), [(w, None) for w in widths]]


def form_table(rows: list[list[str]]) -> Markup:
    """A form as a Word table, placed by the template's {{p a.table }}; its look (borders, cell margins, the
    TableCenter and TableText styles) matches the template's other tables. Rows of different shapes share one
    grid: every cell spans the grid columns between its edges."""
    layout = [cells for labels in rows for cells in form_layout(list(labels))]
    edges = sorted({0} | {x for cells in layout for x in accumulate(w for w, _ in cells)})
    column = {x: n for n, x in enumerate(edges)}
    trs = []
    for cells in layout:
        tcs, x = [], 0
        for width, label in cells:
            span = column[x + width] - column[x]
            x += width
            run = (f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{escape(label)}</w:t>'
                   '</w:r>') if label else ""
            style = "TableText" if label is None else "TableCenter"
            tcs.append(table_cell(width, f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>', span))
        trs.append(table_row("".join(tcs), lines=FORM_ROW_LINES))
    return Markup(table([b - a for a, b in pairwise(edges)], "".join(trs)))


def context(notice: Notice) -> dict:
    """Everything the template needs, as plain values (Markup only where layout is computed). A 方案 printed alone
    has no 版头, 主送, 署名 or 版记 (empty values: the template leaves them out)."""
    notes = notice.attachment_notes()
    body = blocks(notice)
    # The last paragraph goes with the 署名 and 成文日期 onto their page (GB/T 9704 7.3.5.5), unless it is the only
    # one: the first page must show text.
    if notice.signature and len(body) > 1 and body[-1]["kind"] == "p":
        body[-1]["kind"] = "keep"
    drawn, letter = notice.letterhead == "印制", notice.format == "信函"
    return {
        "mark": mark(notice.mark, drawn, notice.letterhead_top_mm) if notice.mark and not letter else "",
        "letter": letterhead(notice.mark, drawn, notice.letterhead_top_mm) if notice.mark and letter else "",
        "rule": drawn,
        "doc_number": str(notice.doc_number) if notice.doc_number else "",  # none: the line stays, blank
        "title_lines": split_title(notice.title, notice.title_keep),
        "recipients": notice.recipients or "",
        "blocks": body,
        "attachment_notes": [
            {"kind": "single" if number == 0 else ("first" if i == 0 else "next"), "number": number, "title": t}
            for i, (number, t) in enumerate(notes)],
        "signature": signature(notice.signature) if notice.signature else "",
        "remark": notice.remark,
        **attachment_sections(notice),
        "colophon": colophon(notice.colophon, letter) if notice.colophon else Markup(""),
    }


def jinja_env():
    from jinja2 import StrictUndefined

    from .compose import printable
    from .templatecache import CachedSandbox

    return CachedSandbox(autoescape=True, undefined=StrictUndefined, finalize=printable)


def _colophon_on_even_page(document) -> None:
    """Move the 版记 to a page of its own that is even (Word and LibreOffice insert a blank page when needed);
    that page and the blank one carry no page number."""
    from docx.enum.section import WD_SECTION

    body = document.element.body
    box = body[-2]  # the paragraph holding the 版记 text box, just before the final sectPr
    body.remove(box)
    new = document.add_section(WD_SECTION.EVEN_PAGE)
    if new.orientation:  # after a landscape table: the 版记's page is portrait again
        from docx.enum.section import WD_ORIENT
        from docx.shared import Twips

        new.orientation = WD_ORIENT.PORTRAIT
        new.page_width, new.page_height = Twips(G.PAGE_W), Twips(G.PAGE_H)
        new.top_margin, new.bottom_margin = Twips(G.MARGIN_TOP), Twips(G.MARGIN_BOTTOM)
        new.left_margin, new.right_margin = Twips(G.MARGIN_LEFT), Twips(G.MARGIN_RIGHT)
    for footer, style in ((new.footer, "PageNumberOdd"), (new.even_page_footer, "PageNumberEven")):
        footer.is_linked_to_previous = False  # a footer of its own, blank but as tall as a numbered one
        footer.paragraphs[0]._p.get_or_add_pPr().style = style
        footer.paragraphs[0].add_run("\u3000")
    body.insert(len(body) - 1, box)


def attachment_sections(notice: Notice) -> dict:
    """The attachment pages bound with the notice (before the 版记) and those printed apart (after it, the 发文字号
    before their label), each with the section breaks around it: an attachment printed apart starts a section of
    its own, a landscape table's pages are a landscape section, and the portrait pages after one start another."""
    out: dict[str, list[dict]] = {"attachments": [], "detached": []}
    for detached in (False, True):
        pages = [(label, a) for label, a in notice.attachment_pages() if a.detached == detached]
        for n, (label, a) in enumerate(pages):
            entry = attachment(f"{notice.doc_number}{label}" if detached else label, a)
            wide = bool(getattr(a, "landscape", False))
            after_wide = n > 0 and getattr(pages[n - 1][1], "landscape", False)
            kind = ("apart-" if detached else "") + ("landscape" if wide else "portrait")
            entry["start"] = section_break(kind) if detached or wide or after_wide else ""
            # the 版记 goes back onto a portrait page (one of its own, if it has one: _colophon_on_even_page)
            own_page = notice.colophon is not None and notice.colophon.own_even_page
            last_wide = wide and n == len(pages) - 1 and not detached and not own_page
            entry["end"] = section_break("portrait") if last_wide else ""
            out["detached" if detached else "attachments"].append(entry)
    return out


def section_break(kind: str) -> Markup:
    """A 1-pt paragraph that ends a section; its bookmark names the kind of the section after it (portrait or
    landscape, "apart-" for one printed apart), which _sections gives it."""
    return Markup('<w:p><w:pPr><w:pStyle w:val="SectionBreak"/></w:pPr>'
                  f'<w:bookmarkStart w:id="0" w:name="{SECTION_MARK}{kind}"/><w:bookmarkEnd w:id="0"/></w:p>')


SECTION_MARK = "_drafter_section_"


def _sections(document) -> None:
    """Give each section that a section_break ends its properties: the template's (portrait A4, odd and even page
    numbers), turned to landscape for a wide table — its page numbers where the portrait pages have them, along the
    binding side — or starting a new sheet with its pages numbered from 1 for an attachment printed apart."""
    from copy import deepcopy

    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Twips

    body = document.element.body
    final = body.find(qn("w:sectPr"))
    template = deepcopy(final)
    breaks = []
    for para in body.iter(qn("w:p")):
        mark = next((b for b in para.findall(qn("w:bookmarkStart"))
                     if (b.get(qn("w:name")) or "").startswith(SECTION_MARK)), None)
        if mark is not None:
            breaks.append((para, mark.get(qn("w:name"))[len(SECTION_MARK):]))
            para.remove(para.find(qn("w:bookmarkEnd")))
            para.remove(mark)
    if not breaks:
        return
    kinds = ["portrait"] + [kind for _, kind in breaks]  # of each section, in order
    for para, _ in breaks:
        para.get_or_add_pPr().append(deepcopy(template))

    def before(sect, names: tuple[str, ...]) -> int:
        tags = {qn(f"w:{n}") for n in names}
        return next((i for i, child in enumerate(sect) if child.tag in tags), len(sect))

    for section, kind in zip(document.sections, kinds):
        sect = section._sectPr
        if kind.startswith("apart-"):  # a new sheet, its pages numbered from 1 (the elements in the schema's order)
            sect.insert(before(sect, ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                                      "rtlGutter", "docGrid", "printerSettings")),
                        parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))
            sect.insert(before(sect, ("pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType")),
                        parse_xml(f'<w:type {nsdecls("w")} w:val="oddPage"/>'))
        if kind.endswith("landscape"):
            # the table's head on the binding side: the portrait page turned a quarter to the left, so its margins
            # move round with it (top ← left (订口), right ← top (天头), bottom ← right, left ← bottom)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Twips(G.PAGE_H), Twips(G.PAGE_W)
            section.top_margin, section.right_margin = Twips(G.MARGIN_LEFT), Twips(G.MARGIN_TOP)
            section.bottom_margin, section.left_margin = Twips(G.MARGIN_RIGHT), Twips(G.MARGIN_BOTTOM)
            for ref in sect.findall(qn("w:footerReference")):
                sect.remove(ref)
            for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
                footer.is_linked_to_previous = False
                element = footer._element
                for child in list(element):
                    element.remove(child)
                element.append(parse_xml(turned_page_number(odd)))


PROPERTY_CHARS = 255  # what a .docx core property may hold (python-docx refuses more)


def _properties(document, notice: Notice) -> None:
    """The file's properties (Word's 文件 → 信息) say what the notice says: its title, its issuers as author, its
    成文日期 as made and changed; a 方案 printed alone has neither issuer nor date, and claims none."""
    import datetime as dt

    from docx.oxml.ns import qn

    core = document.core_properties  # Word keeps at most 255 characters of each
    core.title = notice.title[:PROPERTY_CHARS]
    core.author = core.last_modified_by = ("、".join(notice.signature.names) if notice.signature else "")[:PROPERTY_CHARS]
    if notice.signature:
        day = notice.signature.date
        core.created = core.modified = dt.datetime(day.year, day.month, day.day)
    else:
        for name in ("dcterms:created", "dcterms:modified"):
            for element in core._element.findall(qn(name)):
                core._element.remove(element)


def render(notice: Notice, template: Path | None = None) -> bytes:
    """The .docx file as bytes (written to disk by the caller, atomically)."""
    from jinja2 import TemplateError

    from .templatecache import CachedTemplate

    tpl = CachedTemplate(str(template or template_path()))
    try:
        tpl.render(context(notice), jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise RenderError(f"模板填充失败：{exc}") from exc
    _properties(tpl.docx, notice)
    _sections(tpl.docx)  # first: its sections copy the template's, not the 版记's page
    if notice.colophon and notice.colophon.own_even_page:
        _colophon_on_even_page(tpl.docx)
    if notice.format == "信函" and notice.mark:  # no page number on a letter's first page (GB/T 9704 10.1)
        tpl.docx.sections[0].different_first_page_header_footer = True
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()

