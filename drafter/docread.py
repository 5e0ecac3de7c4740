"""Reading any .docx (ours, Word's, WPS's) into plain paragraphs with their effective formatting.

Formatting is resolved the way Word does: the run's own properties, then its character style, then the paragraph
style and the styles it is based on, then the document defaults. Text boxes (where a 版记 may sit) are read too;
the VML fallback copy of a text box is skipped so nothing is read twice. Footers are read per section (where the
page numbers are), with the PAGE field written as PAGE so that its form can be checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Unreadable
from .files import check_docx

__all__ = ["PAGE", "Doc", "Footer", "Para", "Section", "Setup", "Unreadable", "read"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
TWIP_MM = 25.4 / 1440
PT_MM = 25.4 / 72
PAGE = "{PAGE}"  # how a PAGE field (the page number Word fills in on each page) reads in a footer's text


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Para:
    text: str
    style: str  # the style's name as Word shows it
    font: str | None  # East Asian font of most of the text
    size: float | None  # pt
    color: str | None  # RGB hex of most of the text, e.g. FF0000
    bold: bool
    align: str | None  # left / center / right / both
    first_indent: float  # mm
    page_break_before: bool
    ends_section: bool = False  # a section break (a new page, usually) follows
    where: str = "body"  # body / table / textbox / footer
    index: int = 0
    table: int | None = None  # for where="table": which top-level table (0, 1, …) the paragraph is in
    left_indent: float = 0.0  # mm
    right_indent: float = 0.0  # mm
    frame_align: str | None = None  # a frame's (framePr) horizontal place: left/center/right/inside/outside


@dataclass
class Setup:
    width: float  # mm
    height: float
    top: float
    bottom: float
    left: float
    right: float
    line_pitch: float | None  # pt, from the document grid


@dataclass
class Footer:
    """One footer part; its paragraphs' text has the PAGE field written as PAGE."""

    paras: list[Para]

    @property
    def page_number(self) -> Para | None:
        """The paragraph holding the page number: the one with a PAGE field, else the first with a digit typed in."""
        return (next((p for p in self.paras if PAGE in p.text), None)
                or next((p for p in self.paras if any(c.isdigit() for c in p.text)), None))


@dataclass
class Section:
    """The footers a section's pages show: "default" (every page, or the odd ones when the document has different
    odd and even footers), "even", "first" (used only with title_page). A section without a footer of a kind
    inherits the previous section's, as in Word; the same Footer object is then shared."""

    footers: dict[str, Footer]
    title_page: bool = False


@dataclass
class Doc:
    path: Path
    paras: list[Para]
    setup: Setup | None
    tables: list[list[list[str]]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    even_and_odd: bool = False  # settings.xml evenAndOddHeaders: odd pages show "default", even pages "even"

    def body(self) -> list[Para]:
        return [p for p in self.paras if p.where == "body"]


class Styles:
    """Effective run and paragraph properties through the style chain."""

    def __init__(self, document):
        self.by_id = {}
        self.default_rpr = None
        self.default_ppr = None
        styles_el = document.styles.element
        for s in styles_el.findall(q("style")):
            self.by_id[s.get(q("styleId"))] = s
        defaults = styles_el.find(q("docDefaults"))
        if defaults is not None:
            self.default_rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            self.default_ppr = defaults.find(f"{q('pPrDefault')}/{q('pPr')}")
        self.default_para = next((s.get(q("styleId")) for s in styles_el.findall(q("style"))
                                  if s.get(q("type")) == "paragraph" and s.get(q("default")) in ("1", "true")), None)

    def chain(self, style_id: str | None) -> list:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(q("basedOn"))
            style_id = based.get(q("val")) if based is not None else None
        return out

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or self.default_para or "")
        if style is None:
            return ""
        name = style.find(q("name"))
        return name.get(q("val")) if name is not None else style_id or ""

    def rprs(self, p, r) -> list:
        """Run property elements, strongest first."""
        out = []
        rpr = r.find(q("rPr"))
        if rpr is not None:
            out.append(rpr)
            rstyle = rpr.find(q("rStyle"))
            if rstyle is not None:
                out += [s.find(q("rPr")) for s in self.chain(rstyle.get(q("val")))]
        out += [s.find(q("rPr")) for s in self.chain(self.para_style(p))]
        out.append(self.default_rpr)
        return [e for e in out if e is not None]

    def pprs(self, p) -> list:
        out = [p.find(q("pPr"))] + [s.find(q("pPr")) for s in self.chain(self.para_style(p))]
        out.append(self.default_ppr)
        return [e for e in out if e is not None]

    def para_style(self, p) -> str | None:
        ppr = p.find(q("pPr"))
        pstyle = ppr.find(q("pStyle")) if ppr is not None else None
        return pstyle.get(q("val")) if pstyle is not None else self.default_para


