"""Importing parent notices as they really arrive: copied from government web pages and WeChat, cut short, in
the encodings offices save text in, as files that are not what their names say, and large."""

import gc
import json
import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import need_libreoffice, run_cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from test_import import CLEAN, EXPECTED

from drafter.answers import resolve
from drafter.cli import main
from drafter.compose import compose
from drafter.parents.importer import extract
from drafter.pdf import to_pdf
from drafter.prompts import Prompter
from drafter.render import render

DATA = Path(__file__).parent / "data" / "import"
EXCERPT = DATA / "08_正文摘录_从主送开始.txt"


# Texts copied from several kinds of sites (written for these tests, imitating what such pages carry).

def test_issuer_title_and_number_of_texts_copied_from_web_pages():
    expected = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))
    assert len(expected) >= 10
    right = {"issuer": 0, "co_issuers": 0, "title": 0, "doc_number": 0}
    wrong = []
    for name, facts in expected.items():
        x = extract(DATA / name)
        facts.setdefault("co_issuers", [])  # a joint notice's other organs, host first in issuer
        for key in right:
            if getattr(x, key) == facts[key]:
                right[key] += 1
            else:
                wrong.append(f"{name} {key}: {getattr(x, key)!r}，应为 {facts[key]!r}")
    assert not wrong, f"right of {len(expected)}: {right}\n" + "\n".join(wrong)


def test_page_furniture_is_not_taken_for_the_notice():
    x = extract(DATA / "04_街道_栏目标签和转.txt")
    assert x.recipients == "各街道安委会，区安委会各成员单位，有关企业" and x.year == 2024
    assert [c["doc_number"] for c in x.cited] == ["江安办〔2024〕11号"]
    x = extract(DATA / "02_区政府_信息公开目录.txt")  # 发布机构, 成文日期 in a table copied one cell a line
    assert x.date.isoformat() == "2024-05-24" and x.recipients.startswith("各乡镇人民政府")


# A text without its title or issuer: said so, never guessed, never stored.

def test_an_excerpt_has_no_title_and_no_issuer_and_says_so():
    x = extract(EXCERPT)
    assert (x.issuer, x.title, x.doc_number) == (None, None, None)
    assert any("没有找到标题" in n for n in x.notes) and any("没有找到发文机关" in n for n in x.notes)
    assert x.recipients == "各县（市、区）安委会，市安委会有关成员单位"
    signed = extract(DATA / "11_摘录_有落款.txt")  # the signature names the issuer; the title stays missing
    assert signed.issuer == "南岸市安全生产委员会办公室" and signed.title is None


def test_import_yes_refuses_an_excerpt_and_names_what_is_missing(tmp_path):
    home = {"DRAFTER_HOME": str(tmp_path / "home")}
    done = run_cli("parents", "import", EXCERPT, "--json", "--yes", env=home)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["issuer"] is None
    assert "没有找到发文机关、标题、发文字号" in done.stderr and "未存入" in done.stderr and EXCERPT.name in done.stderr
    assert not (tmp_path / "home" / "parents").exists()
    cited = run_cli("new", "--defaults", "--parent", EXCERPT, "-o", tmp_path / "x.docx", env=home)
    assert cited.returncode != 0 and "没有找到发文机关" in cited.stderr and not (tmp_path / "x.docx").exists()


def test_on_a_terminal_the_missing_facts_are_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    keys = ("云湖市安全生产委员会办公室\r" + "关于开展2024年全市“安全生产月”活动的通知\r" + "云安办〔2024〕18号\r"
            + "\r\r" + "y\r")  # 机关 标题 文号 typed | 日期 主题 kept | 存入
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        code = main(["parents", "import", str(EXCERPT)], prompter=Prompter(input=pipe, output=DummyOutput()))
    saved = tmp_path / "home" / "parents" / "云安办〔2024〕18号.yaml"
    assert code == 0 and "issuer: 云湖市安全生产委员会办公室" in saved.read_text(encoding="utf-8")


# Encodings government files come in.

