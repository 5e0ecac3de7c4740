"""Files that arrive from outside, opened the way government offices save them: text in UTF-8 (with or without a
BOM), UTF-16 or GBK/GB18030; Word files that may really be an old .doc, a PDF or something else renamed .docx.

Each problem is an Unreadable error in Chinese that names the file and what to do."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

from .errors import Unreadable
from .limits import TEXT_BYTES, Limit

SAVE_AS_UTF8 = "请在记事本或 WPS 中“另存为”UTF-8 编码的文本后再试"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(raw: bytes, name: str) -> str:
    """The text of ``raw``: by its byte-order mark if it has one; else UTF-16 without a mark when it has zero bytes
    (real UTF-8 or GB18030 text has none) and it reads as Chinese; else UTF-8; else GB18030 (which includes GBK and GB2312) when what it reads
    is common Chinese. Text that reads as garbage in GB18030 is Notepad's UTF-16 without a mark (read as such) or
    traditional Chinese in Big5 (refused with advice); nothing else is guessed and nothing is read as garbage."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"{name} 以 {encoding.upper()} 的字节顺序标记开头，内容却不是该编码的文本（文件可能不完整）；"
                                 f"{SAVE_AS_UTF8}") from None
    zeros = b"\x00" in raw[:_SAMPLE]
    if zeros:
        text = _utf16(raw)
        if text is not None:
            return text
    try:
        return raw.decode("utf-8")  # a stray zero byte in UTF-8 text is taken out with the other controls
    except UnicodeDecodeError:
        pass
    if zeros:
        raise Unreadable(f"{name} 含有零字节，却不是可识别的 UTF-16 文本（“Unicode”编码）；{SAVE_AS_UTF8}")
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _common_share(text, "gb2312", _GB2312_COMMON) >= 0.6:
        return text
    if _is_big5(raw):
        raise Unreadable(f"{name} 看来是繁体中文的 Big5 编码，drafter 不读这种编码（按 GBK 读出来是乱码）；{SAVE_AS_UTF8}")
    text = _utf16(raw)  # Notepad's “Unicode” without a mark, all Chinese (no ASCII, so no zero bytes)
    if text is None:
        raise Unreadable(f"{name} 不是可识别的文本编码（UTF-8、UTF-16、GBK/GB18030），按这些编码读出来都是乱码；"
                         f"{SAVE_AS_UTF8}")
    return text


_SAMPLE = 4000  # bytes or characters looked at to tell an encoding
# Lead bytes of the characters in common use: GB2312's symbols (rows A1–A9: 、。“”《》（）…) and its level-1 hanzi
# (B0–D7, the 3 755 most used); Big5's symbols (A1–A3) and its frequent hanzi (A4–C6, 5 401 characters).
_GB2312_COMMON = (range(0xA1, 0xAA), range(0xB0, 0xD8))
_BIG5_COMMON = (range(0xA1, 0xC7),)


def _common_share(text: str, encoding: str, common: tuple[range, ...]) -> float:
    """The share of the first non-ASCII characters of ``text`` that are characters in common use in ``encoding``
    (1.0 when there are too few to tell): GBK text read as GBK is nearly all common, anything else read as GBK is
    mostly rare characters."""
    seen = used = 0
    for ch in text:
        if ch < "\x80" or ch.isspace():
            continue
        seen += 1
        try:
            lead = ch.encode(encoding)[0]
        except UnicodeEncodeError:
            lead = 0
        used += any(lead in r for r in common)
        if seen == _SAMPLE:
            break
    return used / seen if seen >= 10 else 1.0


def _is_big5(raw: bytes) -> bool:
    """Whether ``raw`` reads cleanly as Big5 into characters in common use in Big5."""
    try:
        text = raw.decode("big5")
    except UnicodeDecodeError:
        return False
    return _common_share(text, "big5", _BIG5_COMMON) >= 0.8


def _utf16(raw: bytes) -> str | None:
    """``raw`` as UTF-16 without a byte-order mark, in the byte order that reads as a Chinese document, or None."""
    sample = raw[:_SAMPLE]
    zeros_odd = sample[1::2].count(0)  # ASCII in little-endian UTF-16; 一 (U+4E00) puts one in the even
    orders = ("utf-16-le", "utf-16-be") if zeros_odd >= sample[0::2].count(0) else ("utf-16-be", "utf-16-le")
    for encoding in orders:
        try:
            text = raw[: len(raw) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and _common_share(text, "gb2312", _GB2312_COMMON) >= 0.6:
            return text
    return None


# Characters no notice holds and a terminal may act on: C0 controls but tab and line ends, DEL, C1 controls (CSI
# U+009B starts an escape sequence as ESC [ does), and the bidirectional embeddings, overrides and isolates that reorder
# what is shown (U+202A-U+202E, U+2066-U+2069). Removed from text read from outside before it is used or printed.
_ACTIVE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{_ACTIVE}]")
# Those, and the characters that print as nothing: the Arabic letter mark and the Mongolian vowel separator, the
# zero-width ones and the left-to-right and right-to-left marks (U+200B-U+200F), line and paragraph separators, the
# word joiner, invisible operators and deprecated format characters (U+2060-U+2065, U+206A-U+206F), the BOM and the
# interlinear annotation marks. A 文号, an answer or a file name holding one looks right and is not: 青\u200b商务 is
# not 青商务, and U+202E prints the rest backwards. Refused (naming it) wherever a value is typed.
INVISIBLE = re.compile(f"[{_ACTIVE}\u061c\u180e\u200b-\u200f\u2028\u2029\u2060-\u2065\u206a-\u206f"
                       "\ufeff\ufff9-\ufffb]")


