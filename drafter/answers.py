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
from .errors import AnswersError, DrafterError, InvalidValue
from .validation import LABELS, explain
from .yamlio import safe_load

FIRST_YEAR = 2002  # the first national 安全生产月; year Y is the (Y - 2001)th
CORE_ATTACHMENTS = {"slogans": 10, "liaison": 20, "stats": 30, "plan": 40}  # id → order among plugins' ones
DEFAULT_SECTOR = "商务"  # the sample drafted by `drafter new --defaults`
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

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
    sector: str = Field(min_length=1)  # picks the sector plugin
    level: Optional[Literal["市", "区（县）", "街道（乡镇）"]] = None  # 层级: a 市 issuer's scope defaults to 全市…
    units: str = "各单位"  # how the body addresses those who act

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        try:
            DocNumber.parse(f"{value}〔2025〕1号", strict=True)
        except InvalidValue:
            raise ValueError(f"机关代字“{value}”不能用在发文字号中：应由文字组成，不含数字、括号和空格，如“青商务”") from None
        return value


class Parent(Model):
    title: str = Field(min_length=4)
    doc_number: str

    @field_validator("doc_number")
    @classmethod
    def _number(cls, value: str) -> str:
        return str(as_doc_number(value))

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
        return as_date(value)


class Answers(Model):
    issuer: Issuer
    year: int = Field(ge=FIRST_YEAR, le=2100)
    theme: str = Field(min_length=2)
    number: int = Field(ge=1, le=99999)
    scope: str = "全区"
    recipients: str = Field(min_length=2)
    parents: list[Parent] = Field(min_length=1)
    activities: list[str]
    attachments: list[str]  # ids: slogans liaison stats plan, or a plugin's
    contact: Contact
    deadlines: Deadlines
    copy_to: list[str] = []
    printer: str
    print_date: dt.date
    date: dt.date
    sealed: bool = True
    publicity: Optional[Literal["此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开"]] = "此件公开发布"
    colophon_on_even_page: bool = False
    extra: dict[str, Any] = {}  # answers to the sector plugins' own questions, by question id

    @field_validator("date", "print_date", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dt.date:
        return as_date(value)

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


@lru_cache(maxsize=None)
def data(name: str) -> Any:
    """A YAML file shipped in drafter/data."""
    return safe_load((resources.files("drafter") / "data" / name).read_text(encoding="utf-8"))


def national(year: int) -> dict | None:
    return next((p for p in data("national.yaml") if p["year"] == year), None)


def latest_year() -> int:
    return max(p["year"] for p in data("national.yaml"))


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
        "print_date": dt.date(year, 5, 20),
        "date": dt.date(year, 5, 20),
        "sealed": True,
        "publicity": "此件公开发布",
        "colophon_on_even_page": False,
    }
    if parent:
        out["theme"] = parent["theme"]
    if issuer.get("level") == "市":
        out["scope"] = out["scope"].replace("全区", "全市")
    if example:
        return merge(out, sector.example)
    out["printer"] = f"{issuer.get('name', '')}办公室"
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
        loaded = safe_load(text)
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


def validate(raw: dict, source: str = "答案") -> Answers:
    """Answers from a dict (file answers merged over defaults), or an AnswersError listing every problem."""
    try:
        answers = Answers.model_validate(raw)
    except ValidationError as exc:
        raise AnswersError(f"{source}有误：\n  " + "\n  ".join(explain(exc, sorted(LABELS)))) from None
    return answers


def resolve(file_answers: dict | None = None, overrides: dict | None = None, source: str = "答案",
            plugins=None) -> Answers:
    """Defaults for the sector and year asked for (else the sample sector and the latest year shipped), then the
    file, then overrides; checked against what the plugins offer."""
    from .plugins import load

    plugins = plugins or load()
    plugins.ensure_loaded()
    given = merge(file_answers or {}, overrides or {})
    year = given.get("year", latest_year())
    if not isinstance(year, int):
        raise AnswersError(f"{source}有误：\n  year（年份）：应为整数，如 {latest_year()}")
    issuer = given.get("issuer") if isinstance(given.get("issuer"), dict) else {}
    sector_name = issuer.get("sector") or (DEFAULT_SECTOR if DEFAULT_SECTOR in plugins.sectors
                                           else next(iter(plugins.sectors), None))
    try:
        sector = plugins.sector(str(sector_name))
    except DrafterError as exc:
        raise AnswersError(f"{source}有误：\n  issuer（发文机关） → sector（行业）：{exc}") from None
    base = defaults(year, sector, plugins, issuer, example="name" not in issuer)  # a named issuer is a real one
    if "theme" not in given and "theme" not in base:
        raise AnswersError(f"{source}有误：\n  theme（主题）：{year}年的主题不在内置数据中，请在答案中写明“theme”")
    if "parents" not in given and not base["parents"]:
        raise AnswersError(f"{source}有误：\n  parents（上级来文）：{year}年的上级来文不在内置数据中，请在答案中写明")
    answers = validate(merge(base, given), source)
    problems = _catalogue_problems(answers, plugins)
    if problems:
        raise AnswersError(f"{source}有误：\n  " + "\n  ".join(problems))
    extra, problems = _extra(answers, plugins)
    if problems:
        raise AnswersError(f"{source}有误：\n  " + "\n  ".join(problems))
    return answers.model_copy(update={"extra": extra})


def _unknown(what: str, field: str, wrong: list[str], known: list[str]) -> str:
    near = [m for w in wrong for m in difflib.get_close_matches(w, known, n=1)]
    hint = f"，是否想写“{'、'.join(near)}”？" if near else ""
    return f"{field}：不认识的{what} {'、'.join(wrong)}{hint}（可选：{'、'.join(known)}）"


def _catalogue_problems(answers: Answers, plugins) -> list[str]:
    problems = []
    unknown = [a for a in answers.activities if a not in plugins.activities]
    if unknown:
        problems.append(_unknown("活动", "activities（活动）", unknown, list(plugins.activities)))
    known = [*CORE_ATTACHMENTS, *plugins.attachments]
    unknown = [a for a in answers.attachments if a not in known]
    if unknown:
        problems.append(_unknown("附件", "attachments（附件）", unknown, known))
    return problems


def _extra(answers: Answers, plugins) -> tuple[dict, list[str]]:
    """The answers to the questions that concern this notice, converted by each question's kind: those asked of
    the issuer's sector, and those of every plugin whose activities or attachments were chosen (its text may use
    them). Answers to other plugins' questions are dropped; unknown keys are an error."""
    chosen = [plugins.activities[i] for i in answers.activities] + [
        plugins.attachments[i] for i in answers.attachments if i in plugins.attachments]
    used = {c.plugin for c in chosen}
    questions = {i: q.item for i, q in plugins.questions.items() if q.serves(answers.issuer.sector) or q.plugin in used}
    out, problems = {}, []
    unknown = [k for k in answers.extra if k not in plugins.questions]
    if unknown:
        problems.append(_unknown("行业问题", "extra（行业补充问题）", unknown, list(plugins.questions)))
    for key, question in questions.items():
        value, where = answers.extra.get(key, question.default), f"extra（行业补充问题） → {key}（{question.prompt}）"
        try:
            out[key] = _convert(question, value)
        except (ValueError, InvalidValue) as exc:
            problems.append(f"{where}：{exc}")
    return out, problems


def _convert(question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == "confirm":
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

    return yaml.safe_dump(answers.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100)
