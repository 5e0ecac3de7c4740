"""The text of the file a parent notice arrived as (.docx, .pdf, .txt), cleaned of what web pages and PDF
extraction do to it: site furniture, broken lines, spaces around digits, ASCII punctuation in Chinese text."""

from __future__ import annotations

import re
from pathlib import Path

from .anatomy import DATE as DATE_LINE
from .anatomy import HEADING, looks_like_doc_number
from .errors import DrafterError

HEADING1 = HEADING[0][1]  # 一、

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》"
FURNITURE = re.compile(r"^(索\s*引\s*号|发布机构|公开方式|有\s*效\s*性|您当前的位置|扫一扫|网站地图|主办[:：]|运行管理|"
                       r".*ICP备|.*公网安备|网站标识码|附件下载|相关解读|文字解读|图片解读|视频解读|访谈解读|媒体报道|"
                       r"时间[:：]\s*\d|分享到|打印本页|关闭窗口|【字体|字号[:：]|浏览次数|来源[:：]|公文生成日期|"
                       r"发文时间|成文日期[:：]|备注/文号|文\s*号[:：]?|标\s*题[:：]|主题分类|联系电话[:：]\s*\d{3,4}-\d+\s*电子邮件)")
STRUCTURE = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|附件|抄送|"
                       r"[（(]此件)")
END = "。：；！？”）)」"




class ImportFailed(DrafterError):
    exit_code = 2


# Getting the text.

def text_of(path: Path) -> tuple[str, str]:
    """(text, kind) of a .docx, .pdf or .txt."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docread import read

        return "\n".join(p.text for p in read(path).paras if p.where != "table"), "docx"
    if suffix == ".pdf":
        return _pdf_text(path), "pdf"
    if suffix in (".txt", ".text", ".md", ""):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding), "txt"
            except UnicodeDecodeError:
                continue
        raise ImportFailed(f"{path} 不是 UTF-8 或 GB18030 编码的文本")
    raise ImportFailed(f"不能读取 {suffix} 文件：请给出 .docx、.pdf 或 .txt")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise ImportFailed(f"{path} 不是可读的 PDF：{exc}") from None
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ImportFailed(f"{path} 没有文字层（可能是扫描件），请先做文字识别，或改用 .docx / .txt")
    return text


# Cleaning.

def clean(text: str, kind: str) -> tuple[list[str], dict]:
    """Lines of the notice, with the site furniture taken out (what it said is returned too)."""
    text = text.replace("\r\n", "\n").replace("\u00a0", " ").replace("**", "").replace("•", "")
    furniture: dict[str, str] = {}
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        m = re.match(r"^(?:备注/)?文\s*号\s*[:：]\s*(\S.*)$", line)
        if m:
            furniture.setdefault("doc_number", m.group(1).strip())
        m = re.match(r"^标\s*题\s*[:：]\s*(\S.*)$", line)
        if m:
            furniture.setdefault("title", m.group(1).strip())
        m = re.search(r"(公文生成日期|发文时间|成文日期)\s*[:：]?\s*(\d{4}-\d{1,2}-\d{1,2})", line)
        if m:
            furniture.setdefault("date", m.group(2))
        if not line or FURNITURE.match(line) or re.fullmatch(r"—\s*\d+\s*—|-\s*\d+\s*-", line):
            continue
        lines.append(_punctuation(_spacing(line)))
    if lines and "_" in lines[0] and re.search(r"通知_", lines[0]):  # a web page's own title bar
        furniture.setdefault("title", lines[0].split("_")[0])
        lines = lines[1:]
    return _join(lines, wrapped=kind == "pdf"), furniture


def _spacing(line: str) -> str:
    """Spaces that extraction puts around digits inside Chinese text."""
    line = re.sub(rf"(?<=[{CJK}])\s+(?=[\d])|(?<=\d)\s+(?=[{CJK}])", "", line)
    return re.sub(r"\s{2,}", " ", line)


def _punctuation(line: str) -> str:
    """ASCII punctuation next to Chinese becomes full-width (times like 09:54 and addresses are left alone)."""
    pairs = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
    for ascii_, full in pairs.items():
        line = re.sub(rf"(?<=[{CJK}]){re.escape(ascii_)}|{re.escape(ascii_)}(?=[{CJK}])", full, line)
    return line


def _join(lines: list[str], wrapped: bool) -> list[str]:
    """Put back together the lines a PDF or a web page broke in the middle of a sentence."""
    out: list[str] = []
    for line in lines:
        after_label = len(out) >= 2 and re.fullmatch(r"附件\s*\d*", out[-2])  # an attachment's title stands alone
        if out and not after_label and _continues(out[-1], line, wrapped):
            out[-1] += line
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str, wrapped: bool) -> bool:
    if previous.endswith(tuple(END)) or STRUCTURE.match(line) or DATE_LINE.match(line) or DATE_LINE.match(previous):
        return False
    if "关于" in previous and re.search(r"(通知|方案|意见|决定)$", previous):
        return False  # a whole title
    if line.startswith("今年"):  # the first paragraph of a notice of this kind
        return False
    if previous.endswith("文件") or looks_like_doc_number(previous) or looks_like_doc_number(line) or "印发" in line[-6:]:
        return False
    if STRUCTURE.match(previous) and not (wrapped and len(previous) >= 24):
        return False  # a heading on its own line
    return True
