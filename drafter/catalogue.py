"""What plugins contribute: sectors, activities, questions, sections, attachments; and findings (Finding, a
dataclass of finding.py, re-exported here).

Plain, validated data (pydantic). A plugin may build these in Python or keep them in one YAML file read by
``YamlPlugin``. Text fields marked Jinja are rendered by the host with the notice's facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import DrafterError
from .finding import Finding
from .hookspecs import hookimpl

__all__ = ["Activity", "Catalogue", "ExtraAttachment", "ExtraSection", "Finding", "Item", "Kind", "KINDS", "Plan",
           "Question", "Sector", "YamlPlugin"]

ID = r"^[A-Za-z][A-Za-z0-9_.-]*$"


class Item(BaseModel):
    """A level-3 run-in sub-heading with its text: “1.消防疏散演练。人员密集场所要……”."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str = Field(min_length=1)  # Jinja
    text: str = Field(min_length=1)  # Jinja


class Contribution(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=ID)
    sectors: tuple[str, ...] = ()  # pre-selected / asked / added for these sectors; () = the plugin's own; "*" = all


class Sector(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1)  # what the issuer's ``sector`` answer says, e.g. 商务
    description: str = ""  # who drafts with it, e.g. 区商务局及商务系统
    recipients: str = Field(min_length=2)  # default 主送
    copy_to: tuple[str, ...] = ()  # default 抄送
    units: str = "各单位"  # how the body addresses those who act
    scope: str = "全区"  # the scope in the title: 关于开展2025年{scope}“安全生产月”活动的通知
    example: dict[str, Any] = {}  # answers of a fictional issuer of this sector, used by --defaults


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    requirement: str  # Jinja: 内容要求
    owner: str  # Jinja: 落实单位


class Activity(Contribution):
    title: str = Field(min_length=1)  # Jinja: the heading under 主要活动
    paragraphs: tuple[str, ...] = ()  # Jinja
    items: tuple[Item, ...] = ()
    stats: tuple[str, ...] = ()  # blanks of its 统计表 row, e.g. "开展演练（　　）场，参与（　　）人次"
    plan: Plan | None = None  # its 计划表 line; default: 按通知要求组织开展 / {{ units }}
    order: int = 100


class Question(Contribution):
    prompt: str = Field(min_length=1)  # asked in Chinese
    kind: Literal["text", "select", "confirm", "number", "date"] = "text"
    default: Any = None
    choices: tuple[str, ...] = ()  # for select
    help: str = ""  # said before the question is asked (terminal), shown under it (page)


class ExtraSection(Contribution):
    title: str = Field(min_length=1)  # Jinja
    paragraphs: tuple[str, ...] = ()  # Jinja
    items: tuple[Item, ...] = ()
    order: int = 25


class ExtraAttachment(Contribution):
    title: str = Field(min_length=1)  # Jinja, e.g. "{{ year }}年商贸企业消防演练情况登记表"
    kind: Literal["list", "form"]
    entries: tuple[str, ...] = ()  # list: one numbered line each (Jinja)
    # form: one label → a wide row, two → two label-blank pairs, three or more → column headings over blanks
    rows: tuple[Annotated[tuple[str, ...], Field(min_length=1)], ...] = ()
    note: str | None = None  # Jinja
    order: int = 50


class Catalogue(BaseModel):
    """The whole of a YAML plugin file."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sectors: tuple[Sector, ...] = ()
    activities: tuple[Activity, ...] = ()
    questions: tuple[Question, ...] = ()
    sections: tuple[ExtraSection, ...] = ()
    attachments: tuple[ExtraAttachment, ...] = ()


CONTRIBUTIONS = (Sector, Activity, Item, Plan, Question, ExtraSection, ExtraAttachment)


@dataclass(frozen=True)
class Kind:
    """One kind of contribution: its key in a plugin's YAML file (Catalogue), in the plugins' inventory and in
    `drafter plugins --json`; the hook that returns it (hookspecs.py); its model; its Chinese name; the field that
    names one of them."""

    name: str
    hook: str
    model: type[BaseModel]
    label: str
    key: str = "id"


KINDS = (Kind("sectors", "register_sectors", Sector, "行业", key="name"),
         Kind("activities", "register_activities", Activity, "活动"),
         Kind("questions", "register_questions", Question, "问题"),
         Kind("sections", "register_sections", ExtraSection, "章节"),
         Kind("attachments", "register_attachments", ExtraAttachment, "附件"))
KIND = {k.name: k for k in KINDS}


class PluginFileError(DrafterError):
    """A plugin's YAML file that cannot be read or does not validate."""


def _raw(path) -> Any:
    """A plugin's YAML file (a path, or a package resource) as Python values, read like every YAML drafter reads
    (yamlio); a problem is a PluginFileError naming the file and, for a syntax error, the line and column."""
    import yaml

    from .errors import Unreadable
    from .files import decode_text
    from .yamlio import safe_load, syntax_error

    text = None
    try:
        data = path.read_bytes() if hasattr(path, "read_bytes") else Path(path).read_bytes()
        text = decode_text(data, f"插件文件 {path}")
        return safe_load(text, f"插件文件 {path}") or {}
    except OSError as exc:
        raise PluginFileError(f"无法读取插件文件 {path}：{exc.strerror or exc}") from None
    except Unreadable as exc:
        raise PluginFileError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise PluginFileError(syntax_error(exc, f"插件文件 {path}", text)) from None


def read_catalogue(path: str | Path) -> Catalogue:
    from .validation import explain

    raw = _raw(path)
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        fields = sorted({f for model in (Catalogue, *CONTRIBUTIONS) for f in model.model_fields})
        raise PluginFileError(f"插件文件 {path} 有误：\n  " + "\n  ".join(explain(exc, fields))) from None


class YamlPlugin:
    """A plugin whose contributions are written in one YAML file (read on first use)::

        plugin = YamlPlugin(importlib.resources.files(__name__) / "sector.yaml")

    Subclass it to add hooks written in Python (e.g. ``check_notice``)."""

    def __init__(self, path: str | Path):
        self.path = path
        self._catalogue: Catalogue | None = None

    def __repr__(self) -> str:
        return f"YamlPlugin({str(self.path)!r})"

    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = read_catalogue(self.path)
        return self._catalogue

    def claims(self) -> dict[str, set[str]]:
        """The sector names and ids the file declares, read leniently: when the file does not validate, this
        tells which notices need the plugin. {} when it cannot even be parsed."""
        try:
            raw = _raw(self.path)
        except PluginFileError:  # unreadable or not YAML: nothing is known
            return {}
        if not isinstance(raw, dict):
            return {}
        out: dict[str, set[str]] = {}
        for kind in KINDS:
            entries = raw.get(kind.name) or []
            out[kind.name] = {e[kind.key] for e in entries if isinstance(e, dict) and isinstance(e.get(kind.key), str)} \
                if isinstance(entries, list) else set()
        return out


def _registering(kind: Kind):
    """YamlPlugin's implementation of ``kind``'s hook: what the file lists under ``kind``'s key."""
    def register(self: YamlPlugin) -> list:
        return list(getattr(self.catalogue(), kind.name))

    register.__name__ = register.__qualname__ = kind.hook
    return hookimpl(register)


for _kind in KINDS:
    setattr(YamlPlugin, _kind.hook, _registering(_kind))
