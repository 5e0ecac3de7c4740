"""Plugins: loaded from the ``drafter`` entry-point group (built-in sectors included), their contributions
gathered once, attributed to the plugin that made them, and checked for clashing ids.

Hooks are called one implementation at a time. A plugin that cannot be loaded, raises inside a hook (anything,
SystemExit included) or returns something unusable is recorded as failed, with the hook and the error, and all it
contributes is left out: a notice that needs it (its sector, an activity, attachment or question of it) stops,
naming the plugin; any other notice is drafted with a warning.

Plugin code (an import, a hook, a plugin's text) runs under ``limited``: past PLUGIN_SECONDS the drafting stops (the
command; on the page, that notice's), naming the plugin and what of it ran; Ctrl-C pressed meanwhile names it too."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .catalogue import KIND, KINDS, Activity, ExtraAttachment, ExtraSection, Finding, Question, Sector, YamlPlugin
from .errors import DrafterError
from .limits import PLUGIN_SECONDS, Limit

GROUP = "drafter"  # the entry-point group
DISTRIBUTION = "gongwen-drafter"  # the distribution of drafter and its built-in sectors (PyPI's "drafter" is another)
ENV_DISABLE = "DRAFTER_DISABLE_PLUGINS"  # names separated by commas or spaces
# The plugin time limit in seconds instead of PLUGIN_SECONDS: for drafter's own tests, which cannot wait 30 s.
ENV_SECONDS = "DRAFTER_PLUGIN_SECONDS"
GRACE_SECONDS = 5  # after the time limit: how long plugin code that ignores the interruption is waited for
HOOK_TYPES: dict[str, type] = {**{k.hook: k.model for k in KINDS}, "check_notice": Finding}
LOADED, DISABLED, LOAD_FAILED, HOOK_FAILED = "已加载", "已停用", "加载失败", "钩子出错"
T = TypeVar("T")


class PluginError(DrafterError):
    """A plugin that cannot be loaded, raised inside a hook, or returned something unusable."""


class PluginTimeout(PluginError):
    """Plugin code that ran past the time limit: drafter stops."""


class BadReturn(Exception):
    """A hook's return value that is not a list of what the hook should return."""


class PluginRaised(Exception):
    """What plugin code raised that is not an Exception (SystemExit, KeyboardInterrupt of its own, GeneratorExit …),
    turned into one so that it is the plugin's failure like any other."""

    def __init__(self, raised: BaseException):
        self.raised = raised
        super().__init__(f"{type(raised).__name__}: {raised}" if str(raised) else type(raised).__name__)


