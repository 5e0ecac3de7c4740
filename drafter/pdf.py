"""Converting a .docx to PDF through LibreOffice, with the 公文 font names mapped to installed free fonts
(drafter/fonts), whatever the desktop or the user has configured."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from .errors import DrafterError


class ConversionError(DrafterError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fonts_dir() -> Path:
    """drafter's fontconfig files: fonts.conf (what PDF output uses) and gongwen.conf (the 公文 font names)."""
    return Path(str(resources.files("drafter") / "fonts"))


def fontconfig_file() -> Path:
    """The fontconfig configuration of PDF output: $DRAFTER_FONTCONFIG if set (the tests' font set-ups, or an
    office's own), else drafter/fonts/fonts.conf."""
    chosen = os.environ.get("DRAFTER_FONTCONFIG")
    if not chosen:
        return fonts_dir() / "fonts.conf"
    if not Path(chosen).is_file():
        raise ConversionError(f"环境变量 DRAFTER_FONTCONFIG 指向的字体配置文件不存在：{chosen}")
    return Path(chosen)


def fontconfig_env() -> dict[str, str]:
    """The environment for LibreOffice and fontconfig's tools: our configuration, with relative includes (such as
    fonts.conf's gongwen.conf) found in drafter's fonts folder; the user's and the desktop's settings are not read."""
    return dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file()), FONTCONFIG_PATH=str(fonts_dir()))


def to_pdf(docx_path: Path, out_dir: Path, timeout: int = 180) -> Path:
    """Convert with a private LibreOffice profile (so parallel runs do not collide); returns the PDF's path."""
    exe = soffice()
    if not exe:
        raise ConversionError("未找到 LibreOffice（soffice），无法生成 PDF。Debian/Ubuntu 可用：apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        env = fontconfig_env()
        # Keep the blank pages that Word and LibreOffice insert before an even-page section (the 版记 page).
        pdf_filter = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", pdf_filter,
               "--outdir", str(out_dir), str(docx_path)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    pdf = out_dir / (Path(docx_path).stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise ConversionError(f"LibreOffice 转换失败：{done.stderr.strip() or done.stdout.strip()}")
    return pdf


# The fonts the template names: the 公文 fonts, and Times New Roman for digits and Latin letters.
GONGWEN_FONTS = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "Times New Roman")


def installed_families() -> set[str]:
    """Font families PDF output can use on this machine (empty when fontconfig is missing)."""
    if not shutil.which("fc-list"):
        return set()
    done = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, env=fontconfig_env())
    return {name.strip() for line in done.stdout.splitlines() for name in line.split(",") if name.strip()}


def substitutions() -> dict[str, str | None]:
    """For each 公文 font the template names: None if installed, else the free font PDF output uses instead."""
    installed = installed_families()
    out: dict[str, str | None] = {}
    for name in GONGWEN_FONTS:
        if name in installed:
            out[name] = None
            continue
        matched = "（未找到 fontconfig）"
        if shutil.which("fc-match"):
            done = subprocess.run(["fc-match", "-f", "%{family[0]}", name], capture_output=True, text=True,
                                  env=fontconfig_env())
            matched = done.stdout.strip() or matched
        out[name] = matched
    return out
