"""Recognising the elements of a 公文 in paragraphs read from any .docx: 版头, 文号, 标题, 主送, headings, 附件说明,
署名, 日期, 附注, attachment pages, 版记. Recognition is by text and position, not by style names, so that files
made by hand in Word or WPS are read as well as ours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..conventions import HEADED_KINDS, PARENT_KINDS, any_of, heading_of
from ..dates import DATE_LINE
from ..docnumber import looks_like_doc_number
from .read import Doc, Para

# The kind of document a title names at its end (a red line ending so is a title, not the mark); the words that make
# a line set neither large nor centred part of the title all the same.
TITLE_END = re.compile(any_of(HEADED_KINDS) + "$")
TITLE_WORD = re.compile(f"关于|{any_of(PARENT_KINDS)}|函$")
# 附件N, or for an attachment printed apart the 发文字号 before it (GB/T 9704 7.3.7): 青商务〔2025〕18号附件2
ATTACH_LABEL = re.compile(r"^(?:[^\s〔]{1,12}〔\d{4}〕\d+号\s*)?附件\s*(\d*)\s*$")


@dataclass
class Heading:
    level: int
    number: str  # as written, e.g. "（一）" or "1、"
    para: Para


@dataclass
class Anatomy:
    mark: Para | None = None  # the 发文机关标志's first line (the host's name in a joint notice's stack)
    doc_number: Para | None = None
    title: list[Para] = field(default_factory=list)
    recipients: Para | None = None
    body: list[Para] = field(default_factory=list)  # from the first paragraph after 主送 to the end of the text
    headings: list[Heading] = field(default_factory=list)
    attach_notes: list[Para] = field(default_factory=list)
    signature: Para | None = None  # the first line of the 署名
    date: Para | None = None
    remark: Para | None = None
    attachments: list[tuple[Para, Para | None]] = field(default_factory=list)  # (label, title)
    copy_to: Para | None = None
    printer: Para | None = None
    # every line of the 发文机关标志: one, or a joint notice's names stacked (a table, 文件 in a cell beside them)
    mark_lines: list[Para] = field(default_factory=list)
    # every line of the 署名: one, a joint notice's names one under another, or rows of names between tabs (sealed)
    signatures: list[Para] = field(default_factory=list)
    format: str = "文件"  # 文件格式 (GB/T 9704 7) or 信函 (10.1): the mark without 文件, no page number on page 1
    preprinted: bool = False  # 套打: no mark at all, the 文号 first (the paper has the red head printed on it)

    @property
    def title_text(self) -> str:
        return "".join(p.text.strip() for p in self.title)

    @property
    def mark_names(self) -> list[str]:
        """The organs' names in the mark, in order, without 文件 (on a line or in a cell of its own, or after a name)."""
        return [n for p in self.mark_lines if (n := p.text.strip().removesuffix("文件").strip())]

    @property
    def mark_text(self) -> str:
        """The mark as one string: the names, then 文件 if the mark has it."""
        names = "".join(self.mark_names)
        return names + ("文件" if any(p.text.strip().endswith("文件") for p in self.mark_lines) else "")

    @property
    def signature_names(self) -> list[str]:
        """The organs' names in the 署名, in order (a row of sealed names is split at its tabs)."""
        return [n for p in self.signatures for n in split_names(p.text)]


def split_names(text: str) -> list[str]:
    """Names set on one line apart by tabs or runs of spaces."""
    return [n for n in re.split(r"\t+|[ \u3000]{2,}", text.strip()) if n.strip()]


