"""The bounds on what drafter reads and runs, stated once.

Files arrive from outside (a .docx or PDF to check or import, an answers file, a registry folder an office shares)
and plugins run inside drafter. Each is held to the limits below before and while it is read, so that a small hostile
or damaged file cannot take the machine's memory or time; every refusal names its limit in Chinese. The README's
table “安全限制” lists this table (a test compares the two)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Unreadable


@dataclass(frozen=True)
class Limit:
    value: int
    unit: str  # as printed after the value: "MB" (value in MiB), "个", "层", "字", "秒" …
    what: str  # what is limited, as a Chinese noun phrase

    @property
    def shown(self) -> str:
        if self.unit == "MB":
            return f"{self.value} MB"
        return f"{self.value:,}{self.unit}" if self.value >= 10000 else f"{self.value}{self.unit}"

    @property
    def amount(self) -> int:
        """The value in the unit code counts in: bytes for MB, else the value itself."""
        return self.value * 1024 * 1024 if self.unit == "MB" else self.value

    def message(self, where: str, found: str = "") -> str:
        """“<where>：<what>超出上限 <value>（<found>）”, the sentence every refusal starts with."""
        found = f"（{found}）" if found else ""
        return f"{where}：{self.what}超出 drafter 的上限 {self.shown}{found}"

    def exceeded(self, where: str, found: str = "", advice: str = "") -> LimitExceeded:
        text = self.message(where, found)
        return LimitExceeded(f"{text}；{advice or '这不像一份公文，请确认文件无误（README“安全限制”列出各项上限）'}")


class LimitExceeded(Unreadable):
    """A file or a plugin went past one of the limits below."""


# Word files (.docx): what is read of the zip package, and how much work its XML may ask for.
ZIP_ENTRIES = Limit(3000, "个", "Word 文件（.docx）压缩包中的部件数")
PART_BYTES = Limit(20, "MB", "Word 文件中一个所读部件解压后的大小")
PARTS_BYTES = Limit(40, "MB", "Word 文件中所读部件解压后的合计大小")
XML_DEPTH = Limit(120, "层", "Word 文件中 XML 元素的嵌套层数")
XML_ELEMENTS = Limit(1_000_000, "个", "Word 文件中一个部件的 XML 元素数")
PARAGRAPHS = Limit(20000, "段", "一份文档的段落数（含表格、文本框、页脚中的段落）")
STYLE_CHAIN = Limit(30, "层", "样式“基于”关系的层数")

# PDF files (parents import, new --parent).
PDF_BYTES = Limit(50, "MB", "PDF 文件的大小")
PDF_PAGES = Limit(200, "页", "PDF 文件的页数")
PDF_PAGE_CONTENT = Limit(10, "MB", "PDF 一页内容解压后的大小")

# Text: a .txt given to import, and the text drawn from any received file.
TEXT_BYTES = Limit(4, "MB", "文本文件（.txt）的大小")
TEXT_CHARS = Limit(500000, "字", "来文的文字总数")

# YAML: answers files, --set values, registry files.
YAML_BYTES = Limit(1, "MB", "YAML 文件（答案文件、上级来文库中的文件）的大小")
YAML_DEPTH = Limit(40, "层", "YAML 的嵌套层数")
YAML_NODES = Limit(100000, "个", "YAML 展开别名（*）后的值的个数")
YAML_TEXT = Limit(2_000_000, "字", "YAML 展开别名（*）后文字的总长度")
ANSWER_CHARS = Limit(20000, "字", "一项答案的文字长度")

# Names that become file names (a 文号 names its registry file).
NAME_CHARS = Limit(60, "字", "用作文件名的名称（如文号）的长度")

# Plugins: their text templates and their code.
TEMPLATE_OUTPUT = Limit(200000, "字", "插件文字模板一次输出的长度")
TEMPLATE_LOOPS = Limit(10000, "次", "插件文字模板中循环的总次数")
PLUGIN_SECONDS = Limit(30, "秒", "插件载入或一次调用所用的时间")

# Other programs and other people.
CONVERT_SECONDS = Limit(180, "秒", "LibreOffice 把 .docx 转为 PDF 所用的时间")
LOCK_SECONDS = Limit(30, "秒", "等待他人写完同一文件（同一输出、同一上级来文库）的时间")
LOCK_STALE = Limit(300, "秒", "锁文件的有效时长（更早的锁视为持有者已不在运行而遗留的，予以清除）")

# The web page (drafter serve).
UPLOAD_BYTES = Limit(50, "MB", "网页上传的一个请求的大小（上传的文件、答案）")

ALL: dict[str, Limit] = {name: value for name, value in globals().items() if isinstance(value, Limit)}
