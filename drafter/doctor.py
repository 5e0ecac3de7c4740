"""`drafter doctor`: what this machine offers drafter, in one report."""

from __future__ import annotations

import argparse
import os
import platform
from importlib import metadata

from . import __version__

METRIC_TWINS = ("Liberation Serif", "Tinos")  # free fonts as wide as Times New Roman, glyph for glyph
PACKAGES = ("python-docx", "docxtpl", "jinja2", "pluggy", "questionary", "pydantic", "PyYAML", "platformdirs")


def doctor(args: argparse.Namespace) -> int:
    from .errors import DrafterError
    from .parents import registry
    from .pdf import INSTALL, soffice, substitutions, time_limit, version
    from .places import cache_dir, home, profile_path
    from .plugins import load

    print(f"drafter {__version__}，Python {platform.python_version()}")
    print("组件：" + "，".join(f"{p} {_version(p)}" for p in PACKAGES))
    exe = soffice()
    said = version(exe) if exe else None
    if said:
        print(f"LibreOffice：{exe}（{said}）")
    elif exe:
        print(f"LibreOffice：{exe}——{time_limit().shown}内没有应答（已终止），可能无法生成 PDF 或测量版面")
    else:
        print(f"LibreOffice：未安装——不能生成 PDF，也不能用 check --render 测量版面（{INSTALL}）")
    print("公文字体：")
    subs = substitutions()
    for name, stand_in in subs.items():
        print(f"  {name}：" + ("已安装" if stand_in is None else f"未安装，PDF 中以 {stand_in} 替代"))
    latin = subs.get("Times New Roman")
    if latin is not None and latin not in METRIC_TWINS:
        print(f"  提示：{latin} 的字宽与 Times New Roman 不同，数字和字母多的行在 PDF 中可能超出版心"
              "（Debian/Ubuntu：apt-get install fonts-liberation2）")
    reg = registry(args.parents_dir)
    told: list[str] = []
    try:
        count = f"{len(reg.user())} 份本单位存入的通知"
        told = reg.warnings()
    except DrafterError as exc:  # a registry that cannot be read at all is reported, not fatal here
        count = f"读取出错：{exc}"
    print(f"上级来文库：{reg.folder}（{count}）")
    for warning in told:
        print(f"  提示：{warning}")
    print(f"用户资料：{home()}（发文机关资料 {'已有' if profile_path().exists() else '尚无'}）")
    cache = cache_dir()
    usable = cache.is_dir() or not os.path.lexists(cache)  # a file, or a link to nowhere, in its place: not usable
    print(f"缓存：{cache}（" + ("模板的中间结果，只为加快起草，可随时删除" if usable else
                              "不是文件夹，不能用作缓存：起草照常，只是慢一些；删去或改名后即可使用") + "）")
    plugins = load(args.disable_plugin)
    offers, problems = plugins.inventory()
    print("插件：")
    for info in plugins.infos:
        sectors = "、".join(offers.get(info.name, {}).get("sectors", [])) or "—"
        print(f"  {info.name}（{info.package or '?'} {info.version or ''}）行业：{sectors}  {info.status}"
              + (f"：{info.failure}；可用 --disable-plugin {info.name} 停用" if info.error else ""))
    for problem in problems:
        print(f"  错误：{problem}")
    failed = [info for info in plugins.infos if info.error]
    return 1 if failed or problems else 0


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "未安装"
