"""LibreOffice as a program drafter runs: found where its installers put it, killed whole past its time limit, its
profile folder always removed, and each failure said for what it is. A fake `soffice` first on PATH plays the
misbehaving LibreOffice; empty files in fake install folders play the installed one."""

import errno
import json
import os
from collections import namedtuple
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import need_libreoffice, run_bounded, run_cli

from drafter.answers import resolve
from drafter.compose import compose
from drafter.limits import CONVERT_SECONDS
from drafter.pdf import ConversionError, soffice, to_pdf
from drafter.render import render

SECONDS = 2  # the conversion time limit in these tests (DRAFTER_CONVERT_SECONDS)

# Each fake notes the profile folder it was given and the pids of itself and of a child it starts.
NOTE = """#!/bin/sh
for a in "$@"; do
  case "$a" in -env:UserInstallation=file://*) echo "${a#-env:UserInstallation=file://}" > "$FAKE_DIR/profile";; esac
done
echo $$ > "$FAKE_DIR/parent.pid"
"""
FAKES = {
    "hangs": NOTE + 'sleep 300 &\necho $! > "$FAKE_DIR/child.pid"\nwait\n',
    "no pdf": NOTE + 'echo "Error: source file could not be loaded" >&2\nexit 0\n',
    "fails": NOTE + "exit 1\n",
}


def fake_soffice(tmp_path: Path, kind: str) -> dict[str, str]:
    """The environment that puts a fake soffice of ``kind`` first on PATH, with a temp folder of its own."""
    folder = tmp_path / "fake"
    (folder / "bin").mkdir(parents=True)
    script = folder / "bin" / "soffice"
    script.write_text(FAKES[kind], encoding="utf-8")
    script.chmod(0o755)
    (tmp_path / "tmp").mkdir()
    return {"PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}", "FAKE_DIR": str(folder),
            "DRAFTER_CONVERT_SECONDS": str(SECONDS), "TMPDIR": str(tmp_path / "tmp")}


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting for a reaper does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def assert_cleaned_up(env: dict[str, str]) -> None:
    """No process of the fake left, its profile folder removed, nothing of drafter's left in the temp folder."""
    fake = Path(env["FAKE_DIR"])
    profile = Path((fake / "profile").read_text().strip())
    assert profile.name.startswith("drafter-lo-") and not profile.exists()
    for pid_file in fake.glob("*.pid"):
        assert not alive(int(pid_file.read_text())), f"{pid_file.stem} left running"
    assert list(Path(env["TMPDIR"]).iterdir()) == []


@pytest.fixture
def notice(tmp_path) -> Path:
    path = tmp_path / "通知.docx"
    path.write_bytes(render(compose(resolve({}))))
    return path


@pytest.fixture
def hand_made(tmp_path) -> Path:
    """A .docx with findings of the static check (no 版头, no 文号 …)."""
    path = tmp_path / "hand.docx"
    d = docx.Document()
    d.add_paragraph("关于开展安全生产月活动的通知")
    d.add_paragraph("各单位：请认真组织开展。")
    d.save(str(path))
    return path


def test_a_conversion_past_the_time_limit_is_killed_whole_and_cleaned_up(tmp_path):
    env = fake_soffice(tmp_path, "hangs")
    out = tmp_path / "out"
    out.mkdir()
    done, took = run_bounded("new", "--defaults", "--pdf", "-o", out / "通知.docx", env=env)
    assert done.returncode == 1, done.stderr
    assert f"{CONVERT_SECONDS.what}超出 drafter 的上限 {SECONDS}秒" in done.stderr and "已被终止" in done.stderr
    assert "Traceback" not in done.stderr and took < SECONDS + 20
    assert list(out.iterdir()) == []
    assert_cleaned_up(env)


def test_check_render_past_the_time_limit_keeps_the_static_findings(hand_made, tmp_path):
    env = fake_soffice(tmp_path, "hangs")
    static, _ = run_bounded("check", hand_made, env=env)
    done, took = run_bounded("check", hand_made, "--render", env=env)
    assert done.returncode == 1 and static.returncode == 1  # the errors found
    assert done.stdout == static.stdout and "个错误" in done.stdout
    assert "错误：未能测量版面（--render）：" in done.stderr and f"上限 {SECONDS}秒" in done.stderr
    assert "Traceback" not in done.stderr and took < SECONDS + 20
    assert_cleaned_up(env)


