"""The text of the file a parent notice arrived as (.docx, .pdf, .txt), cleaned of what web pages and PDF
extraction do to it: site furniture (banners, breadcrumbs, metadata tables, share prompts, column tags), broken
lines, spaces around digits, ASCII punctuation in Chinese text.

Everything here runs in time linear in the length of the text: each line is looked at a bounded number of times,
and no pattern can backtrack over more than a bounded stretch or a single line."""

from __future__ import annotations

import logging
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..conventions import HEADING, HEADING_NUMBER, PARENT_KINDS, any_of
from ..dates import DATE_LINE
from ..docnumber import looks_like_doc_number
from ..errors import Unreadable
from ..limits import PDF_BYTES, PDF_PAGE_CONTENT, PDF_PAGES, TEXT_CHARS, LimitExceeded

HEADING1 = HEADING[0][1]  # 一、

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》"
END = "。：；！？”）)」"
# A line that starts a paragraph of its own: a heading's number (here “1.” even before a digit), 附件, 抄送, 附注.
STRUCTURE = re.compile(rf"^({HEADING_NUMBER[1]}|{HEADING_NUMBER[2]}|\d+[.．、]|附件|抄送|"
                       r"[（(]此件)")
WHOLE_TITLE = re.compile(any_of(PARENT_KINDS) + "$")

# Lines of a web page that are not part of the notice: site banners and navigation, breadcrumbs, share and print
# prompts, footers, WeChat's follow/share prompts, standalone column tags.
FURNITURE = re.compile(
    r"^(?:(?:您的|您当前的|您当前所在|您现在的|当前|所在)位置|扫一扫|网站地图|主办[:：]|主办单位|承办单位|协办单位|运行管理|"
    r"技术支持|版权所有|联系我们|.*ICP备|.*公网安备|网站标识码|附件下载|相关附件|相关解读|文字解读|图片解读|视频解读|"
    r"访谈解读|媒体报道|相关链接|时间[:：]\s*\d{4}-|分享到|分享[:：]|微信\s*微博|打印本页|关闭窗口|我要打印|"
    r"【(?:打印|关闭|字体|收藏)|字号[:：]|【?字体[:：]|浏览次数|点击[数率]|阅读[:：]|阅读原文|上一[篇条]|下一[篇条]|"
    r"首页\s*(?:[>＞»›|｜/]|\s)|无障碍|长者模式|适老化|登录\s*[|｜]|欢迎(?:您|访问|光临)|点击上方|长按(?:识别)?二维码|"
    r"原创\s|点个?\s*[“\"]?在看|往期(?:推荐|回顾)|[▼▲↓]+$|END$|校对[:：]|"
    r"[（(]来源[:：]|联系电话[:：]\s*\d{3,4}-\d+\s*电子邮件)"
    r"|.*(?:门户网站|发表于\S{0,8})$"
    r"|(?:重要通知|通知公告|公示公告|工作动态|政策文件|部门文件|政府文件|政府信息公开|信息公开|法定主动公开内容|详细内容|"
    r"正文|【[^】]{1,12}】)$")

# The metadata table of a government site's page (信息公开目录): the fact each key gives, or None for those
# that give none. A key may be written with spaces inside (索 引 号) and be followed by a colon or a space.
META = {
    "备注/文号": "doc_number", "发文字号": "doc_number", "文号": "doc_number", "标题": "title",
    "发文机关": "issuer", "发文单位": "issuer", "发布机构": "issuer",
    "成文日期": "date", "发文日期": "date", "发文时间": "date", "公文生成日期": "date", "生成日期": "date",
    "发布日期": "date", "发布时间": "date",
    **dict.fromkeys(["索引号", "组配分类", "主题分类", "信息分类", "体裁分类", "服务对象分类", "公开方式", "公开范围",
                     "公开时限", "公开形式", "有效性", "时效性", "主题词", "信息来源", "浏览次数", "点击数", "更新时间",
                     "生效日期", "废止日期", "来源", "作者", "编辑", "审核", "责任编辑"]),
}
_KEY = "|".join(r"\s*".join(map(re.escape, key)) for key in sorted(META, key=len, reverse=True))
META_KEY = re.compile(rf"(?:^|(?<=\s))({_KEY})\s*(?:[:：]\s*|\s+|$)")
META_LINE = re.compile(rf"^(?:{_KEY})\s*(?:[:：]|\s|$)")
KEY_ALONE = re.compile(rf"^(?:{_KEY})\s*[:：]?$")
WEB_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# A column tag or a reposting mark before a web page's title: 【安全生产】, [通知], 转：, 重要通知｜…
SITE_AFTER = re.compile(r"[|｜][^|｜]{1,20}$")
TAGS = re.compile(r"^(?:【[^】]{1,12}】|\[[^\]]{1,12}\]|转(?:发|载)?\s*[:：]|(?:重要通知|置顶|原创)\s*[:：|｜]?\s*)+")

