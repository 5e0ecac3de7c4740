"""Writing files so that nothing is lost when offices share a folder: the one rule for names that become file
names, a lock file that works on a network share, and files published together or not at all (a journal lets the
next writer finish what a killed one began); never over an existing file unless asked to.

What drafter keeps in a folder it writes into, all hidden and all its own (``.drafter`` …): the lock
``.drafter.lock`` while it writes, the journal ``.drafter.journal`` while it renames, and temporary files
``.drafter.<12 hex>.<name>.tmp`` / ``.old``. The next write into the folder removes any that a killed process left."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidValue, OutputError
from .files import INVISIBLE

# What a name may not hold when it becomes a file's name, besides files.INVISIBLE: path separators and the
# characters Windows refuses in a name.
_NOT_IN_NAME = re.compile('[\\\\/:*?"<>|\t\n\r]')
_RESERVED = re.compile(r"(?i)^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$")  # device names on Windows


def file_name(name: str, suffix: str, what: str = "名称") -> str:
    """``name`` + ``suffix`` as the name of a file inside a folder, or InvalidValue saying which rule ``name`` breaks:
    no separator or character Windows refuses, no "..", no control or invisible character, not a device name, not
    starting with "." or ending with "." or a space, at most NAME_CHARS characters. The one rule for every name that
    becomes a file name."""
    from .limits import NAME_CHARS

    bad = _NOT_IN_NAME.search(name) or INVISIBLE.search(name)
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


def reason(exc: OSError) -> str:
    """Why writing failed, in Chinese."""
    from .files import reason as told

    return told(exc, writing=True)


class WriteFailed(OutputError):
    """Writing was begun and failed (``reason`` says why, in Chinese); the message says what the folder holds."""

    def __init__(self, message: str, why: str):
        self.reason = why
        super().__init__(message)


# ---- The lock -------------------------------------------------------------------------------------------------

LOCK = ".drafter.lock"
JOURNAL = ".drafter.journal"
_OURS = re.compile(r"^\.drafter\.[0-9a-f]{12}\..+\.(?:tmp|old)$")  # temporary files of ours, left by a killed writer
_held: dict[str, int] = {}  # the folders this process holds the lock of, and how many times it took each


EMPTY_SECONDS = 2  # how long a lock file may stay empty while its maker writes who it is


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its lock file says: host, process id, since when (the file's text as written)."""

    text: str
    host: str
    pid: int | None
    since: dt.datetime | None
    mtime: float

    @classmethod
    def read(cls, lock: Path) -> Holder | None:
        """The lock file's holder, or None when there is no lock file (any more)."""
        try:
            with open(lock, "rb") as fh:
                text = fh.read(1000).decode("utf-8", "replace")
            mtime = os.stat(lock).st_mtime
        except FileNotFoundError:
            return None
        except OSError:  # there, but not to be read: held by someone unknown, since now
            return cls("", "", None, None, time.time())
        lines = text.split("\n")
        host = lines[0].strip() if lines else ""
        pid = int(lines[1]) if len(lines) > 1 and lines[1].strip().isdigit() else None
        try:
            since = dt.datetime.fromisoformat(lines[2].strip()) if len(lines) > 2 else None
        except ValueError:
            since = None
        if since is not None and since.tzinfo is None:
            since = since.astimezone()
        return cls(text, host, pid, since, mtime)

    def age(self) -> float:
        """Seconds since the lock was taken, by the later of the holder's clock and the file's time (so that a
        clock behind ours on another computer does not make a fresh lock look old)."""
        return time.time() - max(self.since.timestamp() if self.since else 0, self.mtime)

    def stale(self) -> bool:
        """Whether its holder is gone: a process of this host that no longer runs, or a lock older than
        LOCK_STALE (no write holds it that long)."""
        from . import limits

        if self.age() > limits.LOCK_STALE.amount:
            return True
        return self.host == socket.gethostname() and self.pid is not None and not _running(self.pid)

    def __str__(self) -> str:
        if not self.host:
            return "持有者不明"
        since = f"，{self.since:%Y-%m-%d %H:%M:%S} 起" if self.since else ""
        return f"主机 {self.host}，进程 {self.pid if self.pid is not None else '不明'}{since}"


