"""Word files from outside (issue 14): hostile or damaged .docx files, generated here small on disk, are refused
within bounded time and memory with a Chinese message naming the limit, or read as far as they make sense; nothing
crashes with a traceback. Each runs `drafter check` (one also `drafter parents import`) as a separate process under
an address-space limit."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from conftest import run_bounded

from drafter.limits import PARAGRAPHS, PART_BYTES, PARTS_BYTES, STYLE_CHAIN, XML_DEPTH, XML_ELEMENTS, ZIP_ENTRIES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:r="{R}"'
DAMAGED = "已损坏"
MEMORY_MB = 700  # a check of an ordinary notice needs ~100 MB; the bombs below needed gigabytes before
SECONDS = 25  # an ordinary check takes under 2 s (Python's start included)
# An A4 page with GB/T 9704's margins, as the paragraphs' section properties.
SECT = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" '
        'w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
STYLES = (f'<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/>'
          '</w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
          '<w:name w:val="Normal"/></w:style>{more}</w:styles>')
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPES = {"word/document.xml": "document.main+xml", "word/styles.xml": "styles+xml",
                 "word/settings.xml": "settings+xml", "word/footer": "footer+xml"}


def content_types(names: Iterable[str]) -> str:
    """[Content_Types].xml naming each WordprocessingML part's type (python-docx goes by them)."""
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{WML}{kind}"/>' for name in names
                        for prefix, kind in CONTENT_TYPES.items() if name.startswith(prefix))
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Default Extension="png" ContentType="image/png"/>{overrides}</Types>')


Chunks = bytes | str | Iterable[bytes]


def para(text: str, props: str = "", run_props: str = "") -> str:
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr>{run_props}</w:rPr><w:t>{text}</w:t></w:r></w:p>"


def rels(*relations: tuple[str, str, str]) -> str:
    """A relationship part: (id, type's last word, target) each."""
    items = "".join(f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"/>'
                    for rid, kind, target in relations)
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def docx_file(path: Path, body: Chunks = "", *, document: Chunks | None = None, styles: str | None = "",
              related: Iterable[tuple[str, str, str]] = (), parts: dict[str, Chunks] | None = None,
              extra_entries: int = 0, main: str = "word/document.xml") -> Path:
    """A .docx written by hand: document.xml holding ``body`` then an A4 section (or the whole ``document``), the
    styles (``styles`` is added to the usual ones; None leaves them out), more relationships of the document
    (id, type, target) and parts; ``main`` is where _rels/.rels says the document is. A part given as an iterable of byte chunks is streamed in, so that one inflating
    to gigabytes is written in little memory and stays small on disk (deflated at level 9)."""
    def write(z: zipfile.ZipFile, name: str, data: Chunks) -> None:
        if isinstance(data, (bytes, str)):
            z.writestr(name, data)
            return
        with z.open(name, "w", force_zip64=True) as f:
            for chunk in data:
                f.write(chunk)

    def whole() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>'.encode()
        yield from ([body.encode()] if isinstance(body, str) else [body] if isinstance(body, bytes) else body)
        yield f"{SECT}</w:body></w:document>".encode()

    relations = [("rIdStyles", "styles", "styles.xml")] if styles is not None else []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        write(z, "[Content_Types].xml", content_types(["word/document.xml", "word/styles.xml", *(parts or {})]))
        write(z, "_rels/.rels", rels(("rId1", "officeDocument", main)))
        write(z, "word/document.xml", whole() if document is None else document)
        write(z, "word/_rels/document.xml.rels", rels(*relations, *related))
        if styles is not None:
            write(z, "word/styles.xml", STYLES.format(more=styles))
        for name, data in (parts or {}).items():
            write(z, name, data)
        for k in range(extra_entries):
            z.writestr(f"customXml/item{k}.xml", "")
    return path


