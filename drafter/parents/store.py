"""The parent registry: the notices a notice can cite. The national notices ship with drafter; the user's own are
YAML files, one notice each, in a folder (see places.py) that an office can share. A notice drafted with drafter
can be added, so that the next level down can pick it."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..answers import Parent, as_date, theme_problem
from ..conventions import FIRST_YEAR, ordinal
from ..dates import format_date
from ..docnumber import DocNumber
from ..errors import DrafterError, InvalidValue
from ..shipped import data, national

NATIONAL_ISSUER = "国务院安委会办公室"  # the host of the national notices
NATIONAL_CO_ISSUERS = ["应急管理部"]  # issuing jointly with it


class RegistryError(DrafterError):
    """A registry file that cannot be read, or a parent that is not there."""


class AlreadyHeld(RegistryError):
    """The registry holds a notice of this 文号 already: replaced only when asked (``force``)."""


class ParentNotice(Parent):
    """A notice from above, as the registry keeps it: what a notice cites (title, 文号) and more."""

    doc_number: str  # a registered notice is found by its 文号
    issuer: str = Field(min_length=2)  # 发文机关: the host, when several issue jointly
    co_issuers: list[Annotated[str, Field(min_length=2)]] = []  # 联合发文: the other organs, in the order of issue
    year: int = Field(ge=FIRST_YEAR, le=2100)
    theme: str = Field(min_length=2)
    date: dt.date | None = None  # 成文日期
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

    @field_validator("date")
    @classmethod
    def _in_its_year(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        """A notice is dated in the year of its 文号."""
        year = info.data.get("year")
        if value is not None and isinstance(year, int) and value.year != year:
            raise ValueError(f"成文日期{format_date(value)}不在{year}年，与通知的年份不一致")
        return value

    @model_validator(mode="after")
    def _once_each(self) -> ParentNotice:
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
        return ordinal(self.year)

    @property
    def code(self) -> str:
        return DocNumber.parse(self.doc_number).code

    def cited(self) -> dict:
        """As the answers cite it."""
        return {"title": self.title, "doc_number": self.doc_number}


@dataclass(frozen=True)
class Entry:
    notice: ParentNotice
    path: Path | None  # None: shipped with drafter

    @property
    def source(self) -> str:
        return "内置" if self.path is None else str(self.path)

    def label(self) -> str:
        """One line for a list: 文号 and title."""
        return f"{self.notice.doc_number}　{self.notice.title}"


def shipped() -> list[ParentNotice]:
    return [ParentNotice(**{"issuer": NATIONAL_ISSUER, "co_issuers": NATIONAL_CO_ISSUERS, **p})
            for p in data("national.yaml")]


def file_name(doc_number: str) -> str:
    """The name of a 文号's registry file, by the one rule for names that become file names (output.file_name):
    a 文号 read from a received file never leads out of the registry folder."""
    from ..output import file_name as name_rule

    try:
        return name_rule(doc_number, ".yaml", "发文字号")
    except InvalidValue as exc:
        raise RegistryError(f"未存入上级来文库：{exc}") from None


class NotInRegistry(RegistryError):
    """No notice with the 文号 asked for (the only failure of find that a caller may go on from)."""


@dataclass(frozen=True)
class Problem:
    """A registry file that cannot be read (bad YAML, undecodable, not allowed, past a limit, not a notice)."""

    path: Path
    message: str

    def number(self) -> str | None:
        """The 文号 its name gives (registry files are named by their 文号), if it gives one."""
        try:
            return str(DocNumber.parse(self.path.stem))
        except InvalidValue:
            return None


def _count(n: int) -> str:
    return "两份" if n == 2 else f"{n}份"


class Registry:
    """The user's parents, read from the folder: a file that cannot be read is a Problem, reported by name, and the
    rest still works; a 文号 held by two files is reported, never resolved by picking one. Writes (add, remove)
    hold the folder's lock (output.locked) across their checks and the write."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._read: tuple[list[Entry], list[Problem]] | None = None

    def scan(self) -> tuple[list[Entry], list[Problem]]:
        """The notices the folder's files hold, and the files that cannot be read (read once, until a write)."""
        if self._read is None:
            self._read = self._scan()
        return self._read

    def _scan(self) -> tuple[list[Entry], list[Problem]]:
        from ..validation import explain
        from ..yamlio import load_file

        if not self.folder.is_dir():
            return [], []
        entries, problems = [], []
        for path in sorted(self.folder.glob("*.yaml")):
            if path.name.startswith("."):  # hidden: not a registry file (drafter's own are .drafter…)
                continue
            try:
                raw = load_file(path, "上级来文文件")
                entries.append(Entry(ParentNotice.model_validate(raw), path))
            except DrafterError as exc:
                problems.append(Problem(path, str(exc)))
            except ValidationError as exc:
                problems.append(Problem(path, f"上级来文文件 {path} 有误：" + "；".join(explain(exc))))
            except (OSError, RecursionError, MemoryError, ValueError) as exc:
                problems.append(Problem(path, f"无法读取上级来文文件 {path}（{exc.__class__.__name__}）"))
        return entries, problems

    def user(self) -> list[Entry]:
        """The user's parents that read (see problems for those that do not)."""
        return self.scan()[0]

    def problems(self) -> list[Problem]:
        return self.scan()[1]

    def warnings(self) -> list[str]:
        """What to tell of the registry whenever it is used: each file that cannot be read, each 文号 held twice."""
        told = [f"上级来文库中有一个文件无法读取，已跳过（其中的通知不可选用）：{p.message}" for p in self.problems()]
        for number, paths in self.duplicates().items():
            told.append(f"上级来文库中有{_count(len(paths))} {number}：{'、'.join(map(str, paths))}。"
                        "请删去或改正多余的，在此之前不能选用它")
        return told

    def duplicates(self) -> dict[str, list[Path]]:
        """Each 文号 held by more than one file (of those that read and those whose name gives it), with the files."""
        holders: dict[str, list[Path]] = {}
        for entry in self.user():
            holders.setdefault(entry.notice.doc_number, []).append(entry.path)  # type: ignore[arg-type]
        for problem in self.problems():
            number = problem.number()
            if number and number in holders:
                holders[number].append(problem.path)
        return {n: paths for n, paths in holders.items() if len(paths) > 1}

    def entries(self) -> list[Entry]:
        """The user's parents first (they are nearer), newest year first; then the national ones."""
        user = sorted(self.user(), key=lambda e: (-e.notice.year, e.notice.doc_number, str(e.path)))
        mine = {e.notice.doc_number for e in user}
        national_ = [Entry(p, None) for p in sorted(shipped(), key=lambda p: -p.year) if p.doc_number not in mine]
        return user + national_

    def holders(self, doc_number: str) -> tuple[list[Entry], list[Problem]]:
        """The user's files holding ``doc_number`` (in standard form): those that read, and those that do not but
        are named by it."""
        entries, problems = self.scan()
        return ([e for e in entries if e.notice.doc_number == doc_number],
                [p for p in problems if p.number() == doc_number])

    def find(self, doc_number: str) -> Entry:
        """The notice of a 文号: the user's (a file that does not read, or two files holding it, is an error naming
        the files), else the national one; NotInRegistry if there is none."""
        try:
            wanted = str(DocNumber.parse(doc_number))
        except InvalidValue as exc:
            raise RegistryError(f"上级来文“{doc_number}”：{exc}") from None
        entries, broken = self.holders(wanted)
        self._one(wanted, [e.path for e in entries] + [p.path for p in broken])
        if broken:
            raise RegistryError(f"上级来文库中 {wanted} 的文件无法读取：{broken[0].message}")
        if entries:
            return entries[0]
        everything = self.entries()
        for entry in everything:
            if entry.notice.doc_number == wanted:
                return entry
        known = [e.notice.doc_number for e in everything]
        near = difflib.get_close_matches(wanted, known, n=3)
        hint = f"，是否是 {'、'.join(near)}？" if near else ""
        raise NotInRegistry(f"上级来文库（{self.folder}）中没有 {wanted}{hint}（drafter parents list 列出全部）")

    @staticmethod
    def _one(doc_number: str, paths: list[Path | None]) -> None:
        if len(paths) > 1:
            raise RegistryError(f"上级来文库中有{_count(len(paths))} {doc_number}：{'、'.join(map(str, paths))}。"
                                "不知该用哪一份：请删去或改正多余的，再试")

    def place_for(self, doc_number: str, force: bool = False) -> Path:
        """Where a notice with this 文号 is saved, or RegistryError saying why it cannot be, before anything is
        written: a 文号 that cannot name a file, one already there (without ``force``; with it, the file that holds
        it is replaced), one held by two files, a folder that cannot be made or written."""
        from ..errors import OutputError
        from ..output import inside

        name = file_name(doc_number)
        entries, broken = self.holders(doc_number)
        holding = [e.path for e in entries] + [p.path for p in broken]
        self._one(doc_number, holding)
        if holding and not force:
            held = f"上级来文库中已有 {doc_number}（{holding[0]}）"
            raise AlreadyHeld(f"{held}；要替换请加 --force", page=f"{held}；要替换，请点“替换库中的这份”")
        target = holding[0] if holding else self.folder / name
        if not holding and os.path.lexists(self.folder / name):
            raise RegistryError(f"上级来文库中已有文件 {target}，存的却不是 {doc_number}；请检查该文件")
        try:
            target = inside(self.folder, target.name)  # type: ignore[union-attr]
        except OutputError as exc:
            raise RegistryError(f"未存入上级来文库：{exc}") from None
        folder = self.folder
        while not folder.exists() and folder.parent != folder:  # the nearest folder there is must take the new one
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise RegistryError(f"上级来文库 {self.folder} 无法写入（{folder} "
                                f"{'不是文件夹' if not folder.is_dir() else '没有写入权限'}），未写入任何文件")
        return target

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the registry's lock (made if need be), reading the folder afresh: a check made inside still holds
        when the write that follows it is made."""
        from ..output import locked, reason

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegistryError(f"无法建立上级来文文件夹 {self.folder}（{reason(exc)}），未写入任何文件") from None
        with locked(self.folder, "上级来文库"):
            self._read = None
            try:
                yield
            finally:
                self._read = None

    def add(self, notice: ParentNotice, force: bool = False) -> Path:
        """Save a notice, under the registry's lock; RegistryError (place_for) if it cannot be, nothing written."""
        from ..output import write_files

        file_name(notice.doc_number)
        with self.writing():
            path = self.place_for(notice.doc_number, force)
            write_files({path: dump(notice).encode("utf-8")}, force=True)
        return path

    def remove(self, doc_number: str) -> Path:
        """Delete the user's file of a 文号, under the registry's lock (two files holding it: refused, naming both)."""
        from ..output import inside, reason

        with self.writing():
            entry = self.find(doc_number)
            if entry.path is None:
                raise RegistryError(f"{entry.notice.doc_number} 是内置的全国通知，不能删除（可用同一文号添加一份自己的来更正它）")
            try:
                os.unlink(inside(self.folder, entry.path.name))
            except OSError as exc:
                raise RegistryError(f"无法删除 {entry.path}（{reason(exc)}）") from None
        return entry.path

    def latest_for(self, code: str, year: int) -> Entry | None:
        """This year's notice of the issuer that sent last year's parent (same 机关代字), if it is here (one held
        twice: RegistryError naming both files)."""
        found = next((e for e in self.entries() if e.notice.year == year and e.notice.code == code), None)
        if found is not None and found.path is not None:
            return self.find(found.notice.doc_number)
        return found


def dump(notice: ParentNotice) -> str:
    """A registry file: what is not known is left out, and so are the co-issuers of a notice issued alone."""
    import yaml

    raw = notice.model_dump(mode="json", exclude_none=True)
    if not raw.get("co_issuers"):
        raw.pop("co_issuers", None)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def issuers_typed(text: str) -> list[str]:
    """A 发文机关 typed on one line: one organ, or a joint notice's organs separated by 、, the host first."""
    from ..prompts import names

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
    from ..places import parents_dir

    return Registry(parents_dir(option))
