"""Text and PDF files from outside given to `parents import FILE` and `new --parent FILE` (issue 14): bounded in size
and work, only regular files opened, every encoding told apart or refused with advice, nothing reaching the terminal
but text, nothing stored when a file is refused. Each hostile file is generated here, small, at test time."""

import codecs
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import run_bounded
from test_import import CLEAN, EXPECTED

from drafter.limits import PDF_BYTES, PDF_PAGE_CONTENT, PDF_PAGES, TEXT_BYTES, TEXT_CHARS

SECONDS = 60  # every run here takes a few seconds at most; a hang or a quadratic step goes far past this


def _import(tmp_path, path, *flags, env=None, memory_mb=1500):
    """`drafter parents import PATH` with a registry of the test's own; (process, seconds)."""
    return run_bounded("parents", "--parents-dir", tmp_path / "registry", "import", path, *flags, env=env,
                       memory_mb=memory_mb, seconds=SECONDS)


def _new(tmp_path, path, env=None, memory_mb=1500):
    """`drafter new --defaults --parent PATH`, writing into the test's folder."""
    (tmp_path / "out").mkdir(exist_ok=True)
    return run_bounded("new", "--defaults", "--parents-dir", tmp_path / "registry", "--parent", path,
                       "-o", tmp_path / "out" / "通知.docx", env=env, memory_mb=memory_mb, seconds=SECONDS)


def _refused(tmp_path, done, *words, code=2):
    """A refusal: the exit code, each of ``words`` in the message, no traceback, nothing stored or written."""
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert not (tmp_path / "registry").exists() or not any((tmp_path / "registry").iterdir())
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _both(tmp_path, path, *words, code=2, env=None, memory_mb=1500):
    """The same refusal from `parents import` and from `new --parent`, each well within its time."""
    for done, took in (_import(tmp_path, path, "--yes", env=env, memory_mb=memory_mb),
                       _new(tmp_path, path, env=env, memory_mb=memory_mb)):
        _refused(tmp_path, done, *words, code=code)
        assert took < SECONDS / 2


# Sizes: a text file is measured before it is read, the text drawn from any file is counted.