def repeat(chunk: str | bytes, total: int) -> Iterator[bytes]:
    """``chunk`` again and again until ``total`` bytes, a megabyte at a time."""
    piece = chunk.encode() if isinstance(chunk, str) else chunk
    block = piece * max(1, (1 << 20) // len(piece))
    for _ in range(total // len(block) + 1):
        yield block


def check(path: Path, *more: str, memory_mb: int = MEMORY_MB, seconds: int = SECONDS):
    """`drafter check` under the limits; asserts no traceback and the time taken."""
    done, took = run_bounded("check", path, *more, memory_mb=memory_mb, seconds=seconds)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert took < seconds
    return done


def refused(done, limit) -> None:
    """Exit status 2 and the limit named in Chinese."""
    assert done.returncode == 2, done.stderr[-2000:]
    assert limit.what in done.stderr and limit.shown in done.stderr, done.stderr
    assert "超出 drafter 的上限" in done.stderr


NOTICE = "".join(para(t) for t in ("关于开展2025年“安全生产月”活动的通知", "各科室：", "现将有关事项通知如下。",
                                   "某某局", "2025年5月20日"))


def test_a_small_file_inflating_to_gigabytes_is_refused_at_the_part_limit(tmp_path):
    text = para("安全生产月活动" * 700)
    path = docx_file(tmp_path / "炸弹.docx", repeat(text, 1 << 30))
    assert path.stat().st_size < 3 << 20
    done = check(path)
    refused(done, PART_BYTES)
    assert "word/document.xml" in done.stderr


def test_parts_inflating_past_the_total_are_refused(tmp_path):
    """Three footers, each under the limit of a part, together past the limit of all parts read."""
    page = para("页脚" * 2000)
    footer = f'<w:ftr {NS}>' + page * (PART_BYTES.amount * 3 // 4 // len(page.encode())) + "</w:ftr>"
    refs = "".join(f'<w:footerReference w:type="{kind}" r:id="rIdF{k}"/>'
                   for k, kind in enumerate(("default", "even", "first")))
    sect = SECT.replace("<w:pgSz", refs + "<w:pgSz")
    path = docx_file(tmp_path / "页脚.docx", NOTICE + f"<w:p><w:pPr>{sect}</w:pPr></w:p>",
                     related=[(f"rIdF{k}", "footer", f"footer{k}.xml") for k in range(3)],
                     parts={f"word/footer{k}.xml": footer for k in range(3)})
    assert path.stat().st_size < 1 << 20
    refused(check(path), PARTS_BYTES)


def test_an_unused_image_of_a_gigabyte_is_never_inflated(tmp_path):
    path = docx_file(tmp_path / "图片.docx", NOTICE, related=[("rIdImg", "image", "media/image1.png")],
                     parts={"word/media/image1.png": repeat(b"\0", 1 << 30)})
    assert path.stat().st_size < 3 << 20
    done = check(path, memory_mb=400, seconds=10)
    assert done.returncode in (0, 1), done.stderr


def test_a_million_tiny_paragraphs_are_refused_at_the_element_limit(tmp_path):
    path = docx_file(tmp_path / "段落.docx", repeat("<w:p/>", XML_ELEMENTS.amount * 6 + 600))
    assert path.stat().st_size < 1 << 20
    refused(check(path), XML_ELEMENTS)


def test_more_paragraphs_than_the_limit_are_refused(tmp_path):
    path = docx_file(tmp_path / "段落.docx", para("一段") * (PARAGRAPHS.amount + 1))
    refused(check(path), PARAGRAPHS)


def test_xml_nested_past_the_depth_limit_is_refused(tmp_path):
    deep = "<w:sdt><w:sdtContent>" * XML_DEPTH.amount + "</w:sdtContent></w:sdt>" * XML_DEPTH.amount
    refused(check(docx_file(tmp_path / "嵌套.docx", NOTICE + deep)), XML_DEPTH)


def test_a_long_style_inheritance_chain_is_refused_naming_the_style(tmp_path):
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="s{k}"><w:name w:val="样式{k}"/>'
                    + (f'<w:basedOn w:val="s{k - 1}"/>' if k else "") + "</w:style>" for k in range(5000))
    body = "".join(para(f"第{k}段", '<w:pStyle w:val="s4999"/>') for k in range(200))
    done = check(docx_file(tmp_path / "样式.docx", body, styles=chain))
    refused(done, STYLE_CHAIN)
    assert "样式4999" in done.stderr


def test_a_style_chain_within_the_limit_is_followed_to_its_end(tmp_path):
    from drafter.check.read import read

    depth = STYLE_CHAIN.amount
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="s{k}"><w:name w:val="样式{k}"/>'
                    + (f'<w:basedOn w:val="s{k - 1}"/>' if k else '<w:rPr><w:sz w:val="44"/></w:rPr>')
                    + "</w:style>" for k in range(depth))
    doc = read(docx_file(tmp_path / "样式.docx", para("标题", f'<w:pStyle w:val="s{depth - 1}"/>'), styles=chain))
    assert (doc.paras[0].style, doc.paras[0].size) == (f"样式{depth - 1}", 22)


def test_too_many_zip_entries_are_refused_before_the_zip_is_parsed(tmp_path):
    path = docx_file(tmp_path / "部件.docx", NOTICE, extra_entries=ZIP_ENTRIES.amount)
    refused(check(path), ZIP_ENTRIES)


def test_nested_tables_are_read_in_time_linear_in_their_size(tmp_path):
    """Tables in tables as deep as XML_DEPTH lets them go, the innermost cell holding a paragraph of a hundred
    thousand runs: reading a run does not walk up the nesting, nor look for the paragraph's properties again."""
    levels = (XML_DEPTH.amount - 10) // 3
    runs = "<w:r><w:t>格</w:t></w:r>" * 100_000
    nested = ("<w:tbl><w:tr><w:tc>" + para("表格")) * levels + f"<w:p>{runs}</w:p>" + "</w:tc></w:tr></w:tbl>" * levels
    path = docx_file(tmp_path / "表格.docx", NOTICE + nested)
    assert path.stat().st_size < 1 << 20
    done = check(path, seconds=20)
    assert done.returncode in (0, 1), done.stderr


def test_one_long_paragraph_is_checked_in_linear_time(tmp_path):
    """Half a million characters in one paragraph, in the shapes the checks' patterns look for."""
    shapes = ("“安全生产月活动方案通知（2025", "【待【待", "[待[待", "根据《", "XA", "第123个全国", "5月30日前报送",
              "附件", "十十、", "“" + "安" * 50)
    body = NOTICE.replace("现将有关事项通知如下。", "".join(s * 6000 for s in shapes))
    done = check(docx_file(tmp_path / "长段.docx", body), seconds=20)
    assert done.returncode in (0, 1), done.stderr


MALFORMED = {  # what is wrong → the paragraph or document that has it
    "字号带单位": para("正文", run_props='<w:sz w:val="32pt"/>'),
    "字号带小数": para("正文", run_props='<w:sz w:val="31.5"/>'),
    "字号为上标数字": para("正文", run_props='<w:sz w:val="²"/>'),
    "缩进两个负号": para("正文", '<w:ind w:firstLine="--5" w:left="９" w:leftChars="--1"/>'),
    "缩进五千位": para("正文", f'<w:ind w:firstLine="{"9" * 5000}" w:leftChars="{"9" * 5000}"/>'),
    "页面五千位": f'<w:p><w:pPr><w:sectPr><w:pgSz w:w="{"1" * 5000}" w:h="16838"/><w:pgMar w:top="{"2" * 5000}"/>'
                 f'<w:docGrid w:linePitch="{"5" * 5000}"/></w:sectPr></w:pPr></w:p>',
    "序号五千位": para("1" * 5000 + ".标题") + para("附件" + "2" * 5000) + para("第" + "3" * 5000 + "个全国“安全生产月”"),
    "序号十十": para("十十十、标题") + para("二三十一、标题"),
    "页脚域五千层": "",  # see below: a footer with thousands of fields begun and never ended
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_values_read_as_unknown_not_a_crash(tmp_path, case):
    parts, related, body = {}, [], NOTICE.replace(para("某某局"), MALFORMED[case] + para("某某局"))
    if case == "页脚域五千层":
        fields = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>' * 5000
        parts["word/footer1.xml"] = f"<w:ftr {NS}><w:p>{fields}{'<w:r><w:t>— 1 —</w:t></w:r>' * 5000}</w:p></w:ftr>"
        related = [("rIdF", "footer", "footer1.xml")]
        sect = SECT.replace("<w:pgSz", '<w:footerReference w:type="default" r:id="rIdF"/><w:pgSz')
        body += f"<w:p><w:pPr>{sect}</w:pPr></w:p>"
    done = check(docx_file(tmp_path / f"{case}.docx", body, related=related, parts=parts), seconds=15)
    assert done.returncode in (0, 1), done.stderr


@pytest.mark.parametrize("case, document", [
    ("没有正文", f'<w:document {NS}></w:document>'),
    ("别的根元素", f'<w:ftr {NS}><w:body>{NOTICE}</w:body></w:ftr>'),
    ("不是XML", "<w:document"),
    ("实体炸弹", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
             + "".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(8))
             + f']><w:document {NS}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'),
])
def test_a_document_without_a_body_or_with_another_root_is_damaged(tmp_path, case, document):
    done = check(docx_file(tmp_path / f"{case}.docx", document=document))
    assert done.returncode == 2 and DAMAGED in done.stderr, done.stderr


@pytest.mark.parametrize("target", ["../../styles.xml", "/../outside.xml", "missing.xml"])
def test_a_relationship_leading_outside_the_package_or_to_no_part_is_damage(tmp_path, target):
    """The styles' relationship leading outside the package (the file beside the .docx is not read) or to a part
    the package lacks."""
    (tmp_path / "styles.xml").write_text("这不是 XML", encoding="utf-8")
    path = docx_file(tmp_path / "关系.docx", NOTICE, styles=None, related=[("rIdS", "styles", target)])
    done = check(path)
    assert done.returncode == 2 and DAMAGED in done.stderr, done.stderr


def test_a_main_document_outside_the_package_is_damaged(tmp_path):
    path = docx_file(tmp_path / "关系.docx", NOTICE, main="../word/document.xml")
    assert DAMAGED in check(path).stderr


def test_import_is_held_to_the_same_limits(tmp_path):
    bomb = docx_file(tmp_path / "来文.docx", repeat(para("安全生产月活动" * 700), 1 << 30))
    done, took = run_bounded("parents", "import", bomb, "--json", "--parents-dir", tmp_path / "库",
                             memory_mb=MEMORY_MB, seconds=SECONDS)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert PART_BYTES.what in done.stderr and took < SECONDS
    assert not (tmp_path / "库").exists() or not any((tmp_path / "库").iterdir())


def test_an_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("口令：不该读到", encoding="utf-8")
    document = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]><w:document {NS}><w:body>'
                f'{NOTICE.replace("某某局", "None&e;")}</w:body></w:document>')
    done = check(docx_file(tmp_path / "实体.docx", document=document))
    assert done.returncode in (1, 2) and "不该读到" not in done.stdout + done.stderr


