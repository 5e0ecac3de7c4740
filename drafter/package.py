"""The parts of a Word file (.docx) that drafter reads, taken from its zip package within the limits of limits.py.

A .docx is a zip of XML parts tied together by relationship files (``_rels/….rels``). Only the parts drafter needs
are read: the main document (found through ``_rels/.rels``) and the parts it relates to that are asked for by name
(styles, settings, footers); images and everything else are never inflated. The zip's directory is counted before
it is parsed; each part is inflated in chunks and counted as it comes (the sizes the zip declares are not trusted),
and its XML is parsed as it is inflated (no DTD loaded, no entity resolved, no network), counting depth and elements.
A package that breaks one of these rules raises LimitExceeded naming the limit; one that is damaged raises
Unreadable with the one “已损坏” message."""

from __future__ import annotations

import os
import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from .errors import Unreadable
from .files import reason, regular_file, strip_controls
from .limits import PART_BYTES, PARTS_BYTES, XML_DEPTH, XML_ELEMENTS, ZIP_ENTRIES

RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CHUNK = 64 * 1024  # bytes inflated and parsed at a time

_EOCD = b"PK\x05\x06"  # end of central directory record
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_ENTRY = b"PK\x01\x02"  # a central directory entry


def damaged(path: Path) -> Unreadable:
    """The error for a package that cannot be read as a Word document."""
    return Unreadable(not_docx(Path(path), "damaged"))


def shown(name: str) -> str:
    """A part's name as a message may quote it (it comes from the file: no control characters, not too long)."""
    name = strip_controls(name)
    return name if len(name) <= 80 else name[:80] + "…"


def _directory(f: BinaryIO, path: Path) -> tuple[int, int, int]:
    """(entries declared, directory size, directory offset in the file) from the end of central directory record,
    or its ZIP64 form, read the way zipfile reads them."""
    f.seek(0, 2)
    size = f.tell()
    tail = min(size, 22 + 0xFFFF)  # the record, and a comment of at most 64 KiB after it
    f.seek(size - tail)
    data = f.read(tail)
    at = data.rfind(_EOCD)
    if at < 0 or len(data) - at < 22:
        raise damaged(path)
    entries, dir_size, dir_offset = struct.unpack("<2xHLL", data[at + 8:at + 20])
    end = size - tail + at  # where the record starts
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF or dir_offset == 0xFFFFFFFF:
        if end < 20 + 56:
            raise damaged(path)
        f.seek(end - 20 - 56)
        record = f.read(56 + 20)
        if record[:4] != _EOCD64 or record[56:60] != _EOCD64_LOCATOR:
            raise damaged(path)
        entries, dir_size, dir_offset = struct.unpack("<QQQ", record[32:56])
        end -= 20 + 56
    if dir_size > end:
        raise damaged(path)
    return entries, dir_size, end - dir_size


