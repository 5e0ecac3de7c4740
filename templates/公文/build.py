"""Regenerate 通知.docx beside this script, the docxtpl template every notice (通知, and 信函 as its variant) is
rendered with, from code.

    python templates/公文/build.py            # writes templates/公文/通知.docx
    python templates/公文/build.py out.docx   # writes elsewhere

The template carries the GB/T 9704 page set-up, the line grid, one named style per element (an office may restyle
them in Word or WPS) and the Jinja tags that docxtpl fills. A diff of this script is a diff of the template;
tests/test_template.py checks that the shipped file is what this script builds. The wheel ships the template as
drafter/templates/公文/通知.docx (pyproject.toml); README.md beside this script tells an office what it may adapt.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: its drafter, not an installed one
from drafter import gbt9704 as G  # noqa: E402
from drafter.layout import MARK_MAX_PT, table  # noqa: E402
from drafter.layout import table_cell as cell
from drafter.layout import table_row as row

OUT = Path(__file__).resolve().parent / "通知.docx"  # beside this script
W = nsdecls("w")


# Digits and Latin letters in Times New Roman, as many provincial 公文 rules ask: its digits are half a character
# wide like 仿宋_GB2312's, and its metric twin Liberation Serif (drafter/fonts) keeps them so in PDF output, so a line
# breaks at the same place whichever Chinese stand-in font a machine has.
FONT_LATIN = "Times New Roman"
# Run properties of every text run: Word sets quotation marks, dashes and other characters that are both Chinese and
# Latin in the Chinese font only when the run says so (as runs typed with a Chinese input method do).
EAST_ASIAN_RUN = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'


def fonts(name: str, latin: str = FONT_LATIN) -> str:
    """All four rFonts attributes: Word picks eastAsia for Chinese, ascii/hAnsi for digits and Latin."""
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{name}" w:cs="{latin}"/>'


def rpr(font: str = G.FONT_BODY, size: int = G.SIZE_BODY, color: str | None = None, tracking: int = G.TRACKING,
        latin: str = FONT_LATIN) -> str:
    col = f'<w:color w:val="{color}"/>' if color else ""
    spacing = f'<w:spacing w:val="{tracking}"/>' if tracking else ""
    return f'<w:rPr>{fonts(font, latin)}{col}{spacing}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def ppr(jc: str = "both", first: int = 0, left: int = 0, right: int = 0, hanging: int = 0, line: int = G.LINE,
        before: int = 0, after: int = 0, snap: bool = True, extra: str = "", border: str = "", tabs: str = "",
        autospace: bool = True, outline: int | None = None) -> str:
    """Paragraph properties, in the order the schema sets (Word refuses a file whose order is wrong): ``extra`` is
    keepNext or pageBreakBefore, ``border`` a pBdr; without ``autospace`` no extra space is set between Chinese
    characters and digits (so that a line placed by its computed width is as wide as computed)."""
    ind = f'<w:ind w:left="{left}" w:right="{right}"'
    ind += f' w:hanging="{hanging}"/>' if hanging else f' w:firstLine="{first}"/>'
    return (f"<w:pPr>{extra}<w:widowControl w:val=\"0\"/>{border}{tabs}"
            + ("" if autospace else '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
            + ("" if snap else '<w:snapToGrid w:val="0"/>')
            + (f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>' if line else
               f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>')
            + f'{ind}<w:jc w:val="{jc}"/>'
            + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + '</w:pPr>')


# Red line under the 发文字号: border spacing (pt) measured to put it 4 mm under the characters.
DOC_NUMBER_RULE_SPACE = 3

# style id -> (name shown in Word, paragraph properties, run properties)
STYLES = {
    "Mark": ("发文机关标志", ppr(jc="center", line=2 * G.LINE, snap=False),
             rpr(G.FONT_TITLE, G.half_points(MARK_MAX_PT), G.RED, tracking=0)),
    "DocNumber": ("发文字号", ppr(jc="center", border=(
        '<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="{space}" w:color="FF0000"/></w:pBdr>')), rpr()),
    "LetterNumber": ("发文字号（信函）", ppr(jc="right"), rpr()),
    # 套打: the 文号 where it would stand, the red line left to the pre-printed paper
    "DocNumberPlain": ("发文字号（套打）", ppr(jc="center", after=DOC_NUMBER_RULE_SPACE * 20 + 30), rpr()),
    "Title": ("标题", ppr(jc="center", snap=False), rpr(G.FONT_TITLE, G.SIZE_TITLE, tracking=0)),
    "Recipients": ("主送机关", ppr(), rpr()),
    "Body": ("正文", ppr(first=2 * G.CHAR), rpr()),
    # the last paragraph of the text, kept on the page of the 署名 and 成文日期 (GB/T 9704 7.3.5.5)
    "BodyKeep": ("正文（与落款同页）", ppr(first=2 * G.CHAR, extra="<w:keepNext/>"), rpr()),
    # Headings carry outline levels 1–4, so that Word's and WPS's navigation pane and table of contents list them;
    # levels 3–4 run into their first paragraph and look like the text.
    "Heading1": ("一级标题", ppr(first=2 * G.CHAR, extra='<w:keepNext/>', outline=0), rpr(G.FONT_H1)),
    "Heading2": ("二级标题", ppr(first=2 * G.CHAR, extra='<w:keepNext/>', outline=1), rpr(G.FONT_H2)),
    "Heading3": ("三级标题", ppr(first=2 * G.CHAR, outline=2), rpr()),
    "Heading4": ("四级标题", ppr(first=2 * G.CHAR, outline=3), rpr()),
    # 附件说明: "附件：1. 名称"; wrapped lines align with the first character of the name (tab stop at 7 characters).
    # kept with the 署名 below them (GB/T 9704 7.3.5.5)
    "AttachNoteFirst": ("附件说明", ppr(left=7 * G.CHAR, hanging=5 * G.CHAR, extra="<w:keepNext/>", tabs=(
        f'<w:tabs><w:tab w:val="left" w:pos="{7 * G.CHAR}"/></w:tabs>')), rpr()),
    "AttachNote": ("附件说明续行", ppr(left=7 * G.CHAR, hanging=2 * G.CHAR, extra="<w:keepNext/>", tabs=(
        f'<w:tabs><w:tab w:val="left" w:pos="{7 * G.CHAR}"/></w:tabs>')), rpr()),
    "AttachNoteSingle": ("附件说明（单个附件）", ppr(left=5 * G.CHAR, hanging=3 * G.CHAR, extra="<w:keepNext/>"), rpr()),
    "Signer": ("署名", ppr(jc="right", autospace=False), rpr()),
    "SignDate": ("成文日期", ppr(jc="right", autospace=False), rpr()),
    "Remark": ("附注", ppr(first=2 * G.CHAR), rpr()),
    "AttachLabel": ("附件标签", ppr(jc="left", extra='<w:pageBreakBefore/>'), rpr(G.FONT_H1)),
    "AttachTitle": ("附件标题", ppr(jc="center", snap=False), rpr(G.FONT_TITLE, G.SIZE_TITLE, tracking=0)),
    "ListItem": ("附件条目", ppr(first=2 * G.CHAR), rpr()),
    # a 1-pt paragraph that ends a section (drafter.render gives it the section's properties)
    "SectionBreak": ("分节", ppr(line=20, snap=False), rpr(size=2)),
    "TableHead": ("表头", ppr(jc="center"), rpr(G.FONT_H1, G.SIZE_SMALL, tracking=0)),
    "TableText": ("表格文字", ppr(jc="left"), rpr(G.FONT_BODY, G.SIZE_SMALL, tracking=0)),
    "TableCenter": ("表格文字居中", ppr(jc="center"), rpr(G.FONT_BODY, G.SIZE_SMALL, tracking=0)),
    "FormLine": ("填报说明", ppr(jc="left"), rpr(G.FONT_BODY, G.SIZE_SMALL, tracking=0)),
    "CopyTo": ("抄送", ppr(left=4 * G.CHAR_SMALL, right=G.CHAR_SMALL, hanging=3 * G.CHAR_SMALL, snap=False),
               rpr(G.FONT_BODY, G.SIZE_SMALL, tracking=0)),
    "Printer": ("印发机关和印发日期", ppr(jc="left", left=G.CHAR_SMALL, snap=False, tabs=(
        f'<w:tabs><w:tab w:val="right" w:pos="{G.TEXT_W - G.CHAR_SMALL}"/></w:tabs>')),
        rpr(G.FONT_BODY, G.SIZE_SMALL, tracking=0)),
    # Page numbers: 半角宋体 digits (GB/T 9704 7.5); right- or left-aligned, so their width moves nothing.
    "PageNumberOdd": ("页码（单页）", ppr(jc="right", right=G.CHAR_SMALL, snap=False, line=0),
                      rpr(G.FONT_PAGE_NUMBER, G.SIZE_SMALL, tracking=0, latin=G.FONT_PAGE_NUMBER)),
    "PageNumberEven": ("页码（双页）", ppr(jc="left", left=G.CHAR_SMALL, snap=False, line=0),
                       rpr(G.FONT_PAGE_NUMBER, G.SIZE_SMALL, tracking=0, latin=G.FONT_PAGE_NUMBER)),
}
CHAR_STYLES = {"Heading2Char": ("二级标题字符", rpr(G.FONT_H2))}



def build_styles(document: docx.document.Document) -> None:
    styles = document.styles.element
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) not in ("TableNormal", "DefaultParagraphFont"):
            styles.remove(old)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault>{rpr()[:-len("</w:rPr>")]}'
        '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault>{ppr()}</w:pPrDefault></w:docDefaults>'))
    styles.append(parse_xml(
        f'<w:style {W} w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f'<w:qFormat/>{ppr()}{rpr()}</w:style>'))
    for sid, (name, p, r) in STYLES.items():
        p = p.replace("{space}", str(DOC_NUMBER_RULE_SPACE))
        styles.append(parse_xml(
            f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="Normal"/><w:qFormat/>{p}{r}</w:style>'))
    for sid, (name, r) in CHAR_STYLES.items():
        styles.append(parse_xml(
            f'<w:style {W} w:type="character" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>{r}</w:style>'))


def p(style: str, text: str = "", run_style: str | None = None) -> str:
    """A paragraph of one style holding one run (text may be a Jinja tag)."""
    rs = (f'<w:rPr><w:rStyle w:val="{run_style}"/><w:rFonts w:hint="eastAsia"/></w:rPr>' if run_style
          else EAST_ASIAN_RUN)
    run = f'<w:r>{rs}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>'


def runs(style: str, *parts: tuple[str | None, str]) -> str:
    rs = ""
    for cs, t in parts:
        props = f'<w:rPr><w:rStyle w:val="{cs}"/><w:rFonts w:hint="eastAsia"/></w:rPr>' if cs else EAST_ASIAN_RUN
        rs += f'<w:r>{props}<w:t xml:space="preserve">{escape(t)}</w:t></w:r>'

    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{rs}</w:p>'


def tag(text: str) -> str:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); docxtpl removes the paragraph."""
    return p("Body", "{%p " + text + " %}")