def test_a_text_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "来文.txt"
    line = "安全生产工作\n".encode()  # lines without a sentence end: once past 300 s
    path.write_bytes(line * (TEXT_BYTES.amount // len(line) + 1))
    _both(tmp_path, path, TEXT_BYTES.what, TEXT_BYTES.shown, str(path))


def test_text_over_the_character_limit_is_refused(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_text("x" * (TEXT_CHARS.amount + 1), encoding="utf-8")
    assert path.stat().st_size <= TEXT_BYTES.amount
    _both(tmp_path, path, TEXT_CHARS.what, TEXT_CHARS.shown)


@pytest.mark.parametrize("unit", ["安全生产工作\n", "根据《", "江城市应急管理局\n", "关于开展安全生产月活动\n"])
def test_the_longest_text_allowed_is_read_in_seconds(tmp_path, unit):
    """Text up to the character limit, of the shapes that once took minutes, is read in a few seconds."""
    path = tmp_path / "来文.txt"
    path.write_text(unit * (TEXT_CHARS.amount // len(unit)), encoding="utf-8")
    done, took = _import(tmp_path, path, "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert took < 20, f"{took:.1f} s"


# Only regular files are opened: a folder, a named pipe (which would block for ever), a device, an unreadable file.

@pytest.mark.parametrize("kind", ["folder", "pipe", "device", "pipe named .pdf"])
def test_what_is_not_a_regular_file_is_refused_saying_what_it_is(tmp_path, kind):
    if kind == "folder":
        path, said = tmp_path / "来文", "是文件夹"
        path.mkdir()
    elif kind == "device":
        path, said = Path("/dev/zero"), "是设备文件"  # never ends: read whole, it took all memory
    else:
        path, said = tmp_path / ("来文.pdf" if kind.endswith(".pdf") else "来文.txt"), "是命名管道"
        os.mkfifo(path)
    _both(tmp_path, path, said, str(path), memory_mb=1000)


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_check_refuses_what_is_not_a_regular_file_without_waiting(tmp_path, kind):
    if kind == "device":
        path, said = Path("/dev/zero"), "是设备文件"
    else:
        path, said = tmp_path / "通知.docx", "是命名管道"
        os.mkfifo(path)
    done, took = run_bounded("check", path, cwd=tmp_path, memory_mb=1000, seconds=30)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_an_unreadable_file_is_named_with_the_reason_in_chinese(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_text(CLEAN, encoding="utf-8")
    path.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads whatever the mode says: take that power away for the run
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    (tmp_path / "out").mkdir()
    for args in (["parents", "--parents-dir", tmp_path / "registry", "import", path, "--yes"],
                 ["new", "--defaults", "--parents-dir", tmp_path / "registry", "--parent", path,
                  "-o", tmp_path / "out" / "通知.docx"]):
        done = subprocess.run([*prefix, sys.executable, "-m", "drafter", *map(str, args)], capture_output=True,
                              text=True, timeout=SECONDS)
        _refused(tmp_path, done, "没有读取权限", str(path))
        assert "Permission" not in done.stderr


# Encodings: Notepad's “Unicode” (UTF-16) read with or without its mark, Big5 refused with advice, every line end.

def test_utf16_with_its_mark_as_notepad_saves_it(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + CLEAN.replace("\n", "\r\n").encode("utf-16-le"))
    _read_as_clean(tmp_path, path)


def test_utf16_without_a_mark_and_without_ascii_at_the_start(tmp_path):
    """Chinese only in the first few thousand bytes: no zero byte tells UTF-16 there, and GBK reads garbage."""
    opening = "各单位要高度重视安全生产月活动切实加强组织领导" * 100
    path = tmp_path / "来文.txt"
    path.write_bytes((opening + "\r\n" + CLEAN.replace("\n", "\r\n")).encode("utf-16-le"))
    assert b"\x00" not in path.read_bytes()[:4000]
    done, _ = _import(tmp_path, path, "--json")
    assert done.returncode == 0 and EXPECTED["issuer"] in done.stdout, done.stderr


def test_utf16_ascii_only_without_a_mark_is_not_read_as_utf8(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_bytes(CLEAN.replace("\n", "\r\n").encode("utf-16-le"))
    _read_as_clean(tmp_path, path)
    from drafter.files import decode_text

    assert decode_text("Notice 2025\r\n".encode("utf-16-le"), "x") == "Notice 2025\r\n"  # not N\0o\0t\0…


def _read_as_clean(tmp_path, path):
    done, _ = _import(tmp_path, path, "--json")
    assert done.returncode == 0, done.stderr
    assert EXPECTED["title"] in done.stdout and EXPECTED["doc_number"] in done.stdout
    made, _ = _new(tmp_path, path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "registry" / f"{EXPECTED['doc_number']}.yaml").exists()


TRADITIONAL = """江城市青山區江南街道辦事處文件
青江街辦〔2025〕9號
江城市青山區江南街道辦事處關於開展2025年江南街道「安全生產月」活動的通知
各社區居委會，街道各部門，轄區各有關單位：
根據上級安全生產委員會辦公室的要求，結合本街道實際，現將有關事項通知如下。
一、活動主題：人人講安全、個個會應急——查找身邊安全隱患。
二、活動時間：六月一日至六月三十日。請各單位認真組織，確保活動取得實效。
江城市青山區江南街道辦事處
2025年5月26日
"""


def test_big5_is_refused_with_advice_never_read_as_garbage(tmp_path):
    path = tmp_path / "來文.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    _both(tmp_path, path, "Big5", "另存为”UTF-8", code=2)


def test_gbk_is_still_read(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_bytes(CLEAN.encode("gbk"))
    _read_as_clean(tmp_path, path)


@pytest.mark.parametrize("end", ["\r", "\u2028", "\x85", "\x0b"])
def test_every_line_end_splits_lines(tmp_path, end):
    """Old Macs end lines with CR alone; Unicode's separators and Word's vertical tab end them too."""
    path = tmp_path / "来文.txt"
    path.write_text(CLEAN.replace("\n", end), encoding="utf-8")
    done, _ = _import(tmp_path, path, "--json")
    assert done.returncode == 0, done.stderr
    assert f'"title": "{EXPECTED["title"]}"' in done.stdout and f'"issuer": "{EXPECTED["issuer"]}"' in done.stdout


def test_terminal_escapes_in_a_text_never_reach_the_terminal(tmp_path):
    hostile = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"
    lines = CLEAN.split("\n")
    lines[2] = lines[2][:10] + hostile + lines[2][10:]  # inside the title, which is shown and stored
    path = tmp_path / f"来文{hostile}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    for done, _ in (_import(tmp_path, path), _import(tmp_path, path, "--yes"), _new(tmp_path, path),
                    _import(tmp_path, tmp_path / f"缺{hostile}.txt")):
        for ch in "\x1b\x07\x9b\u202e":
            assert ch not in done.stdout and ch not in done.stderr, (done.stdout, done.stderr)
    assert EXPECTED["title"] in (tmp_path / "registry" / f"{EXPECTED['doc_number']}.yaml").read_text(encoding="utf-8")


# PDF: its size before it is opened, its pages, each page's work, encryption, nesting.

def _pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (object n is objects[n - 1], object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _one_page(content: bytes, stream_dict: bytes = b"", trailer: bytes = b"", extra: list[bytes] = ()) -> bytes:
    """A one-page PDF whose page content is ``content`` (its stream dictionary holding ``stream_dict`` too)."""
    length = b"" if b"/Length" in stream_dict else b"/Length %d " % len(content)
    return _pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                       b" /Resources << /Font << /F1 5 0 R >> >> >>",
                       b"<< %s%s>>\nstream\n%s\nendstream" % (length, stream_dict, content),
                       b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *extra], trailer)


def _content_bomb(inflated: int) -> bytes:
    """A page whose content inflates to ``inflated`` bytes of text operators from a few kilobytes."""
    packer, chunk = zlib.compressobj(9), b"(a) Tj " * (1 << 17)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk) + 1)) + packer.flush()
    return _one_page(packed, b"/Filter /FlateDecode ")


def _page_tree(levels: int) -> bytes:
    """A page tree in which each node lists the next twice: 2**levels pages from a few kilobytes."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        n = len(objects) + 1
        parent = b"/Parent %d 0 R " % (n - 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R %d 0 R] /Count %d >>" % (parent, n + 1, n + 1,
                                                                                 2 ** (levels - level)))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % len(objects))
    return _pdf_bytes(objects)


def _many_pages(count: int) -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer, out = PdfWriter(), BytesIO()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


# /V 5 /R 6: AES-256, whose password check itself needs AES (the values need not be right to get that far).
AES_ENCRYPT = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1 /StmF /StdCF /StrF /StdCF"
               b" /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >>"
               b" /O <" + b"11" * 48 + b"> /U <" + b"22" * 48 + b"> /OE <" + b"33" * 32 + b"> /UE <" + b"44" * 32
               + b"> /Perms <" + b"55" * 16 + b"> >>")
FILE_ID = b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] "

HOSTILE_PDFS = {  # id: (the PDF, what the message says)
    "content bomb": (lambda: _content_bomb(8 * PDF_PAGE_CONTENT.amount), (PDF_PAGE_CONTENT.what, "第 1 页")),
    "false stream length": (lambda: _one_page(b"BT /F1 12 Tf (x) Tj ET", b"/Length 99999999999 "),
                            (PDF_BYTES.what, "声明的长度")),
    "exponential page tree": (lambda: _page_tree(40), (PDF_PAGES.what, "页面树")),
    "too many pages": (lambda: _many_pages(PDF_PAGES.amount + 1), (PDF_PAGES.what, f"{PDF_PAGES.amount + 1} 页")),
    "deep nesting in a page": (lambda: _one_page(b"BT /F1 12 Tf " + b"[" * 50000 + b"(x)" + b"]" * 50000 + b" TJ ET"),
                               ("层层嵌套", "第 1 页")),
    "deep nesting in an object": (lambda: _pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 50000
                                                      + b"]" * 50000 + b" >>"]), ("层层嵌套",)),
}


@pytest.mark.parametrize("make, words", HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys())
def test_hostile_pdfs_are_refused_naming_the_limit(tmp_path, make, words):
    path = tmp_path / "来文.pdf"
    path.write_bytes(make())
    assert path.stat().st_size < 2**20
    _both(tmp_path, path, *words, str(path), memory_mb=800)


def test_a_pdf_over_the_size_limit_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "来文.pdf"
    with open(path, "wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(PDF_BYTES.amount + 1)  # sparse: takes no room on disk
    _both(tmp_path, path, PDF_BYTES.what, PDF_BYTES.shown, memory_mb=800)


def test_an_aes_pdf_without_cryptography_says_what_to_install(tmp_path):
    """A plain install has no `cryptography` (pypdf needs it for AES): a package of that name that fails to import
    stands for its absence."""
    blocked = tmp_path / "blocked"
    for name in ("cryptography", "Crypto"):
        (blocked / name).mkdir(parents=True)
        (blocked / name / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    path = tmp_path / "来文.pdf"
    path.write_bytes(_one_page(b"xx", trailer=b"/Encrypt 6 0 R " + FILE_ID, extra=[AES_ENCRYPT]))
    env = {"PYTHONPATH": os.pathsep.join([str(blocked), *filter(None, [os.environ.get("PYTHONPATH")])])}
    _both(tmp_path, path, "AES 加密", "pip install cryptography", str(path), env=env)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_password_protected_pdf_is_told_in_chinese(tmp_path, algorithm):
    from pypdf import PdfWriter

    if algorithm.startswith("AES"):
        pytest.importorskip("cryptography")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    path = tmp_path / "来文.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    _both(tmp_path, path, "有密码保护", "另存为不加密的 PDF")
    for done, _ in (_import(tmp_path, path, "--yes"),):
        assert "decrypted" not in done.stderr