@pytest.mark.parametrize("as_json", [False, True])
def test_check_render_without_libreoffice_prints_the_findings_it_has(hand_made, notice, tmp_path, as_json):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    flags = ["--json"] if as_json else []
    static, _ = run_bounded("check", hand_made, *flags)
    done, _ = run_bounded("check", hand_made, "--render", *flags, env={"PATH": str(empty)})
    assert done.returncode == 1, done.stderr  # the static errors
    assert "未能测量版面（--render）：未找到 LibreOffice" in done.stderr and "Traceback" not in done.stderr
    if as_json:
        got, want = json.loads(done.stdout), json.loads(static.stdout)
        assert got["findings"] == want["findings"] and got["errors"] == want["errors"] > 0
        assert "未找到 LibreOffice" in got["render_error"]
    else:
        assert done.stdout == static.stdout and "个错误" in done.stdout
    # a clean notice: nothing found, but not measured either
    clean, _ = run_bounded("check", notice, "--render", *flags, env={"PATH": str(empty)})
    assert clean.returncode == 3 and "未找到 LibreOffice" in clean.stderr


def test_libreoffice_without_a_pdf_is_told_with_what_it_said(notice, tmp_path):
    env = fake_soffice(tmp_path, "no pdf")
    out = tmp_path / "out"
    out.mkdir()
    done, _ = run_bounded("new", "--defaults", "--pdf", "-o", out / "通知.docx", env=env)
    assert done.returncode == 1
    assert "LibreOffice 未能生成 PDF（退出状态 0）：Error: source file could not be loaded" in done.stderr
    assert "Traceback" not in done.stderr and list(out.iterdir()) == []
    assert_cleaned_up(env)


def test_a_full_disk_is_named(notice, tmp_path, monkeypatch):
    for name, value in fake_soffice(tmp_path, "fails").items():
        monkeypatch.setenv(name, value)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("drafter.pdf.shutil.disk_usage", lambda folder: usage(10**9, 10**9, 1024))
    with pytest.raises(ConversionError) as raised:
        to_pdf(notice, tmp_path)
    assert "剩余空间不足" in str(raised.value) and "磁盘已满" in str(raised.value)

    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "tmp"))

    monkeypatch.setattr("drafter.pdf.tempfile.mkdtemp", no_room)
    with pytest.raises(ConversionError) as raised:
        to_pdf(notice, tmp_path)
    assert f"磁盘已满，无法生成 PDF（{tmp_path / 'tmp'}）" in str(raised.value)


def test_doctor_does_not_wait_for_a_libreoffice_that_hangs(tmp_path):
    env = fake_soffice(tmp_path, "hangs")
    done, took = run_bounded("doctor", env={**env, "DRAFTER_HOME": str(tmp_path / "home")})
    assert "没有应答（已终止）" in done.stdout and "Traceback" not in done.stderr, done.stderr
    assert took < SECONDS + 30
    for pid_file in Path(env["FAKE_DIR"]).glob("*.pid"):
        assert not alive(int(pid_file.read_text()))