CUT = ""  # in Source.raw: here page furniture was taken out, so the lines either side were not adjacent


class ImportFailed(Unreadable):
    """A file given to `parents import` (or new --parent) that cannot be read as a notice."""


# Getting the text.

KINDS = {"docx": "Word 文档（.docx）", "pdf": "PDF 文件", "txt": "文本文件"}


def text_of(path: Path) -> tuple[str, str]:
    """(text, kind) of a .docx, .pdf or .txt. A Word or PDF file is read as what its content is (kind says which:
    a PDF named .docx is read as a PDF); one that is neither raises ImportFailed saying what it is and what to do.
    Only a regular file is opened (a folder, a pipe or a device is refused, saying what it is), each kind within its
    limits; the text has its line ends made \\n and its control characters taken out (files.text_lines), and is held
    to TEXT_CHARS."""
    from ..files import read_bytes, read_text, text_lines
    from ..package import KINDS, not_docx, sniff

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".text", ".md", ""):
            text, kind = read_text(path, "来文"), "txt"
        elif suffix not in (".docx", ".doc", ".wps", ".pdf"):
            raise ImportFailed(f"不能读取 {suffix} 文件（{path}）：请给出 .docx、.pdf 或 .txt")
        else:
            kind = sniff(path)  # a regular file only, by content: a PDF named .docx is read as a PDF
            if kind == "pdf":
                text = _pdf_text(path, read_bytes(path, PDF_BYTES, "PDF 文件"))
            elif kind == "docx":
                text = _docx_text(path)
            elif suffix == ".pdf":
                raise ImportFailed(f"{path} 不是 PDF 文件（看内容是{KINDS[kind]}，扩展名却是 .pdf）：请确认文件后再试")
            else:
                raise ImportFailed(not_docx(path, kind))  # what it is and what to do
    except (ImportFailed, LimitExceeded):
        raise
    except Unreadable as exc:
        raise ImportFailed(str(exc)) from None
    text = text_lines(text)
    if len(text) > TEXT_CHARS.amount:
        raise TEXT_CHARS.exceeded(f"来文 {path}", f"读出 {len(text):,} 字")
    return text, kind


def _docx_text(path: Path) -> str:
    from ..check.read import read

    doc = read(path)
    return "\n".join(p.text for p in doc.paras if p.where in ("body", "textbox"))


# pypdf's own limits, set from drafter's: no stream may say it is longer than the file, and no stream of a page's
# content may inflate past PDF_PAGE_CONTENT, whatever its compression; the page tree may not hold more than a few
# entries a page (a tree whose kids repeat doubles at every level).
def _pdf_limits() -> dict[str, int]:
    content = PDF_PAGE_CONTENT.amount
    return {"maximum_declared_stream_length": PDF_BYTES.amount, "array_based_stream_maximum_output_length": content,
            "zlib_maximum_output_length": content, "lzw_maximum_output_length": content,
            "run_length_maximum_output_length": content, "brotli_maximum_output_length": content,
            "jbig2_maximum_output_length": content, "page_tree_maximum_entries": 4 * PDF_PAGES.amount}


_PDF_ADVICE = "请在 PDF 阅读器中打开并另存后再试，或改用 .docx / .txt"
PDF_RECURSION = 1000  # Python's own default: deep nesting ends in RecursionError, never in a crash of the process