def test_control_and_bidi_characters_in_the_text_do_not_reach_the_terminal(tmp_path):
    body = NOTICE.replace("某某局", "None&#x202E;&#x9B;31m某某局")
    done = check(docx_file(tmp_path / "控制符.docx", body))
    assert done.returncode == 1 and "None" in done.stdout, done.stdout
    assert not {"\u202e", "\x9b"} & set(done.stdout + done.stderr)


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def text_box(text: str) -> str:
    """A run holding an anchored text box as Word writes it: the DrawingML box (mc:Choice) and its VML copy
    (mc:Fallback), both with the box's paragraph."""
    content = f"<w:txbxContent>{para(text)}</w:txbxContent>"
    return (f'<w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps"><w:drawing><wps:wsp '
            f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>{content}'
            f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-'
            f'microsoft-com:vml"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
            "</mc:AlternateContent></w:r>")


def test_a_text_box_in_a_table_cell_is_read_once_as_a_text_box(tmp_path):
    """As in the body: the box's paragraph is a textbox paragraph (its VML copy not read), not the cell's text."""
    from drafter.check.read import read

    cell = f"<w:p><w:r><w:t>a</w:t></w:r>{text_box('框中文字')}</w:p>"
    doc = read(docx_file(tmp_path / "表中文本框.docx", f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"))
    assert doc.tables == [[["a"]]]
    assert [(p.where, p.text) for p in doc.paras] == [("table", "a"), ("textbox", "框中文字")]


def test_the_font_size_without_any_in_the_file_is_words_default(tmp_path):
    """No styles part, no size on the run: Word shows 10 pt, so the 标题's size is told, not passed as unknown."""
    done = check(docx_file(tmp_path / "无样式.docx", NOTICE, styles=None))
    assert "[标题] 字号应为 22 磅，此为 10 磅" in done.stdout and "?磅" not in done.stdout, done.stdout


@pytest.mark.parametrize("value", ["\u202ecenter", "cen\x9bter", "center\u2066"])
def test_an_alignment_font_or_style_name_with_control_characters_is_unknown(tmp_path, value):
    """Not the value without the characters: that would pass a malformed value as a valid one."""
    from drafter.check.read import read

    props = f'<w:pStyle w:val="s"/><w:jc w:val="{value}"/><w:framePr w:xAlign="{value}"/>'
    style = f'<w:style w:type="paragraph" w:styleId="s"><w:name w:val="{value}署名"/></w:style>'
    body = para("正文", props, f'<w:rFonts w:eastAsia="{value}仿宋"/>')
    p = read(docx_file(tmp_path / "对齐.docx", body, styles=style)).paras[0]
    assert (p.align, p.frame_align, p.font, p.style) == (None, None, None, "")


@pytest.mark.parametrize("value", ["1.5e9pt", "宽", "1" * 5000], ids=["指数", "文字", "五千位"])
def test_an_unreadable_page_size_or_margin_is_told_not_taken_for_a4(tmp_path, value):
    from drafter.check.read import read

    sect = SECT.replace('w:w="11906"', f'w:w="{value}"').replace('w:left="1588"', f'w:left="{value}"')
    path = docx_file(tmp_path / "页面.docx", document=f"<w:document {NS}><w:body>{NOTICE}{sect}</w:body></w:document>")
    setup = read(path).setup
    assert (setup.width, setup.left) == (None, None) and round(setup.height) == 297
    done = check(path)
    assert done.returncode == 1 and "页面设置无法读取" in done.stdout and "纸张宽度" in done.stdout, done.stdout
    assert "左边距" in done.stdout and "纸张应为 A4" not in done.stdout
