"""The answers a notice is drafted from: read from YAML, merged over the defaults, validated, saved again.

Precedence, as in copier: values given on the command line > the questionnaire's > the answers file > suggestions >
the defaults (Layers, below). Every source goes through the same validators (pydantic models below)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import gbt9704 as G
from .conventions import FIRST_YEAR, ordinal
from .dates import date_or_none, parse_date
from .docnumber import INVISIBLE, DocNumber, invisible, shown
from .errors import AnswersError, DrafterError, InvalidValue
from .limits import ANSWER_CHARS
from .model import Mark
from .shipped import latest_year, national, themes
from .validation import LABELS, explain, where
from .yamlio import load_file, part

CORE_ATTACHMENTS = {"slogans": 10, "liaison": 20, "stats": 30, "plan": 40}  # id → order among plugins' ones
DEFAULT_SECTOR = "商务"
# the built-in sections an outline can name (drafter/data/common.yaml has their wording)
BUILTIN_SECTIONS = {"study": "深入学习宣传贯彻习近平总书记关于安全生产的重要论述", "overview": "总体要求",
                    "theme": "活动主题", "period": "活动时间", "activities": "主要活动", "requirements": "工作要求"}
Form = Literal["通知", "印发方案", "方案"]  # a notice; a cover note issuing the 方案 as 附件1; the 方案 alone
FORMS: tuple[str, ...] = get_args(Form)
# The plan shape (总体思路 / 活动主题 / 活动时间 / 主要活动 / 工作要求), as an outline.
PLAN_OUTLINE = [{"use": "overview", "title": "总体思路"}, "theme", "period", "activities", "requirements"]
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def _joined(space: re.Match) -> str:
    """A run of white space that breaks the line is dropped (the lines are joined); any other stays as written."""
    return "" if "\n" in space.group() else space.group()


def clean_text(value: Any) -> Any:
    """Every answer text (a list's, however nested, each): at most ANSWER_CHARS characters and no character that
    prints as nothing or reorders the text around it (files.INVISIBLE) or that XML cannot store — each refused
    (ValueError, the key named by the caller); line breaks with the spaces around them are dropped, tabs become
    spaces, the ends are stripped. Linear in the text."""
    if isinstance(value, list):
        out = []
        for n, item in enumerate(value, 1):
            try:
                out.append(clean_text(item))
            except ValueError as exc:
                raise ValueError(f"第{n}项：{exc}") from None
        return out
    if not isinstance(value, str):
        return value
    if len(value) > ANSWER_CHARS.amount:
        raise ValueError(ANSWER_CHARS.message("", f"{len(value):,}字").removeprefix("：")
                         + "；请删去多余的空格，或分成几段、几项")
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise ValueError(f"含有无法写入文档的控制字符 U+{ord(bad.group()):04X}，请删除")
    hidden = INVISIBLE.search(value)
    if hidden:  # quoted around it, the character written as <U+XXXX>
        start, end = max(0, hidden.start() - 20), hidden.end() + 20
        quoted = ("…" if start else "") + shown(value[start:end]) + ("…" if end < len(value) else "")
        raise ValueError(f"“{quoted}”中有{invisible(hidden.group())}，请删除")
    return _SPACES.sub(_joined, value.replace("\r\n", "\n").replace("\t", " ")).strip()


YES, NO = ("是", "true", "yes", "y", "on", "1"), ("否", "false", "no", "n", "off", "0")


def yes_no(value: Any) -> Any:
    """是/否 as a clerk writes it (是、否, true/false, yes/no) → bool; anything else is left for the type check."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
    return value


YesNo = Annotated[bool, BeforeValidator(yes_no)]
PHONE = re.compile(r"^\+?[\d\s\-－—()（）]+(?:转\d{1,6})?$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def phone_number(value: Any) -> Any:
    """A telephone as text: 0591-87654321, (0591)87654321, 13800138000, 87654321转8001; several joined by 、 or ，.
    A number written without quotes arrives as an int and is taken as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    for piece in re.split(r"[、，,；;/]", value.strip()):
        digits = re.sub(r"\D", "", piece.partition("转")[0])  # an extension (转8001) aside
        if not PHONE.match(piece.strip()) or not 5 <= len(digits) <= 15:
            raise ValueError(f"“{value}”不是电话号码，请写成“0591-87654321”或“13800138000”")
    return value


def whole_number(value: Any, what: str = "数字") -> Any:
    """Digits as written: 15 or "15". "015" is a 虚位 (GB/T 9704 7.2.5), refused with the reason rather than read
    as 15 (or, by YAML 1.1, as octal 13); 15.0 and true are not whole numbers."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d{10,}", text):
            raise ValueError(f"“{text[:12]}…”有{len(text)}位，不是合理的{what}")
        if re.fullmatch(r"0\d+", text):
            raise ValueError(f"“{text}”前面有 0：{what}不编虚位，应写作“{int(text)}”" if int(text) else
                             f"“{text}”不是合理的{what}")
        if not re.fullmatch(r"-?(?:0|[1-9]\d*)", text):
            raise ValueError(f"“{text}”应为整数")
        return int(text)
    if isinstance(value, (bool, float)):
        raise ValueError(f"“{value}”应为整数")
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return clean_text(value)


class Issuer(Model):
    name: str = Field(min_length=2)  # 发文机关全称, used in the title and the 署名
    code: str = Field(min_length=1)  # 机关代字 of its 文号
    mark: str | None = None  # 发文机关标志; default: name + 文件
    sector: str = Field(min_length=1)  # picks the sector plugin
    level: Literal["市", "区（县）", "街道（乡镇）"] | None = None  # 层级: a 市 issuer's scope defaults to 全市…
    units: str = Field("各单位", min_length=2)  # how the body addresses those who act
    signature: str | None = None  # the name in the 署名, when it differs from the one in the title

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        try:
            DocNumber.parse(f"{value}〔2025〕1号", strict=True)
        except InvalidValue:
            raise ValueError(f"机关代字“{value}”不能用在发文字号中：应由文字组成，不含数字、括号和空格，如“青商务”") from None
        return value


class CoIssuer(Model):
    """An organ issuing jointly with the host (``issuer``), in the order of issue."""

    name: str = Field(min_length=2)  # 全称, as in the title
    mark: str | None = None  # its line in the 发文机关标志 (default: name)
    signature: str | None = None  # its name in the 署名 (default: name)

    @model_validator(mode="before")
    @classmethod
    def _named(cls, value: Any) -> Any:
        """A name alone, as the registry keeps co-issuers: ``- 江城市青山区应急管理局``."""
        return {"name": value} if isinstance(value, str) else value


class Parent(Model):
    title: str = Field(min_length=4)
    doc_number: str | None = None  # some notices are cited by title alone: 《标题》

    @field_validator("doc_number")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        return str(as_doc_number(value)) if value else None

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return value.strip("《》 ")


Phone = Annotated[str, BeforeValidator(phone_number)]


class Contact(Model):
    name: str = Field(min_length=1)
    phone: Phone = Field(min_length=1)
    email: str | None = None
    fax: Phone | None = None  # 传真
    more: dict[str, str] = {}  # further lines as 标签: 内容, e.g. {OA 外部联系人邮箱识别码: "000000839"}

    @field_validator("more", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        """Each label and its text, as every answer text (clean_text); two labels that are then one are refused."""
        if not isinstance(value, dict):
            return value
        out = {clean_text(k) if isinstance(k, str) else k: clean_text(v) for k, v in value.items()}
        if len(out) < len(value):
            raise ValueError("有两项的标签只差空格或换行，请合并为一项")
        return out

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not EMAIL.match(value):
            raise ValueError(f"“{value}”不是电子邮箱地址，应写成“name@example.gov.cn”")
        return value or None


class Deadlines(Model):
    liaison: dt.date
    summary: dt.date
    weekly: str | None = "每周三18时前"  # empty or null: no weekly reports

    @field_validator("liaison", "summary", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return as_date(value)


class Item(Model):
    """A numbered item that runs into its text: “1.强化理论学习。各单位要……”."""

    title: str = Field(min_length=1)
    text: str = ""


class InlineSection(Model):
    """A section written in the answers: its heading, paragraphs, run-in items and sections below it. Text typed
    here is printed as typed (never a template). Without a title, its content stands in the body itself (a body of
    numbered items without “一、”)."""

    title: str | None = None
    paragraphs: list[str] = []
    items: list[Item] = []
    sections: list[InlineSection] = []

    @model_validator(mode="after")
    def _not_empty(self) -> InlineSection:
        if not (self.paragraphs or self.items or self.sections):
            raise ValueError(f"章节“{self.title or ''}”没有内容：请写 paragraphs、items 或 sections")
        return self


class UseSection(Model):
    """A built-in or plugin section by id, renamed (总体要求 → 总体思路) and, optionally, with its text replaced."""

    use: str = Field(min_length=1)
    title: str | None = None
    paragraphs: list[str] | None = None
    items: list[Item] | None = None
    sections: list[InlineSection] | None = None


def _outline_kind(value: Any) -> str:
    """Which of the three forms an outline entry is (for validating a dict and for saving a model alike)."""
    if isinstance(value, str):
        return "id"
    return "use" if isinstance(value, UseSection) or (isinstance(value, dict) and "use" in value) else "inline"


OutlineEntry = Annotated[Annotated[str, Tag("id")] | Annotated[UseSection, Tag("use")]
                         | Annotated[InlineSection, Tag("inline")], Discriminator(_outline_kind)]


class PlanLine(Model):
    requirement: str = Field(min_length=1)  # 内容要求
    owner: str = Field(min_length=1)  # 落实单位


class InlineActivity(Model):
    """An activity written in the answers, placed among the catalogue's ones in the order written."""

    title: str = Field(min_length=1)
    paragraphs: list[str] = []
    items: list[Item] = []
    stats: list[str] = []  # its 统计表 blanks, e.g. "开展（　　）场"
    plan: PlanLine | None = None  # its 计划表 line; default: 按通知要求组织开展 / the units

    @model_validator(mode="after")
    def _not_empty(self) -> InlineActivity:
        if not (self.paragraphs or self.items):
            raise ValueError(f"活动“{self.title}”没有正文：请写 paragraphs 或 items")
        return self


ActivityEntry = Annotated[Annotated[str, Tag("id")] | Annotated[InlineActivity, Tag("inline")],
                          Discriminator(lambda v: "id" if isinstance(v, str) else "inline")]


def cell_text(value: Any) -> Any:
    """A table cell as written: a whole number is its digits; a decimal (6.10 read as 6.1) is refused, quoted."""
    if isinstance(value, float):
        raise ValueError(f"“{value}”按数字读入，写法可能已变（6.10 会读成 6.1）：请加引号，如 \"6.10\"")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Cell = Annotated[str, BeforeValidator(cell_text)]


class ListAttachment(Model):
    """A numbered list, e.g. the year's slogans as the clerk writes them."""

    kind: Literal["list"]
    title: str = Field(min_length=2)
    detached: YesNo = False  # printed apart, not bound with the notice (GB/T 9704 7.3.7)
    items: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class FormAttachment(Model):
    """A form to fill in; each row is a list of labels (one, two, or three and more as column headings)."""

    kind: Literal["form"]
    title: str = Field(min_length=2)
    detached: YesNo = False  # printed apart, not bound with the notice (GB/T 9704 7.3.7)
    rows: list[Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]] = Field(min_length=1)
    note: str | None = None


class TableGroup(Model):
    """Rows under one label that spans them in the table's first column."""

    title: str = Field(min_length=1)
    rows: list[list[Cell]] = Field(min_length=1)


class TableAttachment(Model):
    """A table: column headings, rows of cells (empty cells are blanks to fill in), optionally groups of rows
    under a label in the first column, blank rows to fill in, a 序号 column and the 填报单位 lines above it."""

    kind: Literal["table"]
    title: str = Field(min_length=2)
    detached: YesNo = False  # printed apart, not bound with the notice (GB/T 9704 7.3.7)
    columns: list[Annotated[str, Field(min_length=1)]] = Field(min_length=2, max_length=12)
    rows: list[list[Cell]] = []
    groups: list[TableGroup] = []
    blank_rows: int = Field(0, ge=0, le=50)
    numbered: YesNo = False  # a 序号 column before the others, numbered 1, 2, 3 …
    reporter: YesNo = False  # 填报单位（盖章）/ 填报日期 / 联系人 / 联系电话 lines above the table
    landscape: YesNo = False  # a wide table on landscape pages (GB/T 9704 8)
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> TableAttachment:
        width = len(self.columns)
        for n, row in enumerate(self.rows, 1):
            if len(row) != width:
                raise ValueError(f"表格“{self.title}”第{n}行有{len(row)}格，与{width}列不符")
        for group in self.groups:
            for n, row in enumerate(group.rows, 1):
                if len(row) != width - 1:
                    raise ValueError(f"表格“{self.title}”的“{group.title}”组第{n}行有{len(row)}格；组名占第一列，"
                                     f"每行应写其余{width - 1}格")
        if not (self.rows or self.groups or self.blank_rows):
            raise ValueError(f"表格“{self.title}”没有行：请写 rows、groups 或 blank_rows")
        return self


class DocumentAttachment(Model):
    """An attached document with its own outline, e.g. a 方案; ``paragraphs`` open it before the sections."""

    kind: Literal["document"]
    title: str = Field(min_length=2)
    detached: YesNo = False  # printed apart, not bound with the notice (GB/T 9704 7.3.7)
    paragraphs: list[str] = []
    outline: list[OutlineEntry] = Field(min_length=1)


class UseAttachment(Model):
    """A built-in or plugin attachment by id under a title of the clerk's (江城市“安全生产月”活动进展情况统计表)."""

    use: str = Field(min_length=1)
    title: str | None = Field(None, min_length=2)  # None: the built-in title
    detached: YesNo = False  # printed apart, not bound with the notice: its pages start with the 发文字号
    landscape: YesNo = False  # refused: only a table of the clerk's is laid out across a landscape page

    @field_validator("landscape")
    @classmethod
    def _portrait(cls, value: bool) -> bool:
        if value:
            raise ValueError("横排只用于自己写的表格（kind: table）；内置和插件的附件按竖排的版心排好，不能横排")
        return value


class FileAttachment(Model):
    """A file named in the 附件说明 only (e.g. a forwarded upstream notice), without a page of its own."""

    kind: Literal["file"]
    title: str = Field(min_length=2)


def _attachment_kind(value: Any) -> str:
    if isinstance(value, str):
        return "id"
    if isinstance(value, UseAttachment) or (isinstance(value, dict) and "use" in value):
        return "use"
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in ATTACHMENT_KINDS else "unknown"


ATTACHMENT_KINDS = {"list": ListAttachment, "form": FormAttachment, "table": TableAttachment,
                    "document": DocumentAttachment, "file": FileAttachment}
InlineAttachment = ListAttachment | FormAttachment | TableAttachment | DocumentAttachment | FileAttachment
AttachmentEntry = Annotated[(Annotated[str, Tag("id")] | Annotated[UseAttachment, Tag("use")]  # the other tags:
                             | Annotated[ListAttachment, Tag("list")] | Annotated[FormAttachment, Tag("form")]  # the keys
                             | Annotated[TableAttachment, Tag("table")]  # of ATTACHMENT_KINDS
                             | Annotated[DocumentAttachment, Tag("document")] | Annotated[FileAttachment, Tag("file")]),
                            Discriminator(_attachment_kind, custom_error_type="attachment_kind",
                                          custom_error_message="附件应写编号，或写明 kind（list、form、table、document、file）"
                                                               "和 title")]


class Answers(Model):
    issuer: Issuer  # the host, when several issue jointly
    co_issuers: list[CoIssuer] = []  # 联合发文: the other organs, in the order of issue
    joint_mark: Literal["全部", "主办机关"] = "全部"  # a joint 发文机关标志: every organ stacked, or the host's alone
    format: Literal["文件", "信函"] = "文件"  # 文件格式 (GB/T 9704 7) or 信函格式 (10.1)
    letterhead: Literal["印制", "套打"] = "印制"  # 套打: printed on paper with the red head already on it
    letterhead_reserve_mm: float | None = Field(None, ge=10, le=150)  # 套打: the pre-printed mark's top edge
    year: int = Field(ge=FIRST_YEAR, le=2100)
    theme: str = Field(min_length=2)
    number: int | None = Field(ge=1, le=99999)  # null: no 发文字号; a leading zero (虚位) is refused: _whole
    scope: str = "全区"
    recipients: str = Field(min_length=2)
    parents: list[Parent]  # [] cites no parent (no 根据… clause)
    activities: list[ActivityEntry]  # catalogue ids and inline activities, in the order they are printed
    outline: list[OutlineEntry] | None = None  # the top-level sections; None: the sector's default outline
    form: Form = "通知"  # 通知; 印发方案: a cover note with the 方案 as 附件1; 方案: the plan alone
    title: str | None = None  # the whole title, when the usual one will not do
    opening: list[Annotated[str, Field(min_length=2)]] | None = None  # the clerk's opening paragraphs
    attachments: list[AttachmentEntry]  # ids (slogans liaison stats plan, a plugin's) and inline attachments
    slogans: list[Annotated[str, Field(min_length=2)]] | None = Field(None, min_length=1)  # None: the year's
    contact: Contact | None  # null: no contact line
    deadlines: Deadlines | None  # null: no 报送 deadlines
    copy_to: list[Annotated[str, Field(min_length=2)]] = []
    printer: str = Field(min_length=2)
    print_date: dt.date
    date: dt.date
    sealed: YesNo = True
    publicity: Literal["此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开"] | None = "此件公开发布"
    colophon_on_even_page: YesNo = False
    extra: dict[str, Any] = {}  # answers to the sector plugins' own questions, by question id

    @field_validator("date", "print_date", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dt.date:
        return as_date(value)

    @field_validator("number", "year", mode="before")
    @classmethod
    def _whole(cls, value: Any, info: ValidationInfo) -> Any:
        return whole_number(value, "序号" if info.field_name == "number" else "年份")

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: str) -> str:
        return value.rstrip("：:")

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None, info: ValidationInfo) -> str | None:
        year = info.data.get("year")
        if value and year and str(year) not in value:
            raise ValueError(f"标题“{value}”中没有写明年份{year}")
        return value or None

    @property
    def activity_ids(self) -> list[str]:
        """The catalogue activities chosen (inline ones have no id)."""
        return [a for a in self.activities if isinstance(a, str)]

    @property
    def n(self) -> int:
        """第N个全国“安全生产月”."""
        return ordinal(self.year)

    @property
    def attachment_ids(self) -> list[str]:
        """The catalogue attachments chosen, retitled or not (inline ones have no id)."""
        return [a if isinstance(a, str) else a.use for a in self.attachments if isinstance(a, (str, UseAttachment))]

    def mark(self) -> Mark:
        """The 发文机关标志: the host's (issuer.mark, else its name and 文件); for a joint notice every organ's
        name stacked, host first, with 文件 to their right (GB/T 9704 7.2.4), or with ``joint_mark: 主办机关`` the
        host's alone. The letter format has the host's name alone, without 文件 (10.1)."""
        own = self.issuer.mark or f"{self.issuer.name}文件"
        host, suffix = (own[:-2], "文件") if own.endswith("文件") and len(own) > 2 else (own, "")
        if self.format == "信函":
            return Mark([host], "")
        if self.co_issuers and self.joint_mark == "全部":
            return Mark([host, *((c.mark or c.name).removesuffix("文件") or c.name for c in self.co_issuers)], suffix)
        return Mark([host], suffix)

    @model_validator(mode="after")
    def _forms(self) -> Answers:
        """What the layout needs of the issuers, the format and detached attachments, each named by its key."""
        from .layout import mark_too_wide

        if not {"issuer", "number", "attachments"} <= self.__dict__.keys():  # one field checked alone (a prompt)
            return self
        names = [self.issuer.name, *(c.name for c in self.co_issuers)]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice:
            raise ValueError(f"co_issuers（联合发文机关）：“{twice}”写了两次（主办机关写在 issuer，其余写在 co_issuers）")
        m = self.mark()
        if self.form != "方案" and mark_too_wide(m.names, m.suffix):
            longest = max(range(len(m.names)), key=lambda i: len(m.names[i]))
            key = "issuer → mark" if longest == 0 else f"co_issuers → 第{longest}项 → mark"
            raise ValueError(f"{key}（发文机关标志）：“{m.names[longest]}”太长，用三号字（与正文同大）也排不进版心宽度"
                             f"（{G.TEXT_W_MM} mm），请写规范化简称")
        if self.sealed and self.co_issuers and self.form != "方案":
            from .dates import format_date
            from .layout import seal_rows

            signs = [self.issuer.signature or self.issuer.name, *(c.signature or c.name for c in self.co_issuers)]
            if len(seal_rows(signs, format_date(self.date))) > 2:
                raise ValueError("co_issuers（联合发文机关）：加盖印章时每个署名要留一个印章的位置，这些署名太长，一排只能排"
                                 "一个，排成三排以上就和正文排不到一页：请在 issuer 和 co_issuers 的 signature 写简称"
                                 "（如“青山区应急局”），或写 sealed: false")
        if self.letterhead_reserve_mm is not None and self.letterhead != "套打":
            raise ValueError("letterhead_reserve_mm（红头高度）只用于套打：请同时写 letterhead: 套打，或删去此项")
        low = 42 if self.format == "文件" else 20
        if self.letterhead_reserve_mm is not None and self.letterhead_reserve_mm < low:
            raise ValueError(f"letterhead_reserve_mm（红头高度）：{self.letterhead_reserve_mm:g} mm 太小，{self.format}格式"
                             f"的发文机关标志上边缘距纸张上边至少 {low} mm")
        apart = next((n for n, e in enumerate(self.attachments, 1) if getattr(e, "detached", False)), None)
        if apart and self.colophon_on_even_page:
            raise ValueError(f"attachments（附件） → 第{apart}项 → detached：另行装订的附件排在版记之后，版记就不能再另起"
                             "双页：请删去 colophon_on_even_page，或不写 detached")
        if self.number is None and self.form != "方案":
            for n, entry in enumerate(self.attachments, 1):
                if getattr(entry, "detached", False):
                    raise ValueError(f"attachments（附件） → 第{n}项 → detached：不与正文一起装订的附件要在首行标注"
                                     "发文字号，而 number 为空（不编文号）")
        return self

    @property
    def doc_number(self) -> DocNumber | None:
        if self.number is None:
            return None
        return as_doc_number(f"{self.issuer.code}〔{self.year}〕{self.number}号")


def as_doc_number(text: str) -> DocNumber:
    try:
        return DocNumber.parse(text, strict=True)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


def as_date(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


def defaults(year: int, sector, plugins, issuer: dict | None = None, example: bool = True) -> dict:
    """The defaults for ``issuer`` (the answers given about it so far), of ``sector``, drafting for ``year``; with
    ``example``, the answers of the sector's fictional example issuer too."""
    issuer = issuer or {}
    parent = national(year)
    out = {
        "issuer": {"sector": sector.name, "units": sector.units},
        "year": year,
        "scope": sector.scope,
        "recipients": sector.recipients,
        "parents": [{"title": parent["title"], "doc_number": parent["doc_number"]}] if parent else [],
        "activities": [i for i, a in plugins.activities.items() if a.serves(sector.name)],
        "attachments": [i for i, _ in sorted(
            [*CORE_ATTACHMENTS.items(),
             *((i, a.item.order) for i, a in plugins.attachments.items() if a.serves(sector.name))],
            key=lambda pair: pair[1])],
        "deadlines": {"liaison": dt.date(year, 5, 30), "summary": dt.date(year, 7, 1), "weekly": "每周三18时前"},
        "copy_to": list(sector.copy_to),
        "print_date": default_date(year),
        "date": default_date(year),
        "sealed": True,
        "publicity": "此件公开发布",
        "colophon_on_even_page": False,
    }
    if parent:
        out["theme"] = parent["theme"]
    level = tier_of(str(issuer.get("name") or ""), issuer.get("level"))
    if level != "区":  # 全区 → 全市, 全县 …
        out["scope"] = out["scope"].replace("全区", f"全{level}")
    if example:
        return merge(out, sector.example)
    out["printer"] = f"{issuer.get('name', '')}办公室"
    return out


_NOT_PLACES = re.compile("市场|城市管理|城市建设|社区|小区|园区|县域|区域|乡村|城乡")


def tier_of(name: str, level: Any = None) -> str:
    """The issuer's level in one word — 市, 区, 县, 街道, 乡 or 镇 — as answered (issuer.level), else read from
    its name: the last unit it names (泉州市洛江区商务局 is a 区's; 某某区某某乡人民政府 a 乡's; 镇江市商务局 a 市's)."""
    bare = _NOT_PLACES.sub("", name)
    ends = {w: bare.rfind(w) for w in ("市", "区", "县", "街道", "乡", "镇")}
    found = max(ends, key=lambda w: ends[w]) if max(ends.values()) >= 0 else "区"
    if level == "市":
        return "市"
    if level == "区（县）":
        return found if found in ("区", "县") else "区"
    if level == "街道（乡镇）":
        return found if found in ("街道", "乡", "镇") else "街道"
    return found


def merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@dataclass
class Layers:
    """Where the answers of one notice come from, each layer over the ones before it (as copier orders them): the
    defaults of the sector and the year (filled in by ``resolve``); ``suggested`` — what a new year, a parent or the
    office's profile suggests; ``given`` — the answers file (or what last year's answers keep, or the page's);
    ``asked`` — what was typed on the terminal; ``pinned`` — --set, --sector and --parent, which nothing changes.

    Suggestions are taken as they are when nobody is asked; a questionnaire offers them instead, and what the clerk
    took of them is then in ``asked``."""

    given: dict = field(default_factory=dict)
    suggested: dict = field(default_factory=dict)
    asked: dict = field(default_factory=dict)
    pinned: dict = field(default_factory=dict)
    source: str = "答案"  # how a problem names where the answers came from

    def written(self, offered: bool = False) -> dict:
        """The answers as they stand, below the pinned ones; ``offered``: the suggestions were offered (asked)."""
        return merge(merge({} if offered else self.suggested, self.given), self.asked)

    def merged(self, offered: bool = False) -> dict:
        """Every layer, in order, the pinned answers on top."""
        return merge(self.written(offered), self.pinned)

    def resolve(self, plugins, offered: bool = False) -> Answers:
        return resolve(self.written(offered), self.pinned, self.source, plugins)


def load_yaml(path: Path) -> dict:
    """An answers file as a dict (see yamlio.load_file)."""
    return load_file(path, "答案文件")


def wrong(source: str, problems: list[str]) -> AnswersError:
    """The one error for answers that do not validate: where they came from, then one line per problem."""
    space = " " if source[-1:].isascii() else ""  # 答案文件 a.yaml 有误 / 答案有误
    error = AnswersError(f"{source}{space}有误：\n  " + "\n  ".join(problems))
    error.problems = problems  # each line alone, for the web page to show beside its field
    return error


def validate(raw: dict, source: str = "答案") -> Answers:
    """Answers from a dict (file answers merged over defaults), or an AnswersError listing every problem."""
    try:
        answers = Answers.model_validate(raw)
    except ValidationError as exc:
        raise wrong(source, explain(exc, sorted(LABELS))) from None
    return answers


def resolve(file_answers: dict | None = None, overrides: dict | None = None, source: str = "答案",
            plugins=None) -> Answers:
    """Defaults for the sector and year asked for (else the sample sector and the latest year shipped), then the
    file, then overrides; checked against what the plugins offer."""
    from .plugins import load

    plugins = plugins or load()
    answers = validate(filled(file_answers, overrides, source, plugins), source)
    problems = _catalogue_problems(answers, plugins)
    extra: dict = {}
    if not problems:  # the questions asked depend on the activities and attachments chosen
        extra, problems = _extra(answers, plugins)
    problems += _year_problems(answers)
    if problems:
        raise wrong(source, problems)
    return answers.model_copy(update={"extra": extra})


def filled(file_answers: dict | None, overrides: dict | None, source: str, plugins, strict: bool = True) -> dict:
    """The answers given, over the defaults of their sector and year, not yet validated; ``strict``: a theme or
    parents that neither the answers nor the data of their year give are an error here already."""
    given = merge(file_answers or {}, overrides or {})
    plugins.ensure_loaded(given, DEFAULT_SECTOR)  # a failed plugin these answers need stops here, named
    try:
        year = whole_number(given.get("year", latest_year()), "年份")
        if not isinstance(year, int) or isinstance(year, bool):
            raise ValueError(f"应为整数，如 {latest_year()}")
        if not FIRST_YEAR <= year <= 2100:
            raise ValueError(f"{year} 超出范围（应在 {FIRST_YEAR}–2100 之间：{FIRST_YEAR} 年是第一个全国“安全生产月”）")
    except ValueError as exc:
        raise wrong(source, [f"year（年份）：{exc}"]) from None
    given["year"] = year
    if given.get("form") == "方案":  # the plan alone carries no 文号
        given.setdefault("number", None)
    issuer = part(given, "issuer", dict)
    sector_name = issuer.get("sector") or (DEFAULT_SECTOR if DEFAULT_SECTOR in plugins.sectors
                                           else next(iter(plugins.sectors), None))
    try:
        sector = plugins.sector(str(sector_name))
    except DrafterError as exc:
        raise wrong(source, [f"issuer（发文机关） → sector（行业）：{exc}"]) from None
    base = defaults(year, sector, plugins, issuer, example="name" not in issuer)  # a named issuer is a real one
    missing = [f"theme（主题）：{year}年的主题不在内置数据中，请在答案中写明“theme”"] if (
        "theme" not in given and "theme" not in base) else []
    if "parents" not in given and not base["parents"]:
        missing.append(f"parents（上级来文）：{year}年的上级来文不在内置数据中，请在答案中写明")
    if missing and strict:
        raise wrong(source, missing)
    if "parents" not in given and not base["parents"]:
        del base["parents"]  # not strict: no parent of that year in the data is asked for, not taken as none
    return merge(after_date(base, given.get("date")), given)


# what an answer left empty (null, or nothing after its colon) leaves out of the notice
LEFT_OUT = {"number": "不编发文字号", "contact": "不写联系人", "deadlines": "不写报送截止时间",
            "publicity": "不标公开属性（附注）"}


def left_out(answers: dict, blank: set[str]) -> list[str]:
    """What ``answers`` (merged) leave out by a key a file wrote with nothing after it (``blank``), each said: an
    empty line in a file is more often a slip than a choice (``null`` written out is taken as meant)."""
    return [f"{where((key,))}：答案中为空，通知将{what}；若非本意，请填写（不要的写 null）"
            for key, what in LEFT_OUT.items() if key in blank and key in answers and answers[key] is None
            and not (key == "number" and answers.get("form") == "方案")]  # a 方案 alone has no 文号 anyway


def default_date(year: int) -> dt.date:
    """The 成文日期 (and 印发日期) of a notice whose answers give none: 20 May, before the month begins."""
    return dt.date(year, 5, 20)


REPORT_DAYS = 7  # a report deadline that follows a given 成文日期: this many days after it, within its month's rule


def after_date(base: dict, date: Any) -> dict:
    """The defaults that depend on the 成文日期 moved after the one given: the 印发日期 is that day; a report
    deadline that would fall before it is REPORT_DAYS after it (no later than its month allows, see consistency).
    Dates given are not touched; a date that does not read is left to the validators."""
    from .consistency import DEADLINE_LATEST

    day = date_or_none(date)
    if day is None or day == base.get("date") or day.year != base.get("year"):  # another year's: the date is wrong
        return base
    out = {**base, "print_date": day}
    deadlines = dict(out.get("deadlines") or {})
    for key, (_, (month, last)) in DEADLINE_LATEST.items():
        due = deadlines.get(key)
        if isinstance(due, dt.date) and due < day:
            deadlines[key] = min(day + dt.timedelta(days=REPORT_DAYS), dt.date(day.year, month, last))
    out["deadlines"] = deadlines
    return out


def _year_problems(answers: Answers) -> list[str]:
    """What would mix years in one notice: dates that disagree (consistency.py), a parent of another year, the
    national theme of another year."""
    from .consistency import date_problems

    out = []
    d = answers.deadlines
    for p in date_problems(answers.year, answers.date, answers.print_date,
                           {"liaison": d.liaison, "summary": d.summary} if d else {}):
        parts = p.field.split(".")
        out.append(f"{where(tuple(parts))}：{p.message}")
    for n, parent in enumerate(answers.parents):  # each one: last year's notice cited beside this year's is caught too
        cited = DocNumber.parse(parent.doc_number) if parent.doc_number else None
        if cited and cited.year != answers.year:
            out.append(f"{where(('parents', n, 'doc_number'))}：上级来文 {cited} 是{cited.year}年的，"
                       f"与通知的年份{answers.year}不一致；请引用{answers.year}年的来文，或改正年份")
    problem = theme_problem(answers.theme, answers.year)
    if problem:
        out.append(f"{where(('theme',))}：{problem}")
    for where_, text in _titles_written(answers):  # last year's titles, copied
        other = [y for y in re.findall(r"(\d{4})年", text) if int(y) != answers.year]
        if other:
            out.append(f"{where_}：“{text}”写的是{other[0]}年，与通知的年份{answers.year}不一致")
    for n, slogan in enumerate(answers.slogans or []):  # last year's list, copied
        problem = theme_problem(slogan, answers.year)
        if problem:
            out.append(f"{where(('slogans', n))}：{problem}")
    return out


def _titles_written(answers: Answers):
    """(where, text) of the titles a clerk typed, the notice's and the attachments', and of the opening paragraphs
    (kept from last year's answers by --from or the page, they would say last year)."""
    if answers.title:
        yield where(("title",)), answers.title
    for n, paragraph in enumerate(answers.opening or []):
        yield where(("opening", n)), paragraph
    for n, a in enumerate(answers.attachments):
        if not isinstance(a, str) and a.title:
            yield where(("attachments", n, "title")), a.title


def theme_problem(theme: str, year: int) -> str | None:
    """consistency.theme_problem against the national themes shipped."""
    from .consistency import theme_problem as problem

    return problem(theme, year, themes())


def _unknown(what: str, field: str, wrong: list[str], known: list[str]) -> str:
    near = [m for w in wrong for m in difflib.get_close_matches(w, known, n=1)]
    hint = f"，是否想写“{'、'.join(near)}”？" if near else ""
    return f"{field}：不认识的{what} {'、'.join(wrong)}{hint}（可选：{'、'.join(known)}）"


def _catalogue_problems(answers: Answers, plugins) -> list[str]:
    problems = []
    unknown = [a for a in answers.activity_ids if a not in plugins.activities]
    if unknown:
        problems.append(_unknown("活动", "activities（活动）", unknown, list(plugins.activities))
                        + plugins.unknown_note("activities", unknown))
    known = [*CORE_ATTACHMENTS, *plugins.attachments]
    unknown = [a for a in answers.attachment_ids if a not in known]
    if unknown:
        problems.append(_unknown("附件", "attachments（附件）", unknown, known)
                        + plugins.unknown_note("attachments", unknown))
    twice = sorted({a for a in answers.activity_ids if answers.activity_ids.count(a) > 1})
    if twice:
        problems.append(f"activities（活动）：{'、'.join(twice)} 写了不止一次")
    twice = sorted({a for a in answers.attachment_ids if answers.attachment_ids.count(a) > 1})
    if twice:
        problems.append(f"attachments（附件）：{'、'.join(twice)} 写了不止一次")
    known = [*BUILTIN_SECTIONS, *plugins.sections]
    for n, a in enumerate(answers.attachments):  # an attached document's own outline, like the notice's
        if isinstance(a, DocumentAttachment):
            ids = [e if isinstance(e, str) else e.use for e in a.outline if not isinstance(e, InlineSection)]
            unknown = [i for i in ids if i not in known]
            if unknown:
                problems.append(_unknown("章节", f"attachments（附件） → 第{n + 1}项 → outline", unknown, known))
    used = [e if isinstance(e, str) else e.use for e in answers.outline or [] if not isinstance(e, InlineSection)]
    unknown = [i for i in used if i not in known]
    if unknown:
        problems.append(_unknown("章节", "outline（章节）", unknown, known) + plugins.unknown_note("sections", unknown))
    twice = sorted({i for i in used if used.count(i) > 1})
    if twice:
        problems.append(f"outline（章节）：{'、'.join(twice)} 写了不止一次")
    if any(isinstance(e, UseSection) and e.use == "activities" and e.items for e in answers.outline or []):
        problems.append("outline（章节） → activities：“主要活动”一节的条目就是所选的活动（activities），不能另写 items")
    problems += _too_deep(answers.outline or [], "outline（章节）")
    for n, a in enumerate(answers.attachments):
        if isinstance(a, DocumentAttachment):
            problems += _too_deep(a.outline, f"attachments（附件） → 第{n + 1}项 → outline")
    return problems


def _too_deep(entries: list, where: str, level: int = 1) -> list[str]:
    """Sections nested deeper than the four levels of heading numbers GB/T 9704 has (一、（一）1.（1）); a section
    without a title adds no level (its content stands in the one above)."""
    problems = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, (InlineSection, UseSection)) or not entry.sections:
            continue
        below = level + 1 if entry.title or isinstance(entry, UseSection) else level
        here = f"{where} → 第{n + 1}项 → sections"
        if below > 4 and any(s.title for s in entry.sections):
            problems.append(f"{here}：章节最多四层（一、（一）1.（1）），这里是第{below}层；请把它并入上一层的段落")
        else:
            problems += _too_deep(entry.sections, here, below)
    return problems


def questions_for(plugins, sector: str, activities: list[str], attachments: list[str]) -> dict:
    """The plugin questions a notice asks ({id: Owned[Question]}): those of the issuer's sector, and those of every
    plugin whose activities or attachments are chosen (its text may use them). Unknown ids are skipped."""
    chosen = [plugins.activities[i] for i in activities if isinstance(i, str) and i in plugins.activities]
    chosen += [plugins.attachments[i] for i in attachments if isinstance(i, str) and i in plugins.attachments]
    used = {c.plugin for c in chosen}
    return {i: q for i, q in plugins.questions.items() if q.serves(sector) or q.plugin in used}


def _extra(answers: Answers, plugins) -> tuple[dict, list[str]]:
    """The answers to the questions that concern this notice, converted by each question's kind: those asked of
    the issuer's sector, and those of every plugin whose activities or attachments were chosen (its text may use
    them). Answers to other plugins' questions are dropped; unknown keys are an error."""
    questions = {i: q.item for i, q in questions_for(plugins, answers.issuer.sector, answers.activity_ids,
                                                    answers.attachment_ids).items()}
    out, problems = {}, []
    unknown = [k for k in answers.extra if k not in plugins.questions]
    if unknown:
        problems.append(_unknown("行业问题", "extra（行业补充问题）", unknown, list(plugins.questions)))
    for key, question in questions.items():
        value, where = answers.extra.get(key, question.default), f"extra（行业补充问题） → {key}（{question.prompt}）"
        try:
            out[key] = extra_answer(question, value)
        except (ValueError, InvalidValue) as exc:
            problems.append(f"{where}：{exc}")
    return out, problems


def extra_answer(question, value: Any) -> Any:
    """A plugin question's answer converted by its kind; None or blank is refused (ValueError in Chinese).
    Shared by the answers file and the questionnaire."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("不能为空：请写出答案")
    if question.kind == "confirm":
        value = yes_no(value)
        if not isinstance(value, bool):
            raise ValueError("应为“是/否”（true/false）")
        return value
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("应为数字")
        return value
    if question.kind == "date":
        return parse_date(value)
    text = clean_text(str(value))
    if question.kind == "select" and text not in question.choices:
        raise ValueError(f"“{text}”不是可选值（{'、'.join(question.choices)}）")
    return text


def dump(answers: Answers) -> str:
    """The answers as YAML, to save beside the document so that it can be drafted again."""
    import yaml

    saved = answers.model_dump(mode="json")
    for key in ("outline", "activities", "attachments"):  # written entries as written, without unused keys
        if saved[key] is not None:
            saved[key] = [e if isinstance(e, str) else e.model_dump(mode="json", exclude_defaults=True)
                          for e in getattr(answers, key)]
    if saved["outline"] is None:
        del saved["outline"]  # the sector's default outline: saved answers stay as they were
    if saved["title"] is None:
        del saved["title"]
    if saved["form"] == "通知":
        del saved["form"]
    for key in ("slogans", "opening"):
        if saved[key] is None:
            del saved[key]
    if saved["contact"]:
        saved["contact"] = {k: v for k, v in saved["contact"].items() if k not in ("fax", "more") or v}
    if saved["issuer"]["signature"] is None:
        del saved["issuer"]["signature"]
    saved["co_issuers"] = [{k: v for k, v in c.items() if v is not None} for c in saved["co_issuers"]]
    for key, usual in (("co_issuers", []), ("joint_mark", "全部"), ("format", "文件"), ("letterhead", "印制"),
                       ("letterhead_reserve_mm", None)):  # the usual forms leave saved answers as they were
        if saved[key] == usual:
            del saved[key]
    class Dumper(yaml.SafeDumper):
        pass

    def short_lists(dumper, items):  # a list of plain values on one line: [姓名, 性别, 职务]
        flat = all(not isinstance(i, (dict, list)) for i in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat and bool(items))

    Dumper.add_representer(list, short_lists)
    return yaml.dump(saved, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