def _pdf_text(path: Path, data: bytes) -> str:
    """The text layer of a PDF (``data``, its bytes), page by page, within pypdf's limits set from drafter's
    (_pdf_limits), PDF_PAGES and TEXT_CHARS. Whatever pypdf fails with becomes a message in Chinese naming the file:
    a password, an encryption it cannot undo, a limit, nesting too deep, a damaged file."""
    import io
    import sys

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    where = f"PDF 文件 {path}"
    page = 0  # the page being read, 0 while the file and its page tree are
    limit = sys.getrecursionlimit()
    try:
        with _quiet_pypdf(), _pypdf_configuration(**_pdf_limits()):
            sys.setrecursionlimit(min(limit, PDF_RECURSION))
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):  # many PDFs open without a password
                raise FileNotDecryptedError("password")
            count = len(reader.pages)
            if count > PDF_PAGES.amount:
                raise PDF_PAGES.exceeded(where, f"有 {count} 页")
            pages, length = [], 0
            for page in range(1, count + 1):
                pages.append(reader.pages[page - 1].extract_text() or "")
                length += len(pages[-1])
                if length > TEXT_CHARS.amount:
                    raise TEXT_CHARS.exceeded(f"来文 {path}", f"读到第 {page} 页已超出")
    except LimitExceeded:
        raise
    except DependencyError:
        raise ImportFailed(f"{path} 用 AES 加密，读取它需要 Python 组件 cryptography，而这里没有安装：请运行"
                           "“pip install cryptography”后再试，或在 PDF 阅读器中另存为不加密的 PDF，或改用 .docx / .txt") from None
    except FileNotDecryptedError:
        raise ImportFailed(f"{path} 有密码保护，无法读取文字：请先在 PDF 阅读器中输入密码并另存为不加密的 PDF，"
                           "或改用 .docx / .txt") from None
    except LimitReachedError as exc:
        if "eclared" in str(exc):  # a stream said to be longer than the file can hold
            raise PDF_BYTES.exceeded(where, "其中一段数据声明的长度", advice=_PDF_ADVICE) from None
        if page:
            raise PDF_PAGE_CONTENT.exceeded(f"{where} 第 {page} 页", advice=_PDF_ADVICE) from None
        raise PDF_PAGES.exceeded(where, "页面树展开后过大", advice=_PDF_ADVICE) from None
    except Exception as exc:  # pypdf fails on damaged files in many ways (its own errors, KeyError, ValueError...)
        if _caused_by(exc, RecursionError):  # pypdf may wrap it in an error of its own
            raise ImportFailed(f"{path} 中的对象层层嵌套，超出能读取的深度（{f'第 {page} 页' if page else '文件结构'}）："
                               f"{_PDF_ADVICE}") from None
        raise ImportFailed(f"{path} 不是可读的 PDF（文件已损坏或结构有误）：{_PDF_ADVICE}") from None
    finally:
        sys.setrecursionlimit(limit)
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ImportFailed(f"{path} 没有文字层（可能是扫描件），请先做文字识别，或改用 .docx / .txt")
    return text


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    """Whether ``exc`` is a ``kind`` or was raised while handling one (a short chain: each link is looked at once)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


@contextmanager
def _pypdf_configuration(**limits: int):
    """pypdf's configuration with ``limits`` for what runs inside (pypdf 7 and later; earlier ones have their own
    fixed limits)."""
    try:
        from pypdf import apply_configuration
    except ImportError:
        yield
        return
    with apply_configuration(**limits):  # type: ignore[arg-type]  # pypdf 7's keywords (older stubs say otherwise)
        yield


@contextmanager
def _quiet_pypdf():
    """pypdf logs and warns in English about the damage it works around; the user gets one message in Chinese."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


# Cleaning.

@dataclass
class Source:
    """A notice's text, cleaned.

    raw: each line as it was, cleaned but not joined, with CUT where page furniture was taken out (for the header,
    where each line counts); lines: the lines joined back into paragraphs (for the body); furniture: what the page
    said outside the notice (doc_number, title, issuer, date from its metadata table or title bar)."""

    raw: list[str]
    lines: list[str]
    furniture: dict[str, str] = field(default_factory=dict)