@dataclass
class PluginInfo:
    name: str  # the entry-point name, used to disable it
    module: str  # what the entry point points at
    package: str | None = None  # the distribution that ships it
    version: str | None = None
    status: str = LOADED  # 已加载 / 已停用 / 加载失败 / 钩子出错
    error: str | None = None  # what went wrong, in one line
    hook: str | None = None  # the hook that went wrong (None: it could not be loaded)
    hooks: list[str] = field(default_factory=list)
    # What a failed plugin is known to offer ({kind: names or ids}); a kind missing is not known.
    claims: dict[str, set[str]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status in (LOAD_FAILED, HOOK_FAILED)

    @property
    def failure(self) -> str:
        """The failure in one line, naming the plugin and the hook."""
        if self.hook:
            return f"插件 {self.name} 的钩子 {self.hook} 出错：{self.error}"
        return f"插件 {self.name}（{self.module}）加载失败：{self.error}"

    @property
    def remedy(self) -> str:
        return f"修好或卸载该插件，或{_remedy(self.name)}"


@dataclass(frozen=True)
class Owned(Generic[T]):
    """A contribution with the plugin that made it and the sectors it is meant for."""

    plugin: str
    item: T
    sectors: frozenset[str]

    def serves(self, sector: str) -> bool:
        return "*" in self.sectors or sector in self.sectors


@dataclass(frozen=True)
class Clash:
    """An id offered more than once: neither offer is used."""

    message: str  # Chinese, naming the plugins and how to disable one
    owners: tuple[Owned, ...]


def disabled_by_env(environ=os.environ) -> set[str]:
    return {name for name in environ.get(ENV_DISABLE, "").replace(",", " ").split() if name}


def one_line(text: str) -> str:
    """A message of several lines (e.g. a plugin file's problems, one a line) as one line."""
    joined = " ".join(line.strip() for line in str(text).splitlines() if line.strip())
    return joined.replace("： ", "：")


def _error_of(exc: BaseException) -> str:
    """An exception in one line: our own errors are already complete Chinese messages."""
    if isinstance(exc, (DrafterError, BadReturn, PluginRaised)):
        return one_line(str(exc))
    return one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def time_limit(environ=os.environ) -> Limit:
    """PLUGIN_SECONDS, or the number of seconds in $DRAFTER_PLUGIN_SECONDS (tests), whole seconds rounded up."""
    import math

    try:
        seconds = float(environ.get(ENV_SECONDS, ""))
    except ValueError:
        return PLUGIN_SECONDS
    return replace(PLUGIN_SECONDS, value=math.ceil(seconds)) if 0 < seconds < math.inf else PLUGIN_SECONDS


def _remedy(name: str) -> str:
    return f"可用 --disable-plugin {name} 停用（或环境变量 {ENV_DISABLE}={name}）"


class _Overtime(BaseException):
    """Raised in a worker thread whose plugin code ran past the time limit (see _WorkerLimit)."""


class _Running(threading.local):
    def __init__(self) -> None:
        self.what: list[str] = []  # what plugin code this thread runs now (nested: the outer one's limit holds)


_running = _Running()



class _WorkerLimit:
    """Plugin code run in a worker thread (`drafter serve` drafts there), where no signal can interrupt it: past the
    limit a timer raises _Overtime in the thread at its next Python instruction, which becomes PluginTimeout; the
    server goes on serving. (A call blocked in C returns first: the lock the server drafts under is waited for with
    a limit of its own, see serve.drafting.) ``run`` runs the code and withdraws the interruption in one frame, each
    step that may meet it inside a ``try``: one fired as the code returns arrives there, or is withdrawn under the
    timer's lock, and is never raised outside — not even at the entry of a function called on the way out, where a
    context manager's ``__exit__`` would let it escape."""

    def __init__(self, what: str, plugin: str):
        self.what, self.plugin, self.limit = what, plugin, time_limit()
        self.ident, self.lock = threading.get_ident(), threading.Lock()
        self.done = self.fired = False
        self.timer = threading.Timer(self.limit.value, self.fire)
        self.timer.daemon = True

    def interrupt(self, exc: type[BaseException] | None) -> None:
        import ctypes

        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident),
                                                   ctypes.py_object(exc) if exc else None)

    def fire(self) -> None:
        with self.lock:
            if not self.done:
                self.fired = True
                self.interrupt(_Overtime)

    def withdraw(self) -> None:
        """No interruption from now on; one fired and not yet raised is taken back."""
        with self.lock:
            self.done = True
            if self.fired:
                self.interrupt(None)

    def run(self, code: Callable[[], T]) -> T:
        depth = len(_running.what)
        _running.what.append(self.what)
        raised: BaseException | None = None
        try:
            self.timer.start()
            result = code()
        except BaseException as exc:  # noqa: BLE001 -- sorted below, once nothing can interrupt any more
            raised = exc  # no call here: a call is where an interruption may arrive
        while True:
            try:
                self.withdraw()
                break
            except _Overtime as exc:  # fired as the code returned: it has arrived, nothing is left to withdraw
                raised = raised or exc
        self.timer.cancel()
        del _running.what[depth:]
        if raised is None:
            return result
        if isinstance(raised, Exception):
            raise raised
        if self.fired:
            raise PluginTimeout(f"{self.limit.message(self.what)}，已停止起草这份通知。{_remedy(self.plugin)}") from None
        raise PluginRaised(raised) from None


def limited(what: str, plugin: str, code: Callable[[], T]) -> T:
    """``code()`` run as plugin code (``what``: “插件 X 的钩子 Y”, its import, its text) under the time limit: in the
    main thread (the commands) by a signal, in a worker thread (`drafter serve`) by _WorkerLimit; inside plugin code
    already, its limit holds."""
    if _running.what:
        return code()
    if threading.current_thread() is not threading.main_thread():
        return _WorkerLimit(what, plugin).run(code)
    with _running_in_main(what, plugin):
        return code()


