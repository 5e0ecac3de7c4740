"""The answers a notice is drafted from: read from YAML, merged over the defaults, validated, saved again.

Precedence, as in copier: values given on the command line > the answers file > the defaults. Every source goes
through the same validators (pydantic models below)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .dates import parse_date
from .docnumber import DocNumber
from .errors import AnswersError, InvalidValue

FIRST_YEAR = 2002  # the first national 安全生产月; year Y is the (Y - 2001)th
ATTACHMENT_KINDS = ("slogans", "liaison", "stats", "plan")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

LABELS = {  # how fields are named to the user
    "issuer": "发文机关", "name": "名称", "code": "机关代字", "mark": "发文机关标志", "sector": "行业", "year": "年份",
    "theme": "主题", "number": "发文字号序号", "scope": "范围", "recipients": "主送机关", "parents": "上级来文",
    "title": "标题", "doc_number": "发文字号", "activities": "活动", "attachments": "附件", "contact": "联系人",
    "phone": "电话", "email": "电子邮箱", "deadlines": "截止时间", "liaison": "联络员报送", "weekly": "每周报送",
    "summary": "总结报送", "copy_to": "抄送", "printer": "印发机关", "print_date": "印发日期", "date": "成文日期",
    "sealed": "加盖印章", "publicity": "公开属性", "colophon_on_even_page": "版记另起双页", "units": "责任单位称谓",
}


def clean_text(value: Any) -> Any:
    """Text must be storable in XML: control characters are refused, line breaks and tabs become spaces."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\t", " ")
        bad = _XML_ILLEGAL.search(value)
        if bad:
            raise ValueError(f"含有无法写入文档的控制字符 U+{ord(bad.group()):04X}，请删除")
        return re.sub(r"\s*\n\s*", "", value).strip()
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [clean_text(v) for v in value]
        return clean_text(value)


class Issuer(Model):
    name: str = Field(min_length=2)  # 发文机关全称, used in the title and the 署名
    code: str = Field(min_length=1)  # 机关代字 of its 文号
    mark: Optional[str] = None  # 发文机关标志; default: name + 文件
    sector: str = "应急"
    units: str = "各单位"  # how the body addresses those who act


class Parent(Model):
    title: str = Field(min_length=4)
    doc_number: str

    @field_validator("doc_number")
    @classmethod
    def _number(cls, value: str) -> str:
        return str(_doc_number(value))

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return value.strip("《》 ")


class Contact(Model):
    name: str
    phone: str
    email: Optional[str] = None


