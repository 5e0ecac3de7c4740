"""Writing files atomically: a temporary file in the same folder, then a rename; never over an existing file
unless asked to."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError


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


def write_files(files: dict[Path, bytes], force: bool) -> None:
    """Write all files or none: each goes to a temporary file first, renamed into place only when all are ready."""
    for path in files:
        check_writable(path, force)
    temps: list[tuple[str, Path]] = []
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
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        reason = "磁盘空间不足" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(f"写入失败（{reason}），未留下任何不完整的文件") from None