@contextmanager
def _running_in_main(what: str, plugin: str) -> Iterator[None]:
    """A watchdog thread interrupts the main thread past the limit (SIGINT on POSIX, so that a blocking call such as
    time.sleep is interrupted too), which becomes PluginTimeout, naming ``what`` and how to disable the plugin; code
    that ignores the interruption is left GRACE_SECONDS more, then drafter exits with the same message. Ctrl-C
    pressed meanwhile stops drafter as ever (KeyboardInterrupt), saying first which plugin was running. Anything else
    the code raises that is not an Exception (SystemExit, its own KeyboardInterrupt, GeneratorExit) becomes
    PluginRaised, the plugin's failure."""
    limit = time_limit()
    message = f"{limit.message(what)}，drafter 已停止。{_remedy(plugin)}"
    lock, finished = threading.Lock(), threading.Event()
    state = {"cause": None, "done": False}  # cause: None, "user" (Ctrl-C) or "timeout"
    main = threading.main_thread().ident

    def on_sigint(signum, frame):
        if state["done"]:  # the watchdog's signal, arriving once the code had returned
            return
        if state["cause"] is None:
            if previous is signal.SIG_IGN:
                return
            state["cause"] = "user"
        raise KeyboardInterrupt

    def watch():
        if finished.wait(limit.value):
            return
        with lock:
            if state["done"]:
                return
            state["cause"] = "timeout"
            if hasattr(signal, "pthread_kill"):
                signal.pthread_kill(main, signal.SIGINT)
            else:
                import _thread

                _thread.interrupt_main()
        if not finished.wait(GRACE_SECONDS):  # the code ignores the interruption: stop drafter all the same
            sys.stderr.write(f"{PluginTimeout.label}{message}\n")
            sys.stderr.flush()
            os._exit(PluginTimeout.exit_code)

    previous = signal.signal(signal.SIGINT, on_sigint)
    _running.what.append(what)
    watchdog = threading.Thread(target=watch, name="drafter-plugin-watchdog", daemon=True)
    watchdog.start()
    try:
        yield
    except Exception:
        raise
    except BaseException as exc:
        if state["cause"] == "timeout":
            raise PluginTimeout(message) from None
        if state["cause"] == "user":
            print(f"已中断：当时正在运行{what}（按下了 Ctrl-C）。若它常常卡住，{_remedy(plugin)}", file=sys.stderr)
            raise
        raise PluginRaised(exc) from None
    finally:
        with lock:
            state["done"] = True
        finished.set()
        _running.what.pop()
        # a signal still pending is handled (ignored) first; None: a handler not set from Python, the default then
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


