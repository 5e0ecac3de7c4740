"""`drafter serve`: its HTTP API through FastAPI's TestClient (the same pipeline as `drafter new`, the guard, the
upload limit, the registry and the profile kept in a DRAFTER_HOME of the test's own), and the command itself as a
process on a free port."""

import contextlib
import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile

import docx
import pytest
import yaml
from conftest import ROOT, UPSTREAM, install_plugin, need_libreoffice, run_cli
from docx.oxml.ns import qn
from fastapi.testclient import TestClient

from drafter.limits import UPLOAD_BYTES

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
STREET = ROOT / "examples" / "街道.yaml"
YAML = {"Content-Type": "application/yaml"}
# An office as the clerk types it on the page (the page and the API never print the sector's fictional example office).
OFFICE = {"issuer": {"name": "江城市青山区滨江街道办事处", "code": "青滨街办"}, "number": 9,
          "contact": {"name": "周红", "phone": "0591-87001234"}}

UPSTREAM_TITLE = "关于开展2025年全区“安全生产月”活动的通知"
# The district's notice of the year after (the theme is made up: the built-in data stops at 2025).
NEXT_YEAR = """江城市青山区安全生产委员会办公室
青安办〔2026〕8号
关于开展2026年全区“安全生产月”活动的通知
各街道办事处，区安委会各成员单位：
今年6月是第25个全国“安全生产月”，主题是“安全责任重于山——测试用的主题”。现将有关事项通知如下：
一、组织隐患排查
各街道要组织网格员对辖区开展一次全面排查。
江城市青山区安全生产委员会办公室
2026年5月18日
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    """DRAFTER_HOME of the test's own (profile and registry), and a working folder of its own."""
    home = tmp_path / "home"
    monkeypatch.setenv("DRAFTER_HOME", str(home))
    monkeypatch.delenv("DRAFTER_PARENTS_DIR", raising=False)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return home


def make_client(remember=True):
    from drafter.serve.app import create_app

    return TestClient(create_app(plugins=None, registry=None, hosts=("testserver",), remember=remember))


@pytest.fixture
def client(home):
    return make_client()


def iso(value):
    """YAML's values as JSON carries them: dates as ISO text."""
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def as_json(path):
    return iso(yaml.safe_load(path.read_text(encoding="utf-8")))


def parts(data):
    """Every part of a .docx by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def cli_draft(answers, folder):
    """`drafter new --answers` as a user runs it, in a DRAFTER_HOME of its own; returns the .docx path."""
    out = folder / "x.docx"
    done = run_cli("new", "--answers", answers, "-o", out, env={"DRAFTER_HOME": str(folder / "cli-home")})
    assert done.returncode == 0, done.stderr
    return out


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def contains(big, small):
    """Every value of ``small`` is in ``big`` (mappings compared key by key; what ``big`` adds is left alone)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and contains(big[k], v) for k, v in small.items())
    return big == small


# 1. The page drafts what `drafter new` drafts.

@pytest.fixture(scope="module")
def cli_drafts(tmp_path_factory):
    """Each example answers file drafted once by the command: {example: (.docx bytes, saved answers text)}."""
    out = {}
    for example in EXAMPLES:
        path = cli_draft(example, tmp_path_factory.mktemp("cli"))
        out[example.name] = (path.read_bytes(), path.with_suffix(".yaml").read_text(encoding="utf-8"))
    return out


