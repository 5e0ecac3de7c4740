"""Reading any .docx (ours, Word's, WPS's) into plain paragraphs with their effective formatting.

Formatting is resolved the way Word does: the run's own properties, then its character style, then the paragraph
style and the styles it is based on, then the document defaults. Text boxes (where a 版记 may sit) are read too;
the VML fallback copy of a text box is skipped so nothing is read twice."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DrafterError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
TWIP_MM = 25.4 / 1440


class Unreadable(DrafterError):
    exit_code = 2


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
    where: str = "body"  # body / table / textbox
    index: int = 0


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
class Doc:
    path: Path
    paras: list[Para]
    setup: Setup | None
    tables: list[list[list[str]]] = field(default_factory=list)

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


def _text(el, nested: bool) -> str:
    """The paragraph's text; tabs and breaks kept. Text in a nested text box belongs to that box."""
    parts = []
    for node in el.iter(q("t"), q("tab"), q("br")):
        if not nested and any(a.tag == q("txbxContent") for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == q("t") else "\t" if node.tag == q("tab") else "\n")
    return "".join(parts)


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
    return Para(
        text=_text(el, nested=where == "textbox"),
        style=styles.name(styles.para_style(el)),
        font=main["font"],
        size=int(main["size"]) / 2 if main["size"] else None,
        color=(main["color"] or "").upper() or None,
        bold=total > 0 and bold * 2 > total,
        align=_first(pprs, q("jc"), "val"),
        first_indent=int(indent) * TWIP_MM if indent and indent.lstrip("-").isdigit() else 0.0,
        page_break_before=_flag(pprs, "pageBreakBefore") or any(
            br.get(q("type")) == "page" for br in el.iter(q("br"))),
        ends_section=el.find(f"{q('pPr')}/{q('sectPr')}") is not None,
        where=where,
    )


def read(path: Path) -> Doc:
    """A .docx as paragraphs, page set-up and tables; a file that is not one raises Unreadable (exit status 2)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    if not path.exists():
        raise Unreadable(f"找不到文件：{path}")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(f"{path} 不是可读的 Word 文档（.docx）：{exc}") from None
    except Exception as exc:  # a damaged package can fail in many ways inside python-docx and lxml
        raise Unreadable(f"{path} 无法读取：{type(exc).__name__}: {exc}") from None
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
                cells = []
                for tc in tr.findall(q("tc")):
                    cell_paras = [_para(p, styles, "table") for p in tc.iter(q("p"))]
                    paras.extend(cell_paras)
                    cells.append("\n".join(p.text for p in cell_paras))
                rows.append(cells)
            tables.append(rows)
    for i, p in enumerate(paras):
        p.index = i
    return Doc(path, paras, _setup(document), tables)


def _setup(document) -> Setup | None:
    sect = document.element.body.find(q("sectPr"))
    if sect is None:
        sections = document.element.body.findall(f".//{q('sectPr')}")
        sect = sections[-1] if sections else None
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