class Plugins:
    """The plugins of one run and what they offer."""

    def __init__(self, disabled: Iterable[str] = (), disabled_env: Iterable[str] = ()):
        import pluggy

        from . import hookspecs

        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.clashes: dict[str, dict[str, Clash]] = {}  # kind → id offered twice → the clash (see _catalogue)
        self._load(set(disabled), set(disabled_env))

    def _load(self, disabled: set[str], disabled_env: set[str]) -> None:
        from importlib.metadata import entry_points

        import pluggy

        seen: dict[str, str | None] = {}
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            info = PluginInfo(ep.name, ep.value, dist.name if dist else None, dist.version if dist else None)
            self.infos.append(info)
            if ep.name in seen:
                info.status, info.error = LOAD_FAILED, f"与 {seen[ep.name]} 的插件同名"
                continue
            seen[ep.name] = info.package
            if ep.name in disabled | disabled_env:
                info.status = DISABLED
                self.pm.set_blocked(ep.name)
                continue
            try:
                plugin = limited(f"插件 {ep.name}（{ep.value}）的导入", ep.name, functools.partial(self._register, ep))
            except PluginTimeout:
                raise
            except pluggy.PluginValidationError as exc:
                info.status, info.error = LOAD_FAILED, one_line(f"钩子不符合规范：{exc}")
                continue
            except Exception as exc:  # whatever its import raised
                info.status, info.error = LOAD_FAILED, f"导入时出错：{_error_of(exc)}"
                continue
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                self.pm.unregister(name=ep.name)
                info.status = LOAD_FAILED
                info.error = one_line(f"实现了不存在的钩子：{exc.args[0] if exc.args else exc}")
                continue
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])
        names = {i.name for i in self.infos}
        installed = "、".join(sorted(names)) or "无"
        if disabled - names:
            raise PluginError(f"没有名为 {'、'.join(sorted(disabled - names))} 的插件（已安装：{installed}）")
        if disabled_env - names:
            self.warnings.append(f"环境变量 {ENV_DISABLE} 中的 {'、'.join(sorted(disabled_env - names))} "
                                 f"不是已安装的插件，已忽略（已安装：{installed}）")

    def info(self, name: str) -> PluginInfo:
        return next(i for i in self.infos if i.name == name)

    @property
    def failed(self) -> list[PluginInfo]:
        """The plugins that could not be loaded or whose hooks failed (all their hooks are called first)."""
        self._catalogue  # noqa: B018 -- calling the catalogue hooks finds the failures
        return [i for i in self.infos if i.failed]

    def _register(self, ep) -> Any:
        """The plugin an entry point names, imported and registered (its import is plugin code)."""
        plugin = ep.load()
        self.pm.register(plugin, name=ep.name)
        return plugin

    def _fail(self, name: str, hook: str, exc: BaseException) -> None:
        info = self.info(name)
        if not info.failed:  # the first failure is the one to fix
            info.status, info.hook, info.error = HOOK_FAILED, hook, _error_of(exc)

    # Calling hooks, one implementation at a time.

    def call(self, hook: str, skip: Iterable[str] = (), **kwargs: Any) -> list[tuple[str, list]]:
        """[(plugin name, validated items)] for every implementation of ``hook`` but those of ``skip``, in
        registration order. An implementation that raises or returns something unusable is recorded as the
        plugin's failure and left out."""
        kind = HOOK_TYPES[hook]
        out = []
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            name = impl.plugin_name
            if name in skip:
                continue
            try:
                returned = limited(f"插件 {name} 的钩子 {hook}", name,
                                   functools.partial(impl.function, *[kwargs[arg] for arg in impl.argnames]))
                items = _validated(returned, kind)
            except PluginTimeout:
                raise
            except Exception as exc:  # whatever a plugin's code raises
                self._fail(name, hook, exc)
                continue
            out.append((name, items))
        return out

    @cached_property
    def _catalogue(self) -> dict[str, dict[str, Owned]]:
        """Every catalogue hook of every plugin, called once; what failed plugins offer is left out (and kept as
        their claims). An id given by two plugins (or twice by one) is left out too, and kept in ``clashes``: a
        notice that needs it stops (ensure_loaded, sector), any other is drafted with a warning (check)."""
        gathered = {kind.name: self.call(kind.hook) for kind in KINDS}
        failed = [i for i in self.infos if i.failed]
        for info in failed:
            plugin = self.pm.get_plugin(info.name)
            if isinstance(plugin, YamlPlugin):
                info.claims = plugin.claims()
            if info.status == HOOK_FAILED:  # loaded: a hook it does not implement gives nothing
                info.claims.update({kind.name: set() for kind in KINDS if kind.hook not in info.hooks})
            for kind, results in gathered.items():
                for name, items in results:
                    if name == info.name:
                        info.claims.setdefault(kind, set()).update(_key(item, kind) for item in items)
        left_out = {i.name for i in failed}
        own_sectors: dict[str, set[str]] = {}
        for name, items in gathered["sectors"]:
            own_sectors.setdefault(name, set()).update(item.name for item in items)
        order = {i.name: n for n, i in enumerate(self.infos)}
        out: dict[str, dict[str, Owned]] = {}
        for kind, results in gathered.items():
            offered: dict[str, list[Owned]] = {}
            for plugin, items in results:
                if plugin in left_out:
                    continue
                for item in items:
                    sectors = frozenset(getattr(item, "sectors", ()) or own_sectors.get(plugin, ()))
                    offered.setdefault(_key(item, kind), []).append(Owned(plugin, item, sectors))
            found = {}
            for key, owners in offered.items():
                if len(owners) == 1:
                    found[key] = owners[0]
                    continue
                names = list(dict.fromkeys(o.plugin for o in owners))
                who = f"插件 {' 和 '.join(names)}" if len(names) > 1 else f"插件 {names[0]}"
                self.clashes.setdefault(kind, {})[key] = Clash(
                    f"{who}都提供了编号为“{key}”的{KIND[kind].label}，编号必须唯一，两者都未采用；"
                    f"可用 {' 或 '.join(f'--disable-plugin {n}' for n in names)} 停用其一", tuple(owners))
            out[kind] = dict(sorted(found.items(),
                                    key=lambda kv: (getattr(kv[1].item, "order", 0), order[kv[1].plugin])))
        return out

    def _kind(self, kind: str) -> dict[str, Owned]:
        return self._catalogue[kind]

    @property
    def sectors(self) -> dict[str, Owned[Sector]]:
        return self._kind("sectors")

    @property
    def activities(self) -> dict[str, Owned[Activity]]:
        return self._kind("activities")

    @property
    def questions(self) -> dict[str, Owned[Question]]:
        return self._kind("questions")

    @property
    def sections(self) -> dict[str, Owned[ExtraSection]]:
        return self._kind("sections")

    @property
    def attachments(self) -> dict[str, Owned[ExtraAttachment]]:
        return self._kind("attachments")

    def sector(self, name: str) -> Sector:
        if name in self.sectors:
            return self.sectors[name].item
        if name in self.clashes.get("sectors", {}):
            raise PluginError(self.clashes["sectors"][name].message)
        for info in self.failed:
            if name in info.claims.get("sectors", ()):
                raise PluginError(self._needed(info, _described("sectors", [name])))
        known = "、".join(self.sectors) or "无（请安装行业插件）"
        raise PluginError(f"没有“{name}”行业的插件；可用的行业：{known}{self.unknown_note('sectors', [name])}")

    def unknown_note(self, kind: str, ids: list[str]) -> str:
        """For a message about ids of ``kind`` that no plugin offers: the failed plugins that might have offered
        them (those whose offer of that kind is not known), or ""."""
        what = _described(kind, ids)
        notes = [f"{i.failure}，{what}可能由它提供，可用 --disable-plugin {i.name} 停用"
                 for i in self.failed if kind not in i.claims]
        return f"。另：{'；'.join(notes)}" if notes else ""

    def _needed(self, info: PluginInfo, what: str) -> str:
        return f"{info.failure}\n本通知要用到该插件（{what}）。{info.remedy}"

    def ensure_loaded(self, given: Mapping | None = None, default_sector: str | None = None) -> None:
        """Stop, naming the plugin, when answers (as given, before defaults) need a plugin that failed: its
        sector (``default_sector`` when none is given), or an activity, attachment or question of it. A notice
        drafted without it would lack its part; any other notice goes on (check() then warns)."""
        from .yamlio import part

        given = dict(given or {})
        sector = part(given, "issuer", dict).get("sector") or default_sector
        wanted: dict[str, list] = {"sectors": [sector], "activities": part(given, "activities", list),
                                   "attachments": part(given, "attachments", list),
                                   "questions": list(part(given, "extra", dict))}
        self._catalogue  # noqa: B018 -- gathering finds the clashes
        for kind, clashes in self.clashes.items():
            ids = wanted[kind]
            for key, clash in clashes.items():  # asked for, or one of the sector's own (pre-selected, asked)
                if key in ids or (kind != "sectors" and any(o.serves(str(sector)) for o in clash.owners)):
                    raise PluginError(clash.message)
        for info in self.failed:
            for kind, ids in wanted.items():
                hits = [i for i in ids if isinstance(i, str) and i in info.claims.get(kind, ())]
                if hits:
                    raise PluginError(self._needed(info, _described(kind, hits)))

    def uses(self, answers) -> dict[str, list[str]]:
        """What a notice drafted from ``answers`` takes from each plugin: {plugin: [what, in Chinese]}."""
        out: dict[str, list[str]] = {}
        kinds = (("sectors", [answers.issuer.sector]), ("activities", answers.activity_ids),
                 ("attachments", answers.attachment_ids), ("questions", list(answers.extra)))
        for kind, ids in kinds:
            owned = self._kind(kind)
            for i in ids:
                if i in owned:
                    out.setdefault(owned[i].plugin, []).append(_described(kind, [i]))
        return out

    def inventory(self) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
        """What each plugin offers ({plugin: {kind: [ids]}}) and the clashes met while gathering it."""
        offers: dict[str, dict[str, list[str]]] = {}
        for kind, owned in self._catalogue.items():
            for key, o in owned.items():
                offers.setdefault(o.plugin, {}).setdefault(kind, []).append(key)
        return offers, [c.message for clashes in self.clashes.values() for c in clashes.values()]

    def check(self, notice, answers) -> list[tuple[str, Finding]]:
        """The plugins' findings about a notice, and a warning for each failed plugin it does without. A plugin
        whose check fails stops a notice that uses it (those that failed before are not asked)."""
        uses = self.uses(answers)
        before = {i.name for i in self.failed}
        findings = [(plugin, f) for plugin, items in self.call("check_notice", skip=before, notice=notice,
                                                               answers=answers) for f in items]
        for info in self.failed:
            if info.name in uses:
                raise PluginError(self._needed(info, "、".join(uses[info.name])))
            findings.append((info.name, Finding(severity="warning", element="插件", message=(
                f"{info.failure}；本通知未用到该插件，照常起草。可用 --disable-plugin {info.name} 停用"))))
        for clashes in self.clashes.values():
            findings += [("", Finding(severity="warning", element="插件", message=c.message)) for c in clashes.values()]
        return findings


