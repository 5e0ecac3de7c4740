"""Reading any .docx (ours, Word's, WPS's) into plain paragraphs with their effective formatting.

Formatting is resolved the way Word does: the run's own properties, then its character style, then the paragraph
style and the styles it is based on, then the document defaults. Text boxes (where a 版记 may sit) are read too;
the VML fallback copy of a text box is skipped so nothing is read twice. Footers are read per section (where the
page numbers are), with the PAGE field written as PAGE so that its form can be checked.

The file comes from outside: its package is read through package.py (only the parts named here, within the limits),
lxml directly (python-docx would load every part, images included), and every value it holds is taken as it may be:
a size, indent or page measure that is not a number of its unit reads as unknown, a style “based on” more styles
than STYLE_CHAIN or more paragraphs than PARAGRAPHS are refused by name. Each paragraph and run is read in time
proportional to its own size, whatever the nesting around it. A value is never mended into a valid one: a keyword
or name holding a control or bidirectional character reads as unknown, not as itself without them; a page measure
that is missing or unreadable is unknown, not A4's."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import gbt9704 as G
from ..errors import Unreadable
from ..files import strip_controls
from ..limits import PARAGRAPHS, STYLE_CHAIN
from ..package import Package, check_docx, damaged, shown

__all__ = ["PAGE", "Doc", "Footer", "Para", "Section", "Setup", "Unreadable", "read"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
TWIP_MM = G.TWIP_MM
PT_MM = G.PT_MM
DEFAULT_SIZE = 20  # half-points: Word's run size when neither the run nor any style nor the defaults give one
PAGE = "{PAGE}"  # how a PAGE field (the page number Word fills in on each page) reads in a footer's text


@functools.cache
def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, RUN, T, TAB, BR, TBL, TR = q("p"), q("r"), q("t"), q("tab"), q("br"), q("tbl"), q("tr")
TEXT_BOX = q("txbxContent")
FALLBACK = f"{{{NS['mc']}}}Fallback"  # the VML copy of a drawing, for readers that lack DrawingML


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
    """The page set-up; a measure missing or unreadable in the file is None (unknown), never a default."""

    width: float | None  # mm
    height: float | None
    top: float | None
    bottom: float | None
    left: float | None
    right: float | None
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


# Measures as attributes write them: a whole number of the attribute's unit (twips, half-points), or, as OOXML
# allows for most, a “universal measure” with its unit (16pt, 2.5cm).
_MEASURE = re.compile(r"(-?[0-9]{1,9})(\.[0-9]{1,9})?(mm|cm|in|pt|pc|pi)?")
_POINTS = {"mm": 1 / PT_MM, "cm": 10 / PT_MM, "in": float(G.PT_PER_INCH), "pt": 1.0, "pc": 12.0, "pi": 12.0}


def measure(value: str | None, per_point: float) -> float | None:
    """``value`` in the attribute's unit, of which ``per_point`` make a point (20 twips, 2 half-points): a whole
    number as it is, a universal measure converted; anything else (a fraction without a unit, a number of more than
    nine digits, words) is unknown: None."""
    m = _MEASURE.fullmatch(value.strip()) if value else None
    if m is None:
        return None
    whole, fraction, unit = m.groups()
    if unit:
        return float(whole + (fraction or "")) * _POINTS[unit] * per_point
    return None if fraction else int(whole)


def _whole(value: str | None) -> int | None:
    """A plain whole number (a count of 1/100 characters, a grid pitch): no unit, no fraction; else None."""
    m = _MEASURE.fullmatch(value.strip()) if value else None
    return int(m.group(1)) if m and not m.group(2) and not m.group(3) else None


def _inner(el, tags: Iterable[str], skip: Iterable[str] = (), into: bool = True) -> Iterator:
    """The descendants of ``el`` with one of ``tags``, in document order, leaving out the subtrees of those with one
    of ``skip`` (and without ``into``, those of the elements yielded): each node is visited once, whatever the
    nesting (a test against every node's ancestors would make deep nesting quadratic)."""
    tags, skip = frozenset(tags), frozenset(skip)
    stack = list(el.iterchildren(reversed=True))
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag in skip:
            continue
        if tag in tags:
            yield node
            if not into:
                continue
        stack.extend(node.iterchildren(reversed=True))


class Styles:
    """Effective run and paragraph properties through the style chain; each style's chain is resolved once."""

    def __init__(self, styles_el, where: str):
        self.where = where  # the file, for naming it in an error
        self.by_id: dict[str, Any] = {}
        self.default_rpr = None
        self.default_ppr = None
        self.default_para = None
        self._chains: dict[str, tuple] = {}
        self._rprs: dict[tuple[str | None, str | None], list] = {}
        self._pprs: dict[str | None, list] = {}
        if styles_el is None:
            return
        for s in styles_el.findall(q("style")):
            self.by_id.setdefault(s.get(q("styleId")), s)  # the first of a name, as Word takes it
        defaults = styles_el.find(q("docDefaults"))
        if defaults is not None:
            self.default_rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            self.default_ppr = defaults.find(f"{q('pPrDefault')}/{q('pPr')}")
        self.default_para = next((s.get(q("styleId")) for s in styles_el.findall(q("style"))
                                  if s.get(q("type")) == "paragraph" and s.get(q("default")) in ("1", "true")), None)

    def chain(self, style_id: str | None) -> tuple:
        """The style and those it is based on, in order; a loop ends the chain. A chain longer than STYLE_CHAIN is
        refused (naming the style) rather than cut: formatting read from part of it could be wrong."""
        if not style_id:
            return ()
        if style_id not in self._chains:
            out: list = []
            seen: set[str] = set()
            sid: str | None = style_id
            while sid and sid in self.by_id and sid not in seen:
                if len(out) == STYLE_CHAIN.amount:
                    raise STYLE_CHAIN.exceeded(self.where, f"样式“{shown(self.name(style_id))}”")
                seen.add(sid)
                style = self.by_id[sid]
                out.append(style)
                based = style.find(q("basedOn"))
                sid = based.get(q("val")) if based is not None else None
            self._chains[style_id] = tuple(out)
        return self._chains[style_id]

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or self.default_para or "")
        if style is None:
            return ""
        name = style.find(q("name"))
        if name is None:
            return style_id or ""
        return _word(name.get(q("val"))) or ""  # a name holding control characters is unknown

    def rprs(self, para_style: str | None, r) -> list:
        """Run property elements of a run in a paragraph of style ``para_style``, strongest first."""
        rpr = r.find(q("rPr"))
        rstyle = rpr.find(q("rStyle")) if rpr is not None else None
        key = (rstyle.get(q("val")) if rstyle is not None else None, para_style)
        if key not in self._rprs:
            styled = [s.find(q("rPr")) for s in self.chain(key[0]) + self.chain(key[1])] + [self.default_rpr]
            self._rprs[key] = [e for e in styled if e is not None]
        return ([rpr] if rpr is not None else []) + self._rprs[key]

    def pprs(self, p, para_style: str | None) -> list:
        """Paragraph property elements of ``p``, of style ``para_style``, strongest first."""
        if para_style not in self._pprs:
            styled = [s.find(q("pPr")) for s in self.chain(para_style)] + [self.default_ppr]
            self._pprs[para_style] = [e for e in styled if e is not None]
        ppr = p.find(q("pPr"))
        return ([ppr] if ppr is not None else []) + self._pprs[para_style]

    def para_style(self, p) -> str | None:
        """The paragraph's style id (looked up once a paragraph: finding pPr may pass every run)."""
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
    return node.tag == TAB and node.getparent() is not None and node.getparent().tag == q("tabs")


