"""`drafter plugin new NAME`: a plugin package that installs, loads and passes its own tests."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from string import Template

from . import __version__
from .errors import DrafterError, OutputError
from .plugins import DISTRIBUTION, GROUP

# template file → where it goes in the package folder
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "{package}/__init__.py",
    "sector.yaml.tmpl": "{package}/sector.yaml",
    "test_plugin.py.tmpl": "tests/test_plugin.py",
}


def scaffold(name: str, sector: str, folder: Path | None = None) -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise DrafterError(f"插件名“{name}”不合用：请用小写英文字母开头，只含小写字母、数字和下划线，如 jiaotong")
    sector = sector.strip()
    if not sector or re.search(r"[\s\"'$\\{}:#]", sector):
        raise DrafterError(f"行业名“{sector}”不合用：请写一个不含空白和符号的名称，如 交通")
    package = f"drafter_{name}"
    _refuse_taken(name, package)
    folder = Path(folder or f"drafter-{name}")
    if folder.exists():
        raise OutputError(f"{folder} 已存在，请换一个目录（-o）或先移走它")
    parent = folder.resolve().parent
    if not parent.is_dir():
        raise OutputError(f"目录 {parent} 不存在")
    values = {"name": name, "sector": sector, "package": package, "requirement": requirement()}
    owner = _sector_owner(sector)
    values["title_check"] = ('notice.title.endswith("“安全生产月”活动的通知")' if owner  # the owner's scope
                             else f'"全区{sector}系统" in notice.title')
    source = resources.files("drafter") / "templates" / "plugin"
    try:
        staging = Path(tempfile.mkdtemp(prefix=".drafter-plugin-", dir=parent))
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中写入：{exc.strerror}") from None
    try:
        for template, target in FILES.items():
            path = staging / target.format(package=package)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = Template((source / template).read_text(encoding="utf-8")).substitute(values)
            if template == "sector.yaml.tmpl" and owner:  # a sector defined twice would clash: add to it only
                text = re.sub(r"(?ms)^sectors:\n.*?(?=^activities:)", f"# 行业“{sector}”已由插件 {owner} 定义，"
                              "本插件不再定义它，只为它增加活动（activities 的 sectors）。\n\n", text)
            path.write_text(text, encoding="utf-8")
        os.rename(staging, folder)  # the whole package appears at once, or not at all
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"无法写入 {folder}：{exc.strerror}") from None
    return folder


def _sector_owner(sector: str) -> str | None:
    """The installed plugin that defines ``sector``, if one does."""
    from .plugins import load

    owned = load().sectors.get(sector)
    return owned.plugin if owned else None


def requirement(version: str = __version__) -> str:
    """What a new plugin depends on: this drafter's distribution, from this minor version up to the next major
    one (0.2.0 → gongwen-drafter>=0.2,<1)."""
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    return f"{DISTRIBUTION}>={major}.{minor},<{major + 1}"


def _refuse_taken(name: str, package: str) -> None:
    """Two plugins of one name clash (one of them fails to load), and a package that shadows an installed one
    breaks it: a name already installed, the built-in sectors' among them, is refused before anything is written."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    for ep in entry_points(group=GROUP):
        if ep.name == name:
            dist = getattr(ep, "dist", None)
            where = f"{dist.name} {dist.version}" if dist else ep.value
            whose = "drafter 内置" if dist and dist.name == DISTRIBUTION else "已安装"
            raise DrafterError(f"插件名“{name}”已被使用：{whose}的插件 {name}（{where}）也叫这个名字，"
                               "同名的两个插件会互相冲突，请换一个名称")
    try:
        taken = find_spec(package) is not None
    except (ImportError, ValueError):
        taken = True
    if taken:
        raise DrafterError(f"插件名“{name}”不合用：已有名为 {package} 的 Python 包，新插件的包会与它冲突，请换一个名称")