def is_red(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r > 180 and g < 90 and b < 90


def _mark_like(p: Para) -> bool:
    return is_red(p.color) or (p.text.strip().endswith("文件") and (p.size or 0) >= 22)


def _mark(doc: Doc, flow: list[Para]) -> list[Para]:
    """The lines of the 发文机关标志: a table at the top with a red line or a large 文件 in it (a joint notice's
    stack), else the first red line (or large “…文件” line) of the head and the red lines right under it."""
    first_text = flow[0].index if flow else len(doc.paras)
    top = [p for p in doc.paras[:first_text] if p.where == "table" and p.text.strip()]
    if top and any(_mark_like(p) for p in top):
        return [p for p in top if p.table == top[0].table]
    head = flow[:8]
    start = next((k for k, p in enumerate(head) if _mark_like(p)), None)
    if start is None:
        return []
    lines = [head[start]]
    for p in head[start + 1:]:
        if (not (is_red(p.color) and p.where == lines[0].where) or looks_like_doc_number(p.text)
                or TITLE_END.search(p.text.strip())):  # a red title is not the mark
            break
        lines.append(p)
    return lines


def _signs(p: Para) -> bool:
    """Whether a line reads as a 署名 (one or more organs' names, no sentence)."""
    text = p.text.strip()
    names = split_names(text)
    return (bool(names) and all(len(n) <= 40 for n in names) and not re.search(r"[。；，、：:！？.,;]", text)
            and not heading_of(text) and not DATE_LINE.match(text) and not text.startswith(("附件", "特此", "此页")))


def _placed(p: Para) -> bool:
    """Whether a line is set apart from the text's left edge: aligned right or centred, or moved by tabs or spaces."""
    return (p.align in ("right", "end", "center") or p.text[:1] in ("\t", " ", "\u3000") or p.left_indent > 40
            or "署名" in p.style or "Signer" in p.style)


def recognise(doc: Doc) -> Anatomy:
    a = Anatomy()
    flow = [p for p in doc.paras if p.where in ("body", "textbox") and p.text.strip()]
    i = 0
    # 版头: the red mark (or a “…文件” line; several lines or a table for a joint notice), then the 文号.
    a.mark_lines = _mark(doc, flow)
    a.mark = a.mark_lines[0] if a.mark_lines else None
    in_mark = {id(p) for p in a.mark_lines}
    for p in flow[:8]:
        if id(p) not in in_mark and looks_like_doc_number(p.text):
            a.doc_number = p
            break
    at = {id(p): k for k, p in enumerate(flow)}
    last_head = max((at[id(p)] for p in (*a.mark_lines, a.doc_number) if p is not None and id(p) in at), default=-1)
    i = last_head + 1
    # 信函 (GB/T 9704 10.1): the 文号 at the right edge under the red double rule, or the mark without 文件 on a first
    # page that has no page number; 套打: no mark, the 文号 is the first line (the red head is on the paper).
    number = a.doc_number
    title_page = bool(doc.sections) and doc.sections[0].title_page
    no_suffix = a.mark is None or not a.mark_text.endswith("文件")  # a letter's mark has no 文件
    if (number is not None and "信函" in number.style) or (no_suffix and (
            (number is not None and number.align in ("right", "end")) or (a.mark is not None and title_page))):
        a.format = "信函"
    a.preprinted = a.mark is None and number is not None and bool(flow) and flow[0] is number
    # 标题: consecutive large or centred lines, ending with the one that names the kind of document (a joint
    # notice's title, naming every organ, may take several lines).
    while i < len(flow) and len(a.title) < 8:
        p = flow[i]
        large = (p.size or 0) >= 18 or p.align == "center"
        if not large and a.title:
            break
        if not large and not TITLE_WORD.search(p.text):
            break
        a.title.append(p)
        i += 1
        if TITLE_END.search(p.text.strip()):
            break
    # 主送: the line after the title that addresses (ends with a colon, or has no sentence in it).
    if i < len(flow):
        p = flow[i]
        text = p.text.strip()
        if text.endswith(("：", ":")) or (len(text) <= 80 and "。" not in text and not heading_of(text)
                                          and not DATE_LINE.match(text)):
            a.recipients = p
            i += 1
    rest = flow[i:]
    # The end of the text: the 附件说明, or the signature before the first date.
    date_at = next((k for k, p in enumerate(rest) if DATE_LINE.match(p.text) and p.where == "body"), None)
    notes_at = next((k for k, p in enumerate(rest) if re.match(r"^附件\s*[：:]", p.text.strip())), None)
    # without a date (a 方案 printed on its own), the text ends at the first attachment page
    label_at = next((k for k, p in enumerate(rest) if ATTACH_LABEL.match(p.text.strip())
                     and (notes_at is None or k > notes_at)), None)
    end = date_at if date_at is not None else (label_at if label_at is not None else len(rest))
    if date_at is not None:
        a.date = rest[date_at]
        # the 署名: the line before the date, and the lines of more organs' names above it set the same way
        k, floor = date_at - 1, notes_at if notes_at is not None else -1
        while k > floor:
            p = rest[k]
            if not a.signatures:
                if len(p.text.strip()) > 40:
                    break
            elif not (_signs(p) and _signs(a.signatures[0]) and _placed(p) and p.style == a.signatures[0].style
                      and p.align == a.signatures[0].align):
                break
            a.signatures.insert(0, p)
            k -= 1
        if a.signatures:
            a.signature = a.signatures[0]
            end = k + 1
    if notes_at is not None and notes_at < end:
        a.attach_notes = rest[notes_at:end]
        end = notes_at
    a.body = rest[:end]
    a.headings = [Heading(h[0], h[1], p) for p in a.body if (h := heading_of(p.text.strip()))]
    after = rest[date_at + 1:] if date_at is not None else (rest[label_at:] if label_at is not None else [])
    if after and re.match(r"^[（(].*[）)]$", after[0].text.strip()) and "此件" in after[0].text:
        a.remark = after[0]
    for k, p in enumerate(after):
        if ATTACH_LABEL.match(p.text.strip()):
            title = after[k + 1] if k + 1 < len(after) and not ATTACH_LABEL.match(after[k + 1].text.strip()) else None
            a.attachments.append((p, title))
        if p.text.strip().startswith("抄送"):
            a.copy_to = p
        if "印发" in p.text and re.search(r"\d{4}年", p.text) and not p.text.strip().startswith("抄送"):
            a.printer = p
    return a