def _chars(node) -> str:
    """What a text, tab or break element stands for."""
    return node.text or "" if node.tag == T else "\t" if node.tag == TAB else "\n"


def _text(el, nested: bool) -> str:
    """The paragraph's text; tabs and breaks kept. Text in a nested text box belongs to that box."""
    nodes = el.iter(T, TAB, BR) if nested else _inner(el, (T, TAB, BR), skip=(TEXT_BOX,))
    return strip_controls("".join(_chars(node) for node in nodes if not _is_tab_stop(node)))


def _page_head(head: str) -> bool:
    """Whether a field instruction beginning with ``head`` (its first characters, leading spaces stripped) is PAGE."""
    return head[:4].upper() == "PAGE" and (len(head) == 4 or head[4].isspace())


def _footer_text(el) -> str:
    """A footer paragraph's text: a PAGE field (complex or simple) as PAGE, other fields as their shown result; text
    of a text box nested in the paragraph is left to that box's own paragraphs. Each node is handled in constant
    time, however many fields are open: a field keeps only the start of its instruction (enough to tell PAGE), and
    the number of open PAGE fields is counted."""
    parts: list[str] = []
    fields: list[list] = []  # open complex fields: [start of the instruction, past the separator]
    pages = 0  # open fields that are PAGE fields: their cached digits are not read
    skip = set()
    tags = (T, TAB, BR, q("fldChar"), q("instrText"), q("fldSimple"))
    for node in _inner(el, tags, skip=(P,)):
        if node in skip or _is_tab_stop(node):
            continue
        if node.tag == q("fldSimple"):
            if _page_head((node.get(q("instr")) or "").lstrip()[:5]):
                parts.append(PAGE)
                skip.update(node.iter(T, TAB, BR))
        elif node.tag == q("fldChar"):
            kind = node.get(q("fldCharType"))
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
                if _page_head(fields[-1][0]):
                    parts.append(PAGE)
            elif kind == "end" and fields:
                head, separated = fields.pop()
                pages -= _page_head(head)
                if not separated and _page_head(head):
                    parts.append(PAGE)
        elif node.tag == q("instrText"):
            if fields:
                head = fields[-1][0]
                fields[-1][0] = (head + (node.text or "")).lstrip()[:5]
                pages += _page_head(fields[-1][0]) - _page_head(head)
        elif not pages:
            parts.append(_chars(node))
    return strip_controls("".join(parts))


