"""Converting a .docx to PDF through LibreOffice, with the 公文 font names mapped to installed free fonts
(drafter/fonts), whatever the desktop or the user has configured."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from .errors import DrafterError
from .files import strip_controls
from .limits import CONVERT_SECONDS, Limit

# The conversion time limit in seconds instead of CONVERT_SECONDS: for drafter's own tests (a fake soffice that hangs).
ENV_SECONDS = "DRAFTER_CONVERT_SECONDS"
ROOM_NEEDED = 64 * 1024 * 1024  # bytes: free space below which a failed conversion is put down to a full disk
# The program to run instead of the soffice found on PATH or in the usual install folders.
ENV_SOFFICE = "DRAFTER_SOFFICE"
INSTALL = ("Debian/Ubuntu 可用：apt-get install libreoffice-writer；"
           "Windows、macOS：从 LibreOffice 官网下载安装包，安装到默认位置即可")


class ConversionError(DrafterError):
    """LibreOffice is missing, or did not make the PDF; the message says why."""


class TimedOut(Exception):
    """A program run by run_group that went past its time limit (the whole group was killed)."""


def soffice(platform: str = sys.platform, environ=os.environ, home: Path | None = None) -> str | None:
    """The LibreOffice program to run, or None when there is none: $DRAFTER_SOFFICE if set (the full path of the
    program; ConversionError when no such file exists), else soffice or libreoffice on PATH, else soffice in the
    usual install folders — on Windows soffice.exe in LibreOffice (or a versioned LibreOffice 7, LibreOffice 24.8 …,
    the newest first) under %ProgramFiles% (C:\\Program Files if unset), %ProgramW6432% (64-bit programs, seen
    from a 32-bit Python), %ProgramFiles(x86)% and %LOCALAPPDATA%\\Programs; on macOS
    LibreOffice.app in /Applications or in ``home`` (the user's home folder)/Applications."""
    chosen = environ.get(ENV_SOFFICE, "").strip().strip('"')  # cmd's `set X="C:\\..."` keeps the quotes
    if chosen:
        if not Path(chosen).is_file():
            raise ConversionError(f"环境变量 {ENV_SOFFICE} 指向的 LibreOffice 程序不存在：{chosen}")
        return chosen
    path = environ.get("PATH", os.defpath)
    found = shutil.which("soffice", path=path) or shutil.which("libreoffice", path=path)
    if found:
        return found
    return next((str(exe) for exe in _install_places(platform, environ, home) if exe.is_file()), None)


def _install_places(platform: str, environ, home: Path | None) -> list[Path]:
    """Where LibreOffice's installers put soffice on ``platform``, in the order to try them."""
    if platform == "darwin":
        app = Path("LibreOffice.app", "Contents", "MacOS", "soffice")
        return [Path("/Applications") / app, Path(home or Path.home(), "Applications") / app]
    if platform != "win32":
        return []
    local = environ.get("LOCALAPPDATA")
    roots = [environ.get("ProgramFiles") or r"C:\Program Files", environ.get("ProgramW6432"),
             environ.get("ProgramFiles(x86)"), local and Path(local, "Programs")]
    places = []
    for root in filter(None, roots):
        versioned = sorted(Path(root).glob("LibreOffice?*"), key=_version_of, reverse=True)
        places += [folder / "program" / "soffice.exe" for folder in [Path(root, "LibreOffice"), *versioned]]
    return places


def _version_of(folder: Path) -> list[int]:
    """The version in a folder's name as numbers ("LibreOffice 24.8" → [24, 8]): 24.8 counts as newer than 7."""
    return [int(n) for n in re.findall(r"\d+", folder.name)]


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


def time_limit(environ=os.environ) -> Limit:
    """CONVERT_SECONDS, or the number of seconds in $DRAFTER_CONVERT_SECONDS (tests)."""
    from dataclasses import replace

    try:
        seconds = int(environ.get(ENV_SECONDS, ""))
    except ValueError:
        return CONVERT_SECONDS
    return replace(CONVERT_SECONDS, value=seconds) if seconds > 0 else CONVERT_SECONDS


def run_group(cmd: list[str], seconds: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd`` in a process group (a session) of its own, so that it and whatever it starts (soffice starts
    soffice.bin) are killed together when it runs past ``seconds`` (TimedOut) or drafter is interrupted."""
    own = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32"  # type: ignore[attr-defined]
           else {"start_new_session": True})
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, errors="replace", **own)
    try:
        out, err = proc.communicate(timeout=seconds)
    except BaseException as exc:  # the time limit, Ctrl-C
        _kill_group(proc)
        try:
            proc.communicate(timeout=5)
        except (subprocess.TimeoutExpired, ValueError, OSError):  # a member that escaped the group holds the pipes
            pass
        if isinstance(exc, subprocess.TimeoutExpired):
            raise TimedOut() from None
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and its group (the leader is not reaped yet, so the group's id is still its own)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if proc.poll() is None:
        proc.kill()


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with a private LibreOffice profile (so parallel runs do not collide), removed afterwards whatever
    happens; returns the PDF's path. LibreOffice runs in a process group of its own, killed whole past the time
    limit. ConversionError says why there is no PDF: LibreOffice missing, the time limit, a full disk, or what
    LibreOffice said."""
    exe = soffice()
    if not exe:
        raise ConversionError(f"未找到 LibreOffice（soffice），无法生成 PDF。{INSTALL}")
    limit = time_limit()
    pdf = out_dir / (Path(docx_path).stem + ".pdf")
    try:
        profile = tempfile.mkdtemp(prefix="drafter-lo-")
        try:
            # Keep the blank pages that Word and LibreOffice insert before an even-page section (the 版记 page).
            pdf_filter = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
            cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", pdf_filter,
                   "--outdir", str(out_dir), str(docx_path)]
            done = run_group(cmd, limit.value, fontconfig_env())
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    except TimedOut:
        raise ConversionError(limit.message(f"转换 {Path(docx_path).name}", f"{exe} 及其子进程已被终止")
                              + "；请稍后再试，或检查 LibreOffice 能否正常运行（drafter doctor）") from None
    except OSError as exc:
        raise failure_of(exc, f"无法运行 LibreOffice（{exe}）") from None
    if done.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 0:
        return pdf
    full = _short_of_room(out_dir, Path(tempfile.gettempdir()))
    if full:
        raise ConversionError(f"LibreOffice 未能生成 PDF：{full}的剩余空间不足（{ROOM_NEEDED // 1024 // 1024} MB 以下），"
                              "很可能是磁盘已满；请清理磁盘空间后再试")
    said = _gist(done.stderr) or _gist(done.stdout)
    raise ConversionError(f"LibreOffice 未能生成 PDF（退出状态 {done.returncode}）"
                          + (f"：{said}" if said else "：它没有说明原因") + "。可运行 drafter doctor 检查 LibreOffice")


def failure_of(exc: OSError, what: str) -> ConversionError:
    """An OSError met while making a PDF: a full disk said as such, anything else after ``what``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ConversionError(f"磁盘已满，无法生成 PDF（{exc.filename or tempfile.gettempdir()}）；请清理磁盘空间后再试")
    return ConversionError(f"{what}：{exc.strerror or exc}")


def _short_of_room(*folders: Path) -> str:
    """The first of ``folders`` with less than ROOM_NEEDED free (named), or ""."""
    for folder in folders:
        try:
            if shutil.disk_usage(folder).free < ROOM_NEEDED:
                return f"文件夹 {folder} 所在磁盘"
        except OSError:
            continue
    return ""


def _gist(text: str, most: int = 300) -> str:
    """What a program said, in one line: its last lines, controls removed, at most ``most`` characters."""
    lines = [line.strip() for line in strip_controls(text or "").splitlines() if line.strip()]
    gist = " / ".join(lines[-3:])
    return gist if len(gist) <= most else "…" + gist[-most:]


def version(exe: str) -> str | None:
    """What ``exe --version`` says, or None when it does not answer within the time limit."""
    try:
        done = run_group([exe, "--version"], time_limit().value)
    except (TimedOut, OSError):
        return None
    return _gist(done.stdout) or "版本未知"


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
