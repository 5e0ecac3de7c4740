"""Writing files atomically: a temporary file in the same folder, then a rename; never over an existing file
unless asked to."""

from __future__ import annotations

import errno
import os
import re
import secrets
import tempfile
from pathlib import Path

from .errors import InvalidValue, OutputError

# What a name may not hold when it becomes a file's name: path separators and the characters Windows refuses, control
# characters, and the invisible ones (zero-width, bidirectional marks and overrides, BOM) that make two names look alike.
_NOT_IN_NAME = re.compile('[\\\\/:*?"<>|\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]')
_RESERVED = re.compile(r"(?i)^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$")  # device names on Windows


def file_name(name: str, suffix: str, what: str = "名称") -> str:
    """``name`` + ``suffix`` as the name of a file inside a folder, or InvalidValue saying which rule ``name`` breaks:
    no separator or character Windows refuses, no "..", no control or invisible character, not a device name, not
    starting with "." or ending with "." or a space, at most NAME_CHARS characters. The one rule for every name that
    becomes a file name."""
    from .limits import NAME_CHARS

    bad = _NOT_IN_NAME.search(name)
    if bad:
        shown = bad.group() if bad.group().isprintable() else f"U+{ord(bad.group()):04X}"
        raise InvalidValue(f"“{name if name.isprintable() else name.encode('unicode_escape').decode()}”含有不能用在"
                           f"文件名中的字符“{shown}”", what)
    if not name.strip() or ".." in name or name.startswith(".") or name.endswith((".", " ")) or _RESERVED.match(name):
        raise InvalidValue(f"“{name}”不能用作文件名", what)
    if len(name) > NAME_CHARS.value:
        raise InvalidValue(NAME_CHARS.message(f"“{name[:20]}…”", f"{len(name)}字"), what)
    return name + suffix


def inside(folder: Path, name: str) -> Path:
    """``folder``/``name``, verified to resolve to a file directly inside ``folder`` (no link or name leads out)."""
    path = Path(folder) / name
    if path.resolve().parent != Path(folder).resolve():
        raise OutputError(f"{path} 不在文件夹 {folder} 之内，未写入")
    return path


def check_writable(path: Path, force: bool) -> None:
    """Fail before any work is done if ``path`` cannot be written."""
    if path.exists() and not force:
        raise OutputError(f"{path} 已存在，未覆盖。要覆盖请加 --force，或用 -o 指定其他文件名")
    if path.is_dir():
        raise OutputError(f"{path} 是一个文件夹，请给出文件名")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"文件夹 {folder} 不存在")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"没有写入文件夹 {folder} 的权限")


REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已满", errno.EACCES: "没有写入权限",
           errno.EPERM: "没有写入权限", errno.EROFS: "文件系统是只读的", errno.ENOENT: "文件夹不存在",
           errno.ENAMETOOLONG: "文件名太长", errno.EISDIR: "目标是一个文件夹"}


def reason(exc: OSError) -> str:
    return REASONS.get(exc.errno, exc.strerror or str(exc))


def write_files(files: dict[Path, bytes], force: bool) -> None:
    """Write all files or none: each goes to a temporary file first; only when all are complete are they renamed
    into place, and if a rename fails, what was renamed already is put back as it was."""
    for path in files:
        check_writable(path, force)
    temps: list[tuple[str, Path]] = []
    backups: list[tuple[Path, str | None]] = []  # (target, its previous content moved aside, or None if new)
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            os.chmod(tmp, 0o644)
            old = None
            if path.exists():
                old = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.old")
                os.link(path, old)  # the previous file stays reachable until all renames succeeded
            backups.append((path, old))
            os.replace(tmp, path)
    except OSError as exc:
        for path, old in backups:  # undo the renames done
            if old:
                os.replace(old, path)
                if os.path.exists(old):  # it was still the same file: renaming a link onto itself does nothing
                    os.unlink(old)
            elif path.exists():
                path.unlink()
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise OutputError(f"写入失败（{reason(exc)}），未留下任何不完整的文件，原有文件未变") from None
    for _, old in backups:
        if old:
            os.unlink(old)