def _word(value: str | None) -> str | None:
    """A keyword or name from an attribute (an alignment, a font, a colour) as the file has it, or None (unknown) when
    it holds a control or bidirectional character: such a value is malformed, and taking the characters out could
    turn it into a valid one (a right-to-left override before “center” into center)."""
    return value if value is None or strip_controls(value) == value else None


def _indent(pprs: list, side: str, size: float | None) -> float:
    """The left or right indent in mm; Word's “characters” unit (leftChars, 1/100 character) wins over twips."""
    chars = _whole(_first(pprs, q("ind"), f"{side}Chars"))
    if chars:
        return chars / 100 * (size or 10.5) * PT_MM
    twips = measure(_first(pprs, q("ind"), side) or _first(pprs, q("ind"), {"left": "start", "right": "end"}[side]), 20)
    return twips * TWIP_MM if twips is not None else 0.0


def _para(el, styles: Styles, where: str) -> Para:
    runs = el.iter(RUN) if where == "textbox" else _inner(el, (RUN,), skip=(TEXT_BOX,))
    style = styles.para_style(el)
    weights: dict[str, dict] = {"font": {}, "size": {}, "color": {}}
    bold = 0
    total = 0
    for r in runs:
        n = sum(len(t.text or "") for t in r.findall(T))
        if not n:
            continue
        chain = styles.rprs(style, r)
        font = _first(chain, q("rFonts"), "eastAsia") or _first(chain, q("rFonts"), "ascii")
        given = _first(chain, q("sz"), "val")
        size = measure(given, 2) if given is not None else DEFAULT_SIZE
        color = _first(chain, q("color"), "val")
        for key, value in (("font", font), ("size", size), ("color", color)):
            weights[key][value] = weights[key].get(value, 0) + n
        bold += n if _flag(chain, "b") else 0
        total += n
    main = {k: max(v.items(), key=lambda kv: kv[1])[0] if v else None for k, v in weights.items()}
    pprs = styles.pprs(el, style)
    indent = measure(_first(pprs, q("ind"), "firstLine"), 20)
    size = main["size"] / 2 if main["size"] is not None and main["size"] >= 0 else None
    return Para(
        text=_footer_text(el) if where == "footer" else _text(el, nested=where == "textbox"),
        style=styles.name(style),
        font=_word(main["font"]) or None,
        size=size,
        color=(_word(main["color"]) or "").upper() or None,
        bold=total > 0 and bold * 2 > total,
        align=_word(_first(pprs, q("jc"), "val")),
        first_indent=indent * TWIP_MM if indent is not None else 0.0,
        page_break_before=_flag(pprs, "pageBreakBefore") or any(br.get(q("type")) == "page" for br in el.iter(BR)),
        ends_section=el.find(f"{q('pPr')}/{q('sectPr')}") is not None,
        where=where,
        left_indent=_indent(pprs, "left", size),
        right_indent=_indent(pprs, "right", size),
        frame_align=_word(_first(pprs, q("framePr"), "xAlign")),
    )


class _Reader:
    """One document being read: its styles, and its paragraphs counted against PARAGRAPHS as they are read."""

    def __init__(self, path: Path, styles: Styles):
        self.path = path
        self.styles = styles
        self.count = 0

    def para(self, el, where: str) -> Para:
        self.count += 1
        if self.count > PARAGRAPHS.amount:
            raise PARAGRAPHS.exceeded(str(self.path), f"多于 {PARAGRAPHS.amount:,} 段")
        return _para(el, self.styles, where)

    def boxes(self, el) -> list[Para]:
        """The paragraphs of the text boxes anchored in paragraph ``el``, as where="textbox" (their VML copies left
        out; a box in a box is read with it)."""
        return [self.para(p, "textbox") for box in _inner(el, (TEXT_BOX,), skip=(FALLBACK,), into=False)
                for p in _inner(box, (P,), skip=(FALLBACK,))]