def strip_controls(text: str) -> str:
    """``text`` without the control and bidirectional-override characters above."""
    return _CONTROLS.sub("", text)


# Every way text from outside ends a line: Windows (CR LF), old Macs (CR), Unicode's next-line, line and paragraph
# separators, and the vertical tab and form feed Word and PDF extraction write for line and page breaks.
_LINE_ENDS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")


# A terminal's escape sequences, taken out whole (not just their first character): CSI (ESC [ or U+009B, parameters,
# a final letter), OSC and the other strings (ESC ] … up to BEL or the string terminator), and two-character escapes.
_ESCAPES = re.compile("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*"
                      "(?:\x07|\x1b\\\\|\x9c)?|\x1b[ -~]")


def text_lines(text: str) -> str:
    """Text from outside with every line end made \\n and then its terminal escape sequences and control characters
    taken out (strip_controls): what every reader of a file from outside does before it looks at the text."""
    return strip_controls(_ESCAPES.sub("", _LINE_ENDS.sub("\n", text)))


def _plausible(text: str) -> bool:
    """Whether decoded text looks like a Chinese document: CJK, full-width forms, ASCII and white space."""
    sample = text[:2000]
    usual = sum(ch.isascii() and (ch.isprintable() or ch in "\r\n\t") or "\u3000" <= ch <= "\u9fff"
                or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f" for ch in sample)
    return usual >= 0.9 * len(sample)


# What a path is when it is not a regular file, and what the system's errors mean, in Chinese.
_NOT_REGULAR = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "设备文件"),
                (stat.S_ISBLK, "磁盘设备"), (stat.S_ISSOCK, "套接字"))
_ERRNO = {errno.ENOENT: "不存在", errno.EISDIR: "是文件夹", errno.ENOTDIR: "路径中有一段不是文件夹",
          errno.ELOOP: "符号链接循环", errno.ENAMETOOLONG: "路径过长", errno.EIO: "读写出错（磁盘或网络驱动器的问题）",
          errno.ENXIO: "不是普通文件（设备或套接字）", errno.ETXTBSY: "正被别的程序占用", errno.EAGAIN: "暂时无法读取",
          errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已满", errno.EROFS: "文件系统是只读的"}


def reason(exc: OSError, writing: bool = False) -> str:
    """What an OSError says, in Chinese (the system's own words are English)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限" if writing else "没有读取权限"
    if writing and exc.errno == errno.ENOENT:
        return "文件夹不存在"
    return _ERRNO.get(exc.errno or 0) or f"系统错误 {errno.errorcode.get(exc.errno or 0, exc.errno)}"


def regular_file(path: Path, what: str = "文件") -> int:
    """``path`` opened for reading (a file descriptor, for the caller to close) when it is a regular file. It is
    opened without blocking and looked at before anything is read: a folder, a named pipe (which would wait for a
    writer forever), a device such as /dev/zero (which never ends) is refused, saying what it is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable(f"找不到{what}：{path}") from None
    except OSError as exc:
        raise Unreadable(f"无法读取{what} {path}：{reason(exc)}") from None
    mode = os.fstat(fd)[stat.ST_MODE]
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "特殊文件")
        raise Unreadable(f"{path} 是{kind}，不是{what}：请给出一个普通文件")
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return fd


def read_bytes(path: Path, limit: Limit, what: str = "文件") -> bytes:
    """The bytes of a regular file from outside (regular_file), at most ``limit`` (a Limit in MB): its size is
    looked at before it is read, and a file that grows while it is read is held to the limit too."""
    path = Path(path)
    fd = regular_file(path, what)
    try:
        size = os.fstat(fd)[stat.ST_SIZE]
        if size > limit.amount:
            raise limit.exceeded(f"{what} {path}", f"这个文件有 {size / 2**20:.1f} MB")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit.amount + 1)
    except OSError as exc:
        raise Unreadable(f"无法读取{what} {path}：{reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit.amount:
        raise limit.exceeded(f"{what} {path}", "文件在读取时变大了")
    return data


def read_text(path: Path, what: str = "文件", limit: Limit = TEXT_BYTES) -> str:
    """A text file from outside (read_bytes, held to ``limit``), decoded as decode_text says, its line ends made \\n
    and its control characters taken out (text_lines)."""
    path = Path(path)
    return text_lines(decode_text(read_bytes(path, limit, what), f"{what} {path}"))