def _described(kind: str, ids: list[str]) -> str:
    """行业“卫健”, 活动 a、b."""
    return f"行业“{'、'.join(ids)}”" if kind == "sectors" else f"{KIND[kind].label} {'、'.join(ids)}"


def _key(item: BaseModel, kind: str) -> str:
    return str(getattr(item, KIND[kind].key))


def _validated(result: Any, kind: type) -> list:
    """A hook's return value as a list of ``kind`` (a model, or the Finding dataclass); dicts are accepted and
    validated, unknown keys refused."""
    import dataclasses

    from .validation import explain

    if result is None:
        return []
    adapter = _adapter(kind)
    known = {f.name for f in dataclasses.fields(kind)} if dataclasses.is_dataclass(kind) else None
    if not isinstance(result, (list, tuple)):
        raise BadReturn(f"应返回 {kind.__name__} 的列表，却返回了 {type(result).__name__}")
    items = []
    for n, item in enumerate(result, 1):
        if isinstance(item, kind):
            items.append(item)
            continue
        if not isinstance(item, dict):
            raise BadReturn(f"返回的第{n}项应为 {kind.__name__}，却是 {type(item).__name__}")
        unknown = [str(k) for k in item if known is not None and k not in known]
        if unknown:  # a model refuses them itself (extra="forbid")
            raise BadReturn(f"返回的第{n}项有误：{'、'.join(unknown)}：不认识的项")
        try:
            items.append(adapter.validate_python(item))
        except (ValidationError, ValueError) as exc:
            if not isinstance(exc, ValidationError):  # Finding's own check
                raise BadReturn(f"返回的第{n}项有误：{exc}") from None
            raise BadReturn(f"返回的第{n}项有误：{'；'.join(explain(exc))}") from None
    return items


@functools.cache
def _adapter(kind: type) -> Any:
    """The validator of dicts a hook returns as ``kind`` (built once per kind)."""
    from pydantic import TypeAdapter

    return TypeAdapter(kind)


_cache: dict[tuple, Plugins] = {}


def load(disabled: Iterable[str] = ()) -> Plugins:
    """The plugins of this process, less those disabled here and by the environment variable (loaded once)."""
    key = (frozenset(disabled), frozenset(disabled_by_env()))
    if key not in _cache:
        _cache[key] = Plugins(*key)
    return _cache[key]