def tag_row(widths: list[int], text: str) -> str:
    """A table row holding only a docxtpl row tag ({%tr ... %}); docxtpl removes the row."""
    return row(cell(sum(widths), p("TableText", "{%tr " + text + " %}"), span=len(widths)))


def attachments(name: str = "attachments") -> str:
    """Each attachment on a new page: label on line 1, title on line 3, then its kind's content; the section breaks
    around it (drafter.render.attachment_sections) when it is printed apart or on landscape pages."""
    out = [tag(f"for a in {name}"), p("Body", "{{p a.start }}"), p("AttachLabel", "{{ a.label }}"),
           p("Body"), p("AttachTitle", "{{ a.title }}"), p("Body")]
    # A numbered list (e.g. 宣传标语).
    out += [tag("if a.kind == 'list'"), tag("for item in a.entries"), p("ListItem", "{{ item }}"), tag("endfor")]
    # A form (联络员表, plugins' forms): a table with any number of labels a row, built by drafter.render.form_table.
    out += [tag("elif a.kind == 'form'"), p("Body", "{{p a.table }}"),
            tag("if a.note"), p("FormLine", "{{ a.note }}"), tag("endif")]
    # A statistics table (活动进展情况统计表): who reports, then one row per activity with its blanks.
    sw = [900, 3200, 4744]
    out += [tag("elif a.kind == 'stats'"), tag("for line in a.reporter_lines"), p("FormLine", "{{ line }}"),
            tag("endfor"), table(sw, "".join([
        row(cell(sw[0], p("TableHead", "序号")) + cell(sw[1], p("TableHead", "活动项目"))
            + cell(sw[2], p("TableHead", "进展情况")), header=True),
        tag_row(sw, "for r in a.rows"),
        row(cell(sw[0], p("TableCenter", "{{ r.no }}")) + cell(sw[1], p("TableText", "{{ r.activity }}"))
            + cell(sw[2], p("TableText", "{{ r.blanks }}"))),
        tag_row(sw, "endfor"),
    ])), tag("if a.note"), p("FormLine", "{{ a.note }}"), tag("endif")]
    # A plan table (活动计划表).
    pw = [900, 2400, 3944, 1600]
    out += [tag("elif a.kind == 'plan'"), table(pw, "".join([
        row(cell(pw[0], p("TableHead", "序号")) + cell(pw[1], p("TableHead", "活动项目"))
            + cell(pw[2], p("TableHead", "内容要求")) + cell(pw[3], p("TableHead", "落实单位")), header=True),
        tag_row(pw, "for r in a.rows"),
        row(cell(pw[0], p("TableCenter", "{{ r.no }}")) + cell(pw[1], p("TableText", "{{ r.activity }}"))
            + cell(pw[2], p("TableText", "{{ r.requirement }}")) + cell(pw[3], p("TableCenter", "{{ r.owner }}"))),
        tag_row(pw, "endfor"),
    ])), tag("if a.note"), p("FormLine", "{{ a.note }}"), tag("endif")]
    # A table the clerk laid out (built by drafter.render.grid_table), with the 填报单位 lines when asked for.
    out += [tag("elif a.kind == 'table'"), tag("for line in a.reporter_lines"), p("FormLine", "{{ line }}"),
            tag("endfor"), p("Body", "{{p a.table }}"), tag("if a.note"), p("FormLine", "{{ a.note }}"), tag("endif")]
    # A document with its own body (the 方案 a cover note issues): headings and paragraphs as in the notice.
    out += [tag("elif a.kind == 'document'"), *text_blocks("a.blocks")]
    out += [tag("endif"), p("Body", "{{p a.end }}"), tag("endfor")]
    return "".join(out)