def _first(elements: list, path: str, attr: str) -> str | None:
    for e in elements:
        found = e.find(path)
        if found is not None and found.get(q(attr)) is not None:
            return found.get(q(attr))
    return None


def _flag(elements: list, tag: str) -> bool:
    for e in elements:
        found = e.find(q(tag))
        if found is not None:
            return found.get(q("val")) not in ("0", "false", "off")
    return False


def _is_tab_stop(node) -> bool:
    """A tab stop defined in the paragraph's properties (w:tabs/w:tab), not a tab character in a run."""
    return node.tag == q("tab") and node.getparent() is not None and node.getparent().tag == q("tabs")


def _text(el, nested: bool) -> str:
    """The paragraph's text; tabs and breaks kept. Text in a nested text box belongs to that box."""
    parts = []
    for node in el.iter(q("t"), q("tab"), q("br")):
        if _is_tab_stop(node):
            continue
        if not nested and any(a.tag == q("txbxContent") for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == q("t") else "\t" if node.tag == q("tab") else "\n")
    return "".join(parts)


def _is_page_field(instruction: str | None) -> bool:
    words = (instruction or "").split()
    return bool(words) and words[0].upper() == "PAGE"


def _footer_text(el) -> str:
    """A footer paragraph's text: a PAGE field (complex or simple) as PAGE, other fields as their shown result; text
    of a text box nested in the paragraph is left to that box's own paragraphs."""
    parts: list[str] = []
    fields: list[list] = []  # open complex fields: [instruction, past the separator]
    skip = set()
    for node in el.iter(q("t"), q("tab"), q("br"), q("fldChar"), q("instrText"), q("fldSimple")):
        if node in skip or _is_tab_stop(node) or next(node.iterancestors(q("p")), None) is not el:
            continue
        if node.tag == q("fldSimple"):
            if _is_page_field(node.get(q("instr"))):
                parts.append(PAGE)
                skip.update(node.iter(q("t"), q("tab"), q("br")))
        elif node.tag == q("fldChar"):
            kind = node.get(q("fldCharType"))
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
                if _is_page_field(fields[-1][0]):
                    parts.append(PAGE)
            elif kind == "end" and fields:
                instruction, separated = fields.pop()
                if not separated and _is_page_field(instruction):
                    parts.append(PAGE)
        elif node.tag == q("instrText"):
            if fields:
                fields[-1][0] += node.text or ""
        elif not any(_is_page_field(f[0]) for f in fields):  # a page number's cached digits are not read
            parts.append(node.text or "" if node.tag == q("t") else "\t" if node.tag == q("tab") else "\n")
    return "".join(parts)


def _indent(pprs: list, side: str, size: float | None) -> float:
    """The left or right indent in mm; Word's “characters” unit (leftChars, 1/100 character) wins over twips."""
    chars = _first(pprs, q("ind"), f"{side}Chars")
    if chars and chars.lstrip("-").isdigit() and int(chars):
        return int(chars) / 100 * (size or 10.5) * PT_MM
    twips = _first(pprs, q("ind"), side) or _first(pprs, q("ind"), {"left": "start", "right": "end"}[side])
    return int(twips) * TWIP_MM if twips and twips.lstrip("-").isdigit() else 0.0


def _para(el, styles: Styles, where: str) -> Para:
    runs = [r for r in el.iter(q("r")) if where == "textbox"
            or not any(a.tag == q("txbxContent") for a in r.iterancestors())]
    weights: dict[str, dict] = {"font": {}, "size": {}, "color": {}}
    bold = 0
    total = 0
    for r in runs:
        n = sum(len(t.text or "") for t in r.findall(q("t")))
        if not n:
            continue
        chain = styles.rprs(el, r)
        font = _first(chain, q("rFonts"), "eastAsia") or _first(chain, q("rFonts"), "ascii")
        size = _first(chain, q("sz"), "val")
        color = _first(chain, q("color"), "val")
        for key, value in (("font", font), ("size", size), ("color", color)):
            weights[key][value] = weights[key].get(value, 0) + n
        bold += n if _flag(chain, "b") else 0
        total += n
    main = {k: max(v, key=v.get) if v else None for k, v in weights.items()}
    pprs = styles.pprs(el)
    indent = _first(pprs, q("ind"), "firstLine")
    size = int(main["size"]) / 2 if main["size"] and main["size"].isdigit() else None
    return Para(
        text=_footer_text(el) if where == "footer" else _text(el, nested=where == "textbox"),
        style=styles.name(styles.para_style(el)),
        font=main["font"],
        size=size,
        color=(main["color"] or "").upper() or None,
        bold=total > 0 and bold * 2 > total,
        align=_first(pprs, q("jc"), "val"),
        first_indent=int(indent) * TWIP_MM if indent and indent.lstrip("-").isdigit() else 0.0,
        page_break_before=_flag(pprs, "pageBreakBefore") or any(
            br.get(q("type")) == "page" for br in el.iter(q("br"))),
        ends_section=el.find(f"{q('pPr')}/{q('sectPr')}") is not None,
        where=where,
        left_indent=_indent(pprs, "left", size),
        right_indent=_indent(pprs, "right", size),
        frame_align=_first(pprs, q("framePr"), "xAlign"),
    )


