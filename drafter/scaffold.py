"""`drafter plugin new NAME`: a plugin package that installs, loads and passes its own tests."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from string import Template

from .errors import DrafterError, OutputError

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
    folder = Path(folder or f"drafter-{name}")
    if folder.exists():
        raise OutputError(f"{folder} 已存在，请换一个目录（-o）或先移走它")
    parent = folder.resolve().parent
    if not parent.is_dir():
        raise OutputError(f"目录 {parent} 不存在")
    values = {"name": name, "sector": sector, "package": package}
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
            path.write_text(text, encoding="utf-8")
        os.rename(staging, folder)  # the whole package appears at once, or not at all
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"无法写入 {folder}：{exc.strerror}") from None
    return folder