def _running(pid: int) -> bool:
    """Whether a process of this host runs under ``pid`` (on Windows, where signal 0 would end it, assumed)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def _break(lock: Path, judged: Holder) -> None:
    """Remove a stale lock, and only the one judged stale: it is renamed aside first (one rename, so two breakers
    cannot both succeed), then compared with what was judged; a lock taken meanwhile by someone else is put back."""
    aside = lock.with_name(f".drafter.{secrets.token_hex(6)}.lock.old")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:  # released or broken meanwhile
        return
    try:
        with open(aside, "rb") as fh:
            same = fh.read(1000).decode("utf-8", "replace") == judged.text
    except FileNotFoundError:  # swept away by the writer that took the lock meanwhile
        return
    if not same:
        try:
            os.link(aside, lock)  # back, unless a newer lock is there already
        except OSError:
            pass
    try:
        os.unlink(aside)
    except FileNotFoundError:
        pass


@contextmanager
def locked(folder: Path, what: str = "文件夹") -> Iterator[None]:
    """Hold ``folder``'s lock: the file ``.drafter.lock`` in it, created exclusively (O_CREAT|O_EXCL, which network
    shares honour) and holding this host, process and time; removed on leaving. Another's lock is waited for up to
    LOCK_SECONDS, then OutputError says who holds it; a stale one (Holder.stale) is broken. Taken again by the same
    process, it is simply held on (the registry's lock and its folder's are one)."""
    from . import limits

    key = os.path.realpath(folder)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    lock = Path(folder) / LOCK
    mine = (f"{socket.gethostname()}\n{os.getpid()}\n{dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n"
            f"{secrets.token_hex(8)}\n")
    deadline = time.monotonic() + limits.LOCK_SECONDS.amount
    pause = 0.01
    empty_since = None  # when this waiter first found the lock file empty (by its own clock, not the file's)
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = Holder.read(lock)
            if holder is None:
                continue
            if not holder.text.strip():  # its maker writes who it is right after making it: one stopped in between
                empty_since = empty_since or time.monotonic()
            else:
                empty_since = None
            if holder.stale() or (empty_since is not None and time.monotonic() - empty_since > EMPTY_SECONDS):
                _break(lock, holder)
                empty_since = None
                continue
            if time.monotonic() >= deadline:
                raise OutputError(limits.LOCK_SECONDS.message(f"{what} {folder} 正由另一个 drafter 写入（{holder}）")
                                  + f"；未写入任何文件。请稍后再试；如确认那个程序已不在运行，可删除锁文件 {lock}") from None
            time.sleep(pause * (0.5 + secrets.randbelow(1000) / 1000))
            pause = min(pause * 2, 0.2)
            continue
        except OSError as exc:
            raise OutputError(f"无法在{what} {folder} 中建立锁文件（{reason(exc)}），未写入任何文件") from None
        try:
            os.write(fd, mine.encode("utf-8"))
        except OSError as exc:
            os.close(fd)
            os.unlink(lock)
            raise OutputError(f"写入失败（{reason(exc)}），未写入任何文件") from None
        os.close(fd)
        break
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        held = Holder.read(lock)
        if held is not None and held.text == mine:  # still ours (not broken as stale by someone else)
            os.unlink(lock)


# ---- Publishing files together ---------------------------------------------------------------------------------

def _sync(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the system allows a folder to be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Step:
    """One file being published: its complete temporary file, its target, and the target's previous content kept
    as a hard link or a copy (_keep; None: the target is new). Names only, all in the one folder."""

    tmp: str
    target: str
    old: str | None


def _write_journal(folder: Path, steps: list[_Step], forward: bool) -> None:
    """The journal, complete or not at all (written aside, synced, renamed into place)."""
    body = json.dumps({"direction": "forward" if forward else "back",
                       "files": [{"tmp": s.tmp, "target": s.target, "old": s.old} for s in steps]},
                      ensure_ascii=False).encode("utf-8")
    tmp = folder / f".drafter.{secrets.token_hex(6)}.journal.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, folder / JOURNAL)
    _sync(folder)


def _read_journal(folder: Path) -> tuple[list[_Step], bool] | None:
    """The journal a writer left (its steps, and whether it was going forward), or None if there is none."""
    path = folder / JOURNAL
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
        steps = [_Step(f["tmp"], f["target"], f["old"]) for f in raw["files"]]
        forward = {"forward": True, "back": False}[raw["direction"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"文件夹 {folder} 中的 drafter 日志文件 {path} 无法读取（{exc}），为免丢失文件，未写入。"
                          "请检查该文件夹中以 .drafter 开头的文件后删除该日志文件") from None
    for s in steps:  # names, each directly in the folder, the temporary ones ours
        names = [s.tmp, s.target] + ([s.old] if s.old else [])
        if any(not isinstance(n, str) or "/" in n or "\\" in n or n in ("", ".", "..") for n in names) \
                or not _OURS.match(s.tmp) or (s.old and not _OURS.match(s.old)) or s.target.startswith(".drafter"):
            raise OutputError(f"文件夹 {folder} 中的 drafter 日志文件 {path} 内容不对，未写入。"
                              "请检查该文件夹中以 .drafter 开头的文件后删除该日志文件")
    return steps, forward


def _finish(folder: Path, steps: list[_Step], forward: bool) -> None:
    """Carry a journal through; each step may be repeated (after a crash in the middle of this).

    Forward: every temporary file still there is renamed onto its target, so that all targets are new. Back: every
    target's previous content is put back, a target that was new is removed, so that all are as they were."""
    for s in steps:
        tmp, target = folder / s.tmp, folder / s.target
        if forward:
            if os.path.lexists(tmp):
                os.replace(tmp, target)
        elif s.old:
            if os.path.lexists(folder / s.old):
                os.replace(folder / s.old, target)  # a no-op when it still is the same file
        elif not os.path.lexists(tmp) and os.path.lexists(target):  # renamed: the target is the new file
            os.unlink(target)
    _sync(folder)