def read(path: Path) -> Doc:
    """A .docx as paragraphs, page set-up, tables and footers; a file that is not one (a .doc, a PDF renamed, an empty
    file, a folder, a damaged package) raises Unreadable (exit status 2) saying what it is and what to do, and one
    past a limit of limits.py raises LimitExceeded naming it."""
    path = Path(path)
    check_docx(path)
    with Package(path) as package:
        main = package.main()
        root = package.xml(main)
        body = root.find(q("body")) if root.tag == q("document") else None
        if body is None:
            raise damaged(path)
        styles_part, settings_part = package.part_of(main, "styles"), package.part_of(main, "settings")
        reader = _Reader(path, Styles(package.xml(styles_part) if styles_part else None, str(path)))
        settings = package.xml(settings_part) if settings_part else None
        paras, tables = _body(body, reader)
        sections = _sections(body, reader, package, main)
    for i, p in enumerate(paras):
        p.index = i
    return Doc(path, paras, _setup(body), tables, sections,
               even_and_odd=settings is not None and _flag([settings], "evenAndOddHeaders"))


def _body(body, reader: _Reader) -> tuple[list[Para], list[list[list[str]]]]:
    """The paragraphs of the body (those of its text boxes after each, those of its tables' cells in order) and the
    tables' text, row by row. A text box anchored in a cell is read as one in the body is: its paragraphs follow the
    cell's paragraph as where="textbox", and are no part of the cell's text (nor is the VML copy read at all)."""
    paras: list[Para] = []
    tables: list[list[list[str]]] = []
    for child in body.iterchildren(P, TBL):
        if child.tag == P:
            paras.append(reader.para(child, "body"))
            paras += reader.boxes(child)
            continue
        rows = []
        for tr in _inner(child, (TR,), skip=(TBL,)):  # a nested table's rows are read in its cell
            cells = []
            for tc in tr.findall(q("tc")):
                cell_paras = []
                for el in _inner(tc, (P,), skip=(FALLBACK, TEXT_BOX)):  # a nested table's paragraphs too
                    cell_paras.append(reader.para(el, "table"))
                    cell_paras[-1].table = len(tables)
                    paras += [cell_paras[-1], *reader.boxes(el)]
                cells.append("\n".join(p.text for p in cell_paras))
            rows.append(cells)
        tables.append(rows)
    return paras, tables


def _sections(body, reader: _Reader, package: Package, main: str) -> list[Section]:
    """Each section's footers, in document order, inherited from the previous section where it has none. A footer
    part is read once however many sections refer to it."""
    relations = package.related(main)
    read: dict[str, Footer] = {}  # by part name
    out: list[Section] = []
    inherited: dict[str, Footer] = {}
    for sect in body.iter(q("sectPr")):
        footers = dict(inherited)
        for ref in sect.findall(q("footerReference")):
            relation = relations.get(ref.get(f"{{{R}}}id") or "")
            if relation is None or not relation[0].endswith("/footer"):
                continue
            name = package.target(relation)
            if name not in read:
                paras = _inner(package.xml(name), (P,), skip=(FALLBACK,))
                read[name] = Footer([reader.para(p, "footer") for p in paras])
            footers[ref.get(q("type")) or "default"] = read[name]
        out.append(Section(footers, title_page=_flag([sect], "titlePg")))
        inherited = footers
    return out


def _setup(body) -> Setup | None:
    """The page set-up of the first section: the notice's own (a later one may be a landscape table's). A measure
    missing or not one of its unit (words, an exponent, more than nine digits) reads as unknown: None."""
    sect = next(body.iter(q("sectPr")), None)
    if sect is None:
        return None
    size, mar, grid = sect.find(q("pgSz")), sect.find(q("pgMar")), sect.find(q("docGrid"))

    def mm(el, attr: str) -> float | None:
        twips = measure(el.get(q(attr)), 20) if el is not None else None
        return twips * TWIP_MM if twips is not None else None

    pitch = _whole(grid.get(q("linePitch"))) if grid is not None else None
    return Setup(width=mm(size, "w"), height=mm(size, "h"), top=mm(mar, "top"), bottom=mm(mar, "bottom"),
                 left=mm(mar, "left"), right=mm(mar, "right"),
                 line_pitch=pitch / 20 if pitch is not None and pitch >= 0 else None)
