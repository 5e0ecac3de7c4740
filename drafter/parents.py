"""The parent registry: the notices a notice can cite. The national notices ship with drafter; the user's own are
YAML files, one notice each, in a folder (see places.py) that an office can share. A notice drafted with drafter
can be added, so that the next level down can pick it."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from .answers import FIRST_YEAR, Parent, as_date, data, national, theme_problem
from .docnumber import DocNumber
from .errors import DrafterError, InvalidValue

NATIONAL_ISSUER = "国务院安委会办公室"  # the host of the national notices
NATIONAL_CO_ISSUERS = ["应急管理部"]  # issuing jointly with it


class RegistryError(DrafterError):
    """A registry file that cannot be read, or a parent that is not there."""


class ParentNotice(Parent):
    """A notice from above, as the registry keeps it: what a notice cites (title, 文号) and more."""

    doc_number: str  # a registered notice is found by its 文号
    issuer: str = Field(min_length=2)  # 发文机关: the host, when several issue jointly
    co_issuers: list[Annotated[str, Field(min_length=2)]] = []  # 联合发文: the other organs, in the order of issue
    year: int = Field(ge=FIRST_YEAR, le=2100)
    theme: str = Field(min_length=2)
    date: Optional[dt.date] = None  # 成文日期
    headings: list[str] = []  # its top-level headings, without their numbers (照上级来文 starts from them)

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, raw: Any) -> Any:
        """The year defaults to the 文号's, the theme to that year's national theme."""
        if isinstance(raw, dict) and isinstance(raw.get("doc_number"), str):
            raw = dict(raw)
            try:
                raw.setdefault("year", DocNumber.parse(raw["doc_number"], strict=True).year)
            except InvalidValue:
                return raw  # reported by the field validator
            known = national(raw["year"]) if isinstance(raw["year"], int) else None
            if known and not raw.get("theme"):
                raw["theme"] = known["theme"]
        return raw

    @field_validator("theme")
    @classmethod
    def _this_years(cls, value: str, info: ValidationInfo) -> str:
        """Not another year's national theme (consistency.theme_problem), when the year is known."""
        year = info.data.get("year")
        problem = theme_problem(value, year) if isinstance(year, int) else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _when(cls, value: Any) -> Any:
        return None if value in (None, "") else as_date(value)

    @model_validator(mode="after")
    def _once_each(self) -> "ParentNotice":
        if "issuer" not in self.__dict__:  # one field checked alone (a prompt: prompts.field)
            return self
        twice = next((n for n in self.issuers if self.issuers.count(n) > 1), None)
        if twice:
            raise ValueError(f"co_issuers（联合发文机关）：“{twice}”写了两次（主办机关写在 issuer，其余写在 co_issuers）")
        return self

    @property
    def issuers(self) -> list[str]:
        """Every organ that issued it, the host first."""
        return [self.issuer, *self.co_issuers]

    @property
    def n(self) -> int:
        return self.year - FIRST_YEAR + 1

    @property
    def code(self) -> str:
        return DocNumber.parse(self.doc_number).code

    def cited(self) -> dict:
        """As the answers cite it."""
        return {"title": self.title, "doc_number": self.doc_number}


@dataclass(frozen=True)
class Entry:
    notice: ParentNotice
    path: Optional[Path]  # None: shipped with drafter

    @property
    def source(self) -> str:
        return "内置" if self.path is None else str(self.path)

    def label(self) -> str:
        """One line for a list: 文号, title, year."""
        return f"{self.notice.doc_number}　{self.notice.title}"


def shipped() -> list[ParentNotice]:
    return [ParentNotice(**{"issuer": NATIONAL_ISSUER, "co_issuers": NATIONAL_CO_ISSUERS, **p})
            for p in data("national.yaml")]


def file_name(doc_number: str) -> str:
    return f"{doc_number}.yaml"