@pytest.mark.parametrize("sent_as", ["yaml", "json"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_draft_gives_the_document_drafter_new_gives(client, cli_drafts, example, sent_as):
    assert len(EXAMPLES) >= 2
    if sent_as == "yaml":
        r = client.post("/api/draft", content=example.read_bytes(), headers=YAML)
    else:
        r = client.post("/api/draft", json=as_json(example))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in r.headers["content-disposition"] and ".docx" in r.headers["content-disposition"]
    ours, theirs = parts(r.content), parts(cli_drafts[example.name][0])
    assert ours["word/document.xml"] == theirs["word/document.xml"]
    # the rendering is deterministic (fixed core properties, no random ids): every other part is the same too
    assert ours == theirs


# 2. Answers with a wrong date: 422 with the problem keyed, and the server goes on serving.

@pytest.mark.parametrize("date, words", [("2025-13-40", "不是存在的日期"), ("明天", "不是日期")])
def test_a_bad_date_is_a_422_keyed_date_and_the_server_keeps_serving(client, date, words):
    r = client.post("/api/draft", json={"date": date})
    assert r.status_code == 422
    body = r.json()
    assert chinese(body["message"]) and date in body["message"] and words in body["message"]
    assert any(p["key"] == "date" and words in p["message"] for p in body["problems"])
    assert "Traceback" not in r.text
    assert client.get("/").status_code == 200
    good = client.post("/api/draft", content=STREET.read_bytes(), headers=YAML)
    assert good.status_code == 200 and good.content[:2] == b"PK"


# 3. Validation: problems keyed by the answer they concern.

def test_validate_keys_each_problem_and_never_says_none(client):
    texts = []

    def validate(answers):
        r = client.post("/api/validate", json=answers)
        assert r.status_code == 200, r.text
        texts.append(r.text)
        return r.json()

    good = validate(as_json(STREET))
    assert good["ok"] is True and good["problems"] == []
    assert good["title"] == "江城市青山区江南街道办事处关于开展2025年江南街道“安全生产月”活动的通知"
    assert good["doc_number"] == "青江街办〔2025〕9号"

    phone = validate({**OFFICE, "contact": {"name": "张华", "phone": "不是电话"}})
    assert phone["ok"] is False
    assert [p["key"] for p in phone["problems"]] == ["contact.phone"] and "电话" in phone["problems"][0]["message"]

    number = validate({**OFFICE, "number": "012"})
    assert number["ok"] is False and "title" not in number
    assert [p["key"] for p in number["problems"]] == ["number"]
    assert "012" in number["problems"][0]["message"] and "虚位" in number["problems"][0]["message"]

    unknown = validate({"yeer": 2025})
    assert unknown["ok"] is False
    assert any("yeer" in p["message"] and "不认识" in p["message"] for p in unknown["problems"])
    assert "year" in unknown["message"]  # the likely key is suggested

    office = validate({})  # no office named: asked for, not the example's
    assert {p["key"] for p in office["problems"]} >= {"issuer.name", "issuer.code", "number", "contact"}

    assert all("None" not in text for text in texts), texts


# 4. Checking an uploaded .docx.

@pytest.fixture
def drafted(tmp_path):
    """A notice drafted by the command (the built-in sample): its path."""
    path = tmp_path / "ours.docx"
    done = run_cli("new", "--defaults", "-o", path, env={"DRAFTER_HOME": str(tmp_path / "cli-home")})
    assert done.returncode == 0, done.stderr
    return path


def damaged(path, old, new):
    """A copy of the notice with ``old`` replaced by ``new`` in its text (as tests/test_check.py damages them)."""
    d = docx.Document(str(path))
    done = 0
    for t in d.element.body.iter(qn("w:t")):
        if old in (t.text or "") and not done:
            t.text = t.text.replace(old, new, 1)
            done += 1
    assert done, f"“{old}” is not in the notice"
    out = path.with_name("damaged.docx")
    d.save(str(out))
    return out


def test_check_reports_a_damaged_notice_and_a_clean_one_clean(client, drafted):
    clean = client.post("/api/check", files={"file": ("通知.docx", drafted.read_bytes())})
    assert clean.status_code == 200, clean.text
    assert clean.json()["errors"] == 0 and clean.json()["findings"] == []

    broken = damaged(drafted, "青商务〔2025〕18号", "青商务[2025]18号")
    r = client.post("/api/check", files={"file": ("收到的.docx", broken.read_bytes())})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["file"] == "收到的.docx" and found["errors"] > 0 and "pdf" not in found
    named = [f for f in found["findings"] if f["element"] == "发文字号"]
    assert named and any("六角括号" in f["message"] and f["text"] == "青商务[2025]18号" for f in named)
    assert all(f["severity"] == "error" and f["rule"] == "GB/T 9704—2012 7.2.5" for f in named)


def test_check_with_render_measures_the_pages_it_converted_once(client, drafted, monkeypatch):
    need_libreoffice()
    from drafter import pdf

    converted = []
    real = pdf.to_pdf
    monkeypatch.setattr(pdf, "to_pdf", lambda *a, **k: converted.append(a[0]) or real(*a, **k))
    r = client.post("/api/check", files={"file": ("通知.docx", drafted.read_bytes())}, data={"render": "true"})
    assert r.status_code == 200, r.text
    assert r.json()["errors"] == 0 and r.json()["render_error"] is None
    assert len(converted) == 1  # measured and previewed from the same PDF
    page = client.post("/parts/check", files={"file": ("通知.docx", drafted.read_bytes())}, data={"render": "true"})
    assert page.status_code == 200 and "/preview/" in page.text and len(converted) == 2


def test_check_of_a_file_that_is_not_a_docx_is_a_422_in_chinese(client):
    r = client.post("/api/check", files={"file": ("x.docx", os.urandom(4096))})
    assert r.status_code == 422
    message = r.json()["message"]
    assert chinese(message) and "不是 Word 文档" in message
    assert "Traceback" not in r.text and "Error" not in r.text


def test_check_of_a_file_that_is_not_a_docx_names_the_file_sent(client):
    message = client.post("/api/check", files={"file": ("x.docx", os.urandom(4096))}).json()["message"]
    assert "x.docx" in message and "drafter-upload" not in message and "上传.docx" not in message


def test_check_refuses_a_file_not_named_docx(client, drafted):
    r = client.post("/api/check", files={"file": ("x.txt", drafted.read_bytes())})
    assert r.status_code == 422
    message = r.json()["message"]
    assert "x.txt" in message and ".docx" in message and chinese(message)


# 5. The guard: other sites, other host names, and the size of a request.

def test_a_request_from_another_site_is_refused_and_nothing_is_done(client, home):
    found = client.post("/api/parents/read", files={"file": ("来文.txt", UPSTREAM.encode("utf-8"))}).json()
    r = client.post("/api/parents", json=found, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert "拒绝" in r.json()["message"] and "http://evil.example" in r.json()["message"]
    assert client.get("/api/parents", params={"q": "青安办"}).json() == []
    assert not (home / "parents").exists() or list((home / "parents").iterdir()) == []

    host = client.post("/api/parents", json=found, headers={"Host": "evil.example"})
    assert host.status_code == 403 and "evil.example" in host.json()["message"] and chinese(host.json()["message"])
    site = client.post("/api/parents", json=found, headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403 and "拒绝" in site.json()["message"]
    assert client.get("/api/parents", params={"q": "青安办"}).json() == []

    own = client.post("/api/parents", json=found, headers={"Origin": "http://testserver",
                                                           "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200, own.text
    assert [p["doc_number"] for p in client.get("/api/parents", params={"q": "青安办"}).json()] == ["青安办〔2025〕21号"]


def test_an_upload_over_the_limit_is_a_413_naming_the_limit(client):
    r = client.post("/api/check", files={"file": ("x.docx", b"\0" * (UPLOAD_BYTES.amount + 1))})
    assert r.status_code == 413
    message = r.json()["message"]
    assert UPLOAD_BYTES.shown in message and "上限" in message and chinese(message)


def chunks(total, head=b"", tail=b""):
    """A body sent without Content-Length (chunked), ``total`` bytes of zeros between ``head`` and ``tail``."""
    yield head
    size = 1 << 20
    for start in range(0, total, size):
        yield b"\0" * min(size, total - start)
    yield tail


def multipart_chunks(total, name="x.docx"):
    return chunks(total, (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="' + name.encode() +
                          b'"\r\nContent-Type: application/octet-stream\r\n\r\n'), b"\r\n--xyz--\r\n")


MULTIPART = {"Content-Type": "multipart/form-data; boundary=xyz"}


def test_a_body_of_undeclared_length_over_the_limit_is_a_413(client):
    r = client.post("/api/draft", content=chunks(UPLOAD_BYTES.amount + 1), headers=YAML)
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413
    assert UPLOAD_BYTES.shown in r.json()["message"] and "上限" in r.json()["message"]
    # a small upload sent the same way is read (and found not to be a Word file)
    small = client.post("/api/check", content=multipart_chunks(4096), headers=MULTIPART)
    assert small.status_code == 422 and "不是 Word 文档" in small.json()["message"]
    assert client.get("/").status_code == 200


def test_an_upload_of_undeclared_length_over_the_limit_is_a_413(client):
    r = client.post("/api/check", content=multipart_chunks(UPLOAD_BYTES.amount + 1), headers=MULTIPART)
    assert r.status_code == 413
    assert UPLOAD_BYTES.shown in r.json()["message"]


# 6. The registry of parent notices.

def test_parents_are_found_by_number_without_brackets_and_by_theme(client):
    by_number = client.get("/api/parents", params={"q": "安委办[2025]"}).json()
    assert "安委办〔2025〕1号" in [p["doc_number"] for p in by_number]
    assert all("2025" in p["doc_number"] for p in by_number)
    by_theme = client.get("/api/parents", params={"q": "查找身边安全隐患"}).json()
    assert [p["doc_number"] for p in by_theme] == ["安委办〔2025〕1号"]
    assert by_theme[0]["builtin"] is True and by_theme[0]["year"] == 2025
    assert client.get("/api/parents", params={"q": "没有这样的来文"}).json() == []


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The temporary folder the server uses, one of the test's own (empty)."""
    folder = tmp_path / "tmp" / "t"
    folder.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def every_file(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_received_notice_is_read_then_saved_and_the_upload_is_not_kept(client, home, own_tmp):
    cwd = os.getcwd()
    r = client.post("/api/parents/read", files={"file": ("收到的通知.txt", UPSTREAM.encode("utf-8"))})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["issuer"] == "江城市青山区安全生产委员会办公室"
    assert found["doc_number"] == "青安办〔2025〕21号" and found["title"] == UPSTREAM_TITLE
    assert found["date"] == "2025-05-20" and found["year"] == 2025 and found["n"] == 24
    assert found["theme"] == "人人讲安全、个个会应急——查找身边安全隐患"
    assert found["headings"] == ["组织隐患排查", "工作要求"]
    assert found["cited"][0]["doc_number"] == "安委办〔2025〕1号"
    assert client.get("/api/parents", params={"q": "青安办"}).json() == []  # read, not saved

    saved = client.post("/api/parents", json=found)
    assert saved.status_code == 200, saved.text
    assert saved.json()["doc_number"] == "青安办〔2025〕21号"
    listed = client.get("/api/parents", params={"q": "青安办"}).json()
    assert [(p["doc_number"], p["title"], p["builtin"]) for p in listed] == [
        ("青安办〔2025〕21号", UPSTREAM_TITLE, False)]
    assert every_file(home) == ["parents/青安办〔2025〕21号.yaml"]
    assert os.listdir(cwd) == [] and every_file(own_tmp) == []

    # saved again: 409, said for the page (a button to press, not a command-line option); replaced when asked
    again = client.post("/api/parents", json={**found, "theme": "人人讲安全、个个会应急——改过的主题"})
    assert again.status_code == 409 and "替换库中的这份" in again.json()["message"]
    assert "--force" not in again.text
    assert client.get("/api/parents", params={"q": "改过的主题"}).json() == []
    replaced = client.post("/api/parents?force=true", json={**found, "theme": "人人讲安全、个个会应急——改过的主题"})
    assert replaced.status_code == 200, replaced.text
    assert [p["doc_number"] for p in client.get("/api/parents", params={"q": "改过的主题"}).json()] == ["青安办〔2025〕21号"]
    # what the reader did not find is asked for on the page, not through the terminal
    lacking = client.post("/api/parents", json={**found, "doc_number": None})
    assert lacking.status_code == 422 and "发文字号" in lacking.json()["message"]
    assert "drafter parents" not in lacking.text and "终端" not in lacking.text


def test_an_upload_named_as_a_path_is_written_only_in_a_temporary_folder(client, home, own_tmp, tmp_path):
    cwd = os.getcwd()
    name = "../../evil.txt"
    places = [os.path.join(folder, name) for folder in (cwd, home, own_tmp, own_tmp / "drafter-upload-x")]
    assert not any(os.path.exists(p) for p in places)
    r = client.post("/api/parents/read", files={"file": (name, UPSTREAM.encode("utf-8"))})
    assert r.status_code == 200, r.text
    assert r.json()["doc_number"] == "青安办〔2025〕21号"
    assert not any(os.path.exists(p) for p in places)
    assert not list(tmp_path.rglob("evil.txt")) and not list(tmp_path.parent.glob("evil.txt"))
    assert os.listdir(cwd) == [] and every_file(own_tmp) == [] and not home.exists()


# 7. Where drafting starts: a sector, a parent notice, answers loaded.

def test_start_with_a_sector_gives_its_issuer_and_activities(client):
    from drafter.answers import resolve

    r = client.post("/api/start", json={"sector": "街道"})
    assert r.status_code == 200, r.text
    answers = r.json()["answers"]
    assert answers["issuer"]["sector"] == "街道"
    street = resolve({"issuer": {"sector": "街道"}}).activities
    assert answers["activities"] == street
    assert {"grid_patrol", "school_evacuation"} <= set(answers["activities"])
    shops = client.post("/api/start", json={"sector": "商务"}).json()["answers"]
    assert shops["issuer"]["sector"] == "商务" and shops["activities"] != answers["activities"]


def test_another_sector_keeps_what_the_clerk_wrote(client):
    """Changing the sector refills what the sector decides, but the clerk's own sections, activities, tables and
    slogans stay, each where it stood among the new sector's."""
    street = client.post("/api/start", json={"sector": "街道"}).json()["answers"]
    section = {"title": "加强值班值守", "paragraphs": ["各社区要严格落实值班制度。"]}
    activity = {"title": "开展消防夜查", "paragraphs": ["组织夜间消防检查。"]}
    table = {"kind": "table", "title": "2025年隐患排查登记表", "columns": ["单位", "隐患"], "blank_rows": 5}
    mine = {**street, **OFFICE, "outline": [street["outline"][0], section, *street["outline"][1:]],
            "activities": [activity, *street["activities"]], "attachments": [*street["attachments"], table],
            "slogans": ["安全第一，预防为主", "隐患排查到身边，平安守护进万家"]}
    r = client.post("/api/start", json={"sector": "商务", "base": mine})
    assert r.status_code == 200, r.text
    shops = r.json()["answers"]
    assert shops["issuer"]["sector"] == "商务"
    assert shops["outline"][1] == section and shops["activities"][0] == activity and table in shops["attachments"]
    assert shops["slogans"] == mine["slogans"]
    assert set(shops["activities"][1:]) != set(street["activities"])  # the sector's own activities are the new one's
    assert "business_responsibility" in shops["outline"] and "street_leading_group" not in shops["outline"]
    assert client.post("/api/validate", json=shops).json()["ok"] is True


def test_the_catalogue_texts_are_written_out_before_the_answers_are_complete(client):
    """The page starts without an office: the activities' texts are still shown as printed (no {{ … }}), from the
    sector's example office, and said to be so; once the office is typed, from the page's own answers."""
    start = client.post("/api/start", json={"sector": "街道"}).json()
    texts = [t for a in start["catalogue"]["activities"] for t in [a["title"], *a["text"]]]
    assert texts and not [t for t in texts if "{{" in t or "{%" in t or "}}" in t]
    assert "示例机关" in start["catalogue"]["preview"]
    assert "全街道“安全宣传咨询日”" in "".join(texts)  # {{ area }} written for a 街道
    own = client.post("/api/start", json={"base": {**start["answers"], **OFFICE}}).json()
    assert own["catalogue"]["preview"] == ""
    assert own["catalogue"]["labels"]["co_issuers"] == "联合发文机关"


def test_start_with_a_parent_of_another_year_takes_its_year_and_theme(client):
    default = client.post("/api/start", json={}).json()["answers"]
    other = [p for p in client.get("/api/parents").json() if p["builtin"] and p["year"] != default["year"]]
    assert other, "the shipped registry has notices of other years"
    parent = other[0]
    r = client.post("/api/start", json={"parents": [parent["doc_number"]]})
    assert r.status_code == 200, r.text
    answers = r.json()["answers"]
    assert answers["year"] == parent["year"] != default["year"]
    assert answers["theme"] == parent["theme"] != default["theme"]
    assert [p["doc_number"] for p in answers["parents"]] == [parent["doc_number"]]
    assert client.post("/api/validate", json={**answers, **OFFICE}).json()["ok"] is True


def street_upload(carry):
    return {"files": {"file": ("街道.yaml", STREET.read_bytes())}, "data": {"carry": "true" if carry else "false"}}


def test_load_carried_to_the_next_year_takes_the_new_parent_and_leaves_the_number_to_type(client):
    # the district's notice of the next year is in the registry (built-in data stops at 2025)
    nxt = NEXT_YEAR
    found = client.post("/api/parents/read", files={"file": ("来文.txt", nxt.encode("utf-8"))}).json()
    assert client.post("/api/parents", json=found).status_code == 200
    last = yaml.safe_load(STREET.read_text(encoding="utf-8"))
    r = client.post("/api/load", **street_upload(carry=True))
    assert r.status_code == 200, r.text
    answers = r.json()["answers"]
    assert answers["year"] == last["year"] + 1
    assert "number" not in answers or answers["number"] is None
    assert [p["doc_number"] for p in answers["parents"]] == ["青安办〔2026〕8号"]
    assert answers["theme"] == found["theme"] and contains(answers["issuer"], last["issuer"])
    checked = client.post("/api/validate", json=answers).json()
    assert checked["ok"] is False and [p["key"] for p in checked["problems"]] == ["number"]
    assert client.post("/api/validate", json={**answers, "number": 3}).json()["ok"] is True


def test_load_carried_to_a_year_without_data_still_loads(client):
    last = yaml.safe_load(STREET.read_text(encoding="utf-8"))
    r = client.post("/api/load", **street_upload(carry=True))
    assert r.status_code == 200, r.text
    answers = r.json()["answers"]
    assert answers["year"] == last["year"] + 1 and answers.get("number") is None
    # the year without data is said first (its theme to be typed, its parent picked or none chosen: never none by
    # default), then the 文号 number to be typed anew
    assert "parents" not in answers
    keys = {p["key"] for p in client.post("/api/validate", json=answers).json()["problems"]}
    assert keys == {"theme", "parents"}
    typed = {**answers, "theme": "安全第一、预防为主", "parents": []}
    keys = {p["key"] for p in client.post("/api/validate", json=typed).json()["problems"]}
    assert "number" in keys and "theme" not in keys and "parents" not in keys


def test_load_without_carry_gives_the_answers_of_the_file(client):
    r = client.post("/api/load", **street_upload(carry=False))
    assert r.status_code == 200, r.text
    answers = r.json()["answers"]
    assert contains(answers, as_json(STREET))  # the file's answers as written, the defaults filled in besides
    from_page = client.post("/api/draft", json=answers)
    from_file = client.post("/api/draft", content=STREET.read_bytes(), headers=YAML)
    assert from_page.status_code == from_file.status_code == 200
    assert parts(from_page.content)["word/document.xml"] == parts(from_file.content)["word/document.xml"]


# 8. The answers file the page gives.

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_answers_file_is_the_one_drafter_new_saves_and_drafts_the_same(client, cli_drafts, example, tmp_path):
    r = client.post("/api/answers", content=example.read_bytes(), headers=YAML)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/yaml") and ".yaml" in r.headers["content-disposition"]
    docx_bytes, saved = cli_drafts[example.name]
    assert r.text == saved
    path = tmp_path / "网页.yaml"
    path.write_bytes(r.content)
    again = cli_draft(path, tmp_path)
    assert parts(again.read_bytes())["word/document.xml"] == parts(docx_bytes)["word/document.xml"]


def test_answers_file_from_json_answers_is_accepted_by_drafter_new(client, tmp_path):
    sent = {**OFFICE, "issuer": {**OFFICE["issuer"], "sector": "街道"}, "number": 5, "publicity": "此件主动公开"}
    r = client.post("/api/answers", json=sent)
    assert r.status_code == 200, r.text
    path = tmp_path / "网页.yaml"
    path.write_bytes(r.content)
    drafted = cli_draft(path, tmp_path)
    assert drafted.with_suffix(".yaml").read_text(encoding="utf-8") == r.text
    page = client.post("/api/draft", json=sent)
    assert parts(page.content)["word/document.xml"] == parts(drafted.read_bytes())["word/document.xml"]


# 9. The API describes itself.

def test_openapi_lists_the_routes_with_their_summaries_and_the_422(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    summaries = {p: paths[p]["post"]["summary"] for p in ("/api/draft", "/api/check", "/api/validate")}
    assert "起草" in summaries["/api/draft"] and ".docx" in summaries["/api/draft"]
    assert "检查" in summaries["/api/check"] and "检查答案" in summaries["/api/validate"]
    draft = paths["/api/draft"]["post"]
    problems = draft["responses"]["422"]
    assert "problems" in problems["description"]
    assert {"message", "problems"} <= set(problems["content"]["application/json"]["example"])
    assert {"application/json", "application/yaml"} <= set(draft["requestBody"]["content"])


# 10. The profile is kept only when asked.

def test_draft_remembers_the_issuer_only_when_asked(client, home):
    profile = home / "profile.yaml"
    plain = client.post("/api/draft", content=STREET.read_bytes(), headers=YAML)
    assert plain.status_code == 200 and not profile.exists()
    kept = client.post("/api/draft", params={"remember": "true"}, content=STREET.read_bytes(), headers=YAML)
    assert kept.status_code == 200 and kept.content[:2] == b"PK"
    assert profile.exists()
    assert yaml.safe_load(profile.read_text(encoding="utf-8"))["issuer"]["name"] == "江城市青山区江南街道办事处"


def test_an_app_made_not_to_remember_keeps_no_profile(home):
    client = make_client(remember=False)
    r = client.post("/api/draft", params={"remember": "true"}, content=STREET.read_bytes(), headers=YAML)
    assert r.status_code == 200 and not (home / "profile.yaml").exists()


# 11. PDF through LibreOffice, or why not.

def test_pdf_through_libreoffice(client):
    need_libreoffice()
    r = client.post("/api/pdf", content=STREET.read_bytes(), headers=YAML)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"


def test_pdf_without_libreoffice_is_a_503_saying_so(client, tmp_path, monkeypatch):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DRAFTER_SOFFICE", raising=False)
    r = client.post("/api/pdf", content=STREET.read_bytes(), headers=YAML)
    assert r.status_code == 503
    message = r.json()["message"]
    assert "未找到 LibreOffice" in message and "无法生成 PDF" in message and "install" in message
    assert client.get("/").status_code == 200


# The command.

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as response:
        return response.status, response.read()


@contextlib.contextmanager
def serving(tmp_path, *args, env=None):
    """`drafter serve --no-browser` in a process of its own; yields (process, port, stderr of the run once it is
    stopped: a list filled on the way out)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "serve", "--no-browser", "--port", str(port), *args],
                            env={**os.environ, "DRAFTER_HOME": str(tmp_path / "serve-home"), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = []
    try:
        yield proc, port, err
    finally:
        proc.terminate()
        try:
            err.append(proc.communicate(timeout=15)[1])
        except subprocess.TimeoutExpired:
            proc.kill()
            err.append(proc.communicate()[1])


def wait_until_up(proc, port):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"drafter serve exited with {proc.returncode}: {proc.stderr.read()}"
        try:
            return get(f"http://127.0.0.1:{port}/")
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    pytest.fail("drafter serve did not answer within 20 s")


def test_serve_starts_answers_and_a_second_one_on_its_port_is_refused(tmp_path):
    with serving(tmp_path) as (proc, port, err):
        status, page = wait_until_up(proc, port)
        assert status == 200 and "drafter" in page.decode("utf-8")
        try:
            second = subprocess.run([sys.executable, "-m", "drafter", "serve", "--no-browser", "--port", str(port)],
                                    env={**os.environ, "DRAFTER_HOME": str(tmp_path / "serve-home")},
                                    capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("a second drafter serve on a port in use did not stop")
        assert second.returncode == 1
        assert f"端口 {port}" in second.stderr and "--port" in second.stderr and "占用" in second.stderr
        assert "Traceback" not in second.stderr
        assert get(f"http://127.0.0.1:{port}/")[0] == 200  # the first one is untouched
    assert f"已启动：http://127.0.0.1:{port}/" in err[0]
    assert "注意" not in err[0] and "Traceback" not in err[0]


def test_serve_on_all_addresses_warns_that_other_computers_can_reach_it(tmp_path):
    with serving(tmp_path, "--host", "0.0.0.0") as (proc, port, err):
        assert wait_until_up(proc, port)[0] == 200
    assert f"已启动：http://127.0.0.1:{port}/" in err[0]
    assert "注意：本机以外的电脑也能打开它" in err[0] and "可信的内网" in err[0]


def test_help_lists_serve():
    done = run_cli("--help")
    assert done.returncode == 0 and "serve" in done.stdout
    done = run_cli("serve", "--help")
    assert done.returncode == 0 and "--port" in done.stdout and "--no-browser" in done.stdout


WEB = ("fastapi", "uvicorn", "starlette")


def test_help_does_not_import_the_web_server():
    code = ("import sys; from drafter import cli; cli._parser(); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    timed = subprocess.run([sys.executable, "-X", "importtime", "-m", "drafter", "--help"],
                           capture_output=True, text=True, timeout=60)
    assert timed.returncode == 0 and "serve" in timed.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in timed.stderr.splitlines() if "|" in line]
    assert "argparse" in imported  # the listing is there to read
    assert not [m for m in imported if m.split(".")[0] in WEB]


def test_a_plugin_that_loops_forever_in_a_request_is_stopped_and_the_server_goes_on(tmp_path):
    """Drafting runs in worker threads, where no signal reaches: plugin code past the time limit is stopped there all
    the same, named, and the next request is answered."""
    source = ("from drafter import hookimpl\n@hookimpl\ndef check_notice(notice, answers):\n"
              "    while True:\n        pass\n")
    site = install_plugin(tmp_path / "site", "loopy", source)
    with serving(tmp_path, env={"PYTHONPATH": str(site), "DRAFTER_PLUGIN_SECONDS": "2"}) as (proc, port, err):
        wait_until_up(proc, port)
        answers = as_json(STREET)
        for _ in range(2):  # the lock is let go: the second request is answered as the first
            started = time.monotonic()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/validate", method="POST",
                                             data=json.dumps(answers).encode("utf-8"),
                                             headers={"Content-Type": "application/json"})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with pytest.raises(urllib.error.HTTPError) as failed:
                opener.open(request, timeout=30)
            took = time.monotonic() - started
            said = json.loads(failed.value.read().decode("utf-8"))
            assert failed.value.code == 422 and took < 15
            assert "插件 loopy" in said["message"] and "超出 drafter 的上限" in said["message"]
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
    assert "Traceback" not in err[0]


def test_a_malformed_request_is_told_in_chinese_naming_the_parameter(client):
    """The request's own parameters (not answers) are explained by the same explainer as the answers'."""
    r = client.post("/api/check")
    assert r.status_code == 422 and r.json()["message"] == "请求有误：file：缺少此项"
    r = client.post("/api/load", files={"file": ("a.yaml", b"year: 2025")}, data={"carry": "maybe"})
    assert r.status_code == 422 and "carry：应为“是/否”" in r.json()["message"]
    assert "Field required" not in r.text and "Input should" not in r.text


def test_a_plugin_question_comes_with_its_help(client):
    shops = client.post("/api/start", json={"sector": "商务"}).json()["answers"]
    asked = {q["id"]: q for q in client.post("/api/validate", json={**shops, **OFFICE}).json()["questions"]}
    assert "用顿号分隔" in asked["key_venues"]["help"]


@pytest.mark.parametrize("text, said", [("year: 2025\nissuer:\n\tname: 某某局\n", "制表符"),
                                        ("theme: '查找身边安全隐患\n", "引号没有配对"),
                                        ("copy_to: [区应急管理局, 区消防救援大队\n", "方括号"),
                                        ("- year\n- 2025\n", "“键: 值”形式")])
def test_a_broken_answers_file_loaded_on_the_page_is_told_in_chinese(client, text, said):
    """A YAML mistake in a loaded file: 422 with where it is and what is wrong, the server goes on (was a 500)."""
    r = client.post("/api/load", files={"file": ("去年.yaml", text.encode("utf-8"))}, data={"carry": "false"})
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith("答案文件 去年.yaml") and said in r.json()["message"]
    assert client.get("/").status_code == 200


def test_an_empty_printer_is_the_issuers_office_as_the_page_says(client):
    answers = {**as_json(STREET), "printer": ""}
    r = client.post("/api/draft", json=answers)
    assert r.status_code == 200, r.text
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode("utf-8")
    assert f"{answers['issuer']['name']}办公室" in xml


@pytest.mark.parametrize("issuer", [None, "某某局", ["某某局"], 5])
def test_start_with_an_issuer_that_is_not_a_mapping_is_not_a_500(client, issuer):
    r = client.post("/api/start", json={"sector": "商务", "base": {"issuer": issuer, "year": 2025}})
    assert r.status_code in (200, 422), r.text
    assert r.headers["content-type"].startswith("application/json")


def test_a_plugin_blocked_past_its_limit_makes_the_next_request_busy_not_hang(tmp_path):
    """A plugin blocked in a call no limit interrupts holds the drafting lock: the next request is told so (503)
    once the limit and its grace have passed, instead of waiting forever."""
    import threading

    source = ("import time\nfrom drafter import hookimpl\n@hookimpl\ndef check_notice(notice, answers):\n"
              "    time.sleep(30)\n")
    site = install_plugin(tmp_path / "site", "sleepy", source)
    with serving(tmp_path, env={"PYTHONPATH": str(site), "DRAFTER_PLUGIN_SECONDS": "1"}) as (proc, port, err):
        wait_until_up(proc, port)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def validate(timeout):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/validate", method="POST",
                                             data=json.dumps(as_json(STREET)).encode("utf-8"),
                                             headers={"Content-Type": "application/json"})
            return opener.open(request, timeout=timeout)

        def blocked():
            with contextlib.suppress(OSError):  # answered once the plugin returns, or cut off with the server
                validate(60)

        first = threading.Thread(target=blocked, daemon=True)
        first.start()
        time.sleep(1)
        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as busy:
            validate(30)
        assert busy.value.code == 503 and time.monotonic() - started < 20
        assert "仍在处理之前的请求" in json.loads(busy.value.read().decode("utf-8"))["message"]