def read(path: Path) -> Doc:
    """A .docx as paragraphs, page set-up, tables and footers; a file that is not one (a .doc, a PDF renamed, an empty
    file, a folder, a damaged package) raises Unreadable (exit status 2) saying what it is and what to do."""
    import docx

    path = Path(path)
    check_docx(path)
    try:
        document = docx.Document(str(path))
        settings = document.settings.element
    except Exception:  # a damaged package can fail in many ways inside python-docx and lxml
        raise Unreadable(f"{path} 已损坏，无法作为 Word 文档（.docx）打开；请在 Word 或 WPS 中打开并重新保存") from None
    styles = Styles(document)
    paras: list[Para] = []
    tables: list[list[list[str]]] = []
    for child in document.element.body.iterchildren():
        if child.tag == q("p"):
            paras.append(_para(child, styles, "body"))
            for box in child.iter(q("txbxContent")):
                if any(a.tag == f"{{{NS['mc']}}}Fallback" for a in box.iterancestors()):
                    continue
                paras += [_para(p, styles, "textbox") for p in box.iter(q("p"))]
        elif child.tag == q("tbl"):
            rows = []
            for tr in child.iter(q("tr")):
                if next(tr.iterancestors(q("tbl")), None) is not child:  # a nested table's rows: read in its cell
                    continue
                cells = []
                for tc in tr.findall(q("tc")):
                    cell_paras = [_para(p, styles, "table") for p in tc.iter(q("p"))]
                    for p in cell_paras:
                        p.table = len(tables)
                    paras.extend(cell_paras)
                    cells.append("\n".join(p.text for p in cell_paras))
                rows.append(cells)
            tables.append(rows)
    for i, p in enumerate(paras):
        p.index = i
    return Doc(path, paras, _setup(document), tables, _sections(document, styles),
               even_and_odd=_flag([settings], "evenAndOddHeaders"))


def _sections(document, styles: Styles) -> list[Section]:
    """Each section's footers, in document order, inherited from the previous section where it has none."""
    read: dict[str, Footer] = {}  # by relationship id: one Footer per part
    out: list[Section] = []
    inherited: dict[str, Footer] = {}
    for sect in document.element.body.iter(q("sectPr")):
        footers = dict(inherited)
        for ref in sect.findall(q("footerReference")):
            rid = ref.get(f"{{{R}}}id")
            part = document.part.related_parts.get(rid)
            element = getattr(part, "element", None)
            if element is None:
                continue
            if rid not in read:
                paras = [p for p in element.iter(q("p"))
                                  if not any(a.tag == f"{{{NS['mc']}}}Fallback" for a in p.iterancestors())]
                read[rid] = Footer([_para(p, styles, "footer") for p in paras])
            footers[ref.get(q("type")) or "default"] = read[rid]
        out.append(Section(footers, title_page=_flag([sect], "titlePg")))
        inherited = footers
    return out


def _setup(document) -> Setup | None:
    """The page set-up of the first section: the notice's own (a later one may be a landscape table's)."""
    sections = document.element.body.findall(f".//{q('sectPr')}")
    sect = sections[0] if sections else None
    if sect is None:
        return None
    size, mar, grid = sect.find(q("pgSz")), sect.find(q("pgMar")), sect.find(q("docGrid"))

    def mm(el, attr, default=0):
        value = el.get(q(attr)) if el is not None else None
        return int(value) * TWIP_MM if value and value.lstrip("-").isdigit() else default

    pitch = grid.get(q("linePitch")) if grid is not None else None
    return Setup(width=mm(size, "w", 210), height=mm(size, "h", 297), top=mm(mar, "top"), bottom=mm(mar, "bottom"),
                 left=mm(mar, "left"), right=mm(mar, "right"),
                 line_pitch=int(pitch) / 20 if pitch and pitch.isdigit() else None)