def _repair(folder: Path) -> None:
    """Under the folder's lock: finish a journal left by a killed writer, then remove our leftover temporary files
    (no writer of ours is at work in the folder, since we hold its lock)."""
    left = _read_journal(folder)
    if left is not None:
        _finish(folder, *left)
        os.unlink(folder / JOURNAL)
    for name in os.listdir(folder):
        if _OURS.match(name):
            try:
                os.unlink(folder / name)
            except FileNotFoundError:
                pass


def recover(folder: Path) -> None:
    """Repair ``folder`` after a writer was killed there (every write does this first)."""
    folder = Path(folder)
    with locked(folder):
        _repair(folder)


def write_files(files: dict[Path, bytes], force: bool) -> None:
    """Write the files (all in one folder) together, or none of them.

    Under the folder's lock (see ``locked``): what a killed writer left is repaired first; a target that exists is
    refused without ``force`` (so of two writers exactly one succeeds and the other is told that it exists); each file
    is written complete to a temporary file and synced; the targets' previous contents are kept (``_keep``); a
    journal naming every temporary file and its target is written (complete or not at all); the temporary files are
    renamed onto their targets; the journal and the kept contents are removed.

    Guaranteed: if the process is killed at any moment, the folder holds either all the previous files or all the
    new ones once the next write into it (or ``recover``) has run — before the journal exists, the targets are
    untouched and the temporary files are leftovers; once it exists, all new files are complete and finishing the
    renames publishes them — and no file of ours is left behind. A failure that is reported (disk full, a rename
    refused) leaves the previous files as they were and nothing else."""
    folders = {Path(os.path.dirname(path) or ".") for path in files}
    if len(folders) != 1:
        raise ValueError(f"write_files writes into one folder, not {sorted(map(str, folders))}")
    folder = folders.pop()
    for path in files:
        check_writable(Path(path), force)
    with locked(folder):
        _repair(folder)
        for path in files:  # again: another writer may have finished while this one waited
            check_writable(Path(path), force)
        _publish(folder, {Path(path).name: content for path, content in files.items()})


def _keep(path: Path, copy: Path) -> None:
    """``path``'s content kept at ``copy``: a hard link, or where the file system has none (a FAT or exFAT USB drive,
    some network shares) a copy; the target itself stays in place until it is replaced in one rename."""
    try:
        os.link(path, copy)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            raise
        shutil.copy2(path, copy)


def _publish(folder: Path, files: dict[str, bytes]) -> None:
    """write_files's work, under the lock: temporary files, kept contents, journal, renames (see there)."""
    tag = secrets.token_hex(6)
    steps: list[_Step] = []
    journal = False
    try:
        for name, content in files.items():
            step = _Step(f".drafter.{tag}.{name}.tmp", name, None)
            fd = os.open(folder / step.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            steps.append(step)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        for i, step in enumerate(steps):
            if os.path.lexists(folder / step.target):  # the previous file stays reachable until all are renamed
                old = f".drafter.{tag}.{step.target}.old"
                _keep(folder / step.target, folder / old)
                steps[i] = _Step(step.tmp, step.target, old)
        _write_journal(folder, steps, forward=True)
        journal = True
        for step in steps:
            os.replace(folder / step.tmp, folder / step.target)
        _sync(folder)
    except OSError as exc:
        try:
            if journal:  # undo the renames done; a crash meanwhile is undone by the next writer
                _write_journal(folder, steps, forward=False)
                _finish(folder, steps, forward=False)
            _repair(folder)  # the journal and the temporary files
        except OSError as again:
            raise WriteFailed(f"写入失败（{reason(exc)}），恢复原有文件时又出错（{reason(again)}）：文件夹 {folder} "
                              "中的原有文件将在下次写入该文件夹时自动恢复", reason(exc)) from None
        raise WriteFailed(f"写入失败（{reason(exc)}），未留下任何不完整的文件，原有文件未变", reason(exc)) from None
    os.unlink(folder / JOURNAL)
    for step in steps:
        if step.old:
            os.unlink(folder / step.old)