def text_blocks(name: str) -> list[str]:
    """Headings and paragraphs in document order, numbers already derived (drafter.render.blocks)."""
    return [
        tag(f"for b in {name}"),
        tag("if b.kind == 'h1'"), p("Heading1", "{{ b.heading }}"),
        tag("elif b.kind == 'h2'"), p("Heading2", "{{ b.heading }}"),
        tag("elif b.kind == 'hp' and b.level == 3"), runs("Heading3", (None, "{{ b.heading }}"), (None, "{{ b.text }}")),
        tag("elif b.kind == 'hp'"), runs("Heading4", (None, "{{ b.heading }}"), (None, "{{ b.text }}")),
        tag("elif b.kind == 'keep'"), p("BodyKeep", "{{ b.text }}"),
        tag("else"), p("Body", "{{ b.text }}"),
        tag("endif"), tag("endfor"),
    ]


def body() -> str:
    parts = [
        # 版头: the mark's top edge 35 mm under the text-block top (its space and the blank lines above it computed by
        # drafter.layout.mark), the 文号 two lines under it, the red line under that; a 方案 printed on its own has
        # none: its title stands on the first line. On pre-printed paper (套打) the same space, nothing drawn.
        # 信函: the mark and the red double rules placed on the page (drafter.layout.letterhead), the 文号 at the right
        # under the first rule, the title two lines below.
        tag("if letter"), p("Body", "{{p letter }}"), p("LetterNumber", "{{ doc_number }}"), p("Body"), p("Body"),
        tag("elif mark"), p("Body", "{{p mark }}"), p("Body"), p("Body"),
        tag("if rule"), p("DocNumber", "{{ doc_number }}"), tag("else"), p("DocNumberPlain", "{{ doc_number }}"),
        tag("endif"), p("Body"), p("Body"), tag("endif"),
        # 标题, one paragraph per line of the trapezoid, then 主送 after a blank line.
        tag("for line in title_lines"), p("Title", "{{ line }}"), tag("endfor"), p("Body"),
        tag("if recipients"), p("Recipients", "{{ recipients }}："), tag("endif"),
        # 正文: headings and paragraphs in document order, numbers already derived.
        *text_blocks("blocks"),
        # 附件说明
        tag("if attachment_notes"), p("BodyKeep"),
        tag("for n in attachment_notes"),
        tag("if n.kind == 'single'"), p("AttachNoteSingle", "附件：{{ n.title }}"),
        tag("elif n.kind == 'first'"), p("AttachNoteFirst", "附件：{{ n.number }}.\t{{ n.title }}"),
        tag("else"), p("AttachNote", "{{ n.number }}.\t{{ n.title }}"),
        tag("endif"), tag("endfor"), tag("endif"),
        # 署名 and 成文日期: blank lines above (more when a seal goes there), positions computed from the text widths.
        tag("if signature"), p("Body", "{{p signature }}"), tag("endif"),
        tag("if remark"), p("Remark", "（{{ remark }}）"), tag("endif"),
        attachments(),
        # 版记: a text box on the bottom edge of the text block of the last page (built by drafter.layout.colophon).
        p("Body", "{{p colophon }}"),
        # Attachments not bound with the notice (GB/T 9704 7.3.7): after the 版记, the 发文字号 on their first line.
        attachments("detached"),
    ]
    return "".join(parts)