class Deadlines(Model):
    liaison: dt.date
    summary: dt.date
    weekly: Optional[str] = "每周三18时前"

    @field_validator("liaison", "summary", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return _date(value)


class Answers(Model):
    issuer: Issuer
    year: int = Field(ge=FIRST_YEAR, le=2100)
    theme: str = Field(min_length=2)
    number: int = Field(ge=1, le=99999)
    scope: str = "全区"
    recipients: str = Field(min_length=2)
    parents: list[Parent] = Field(min_length=1)
    activities: list[str]
    attachments: list[Literal["slogans", "liaison", "stats", "plan"]]
    contact: Contact
    deadlines: Deadlines
    copy_to: list[str] = []
    printer: str
    print_date: dt.date
    date: dt.date
    sealed: bool = True
    publicity: Optional[Literal["此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开"]] = "此件公开发布"
    colophon_on_even_page: bool = False

    @field_validator("date", "print_date", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dt.date:
        return _date(value)

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: str) -> str:
        return value.rstrip("：:")

    @property
    def n(self) -> int:
        """第N个全国“安全生产月”."""
        return self.year - FIRST_YEAR + 1

    @property
    def doc_number(self) -> DocNumber:
        return _doc_number(f"{self.issuer.code}〔{self.year}〕{self.number}号")


def _doc_number(text: str) -> DocNumber:
    try:
        return DocNumber.parse(text, strict=True)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


def _date(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


@lru_cache(maxsize=None)
def data(name: str) -> Any:
    """A YAML file shipped in drafter/data."""
    import yaml

    return yaml.safe_load((resources.files("drafter") / "data" / name).read_text(encoding="utf-8"))


def national(year: int) -> dict | None:
    return next((p for p in data("national.yaml") if p["year"] == year), None)


def latest_year() -> int:
    return max(p["year"] for p in data("national.yaml"))


def defaults(year: int) -> dict:
    """The sample answers: a fictional district 商务局 drafting its notice for ``year``."""
    parent = national(year)
    sample = data("sample.yaml")
    out = {
        "issuer": {"name": "江城市青山区商务局", "code": "青商务", "mark": "江城市青山区商务局文件", "sector": "商务",
                   "units": "各街道企业办、局各科室、各有关商贸企业"},
        "year": year,
        "number": 18,
        "scope": "全区商务系统",
        "recipients": "各街道企业办，局各科室，各有关商贸企业",
        "parents": [{"title": parent["title"], "doc_number": parent["doc_number"]}] if parent else [],
        "activities": [a["id"] for a in sample["activities"]],
        "attachments": list(ATTACHMENT_KINDS),
        "contact": {"name": "李明", "phone": "0591-12345678", "email": "qsswj@example.com"},
        "deadlines": {"liaison": dt.date(year, 5, 30), "summary": dt.date(year, 7, 1), "weekly": "每周三18时前"},
        "copy_to": ["区安委会办公室", "区应急管理局"],
        "printer": "江城市青山区商务局办公室",
        "print_date": dt.date(year, 5, 20),
        "date": dt.date(year, 5, 20),
        "sealed": True,
        "publicity": "此件公开发布",
        "colophon_on_even_page": False,
    }
    if parent:
        out["theme"] = parent["theme"]
    return out


def merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_yaml(path: Path) -> dict:
    """An answers file as a dict; a malformed one is reported with its line and column."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswersError(f"找不到答案文件：{path}") from None
    except UnicodeDecodeError:
        raise AnswersError(f"答案文件 {path} 不是 UTF-8 编码的文本") from None
    except OSError as exc:
        raise AnswersError(f"无法读取答案文件 {path}：{exc.strerror}") from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark, exc.context_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        if start and mark and start.line != mark.line:
            where = f"第{start.line + 1}行第{start.column + 1}列开始的内容到{where}"
        raise AnswersError(f"答案文件 {path} {where}有 YAML 语法错误（{exc.problem}）") from None
    except yaml.YAMLError as exc:
        raise AnswersError(f"答案文件 {path} 格式有误：{exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise AnswersError(f"答案文件 {path} 的内容应为“键: 值”形式的映射")
    return loaded


def _where(loc: tuple) -> str:
    parts = []
    for p in loc:
        parts.append(f"第{p + 1}项" if isinstance(p, int) else f"{p}（{LABELS[p]}）" if p in LABELS else str(p))
    return " → ".join(parts)


_MESSAGES = {
    "missing": "缺少此项", "int_parsing": "应为整数", "int_type": "应为整数", "bool_parsing": "应为“是/否”（true/false）",
    "bool_type": "应为“是/否”（true/false）", "string_type": "应为文字", "list_type": "应为列表",
    "dict_type": "应为“键: 值”形式", "model_type": "应为“键: 值”形式",
}


def _message(err: dict, fields: list[str]) -> str:
    kind, loc = err["type"], err["loc"]
    if kind == "extra_forbidden":
        near = difflib.get_close_matches(str(loc[-1]), fields, n=1)
        hint = f"，是否想写“{near[0]}”？" if near else ""
        return f"{_where(loc)}：不认识的项{hint}"
    if kind == "value_error":
        return f"{_where(loc)}：{str(err['ctx']['error'])}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_where(loc)}：{err['input']} 超出范围"
    if kind == "literal_error":
        return f"{_where(loc)}：“{err['input']}”不是可选值（{err['ctx']['expected']}）"
    if kind in ("string_too_short", "too_short"):
        return f"{_where(loc)}：不能为空"
    return f"{_where(loc)}：{_MESSAGES.get(kind, err['msg'])}"


def validate(raw: dict, source: str = "答案") -> Answers:
    """Answers from a dict (file answers merged over defaults), or an AnswersError listing every problem."""
    try:
        answers = Answers.model_validate(raw)
    except ValidationError as exc:
        fields = sorted(LABELS)
        lines = [_message(e, fields) for e in exc.errors()]
        raise AnswersError(f"{source}有误：\n  " + "\n  ".join(lines)) from None
    return answers


def resolve(file_answers: dict | None = None, overrides: dict | None = None, source: str = "答案") -> Answers:
    """Defaults for the year asked for (else the latest year shipped), then the file, then overrides."""
    given = merge(file_answers or {}, overrides or {})
    year = given.get("year", latest_year())
    if not isinstance(year, int):
        raise AnswersError(f"{source}有误：\n  year（年份）：应为整数，如 {latest_year()}")
    base = defaults(year)
    if "theme" not in given and "theme" not in base:
        raise AnswersError(f"{source}有误：\n  theme（主题）：{year}年的主题不在内置数据中，请在答案中写明“theme”")
    if "parents" not in given and not base["parents"]:
        raise AnswersError(f"{source}有误：\n  parents（上级来文）：{year}年的上级来文不在内置数据中，请在答案中写明")
    answers = validate(merge(base, given), source)
    known = {a["id"] for a in data("sample.yaml")["activities"]}
    unknown = [a for a in answers.activities if a not in known]
    if unknown:
        raise AnswersError(f"{source}有误：\n  activities（活动）：不认识的活动 {'、'.join(unknown)}"
                           f"（可选：{'、'.join(sorted(known))}）")
    return answers


def dump(answers: Answers) -> str:
    """The answers as YAML, to save beside the document so that it can be drafted again."""
    import yaml

    return yaml.safe_dump(answers.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100)