@pytest.mark.parametrize("encoding, bom", [
    ("gbk", b""), ("gb18030", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf"),
])
def test_text_files_in_the_encodings_offices_use(tmp_path, encoding, bom):
    path = tmp_path / "来文.txt"
    path.write_bytes(bom + CLEAN.replace("\n", "\r\n").encode(encoding))
    done = run_cli("parents", "import", path, "--json", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert (found["issuer"], found["title"], found["doc_number"]) == (
        EXPECTED["issuer"], EXPECTED["title"], EXPECTED["doc_number"])
    assert found["recipients"] == EXPECTED["recipients"]


# Files that are not what their names say, or cannot be read.

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # how an old .doc (or an encrypted .docx) begins


def _pdf(path: Path, password: str | None = None) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)


CASES = {  # id: (file name, content, what the message says)
    "doc": ("来文.doc", OLE, "另存为” Word 文档（.docx）"),
    "wps": ("来文.wps", b"WPS file", "另存为” Word 文档（.docx）"),
    "doc-named-docx": ("来文.docx", OLE, "旧版 Word（.doc）"),
    "damaged-pdf-named-docx": ("来文.docx", b"%PDF-1.4\n%%EOF\n", "不是可读的 PDF"),
    "text-named-docx": ("来文.docx", b"just some text", "不是 Word 文档"),
    "empty-docx": ("来文.docx", b"", "空文件"),
    "damaged-zip": ("来文.docx", b"PK\x03\x04 damaged", "已损坏"),
    "text-named-pdf": ("来文.pdf", b"just some text", "不是 PDF 文件"),
    "password-pdf": ("来文.pdf", "password", "有密码保护"),
    "truncated-pdf": ("来文.pdf", b"%PDF-1.4 broken", "不是可读的 PDF"),
    "pdf-without-root": ("来文.pdf", b"%PDF-1.4\ntrailer\n<< /Root 5 0 R /Size 1 >>\nstartxref\n99999\n%%EOF",
                         "不是可读的 PDF"),
    "pdf-without-xref": ("来文.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n"
                         b"<< /Root 1 0 R >>\n%%EOF", "不是可读的 PDF"),
    "bad-utf16": ("来文.txt", b"\xff\xfe\x00\xd8", "不是该编码的文本"),
}


@pytest.mark.parametrize("name, content, words", CASES.values(), ids=CASES.keys())
def test_files_that_are_not_what_their_names_say(tmp_path, name, content, words):
    path = tmp_path / name
    if content == "password":
        _pdf(path, password="secret")
    else:
        path.write_bytes(content)
    done = run_cli("parents", "import", path, "--yes", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert words in done.stderr and str(path) in done.stderr, done.stderr
    english = set(re.findall(r"[A-Za-z]{3,}", done.stderr.replace(str(path), "")))
    assert english <= {"Word", "WPS", "PDF", "docx", "doc", "wps", "pdf", "txt", "UTF", "GBK"}, done.stderr
    assert done.stdout == "" and not (tmp_path / "home" / "parents").exists()


@pytest.mark.parametrize("name", ["来文.doc", "来文.wps", "来文.pdf"])
def test_a_word_file_named_otherwise_is_read_as_what_it_is(tmp_path, name):
    import docx

    document = docx.Document()
    for line in CLEAN.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / name
    document.save(str(path))
    done = run_cli("parents", "import", path, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["doc_number"] == EXPECTED["doc_number"] and found["title"] == EXPECTED["title"]
    assert f"文件扩展名是 {path.suffix}，内容其实是Word 文档（.docx）" in "".join(found["notes"])


def test_a_pdf_named_docx_is_read_as_a_pdf(tmp_path):
    need_libreoffice()
    answers = resolve({"issuer": {"sector": "街道"}})
    word = tmp_path / "notice.docx"
    word.write_bytes(render(compose(answers)))
    path = tmp_path / "来文.docx"
    to_pdf(word, tmp_path).rename(path)
    done = run_cli("parents", "import", path, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["doc_number"] == str(answers.doc_number) and found["issuer"] == answers.issuer.name
    assert "文件扩展名是 .docx，内容其实是PDF 文件" in "".join(found["notes"])


# stdout carries what was found (one JSON document with --json), status lines go to stderr.

def test_json_and_yes_print_one_json_document_and_the_status_on_stderr(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text(CLEAN, encoding="utf-8")
    home = {"DRAFTER_HOME": str(tmp_path / "home")}
    done = run_cli("parents", "import", source, "--json", "--yes", env=home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["doc_number"] == EXPECTED["doc_number"]
    assert "已存入 青江街办〔2025〕9号" in done.stderr and "已存入" not in done.stdout
    shown = run_cli("parents", "import", source, env=home)  # no terminal: shown, not saved, said on stderr
    assert "发文机关：" in shown.stdout and "未存入" in shown.stderr and "未存入" not in shown.stdout


# Cost grows with the length of the text, not its square.

SHAPES = {
    "many lines without a sentence end": "安全生产工作\n",
    "a signature's worth of office names": "江城市应急管理局\n",
    "lines with 关于": "关于开展安全生产月活动\n",
    "repeated 根据《": "根据《",
    "one line without a sentence end": "安全生产工作要落实到位",
    "page furniture": "发布机构 某局 成文日期 2024-05-20\n",
}


def _cost(path: Path) -> float:
    """CPU seconds (of this process only, so other load on the machine counts little) for extract."""
    gc.disable()
    try:
        start = time.process_time()
        extract(path)
        return time.process_time() - start
    finally:
        gc.enable()


@pytest.mark.parametrize("shape", SHAPES)
def test_the_cost_of_reading_grows_linearly(tmp_path, shape):
    """Sixteen times the text may cost sixteen times as much, with room for a loaded machine (48 times); a
    quadratic step costs about 256 times as much. The best of a few runs is compared."""
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(SHAPES[shape] * (4000 // len(SHAPES[shape])), encoding="utf-8")
    large.write_text(SHAPES[shape] * (16 * 4000 // len(SHAPES[shape])), encoding="utf-8")
    base = min(_cost(small) for _ in range(5))
    costs = []
    for _ in range(3):
        costs.append(_cost(large))
        if costs[-1] < 48 * base:
            break
    assert min(costs) < 48 * base, f"{shape}: {base * 1000:.1f} ms for 4000 characters, {min(costs) * 1000:.1f} ms for 64000"