def program(path: Path) -> Path:
    """An empty executable file at ``path`` (its folders made): a LibreOffice as far as finding it goes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_path(tmp_path) -> dict[str, str]:
    """An environment whose PATH holds no LibreOffice (an empty folder)."""
    empty = tmp_path / "no-programs"
    empty.mkdir()
    return {"PATH": str(empty)}


@pytest.mark.parametrize("variable, root", [("ProgramFiles", ""), ("ProgramFiles(x86)", ""),
                                            ("ProgramW6432", ""), ("LOCALAPPDATA", "Programs")])
def test_soffice_is_found_in_the_windows_install_folders(tmp_path, no_path, variable, root):
    exe = program(tmp_path / root / "LibreOffice" / "program" / "soffice.exe")
    elsewhere = tmp_path / "elsewhere"  # the other roots, with no LibreOffice
    environ = {**no_path, "ProgramFiles": str(elsewhere), variable: str(tmp_path)}
    assert soffice("win32", environ) == str(exe)
    assert soffice("linux", environ) is None and soffice("darwin", environ, home=elsewhere) is None


def test_soffice_in_a_versioned_windows_folder_is_found_the_newest_first(tmp_path, no_path):
    for name in ("LibreOffice 7", "LibreOffice 24.8", "LibreOffice 6.4"):
        program(tmp_path / name / "program" / "soffice.exe")
    (tmp_path / "LibreOffice 25.2" / "program").mkdir(parents=True)  # left behind by an uninstall: no soffice.exe
    environ = {**no_path, "ProgramFiles": str(tmp_path)}
    assert soffice("win32", environ) == str(tmp_path / "LibreOffice 24.8" / "program" / "soffice.exe")
    plain = program(tmp_path / "LibreOffice" / "program" / "soffice.exe")  # today's installers: no version
    assert soffice("win32", environ) == str(plain)


def test_soffice_is_found_in_the_macos_applications_folder(tmp_path, no_path):
    exe = program(tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    assert soffice("darwin", no_path, home=tmp_path) == str(exe)
    assert soffice("win32", {**no_path, "ProgramFiles": str(tmp_path)}, home=tmp_path) is None


def test_soffice_on_path_comes_before_the_install_folders(tmp_path, no_path):
    program(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    program(tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    on_path = program(tmp_path / "bin" / "soffice")
    environ = {"PATH": str(tmp_path / "bin"), "ProgramFiles": str(tmp_path)}
    assert soffice("win32", environ, home=tmp_path) == str(on_path)
    assert soffice("darwin", environ, home=tmp_path) == str(on_path)


@pytest.mark.parametrize("quoted", [False, True])
def test_drafter_soffice_comes_before_everything(tmp_path, quoted):
    program(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    program(tmp_path / "bin" / "soffice")
    chosen = program(tmp_path / "我的程序" / "LibreOffice 便携版" / "soffice.exe")
    named = f'"{chosen}"' if quoted else str(chosen)  # cmd's set DRAFTER_SOFFICE="…" keeps the quotes
    environ = {"PATH": str(tmp_path / "bin"), "ProgramFiles": str(tmp_path), "DRAFTER_SOFFICE": named}
    for platform in ("win32", "darwin", "linux"):
        assert soffice(platform, environ, home=tmp_path) == str(chosen)


def test_drafter_soffice_naming_no_file_is_an_error_not_a_missing_libreoffice(tmp_path, no_path):
    nowhere = tmp_path / "没有这个程序" / "soffice.exe"
    with pytest.raises(ConversionError) as raised:
        soffice("win32", {**no_path, "DRAFTER_SOFFICE": str(nowhere)})
    assert str(raised.value) == f"环境变量 DRAFTER_SOFFICE 指向的 LibreOffice 程序不存在：{nowhere}"
    with pytest.raises(ConversionError):  # a folder is not the program
        soffice("linux", {**no_path, "DRAFTER_SOFFICE": str(tmp_path)})
    out = tmp_path / "out"
    out.mkdir()
    done, _ = run_bounded("new", "--defaults", "--pdf", "-o", out / "通知.docx", env={"DRAFTER_SOFFICE": str(nowhere)})
    assert done.returncode == 1 and f"DRAFTER_SOFFICE 指向的 LibreOffice 程序不存在：{nowhere}" in done.stderr
    assert "Traceback" not in done.stderr and list(out.iterdir()) == []


def test_no_libreoffice_anywhere_is_none_and_the_message_tells_windows_users_what_to_do(tmp_path, no_path, notice,
                                                                                       monkeypatch):
    environ = {**no_path, "DRAFTER_SOFFICE": "", "ProgramFiles": str(tmp_path), "ProgramFiles(x86)": str(tmp_path),
               "LOCALAPPDATA": str(tmp_path)}
    (tmp_path / "LibreOffice" / "program").mkdir(parents=True)  # the folder without the program
    for platform in ("win32", "darwin", "linux"):
        assert soffice(platform, environ, home=tmp_path) is None
    monkeypatch.setenv("PATH", no_path["PATH"])
    monkeypatch.delenv("DRAFTER_SOFFICE", raising=False)
    with pytest.raises(ConversionError) as raised:
        to_pdf(notice, tmp_path)
    assert "未找到 LibreOffice" in str(raised.value) and "apt-get install libreoffice-writer" in str(raised.value)
    assert "Windows" in str(raised.value) and "安装到默认位置" in str(raised.value)


def test_a_notice_in_a_folder_named_in_chinese_with_a_space_converts(tmp_path):
    need_libreoffice()
    folder = tmp_path / "青山区 通知"
    folder.mkdir()
    path = folder / "安全生产月通知.docx"
    drafted = run_cli("new", "--defaults", "-o", path)
    assert drafted.returncode == 0, drafted.stderr
    pdf = to_pdf(path, folder)
    assert pdf == folder / "安全生产月通知.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0].extract_text().replace(" ", "")
    assert "江城市青山区商务局文件" in first and "安全生产月" in first
