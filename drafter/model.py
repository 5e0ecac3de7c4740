"""The notice as plain data. Heading numbers and the 附件说明 are derived here from the block tree and the
attachments, never typed, so they cannot disagree with the body or the attachment pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .conventions import heading_number
from .docnumber import DocNumber


@dataclass
class Paragraph:
    text: str


@dataclass
class Section:
    """A numbered heading with what it holds. Levels 1–2 stand on their own line; at levels 3–4 the heading
    runs into its first paragraph ("1.强化理论学习。各单位要……"), as notices usually write them. An ``item`` is
    numbered and run in like level 3 wherever it stands (“1.” straight under “一、”, or in a body without “一、”)."""

    title: str
    children: list[Section | Paragraph] = field(default_factory=list)
    id: str | None = None
    item: bool = False


Block = Section | Paragraph


@dataclass
class TextList:
    """A numbered list, e.g. 宣传标语."""

    title: str
    items: list[str]
    detached: bool = False  # printed apart from the notice (GB/T 9704 7.3.7)
    kind: Literal["list"] = "list"


@dataclass
class FormGrid:
    """A form to fill in, e.g. 联络员表. Each row of labels is laid out by its number of labels: one label with a
    blank across the table; two labelled blanks; three or more labels as column headings over a row of blanks."""

    title: str
    rows: list[list[str]]  # every label is kept (drafter.render.form_layout)
    note: str | None = None
    detached: bool = False  # printed apart from the notice (GB/T 9704 7.3.7)
    kind: Literal["form"] = "form"


@dataclass
class StatRow:
    activity: str
    blanks: list[str]  # e.g. "开展（　　）场，参与（　　）人次"


@dataclass
class StatsTable:
    """活动进展情况统计表: one row per activity, with the counts units report."""

    title: str
    rows: list[StatRow]
    note: str | None = None
    detached: bool = False  # printed apart from the notice (GB/T 9704 7.3.7)
    kind: Literal["stats"] = "stats"


@dataclass
class PlanRow:
    activity: str
    requirement: str
    owner: str


@dataclass
class PlanTable:
    """活动计划表: 序号, 活动项目, 内容要求, 落实单位."""

    title: str
    rows: list[PlanRow]
    note: str | None = None
    detached: bool = False  # printed apart from the notice (GB/T 9704 7.3.7)
    kind: Literal["plan"] = "plan"


@dataclass
class Table:
    """A table the clerk laid out: column headings, rows of cells ("" is a blank to fill in), groups of rows under
    a label spanning them in the first column, blank rows, an optional 序号 column and 填报单位 lines."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    groups: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    blank_rows: int = 0
    numbered: bool = False
    reporter: bool = False
    note: str | None = None
    landscape: bool = False  # on landscape pages (GB/T 9704 8)
    detached: bool = False
    kind: Literal["table"] = "table"


@dataclass
class Document:
    """An attached document with its own body, e.g. the 方案 a cover note issues; numbered on its own."""

    title: str
    body: list[Block]
    detached: bool = False  # printed apart from the notice (GB/T 9704 7.3.7)
    kind: Literal["document"] = "document"

    def numbered_blocks(self) -> list[tuple[int, str, Block]]:
        return numbered(self.body)


@dataclass
class FileRef:
    """A file named in the 附件说明 only: it has no page in this document."""

    title: str
    kind: Literal["file"] = "file"


Paged = TextList | FormGrid | StatsTable | PlanTable | Table | Document  # an attachment with pages of its own
Attachment = Paged | FileRef


@dataclass
class Mark:
    """发文机关标志: the organs' names — one, or several stacked for a joint notice, the host's first — and the word
    set to their right ("文件"; "" for a mark of the names alone, as the letter format has)."""

    names: list[str]
    suffix: str = "文件"

    @property
    def text(self) -> str:
        return "".join(self.names) + self.suffix


@dataclass
class Signature:
    issuer: str
    date: dt.date
    sealed: bool = True
    joint: list[str] = field(default_factory=list)  # the co-issuers' names, in the order of issue

    @property
    def names(self) -> list[str]:
        return [self.issuer, *self.joint]


@dataclass
class Colophon:
    """版记: 抄送, 印发机关, 印发日期; optionally on its own even page for double-sided printing."""

    printer: str
    print_date: dt.date
    copy_to: list[str] = field(default_factory=list)
    own_even_page: bool = False


def numbered(body: list[Block]) -> list[tuple[int, str, Block]]:
    """Every block in reading order as (level, number, block); paragraphs have level 0 and no number."""
    out: list[tuple[int, str, Block]] = []

    def walk(blocks: list[Block], level: int) -> None:
        sections = items = 0
        for block in blocks:
            if isinstance(block, Section) and block.item:
                items += 1
                at = min(max(level, 3), 4)
                out.append((at, heading_number(at, items), block))
                walk(block.children, at + 1)
            elif isinstance(block, Section):
                sections += 1
                out.append((level, heading_number(level, sections), block))
                walk(block.children, level + 1)
            else:
                out.append((0, "", block))

    walk(body, 1)
    return out


@dataclass
class Notice:
    """A notice, or (without 版头, 主送, 署名 and 版记: mark, recipients, signature and colophon None) a 方案
    printed on its own."""

    mark: Mark | None  # 发文机关标志, e.g. 泉州市洛江区商务局文件
    doc_number: DocNumber | None  # None: no 发文字号 (the line stays blank above the red line)
    title: str
    recipients: str | None  # 主送机关, without the closing colon
    body: list[Block]
    signature: Signature | None
    colophon: Colophon | None
    attachments: list[Attachment] = field(default_factory=list)
    remark: str | None = None  # 附注, e.g. 此件公开发布
    title_keep: tuple[str, ...] = ()  # names the title must not be broken inside (issuer, scope)
    format: Literal["文件", "信函"] = "文件"  # 文件格式 (GB/T 9704 7) or 信函格式 (10.1)
    letterhead: Literal["印制", "套打"] = "印制"  # 套打: the red head is on the paper already; only its space is kept
    letterhead_top_mm: float | None = None  # 套打: the pre-printed mark's top edge from the paper's top

    def numbered_blocks(self) -> list[tuple[int, str, Block]]:
        return numbered(self.body)

    def attachment_notes(self) -> list[tuple[int, str]]:
        """The 附件说明 as (number, title); one attachment is listed without a number (number 0)."""
        if len(self.attachments) == 1:
            return [(0, self.attachments[0].title)]
        return [(i, a.title) for i, a in enumerate(self.attachments, 1)]

    def attachment_pages(self) -> list[tuple[str, Paged]]:
        """(label, attachment) of each attachment printed on pages of its own (a file named only is not)."""
        return [(label, a) for label, a in zip(self.attachment_labels(), self.attachments)
                if not isinstance(a, FileRef)]

    def attachment_labels(self) -> list[str]:
        """The label on each attachment page: 附件 alone for a single attachment, else 附件1, 附件2 …"""
        if len(self.attachments) == 1:
            return ["附件"]
        return [f"附件{i}" for i in range(1, len(self.attachments) + 1)]
