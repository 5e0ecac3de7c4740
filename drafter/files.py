"""Files that arrive from outside, opened the way government offices save them: text in UTF-8 (with or without a
BOM), UTF-16 or GBK/GB18030; Word files that may really be an old .doc, a PDF or something else renamed .docx.

Each problem is an Unreadable error in Chinese that names the file and what to do."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from .errors import Unreadable

SAVE_AS_UTF8 = "请在记事本或 WPS 中“另存为”UTF-8 编码的文本后再试"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(raw: bytes, name: str) -> str:
    """The text of ``raw``: by its byte-order mark if it has one, else UTF-8, else UTF-16 without a mark (every
    other byte zero), else GB18030 (which includes GBK and GB2312). Nothing else is guessed."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"{name} 以 {encoding.upper()} 的字节顺序标记开头，内容却不是该编码的文本；{SAVE_AS_UTF8}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:4000]:  # no text in UTF-8 or GB18030 has zero bytes; UTF-16 without a mark does
        sample = raw[:4000]
        zeros_odd = sample[1::2].count(0)  # ASCII in little-endian UTF-16; 一 (U+4E00) puts one in the even
        orders = ("utf-16-le", "utf-16-be") if zeros_odd >= sample[0::2].count(0) else ("utf-16-be", "utf-16-le")
        for encoding in orders:
            try:
                text = raw[: len(raw) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            if _plausible(text):
                return text
        raise Unreadable(f"{name} 含有零字节，却不是可识别的 UTF-16 文本；{SAVE_AS_UTF8}")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise Unreadable(f"{name} 不是可识别的文本编码（UTF-8、UTF-16、GBK/GB18030）；{SAVE_AS_UTF8}") from None


# Characters no notice holds and a terminal may act on: C0 controls but tab and line ends, DEL, C1 controls (CSI
# U+009B starts an escape sequence as ESC [ does), and the bidirectional overrides and isolates that reorder what is
# shown. Removed from text read from outside before it is used or printed.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without the control and bidirectional-override characters above."""
    return _CONTROLS.sub("", text)


def _plausible(text: str) -> bool:
    """Whether decoded text looks like a Chinese document: CJK, full-width forms, ASCII and white space."""
    sample = text[:2000]
    usual = sum(ch.isascii() and (ch.isprintable() or ch in "\r\n\t") or "\u3000" <= ch <= "\u9fff"
                or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f" for ch in sample)
    return usual >= 0.9 * len(sample)


def read_text(path: Path, what: str = "文件") -> str:
    """A text file from outside, decoded as decode_text says; line ends made \\n."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable(f"找不到{what}：{path}") from None
    except IsADirectoryError:
        raise Unreadable(f"{path} 是文件夹，不是{what}") from None
    except OSError as exc:
        raise Unreadable(f"无法读取{what} {path}：{exc.strerror or exc}") from None
    return decode_text(raw, f"{what} {path}").replace("\r\n", "\n").replace("\r", "\n")


KINDS = {"docx": "Word 文档（.docx）", "doc": "旧版 Word（.doc）或 WPS（.wps）文件", "pdf": "PDF 文件",
         "rtf": "RTF 文件", "html": "网页（HTML）", "xlsx": "Excel 表格（.xlsx）", "pptx": "PowerPoint 演示文稿（.pptx）",
         "zip": "压缩包", "damaged": "损坏的压缩包", "empty": "空文件", "other": "别的格式（可能是文本）"}


def sniff(path: Path) -> str:
    """What ``path`` really is, from its content (a key of KINDS), whatever its name says; a missing file, a folder
    or one that cannot be opened raises Unreadable."""
    path = Path(path)
    if not path.exists():
        raise Unreadable(f"找不到文件：{path}")
    if path.is_dir():
        raise Unreadable(f"{path} 是文件夹，不是文件")
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise Unreadable(f"无法读取 {path}：{exc.strerror or exc}") from None
    if not head:
        return "empty"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.lstrip().lower().startswith((b"<html", b"<!doctype html")):
        return "html"
    if not head.startswith(b"PK"):
        return "other"
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged"
    return ("docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names
            else "pptx" if "ppt/presentation.xml" in names else "zip")


SAVE_AS_DOCX = "请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx）后再试"
_NOT_DOCX = {
    "doc": f"是旧版 Word（.doc）或 WPS（.wps）格式，或是加了密码的文档：{SAVE_AS_DOCX}",
    "pdf": "是 PDF 文件：drafter check 只检查 Word 文件，请索取 Word 原件（drafter parents import 可以读 PDF）",
    "rtf": f"是 RTF 文件：{SAVE_AS_DOCX}",
    "html": "是网页（HTML）：请在浏览器中复制正文存为 .txt，或在 Word 中打开后“另存为” .docx",
    "empty": "是空文件，不是 Word 文档（.docx）",
    "other": "不是 Word 文档（.docx）；如果是从别处复制的文字，请存为 .txt",
    "damaged": "已损坏，无法作为 Word 文档（.docx）打开；请在 Word 或 WPS 中打开并重新保存",
}


def check_docx(path: Path) -> None:
    """Raise Unreadable, saying what the file really is and what to do, unless ``path`` is a Word .docx package."""
    kind = sniff(path)
    if kind != "docx":
        raise Unreadable(not_docx(Path(path), kind))


def not_docx(path: Path, kind: str) -> str:
    """What to tell of ``path``, whose content is ``kind`` (sniff), where a Word .docx was wanted."""
    if kind == "other" and path.suffix.lower() in (".doc", ".wps"):  # older WPS and Word formats are not all OLE
        kind = "doc"
    if kind == "pdf" and path.suffix.lower() != ".pdf":
        return f"{path} 其实是 PDF 文件（扩展名却是 {path.suffix or '空的'}）：{_NOT_DOCX['pdf']}"
    return f"{path} {_NOT_DOCX.get(kind) or '是' + KINDS[kind] + '，不是 Word 文档（.docx）'}"