def count_entries(path: Path) -> int:
    """The number of entries in the zip at ``path``, counted in its central directory entry by entry (the count the
    directory declares may lie), stopping past ZIP_ENTRIES: more raises LimitExceeded before zipfile parses it."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            declared, dir_size, start = _directory(f, path)
            if declared > ZIP_ENTRIES.amount:
                raise ZIP_ENTRIES.exceeded(str(path), f"{declared:,} 个")
            count, at = 0, 0
            while at + 46 <= dir_size:
                f.seek(start + at)
                head = f.read(46)
                if len(head) < 46 or head[:4] != _ENTRY:
                    break  # zipfile decides whether what follows is damage
                count += 1
                if count > ZIP_ENTRIES.amount:
                    raise ZIP_ENTRIES.exceeded(str(path), f"多于 {ZIP_ENTRIES.amount:,} 个")
                name, extra, comment = struct.unpack("<3H", head[28:34])
                at += 46 + name + extra + comment
    except OSError as exc:
        raise Unreadable(f"无法读取 {path}：{exc.strerror or exc}") from None
    return count


def names(path: Path) -> set[str]:
    """The names of the entries of the zip at ``path`` (their number checked first); a damaged zip raises
    Unreadable."""
    with Package(path) as package:
        return set(package.entries)


class Package:
    """A .docx's zip package, opened for reading parts within the limits; use as a context manager."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.inflated = 0  # bytes inflated so far, all parts together
        count_entries(self.path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise damaged(self.path) from None
        except OSError as exc:
            raise Unreadable(f"无法读取 {self.path}：{exc.strerror or exc}") from None
        self.entries = {info.filename: info for info in self.zip.infolist()}
        self._folded = {name.lower(): info for name, info in self.entries.items()}  # part names ignore case
        self._related: dict[str, dict[str, tuple[str, str | None]]] = {}

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.entries or name.lower() in self._folded

    def xml(self, name: str) -> etree._Element:
        """The root element of the XML part ``name``, inflated and parsed in chunks within PART_BYTES, PARTS_BYTES,
        XML_DEPTH and XML_ELEMENTS. A missing part, or one that is not well-formed XML, raises the “已损坏” error."""
        info = self.entries.get(name) or self._folded.get(name.lower())
        if info is None:
            raise damaged(self.path)
        where, part = str(self.path), f"部件 {shown(name)}"
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=False)
        size = depth = elements = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > PART_BYTES.amount:
                        raise PART_BYTES.exceeded(where, part)
                    if self.inflated > PARTS_BYTES.amount:
                        raise PARTS_BYTES.exceeded(where, f"读到{part}时")
                    parser.feed(chunk)
                    for event, _ in parser.read_events():
                        if event == "end":
                            depth -= 1
                            continue
                        depth += 1
                        elements += 1
                        if depth > XML_DEPTH.amount:
                            raise XML_DEPTH.exceeded(where, part)
                        if elements > XML_ELEMENTS.amount:
                            raise XML_ELEMENTS.exceeded(where, part)
            return parser.close()
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
                ValueError):
            # not XML, a bad checksum or compression, an encrypted entry: damage either way
            raise damaged(self.path) from None
        except OSError as exc:
            raise Unreadable(f"无法读取 {self.path}：{exc.strerror or exc}") from None

    def related(self, source: str) -> dict[str, tuple[str, str | None]]:
        """The relationships of the part ``source`` ("" for the package itself): id → (type, the target part's name,
        or None when it points outside the package or is external). Without a relationship part, none."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if source not in self._related:
            out: dict[str, tuple[str, str | None]] = {}
            for rel in self.xml(rels).iter(RELS) if self.has(rels) else ():
                target = rel.get("Target") or ""
                inside = None if rel.get("TargetMode") == "External" else _resolve(folder, target)
                out.setdefault(rel.get("Id") or "", (rel.get("Type") or "", inside))
            self._related[source] = out
        return self._related[source]

    def main(self) -> str:
        """The name of the main document part, as _rels/.rels gives it; a package without one is damaged."""
        for kind, target in self.related("").values():
            if kind.endswith("/officeDocument") and target is not None and self.has(target):
                return target
        raise damaged(self.path)

    def target(self, relation: tuple[str, str | None]) -> str:
        """The part a relationship (type, target part's name) of ``related`` leads to; one that leads outside the
        package or to a part the package lacks is damage."""
        name = relation[1]
        if name is None or not self.has(name):
            raise damaged(self.path)
        return name

    def part_of(self, source: str, kind: str) -> str | None:
        """The name of the part of type ``kind`` (the type's last word: "styles", "settings") that ``source``
        relates to, None if it relates to none (a relationship leading nowhere is damage, as in ``target``)."""
        for relation in self.related(source).values():
            if relation[0].rsplit("/", 1)[-1] == kind:
                return self.target(relation)
        return None


def _resolve(folder: str, target: str) -> str | None:
    """A relationship target as a part name inside the package: relative to the source's folder, or from the
    package's root when it starts with "/"; None when it leads outside the package."""
    target = unquote(target.split("#", 1)[0])
    name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    if not target or name.startswith(("../", "/")) or name in ("..", "."):
        return None
    return name


# What a file given as a Word document really is, told from its content.

KINDS = {"docx": "Word 文档（.docx）", "doc": "旧版 Word（.doc）或 WPS（.wps）文件", "pdf": "PDF 文件",
         "rtf": "RTF 文件", "html": "网页（HTML）", "xlsx": "Excel 表格（.xlsx）", "pptx": "PowerPoint 演示文稿（.pptx）",
         "zip": "压缩包", "damaged": "损坏的压缩包", "empty": "空文件", "other": "别的格式（可能是文本）"}


def sniff(path: Path) -> str:
    """What ``path`` really is, from its content (a key of KINDS), whatever its name says; a missing file, a folder
    or one that cannot be opened raises Unreadable, a zip of more entries than ZIP_ENTRIES LimitExceeded."""
    path = Path(path)
    fd = regular_file(path)  # a folder, a pipe or a device is said as such, never waited on
    try:
        with os.fdopen(fd, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise Unreadable(f"无法读取 {path}：{reason(exc)}") from None
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
    from .limits import LimitExceeded

    try:
        held = names(path)  # the zip's entries counted (ZIP_ENTRIES) before its directory is parsed
    except LimitExceeded:
        raise
    except Unreadable:
        return "damaged"
    return ("docx" if "word/document.xml" in held else "xlsx" if "xl/workbook.xml" in held
            else "pptx" if "ppt/presentation.xml" in held else "zip")


SAVE_AS_DOCX = "请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx）后再试"
_PDF = "drafter check 只检查 Word 文件，请索取 Word 原件（drafter parents import 可以读 PDF）"
_NOT_DOCX = {
    "doc": f"是旧版 Word（.doc）或 WPS（.wps）格式，或是加了密码的文档：{SAVE_AS_DOCX}",
    "pdf": f"是 PDF 文件：{_PDF}",
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
        return f"{path} 其实是 PDF 文件（扩展名却是 {path.suffix or '空的'}）：{_PDF}"
    return f"{path} {_NOT_DOCX.get(kind) or '是' + KINDS[kind] + '，不是 Word 文档（.docx）'}"