def clean(text: str, kind: str) -> Source:
    """The notice's lines, with the site furniture taken out (what it said is kept in Source.furniture)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("**", "").replace("•", "")
    furniture: dict[str, str] = {}
    dates: dict[str, str] = {}
    raw: list[str] = []
    pending: str | None = None  # a metadata key alone on its line: its value is on the next one
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        if pending is not None:
            if not KEY_ALONE.match(line):
                _keep(furniture, dates, pending, line)
                pending = None
                _cut(raw)
                continue
            pending = None
        alone = KEY_ALONE.match(line) and META_KEY.match(line)
        if alone:
            pending = alone.group(1)
            _cut(raw)
            continue
        if META_LINE.match(line):
            keys = list(META_KEY.finditer(line))
            for m, following in zip(keys, keys[1:] + [None]):
                _keep(furniture, dates, m.group(1), line[m.end():following.start() if following else len(line)])
            _cut(raw)
            continue
        if FURNITURE.match(line) or re.fullmatch(r"—\s*\d+\s*—|-\s*\d+\s*-", line):
            _cut(raw)
            continue
        raw.append(_punctuation(_spacing(line)))
    first = next((i for i, line in enumerate(raw) if line), None)
    if first is not None and re.search(r"通知_", raw[first]):  # a web page's own title bar
        furniture.setdefault("title", raw[first].split("_")[0])
        raw[first] = CUT
    for kind_of_date in ("成文日期", "发文日期", "发文时间", "公文生成日期", "生成日期", "发布日期", "发布时间"):
        if kind_of_date in dates:
            furniture["date"] = dates[kind_of_date]
            break
    return Source(raw, _join([line for line in raw if line], wrapped=kind == "pdf"), furniture)


def _cut(raw: list[str]) -> None:
    if raw and raw[-1] != CUT:
        raw.append(CUT)


def _keep(furniture: dict, dates: dict, key: str, value: str) -> None:
    """A metadata field's value, kept if it says something (文号：无 says nothing)."""
    key, value = re.sub(r"\s", "", key), value.strip()
    fact = META[key]
    if not value or value in ("无", "-", "/", "——") or fact is None:
        return
    if fact == "date":
        m = WEB_DATE.search(value)
        if m:
            dates.setdefault(key, f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
        return
    furniture.setdefault(fact, _spacing(value) if fact != "title" else value)


def untagged(line: str) -> str:
    """A web page's title without the column tags and reposting marks put before it (【安全生产】转：…) and the
    site or account name put after it (…的通知｜江城应急)."""
    return SITE_AFTER.sub("", TAGS.sub("", line)).strip()


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


# Joining broken lines. A paragraph can grow from any number of lines: what the joining rules ask of it is kept
# as it grows (its start, its last characters, whether 关于 occurs in it), so that joining n lines costs O(n).

SHORT = 64  # longer than any date line, 文号 or heading number


@dataclass
class _Paragraph:
    pieces: list[str]
    length: int = 0
    head: str = ""  # the first SHORT characters
    tail: str = ""  # the last few characters
    about: bool = False  # 关于 occurs in it

    def add(self, line: str) -> None:
        self.about = self.about or "关于" in self.tail[-1:] + line
        self.pieces.append(line)
        self.length += len(line)
        if len(self.head) < SHORT:
            self.head = (self.head + line)[:SHORT]
        self.tail = (self.tail + line)[-8:]

    def short(self) -> str | None:
        """The whole text when it is short enough to be a date, a 文号 or a bare heading."""
        return self.head if self.length <= SHORT else None

    def text(self) -> str:
        return "".join(self.pieces)


def _join(lines: list[str], wrapped: bool) -> list[str]:
    """Put back together the lines a PDF or a web page broke in the middle of a sentence."""
    out: list[_Paragraph] = []
    for line in lines:
        after_label = len(out) >= 2 and re.fullmatch(r"附件\s*\d*", out[-2].short() or "")  # an attachment's title
        if out and not after_label and _continues(out[-1], line, wrapped):
            out[-1].add(line)
        else:
            paragraph = _Paragraph([])
            paragraph.add(line)
            out.append(paragraph)
    return [p.text() for p in out]


def _continues(previous: _Paragraph, line: str, wrapped: bool) -> bool:
    whole = previous.short()
    if previous.tail.endswith(tuple(END)) or STRUCTURE.match(line) or DATE_LINE.match(line):
        return False
    if whole is not None and (DATE_LINE.match(whole) or looks_like_doc_number(whole)):
        return False
    if previous.about and WHOLE_TITLE.search(previous.tail):
        return False  # a whole title
    if line.startswith("今年"):  # the first paragraph of a notice of this kind
        return False
    if previous.tail.endswith("文件") or looks_like_doc_number(line) or "印发" in line[-6:]:
        return False
    if STRUCTURE.match(previous.head) and not (wrapped and previous.length >= 24):
        return False  # a heading on its own line
    return True