class Registry:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def user(self) -> list[Entry]:
        """The user's parents; a file that does not read is an error naming it and the place."""
        from .errors import AnswersError
        from .validation import explain
        from .yamlio import load_file

        if not self.folder.is_dir():
            return []
        entries = []
        for path in sorted(self.folder.glob("*.yaml")):
            try:
                raw = load_file(path, "上级来文文件")
            except AnswersError as exc:
                raise RegistryError(str(exc)) from None
            try:
                entries.append(Entry(ParentNotice.model_validate(raw), path))
            except ValidationError as exc:
                raise RegistryError(f"上级来文文件 {path} 有误：\n  " + "\n  ".join(explain(exc))) from None
        return entries

    def entries(self) -> list[Entry]:
        """The user's parents first (they are nearer), newest year first; then the national ones."""
        user = sorted(self.user(), key=lambda e: (-e.notice.year, e.notice.doc_number))
        mine = {e.notice.doc_number for e in user}
        national_ = [Entry(p, None) for p in sorted(shipped(), key=lambda p: -p.year) if p.doc_number not in mine]
        return user + national_

    def find(self, doc_number: str) -> Entry:
        try:
            wanted = str(DocNumber.parse(doc_number))
        except InvalidValue as exc:
            raise RegistryError(f"上级来文“{doc_number}”：{exc}") from None
        entries = self.entries()
        for entry in entries:
            if entry.notice.doc_number == wanted:
                return entry
        known = [e.notice.doc_number for e in entries]
        near = difflib.get_close_matches(wanted, known, n=3)
        hint = f"，是否是 {'、'.join(near)}？" if near else ""
        raise RegistryError(f"上级来文库（{self.folder}）中没有 {wanted}{hint}（drafter parents list 列出全部）")

    def add(self, notice: ParentNotice, force: bool = False) -> Path:
        from .output import write_files

        path = self.folder / file_name(notice.doc_number)
        if path.exists() and not force:
            raise RegistryError(f"上级来文库中已有 {notice.doc_number}（{path}）；要替换请加 --force")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegistryError(f"无法建立上级来文文件夹 {self.folder}：{exc.strerror}") from None
        write_files({path: dump(notice).encode("utf-8")}, force=True)
        return path

    def remove(self, doc_number: str) -> Path:
        entry = self.find(doc_number)
        if entry.path is None:
            raise RegistryError(f"{entry.notice.doc_number} 是内置的全国通知，不能删除（可用同一文号添加一份自己的来更正它）")
        entry.path.unlink()
        return entry.path

    def latest_for(self, code: str, year: int) -> Entry | None:
        """This year's notice of the issuer that sent last year's parent (same 机关代字), if it is here."""
        return next((e for e in self.entries() if e.notice.year == year and e.notice.code == code), None)


def dump(notice: ParentNotice) -> str:
    """A registry file: what is not known is left out, and so are the co-issuers of a notice issued alone."""
    import yaml

    raw = notice.model_dump(mode="json", exclude_none=True)
    if not raw.get("co_issuers"):
        raw.pop("co_issuers", None)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def issuers_typed(text: str) -> list[str]:
    """A 发文机关 typed on one line: one organ, or a joint notice's organs separated by 、, the host first."""
    from .prompts import names

    found = names(text.strip())
    if not found:
        raise ValueError("不能为空")
    short = next((n for n in found if len(n) < 2), None)
    if short:
        raise ValueError(f"“{short}”太短：请写机关全称")
    twice = next((n for n in found if found.count(n) > 1), None)
    if twice:
        raise ValueError(f"“{twice}”写了两次")
    return found


def from_answers(answers, title: str) -> ParentNotice:
    """A notice drafted with drafter, as a parent for the level below (a joint one with its co-issuers)."""
    return ParentNotice(issuer=answers.issuer.name, co_issuers=[c.name for c in answers.co_issuers], title=title,
                        doc_number=str(answers.doc_number), year=answers.year, theme=answers.theme, date=answers.date)


def registry(option: Path | None = None) -> Registry:
    from .places import parents_dir

    return Registry(parents_dir(option))