def footer_xml(style: str) -> str:
    run = rpr(G.FONT_PAGE_NUMBER, G.SIZE_SMALL, tracking=0, latin=G.FONT_PAGE_NUMBER)
    return (f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r>{run}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{run}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{run}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{run}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{run}<w:t>1</w:t></w:r>'
            f'<w:r>{run}<w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r>{run}<w:t xml:space="preserve"> —</w:t></w:r></w:p>')


# Footer distance from the paper's bottom edge, measured to put the page number G.PAGE_NUMBER_BELOW_MM under the
# text block.
FOOTER_DISTANCE = 1230


def build(out: Path = OUT) -> Path:
    document = docx.Document()
    build_styles(document)
    settings = document.settings.element
    document.settings.odd_and_even_pages_header_footer = True
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        settings.remove(lang)
    for extra in ("w:rsids", "w14:docId"):
        el = settings.find(qn(extra))
        if el is not None:
            settings.remove(el)

    section = document.sections[0]
    section.page_width, section.page_height = Twips(G.PAGE_W), Twips(G.PAGE_H)
    section.top_margin, section.bottom_margin = Twips(G.MARGIN_TOP), Twips(G.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(G.MARGIN_LEFT), Twips(G.MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(851), Twips(FOOTER_DISTANCE)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is not None:
        sect_pr.remove(grid)
    sect_pr.append(parse_xml(f'<w:docGrid {W} w:type="lines" w:linePitch="{G.LINE}"/>'))
    for ftr, style in ((section.footer, "PageNumberOdd"), (section.even_page_footer, "PageNumberEven")):
        ftr.is_linked_to_previous = False
        el = ftr._element
        for child in list(el):
            el.remove(child)
        el.append(parse_xml(footer_xml(style)))

    body_el = document.element.body
    for child in list(body_el):
        if child.tag != qn("w:sectPr"):
            body_el.remove(child)
    fragment = parse_xml(f"<w:body {W}>{body()}</w:body>")
    for child in list(fragment):
        body_el.insert(len(body_el) - 1, child)

    core = document.core_properties
    core.author = core.last_modified_by = "drafter"
    core.title, core.comments, core.revision = "通知", "", 1
    import datetime as _dt
    core.created = core.modified = _dt.datetime(2025, 1, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
