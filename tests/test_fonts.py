"""drafter's own font set-up for PDF output (drafter/fonts): each font the template names comes out as itself when the
machine has it, else as a free stand-in (Times New Roman as its metric twin); the user's and the desktop's font
settings change nothing, the user's font files are used."""

import os
import shutil
import subprocess

import pytest
from conftest import FONT_PACKAGES, need_libreoffice, run_cli

from drafter.pdf import GONGWEN_FONTS, fontconfig_env, substitutions

# The free fonts drafter/fonts/gongwen.conf names for each font of the template.
STAND_INS = {"方正小标宋简体": {"Noto Serif CJK SC"}, "仿宋_GB2312": {"Noto Serif CJK SC"},
             "楷体_GB2312": {"AR PL UKai CN", "LXGW WenKai", "Noto Serif CJK SC"}, "黑体": {"Noto Sans CJK SC"},
             "宋体": {"Noto Serif CJK SC"}, "Times New Roman": {"Liberation Serif"}}


def families(*args: str) -> set[str]:
    done = subprocess.run(["fc-list", *args, ":", "family"], capture_output=True, text=True, env=fontconfig_env())
    return {name.strip() for line in done.stdout.splitlines() for name in line.split(",")}


def need_fonts(*names: str):
    """The free fonts a test relies on; missing in CI, the test fails, elsewhere it is skipped."""
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig is not installed")
    missing = [f"{n} (apt-get install {FONT_PACKAGES[n]})" for n in names if n not in families()]
    if missing:
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)("missing fonts: " + ", ".join(missing))


@pytest.fixture
def shipped(monkeypatch, tmp_path):
    """drafter's own configuration (no DRAFTER_FONTCONFIG), for a user whose home and XDG folders are in tmp_path."""
    monkeypatch.delenv("DRAFTER_FONTCONFIG", raising=False)
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    return tmp_path


def test_each_font_of_the_template_comes_out_as_itself_or_a_free_stand_in(shipped):
    need_fonts("Noto Serif CJK SC", "Noto Sans CJK SC", "Liberation Serif")
    subs = substitutions()
    assert list(subs) == list(GONGWEN_FONTS)
    for name, stand_in in subs.items():
        assert stand_in is None or stand_in in STAND_INS[name], (name, stand_in)


def test_the_users_and_the_desktops_font_settings_are_not_read(shipped):
    """A desktop that sets AR PL UMing as every Chinese font (~/.config/fontconfig, or the old ~/.fonts.conf) leaves
    drafter's choices as they were."""
    need_fonts("AR PL UMing CN")
    before = substitutions()
    aliases = "".join(f'<alias binding="strong"><family>{name}</family><prefer><family>AR PL UMing CN</family>'
                      "</prefer></alias>" for name in GONGWEN_FONTS)
    conf = f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>{aliases}</fontconfig>\n'
    (shipped / "config" / "fontconfig").mkdir()
    (shipped / "config" / "fontconfig" / "fonts.conf").write_text(conf, encoding="utf-8")
    (shipped / "home" / ".fonts.conf").write_text(conf, encoding="utf-8")
    assert "AR PL UMing CN" not in before.values()
    assert substitutions() == before


def test_a_font_installed_for_the_user_alone_is_used(shipped):
    """Where a user installs a font (~/.local/share/fonts, ~/.fonts), as 仿宋_GB2312 often is."""
    need_fonts("Liberation Serif")
    font = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True,
                          env=fontconfig_env()).stdout
    for folder in (shipped / "data" / "fonts", shipped / "home" / ".fonts"):
        folder.mkdir()
        shutil.copy(font, folder / "users-own.ttf")
    listed = subprocess.run(["fc-list", "-f", "%{file}\n"], capture_output=True, text=True, env=fontconfig_env())
    assert {str(shipped / "data" / "fonts" / "users-own.ttf"), str(shipped / "home" / ".fonts" / "users-own.ttf")} \
        <= set(listed.stdout.splitlines())


def test_a_missing_fontconfig_file_is_named_and_nothing_is_written(tmp_path):
    need_libreoffice()
    done = run_cli("new", "--defaults", "--pdf", "-o", tmp_path / "通知.docx",
                   env={"DRAFTER_FONTCONFIG": str(tmp_path / "没有.conf")})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"环境变量 DRAFTER_FONTCONFIG 指向的字体配置文件不存在：{tmp_path / '没有.conf'}" in done.stderr
    assert list(tmp_path.iterdir()) == []
