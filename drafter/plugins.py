"""Plugins: loaded from the ``drafter`` entry-point group (built-in sectors included), their contributions
gathered once, attributed to the plugin that made them, and checked for clashing ids.

Hooks are called one implementation at a time, so that an exception or a wrong return value is reported with
the plugin's name and the hook's name."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Iterable, TypeVar

from pydantic import BaseModel, ValidationError

from .catalogue import Activity, ExtraAttachment, ExtraSection, Finding, Question, Sector
from .errors import DrafterError

GROUP = "drafter"  # the entry-point group
ENV_DISABLE = "DRAFTER_DISABLE_PLUGINS"  # names separated by commas or spaces
HOOK_TYPES = {"register_sectors": Sector, "register_activities": Activity, "register_questions": Question,
              "register_sections": ExtraSection, "register_attachments": ExtraAttachment, "check_notice": Finding}
T = TypeVar("T")


class PluginError(DrafterError):
    """A plugin that cannot be loaded, raised inside a hook, or returned something unusable."""


@dataclass
class PluginInfo:
    name: str  # the entry-point name, used to disable it
    module: str  # what the entry point points at
    package: str | None = None  # the distribution that ships it
    version: str | None = None
    status: str = "已加载"  # 已加载 / 已停用 / 加载失败
    error: str | None = None
    hooks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Owned(Generic[T]):
    """A contribution with the plugin that made it and the sectors it is meant for."""

    plugin: str
    item: T
    sectors: frozenset[str]

    def serves(self, sector: str) -> bool:
        return "*" in self.sectors or sector in self.sectors


def disabled_by_env(environ=os.environ) -> set[str]:
    return {name for name in environ.get(ENV_DISABLE, "").replace(",", " ").split() if name}


class Plugins:
    """The plugins of one run and what they offer."""

    def __init__(self, disabled: Iterable[str] = (), disabled_env: Iterable[str] = ()):
        import pluggy

        from . import hookspecs

        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self._load(set(disabled), set(disabled_env))

    def _load(self, disabled: set[str], disabled_env: set[str]) -> None:
        import pluggy
        from importlib.metadata import entry_points

        seen = {}
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            info = PluginInfo(ep.name, ep.value, dist.name if dist else None, dist.version if dist else None)
            self.infos.append(info)
            if ep.name in seen:
                info.status, info.error = "加载失败", f"与 {seen[ep.name]} 的插件同名"
                continue
            seen[ep.name] = info.package
            if ep.name in disabled | disabled_env:
                info.status = "已停用"
                self.pm.set_blocked(ep.name)
                continue
            try:
                plugin = ep.load()
                self.pm.register(plugin, name=ep.name)
            except pluggy.PluginValidationError as exc:
                info.status, info.error = "加载失败", f"钩子不符合规范：{exc}"
                continue
            except Exception as exc:  # whatever its import raised
                info.status, info.error = "加载失败", f"导入时出错：{type(exc).__name__}: {exc}"
                continue
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                self.pm.unregister(name=ep.name)
                info.status, info.error = "加载失败", f"实现了不存在的钩子：{exc.args[0] if exc.args else exc}"
                continue
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])
        names = {i.name for i in self.infos}
        installed = "、".join(sorted(names)) or "无"
        if disabled - names:
            raise PluginError(f"没有名为 {'、'.join(sorted(disabled - names))} 的插件（已安装：{installed}）")
        if disabled_env - names:
            self.warnings.append(f"环境变量 {ENV_DISABLE} 中的 {'、'.join(sorted(disabled_env - names))} "
                                 f"不是已安装的插件，已忽略（已安装：{installed}）")

    @property
    def failed(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == "加载失败"]

    def ensure_loaded(self) -> None:
        """Stop when a plugin failed to load: a notice drafted without it would silently lack its part."""
        if self.failed:
            lines = [f"插件 {i.name}（{i.module}）加载失败：{i.error}" for i in self.failed]
            names = ",".join(i.name for i in self.failed)
            raise PluginError("\n".join(lines) + f"\n修好或卸载该插件，或暂时停用：--disable-plugin {names}"
                              f" 或环境变量 {ENV_DISABLE}={names}")

    # Calling hooks, one implementation at a time.

    def call(self, hook: str, **kwargs: Any) -> list[tuple[str, list]]:
        """[(plugin name, validated items)] for every implementation of ``hook``, in registration order."""
        kind = HOOK_TYPES[hook]
        out = []
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            name = impl.plugin_name
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except DrafterError as exc:
                raise PluginError(f"插件 {name} 的钩子 {hook} 出错：{exc}") from None
            except Exception as exc:
                raise PluginError(f"插件 {name} 的钩子 {hook} 出错：{type(exc).__name__}: {exc}") from exc
            out.append((name, _validated(result, kind, name, hook)))
        return out

    def _owned(self, hook: str) -> dict[str, Owned]:
        own_sectors = {}
        if hook != "register_sectors":
            for owned in self.sectors.values():
                own_sectors.setdefault(owned.plugin, set()).add(owned.item.name)
        found: dict[str, Owned] = {}
        for plugin, items in self.call(hook):
            for item in items:
                key = item.name if isinstance(item, Sector) else item.id
                if key in found:
                    other = found[key].plugin
                    who = f"插件 {other} 和 {plugin}" if other != plugin else f"插件 {plugin}"
                    raise PluginError(f"{who}都提供了编号为“{key}”的{_KIND_NAMES[hook]}，编号必须唯一")
                sectors = frozenset(getattr(item, "sectors", ()) or own_sectors.get(plugin, ()))
                found[key] = Owned(plugin, item, sectors)
        order = {i.name: n for n, i in enumerate(self.infos)}
        return dict(sorted(found.items(), key=lambda kv: (getattr(kv[1].item, "order", 0), order[kv[1].plugin])))

    @cached_property
    def sectors(self) -> dict[str, Owned[Sector]]:
        return self._owned("register_sectors")

    @cached_property
    def activities(self) -> dict[str, Owned[Activity]]:
        return self._owned("register_activities")

    @cached_property
    def questions(self) -> dict[str, Owned[Question]]:
        return self._owned("register_questions")

    @cached_property
    def sections(self) -> dict[str, Owned[ExtraSection]]:
        return self._owned("register_sections")

    @cached_property
    def attachments(self) -> dict[str, Owned[ExtraAttachment]]:
        return self._owned("register_attachments")

    def sector(self, name: str) -> Sector:
        if name not in self.sectors:
            known = "、".join(self.sectors) or "无（请安装行业插件）"
            raise PluginError(f"没有“{name}”行业的插件；可用的行业：{known}")
        return self.sectors[name].item

    def inventory(self) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
        """What each plugin offers ({plugin: {kind: [ids]}}) and the problems met while gathering it."""
        offers: dict[str, dict[str, list[str]]] = {}
        problems: list[str] = []
        for kind in ("sectors", "activities", "questions", "sections", "attachments"):
            try:
                owned = getattr(self, kind)
            except DrafterError as exc:
                if str(exc) not in problems:
                    problems.append(str(exc))
                continue
            for key, o in owned.items():
                offers.setdefault(o.plugin, {}).setdefault(kind, []).append(key)
        return offers, problems

    def check(self, notice, answers) -> list[tuple[str, Finding]]:
        return [(plugin, f) for plugin, items in self.call("check_notice", notice=notice, answers=answers)
                for f in items]


_KIND_NAMES = {"register_sectors": "行业", "register_activities": "活动", "register_questions": "问题",
               "register_sections": "章节", "register_attachments": "附件"}


def _validated(result: Any, kind: type[BaseModel], plugin: str, hook: str) -> list:
    """A hook's return value as a list of ``kind``; dicts are accepted and validated."""
    from .validation import explain

    if result is None:
        return []
    if not isinstance(result, (list, tuple)):
        raise PluginError(f"插件 {plugin} 的钩子 {hook} 应返回 {kind.__name__} 的列表，却返回了 {type(result).__name__}")
    items = []
    for n, item in enumerate(result, 1):
        if isinstance(item, kind):
            items.append(item)
            continue
        if not isinstance(item, dict):
            raise PluginError(f"插件 {plugin} 的钩子 {hook} 返回的第{n}项应为 {kind.__name__}，却是 {type(item).__name__}")
        try:
            items.append(kind.model_validate(item))
        except ValidationError as exc:
            raise PluginError(f"插件 {plugin} 的钩子 {hook} 返回的第{n}项有误：{'；'.join(explain(exc))}") from None
    return items


_cache: dict[tuple, Plugins] = {}


def load(disabled: Iterable[str] = ()) -> Plugins:
    """The plugins of this process, less those disabled here and by the environment variable (loaded once)."""
    key = (frozenset(disabled), frozenset(disabled_by_env()))
    if key not in _cache:
        _cache[key] = Plugins(*key)
    return _cache[key]
