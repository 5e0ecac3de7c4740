"""Reading a parent notice from the file that arrived: our own notices round-trip, messy web text, the seeds."""

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from conftest import ROOT, need_libreoffice, run_cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from drafter.answers import resolve
from drafter.cli import main
from drafter.compose import compose
from drafter.model import Section
from drafter.parents.importer import describe, extract, to_parent
from drafter.pdf import to_pdf
from drafter.prompts import Prompter
from drafter.render import render

SEEDS = ROOT.parent / "shared" / "seeds"


def facts_of_ours(answers, notice):
    return {
        "issuer": answers.issuer.name, "doc_number": str(answers.doc_number), "title": notice.title,
        "date": answers.date, "year": answers.year, "n": answers.n, "theme": answers.theme,
        "cited": [{"title": p.title, "doc_number": p.doc_number, "note": None} for p in answers.parents],
        "headings": [b.title for b in notice.body if isinstance(b, Section)],
        "attachments": [a.title for a in notice.attachments], "recipients": notice.recipients,
        "copy_to": answers.copy_to,
        "deadlines": sorted({answers.deadlines.liaison.isoformat(), answers.deadlines.summary.isoformat()}),
    }


def facts_found(x):
    found = {k: getattr(x, k) for k in ("issuer", "doc_number", "title", "date", "year", "n", "theme", "cited",
                                        "headings", "attachments", "recipients", "copy_to")}
    found["deadlines"] = sorted({d["date"] for d in x.deadlines})
    return found


@pytest.mark.parametrize("sector", ["商务", "街道", "应急"])
def test_our_notices_read_back_from_word_and_pdf(tmp_path, sector):
    answers = resolve({"issuer": {"sector": sector}})
    notice = compose(answers)
    path = tmp_path / "notice.docx"
    path.write_bytes(render(notice))
    expected = facts_of_ours(answers, notice)
    from_word = extract(path)
    assert facts_found(from_word) == expected and from_word.notes == [] and from_word.date_kind == "成文日期"
    need_libreoffice()
    from_pdf = extract(to_pdf(path, tmp_path))
    assert facts_found(from_pdf) == expected and from_pdf.notes == []


# Text damaged the ways web pages damage notices, written for these tests.

CLEAN = """江城市青山区江南街道办事处文件
青江街办〔2025〕9号
江城市青山区江南街道办事处关于开展2025年江南街道“安全生产月”活动的通知
各社区居委会，街道各部门，辖区各有关单位：
今年6月是第24个全国“安全生产月”，主题是“人人讲安全、个个会应急——查找身边安全隐患”。根据《江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知》（青安办〔2025〕21号）要求，现将有关事项通知如下：
一、组织隐患巡查
各社区要组织网格员对辖区开展一次全面巡查，发现问题及时上报。
二、开展疏散演练
辖区学校要组织一次疏散演练，请于6月10日前报送演练计划。
三、工作要求
各单位请于7月5日前报送活动总结。
江城市青山区江南街道办事处
2025年5月26日
（此件主动公开）
抄送：区安委会办公室。
江城市青山区江南街道党政综合办公室
2025年5月26日印发"""

EXPECTED = {
    "issuer": "江城市青山区江南街道办事处", "doc_number": "青江街办〔2025〕9号",
    "title": "江城市青山区江南街道办事处关于开展2025年江南街道“安全生产月”活动的通知",
    "date": dt.date(2025, 5, 26), "year": 2025, "n": 24, "theme": "人人讲安全、个个会应急——查找身边安全隐患",
    "cited": [{"title": "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知",
               "doc_number": "青安办〔2025〕21号", "note": None}],
    "headings": ["组织隐患巡查", "开展疏散演练", "工作要求"], "attachments": [],
    "recipients": "各社区居委会，街道各部门，辖区各有关单位", "copy_to": ["区安委会办公室"],
    "deadlines": ["2025-06-10", "2025-07-05"],
}


def read_text(tmp_path, text):
    path = tmp_path / "来文.txt"
    path.write_text(text, encoding="utf-8")
    return extract(path)


def test_clean_text_reads_fully(tmp_path):
    x = read_text(tmp_path, CLEAN)
    assert facts_found(x) == EXPECTED and x.notes == []


def test_broken_lines_ascii_punctuation_and_site_furniture(tmp_path):
    damaged = CLEAN.replace("对辖区开展一次", "对辖区开\n展一次").replace("（青安办", "（青\n安办")
    damaged = damaged.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")
    damaged = ("江城市青山区江南街道办事处关于开展2025年江南街道“安全生产月”活动的通知_通知公告_江南街道\n"
               "    • 索 引 号:QS01-0202-2025-00012\n    • 发布机构:江南街道办事处\n    时间:2025-05-27 10:21\n"
               + "\n\n".join("    " + line for line in damaged.split("\n"))
               + "\n    附件下载\n    扫一扫在手机上查看当前页面\n    网站地图\n    主办:江城市青山区人民政府办公室\n")
    x = read_text(tmp_path, damaged)
    assert facts_found(x) == EXPECTED, facts_found(x)
    assert x.notes == []


def test_issuer_only_in_the_signature_and_number_only_in_the_page_header(tmp_path):
    text = CLEAN.replace("江城市青山区江南街道办事处文件\n青江街办〔2025〕9号\n", "")
    text = text.replace("江城市青山区江南街道办事处关于开展", "关于开展")
    page = "    • 备注/文号:青江街办〔2025〕9号\n    • 发布机构:江南街道\n" + text
    x = read_text(tmp_path, page)
    assert x.issuer == "江城市青山区江南街道办事处" and x.doc_number == "青江街办〔2025〕9号"
    assert x.title == "关于开展2025年江南街道“安全生产月”活动的通知" and x.year == 2025 and x.n == 24


HOST, OTHER = "江城市青山区安委会办公室", "江城市青山区应急管理局"
JOINT_TITLE = f"{HOST} {OTHER}关于开展2025年江南街道“安全生产月”活动的通知"


def test_joint_issuers(tmp_path):
    """The host (named first) is the issuer, the others its co-issuers; the title names them all."""
    text = CLEAN.replace("江城市青山区江南街道办事处文件\n", "").replace(
        "江城市青山区江南街道办事处关于开展", f"{HOST} {OTHER}\n关于开展")
    x = read_text(tmp_path, text)
    assert (x.issuer, x.co_issuers, x.title) == (HOST, [OTHER], JOINT_TITLE)
    assert "联合发文机关：江城市青山区应急管理局" in describe(x, tmp_path / "来文.txt")
    notice = to_parent(x)
    assert notice.issuer == HOST and notice.co_issuers == [OTHER] and notice.title == JOINT_TITLE


@pytest.mark.parametrize("head", [
    f"{HOST}\n{OTHER}文件\n",  # the names stacked, 文件 after the last
    f"{HOST}\n文件\n{OTHER}\n",  # 文件 on a line of its own between them
])
def test_a_joint_mark_gives_the_issuers(tmp_path, head):
    text = CLEAN.replace("江城市青山区江南街道办事处文件\n", head).replace(
        "江城市青山区江南街道办事处关于开展", "关于开展")
    x = read_text(tmp_path, text)
    assert (x.issuer, x.co_issuers) == (HOST, [OTHER])
    assert x.doc_number == "青江街办〔2025〕9号" and x.title == "关于开展2025年江南街道“安全生产月”活动的通知"


def test_a_joint_title_broken_after_each_name_and_a_signature_of_several_lines(tmp_path):
    text = CLEAN.replace("江城市青山区江南街道办事处文件\n", "").replace(
        "江城市青山区江南街道办事处关于开展", f"{HOST}\n{OTHER}关于开展")
    x = read_text(tmp_path, text)
    assert (x.issuer, x.co_issuers, x.title) == (HOST, [OTHER], JOINT_TITLE)
    # No names in the title or a mark: the signature's lines name them.
    text = CLEAN.replace("江城市青山区江南街道办事处文件\n", "").replace(
        "江城市青山区江南街道办事处关于开展", "关于开展").replace(
        "江城市青山区江南街道办事处\n2025年5月26日", f"{HOST}\n{OTHER}\n2025年5月26日")
    x = read_text(tmp_path, text)
    assert (x.issuer, x.co_issuers) == (HOST, [OTHER])


def test_a_page_banner_before_the_title_is_not_a_co_issuer(tmp_path):
    text = "江南街道办事处\n" + CLEAN.replace("江城市青山区江南街道办事处文件\n青江街办〔2025〕9号\n", "")
    x = read_text(tmp_path, text)
    assert (x.issuer, x.co_issuers) == ("江城市青山区江南街道办事处", [])
    assert x.title == EXPECTED["title"]


def test_our_joint_notice_reads_back(tmp_path):
    answers = resolve({"issuer": {"sector": "应急", "signature": "青山区安委办"}, "co_issuers": [
        {"name": "江城市青山区应急管理局", "signature": "青山区应急局"},
        {"name": "江城市青山区商务局", "signature": "青山区商务局"},
        {"name": "江城市青山区教育局", "signature": "青山区教育局"}], "joint_mark": "主办机关"})
    notice = compose(answers)
    path = tmp_path / "notice.docx"
    path.write_bytes(render(notice))
    x = extract(path)
    assert x.issuer == "江城市青山区安全生产委员会办公室"
    assert x.co_issuers == ["江城市青山区应急管理局", "江城市青山区商务局", "江城市青山区教育局"]
    assert x.title == notice.title and x.notes == []


@pytest.mark.parametrize("written, normalised, words", [
    ("青江街办2025 9号", "青江街办〔2025〕9号", "年份缺少六角括号"),
    ("青江街办[2025]9号", "青江街办〔2025〕9号", "六角括号"),
    ("青江街办〔2025〕09号", "青江街办〔2025〕9号", "虚位"),
])
def test_a_malformed_number_is_normalised_and_reported(tmp_path, written, normalised, words):
    x = read_text(tmp_path, CLEAN.replace("青江街办〔2025〕9号", written))
    assert x.doc_number == normalised
    assert any(written in n and words in n for n in x.notes), x.notes


def test_a_truncated_citation_is_reported_not_fixed(tmp_path):
    x = read_text(tmp_path, CLEAN.replace("》（青安办〔2025〕21号）要求", "青安办〔202521要求"))
    assert x.cited[0]["doc_number"] is None
    assert "书名号不完整" in x.cited[0]["note"] and "青安办〔202521" in x.cited[0]["note"]
    assert any("青安办〔202521" in n for n in x.notes)


# The five real notices.

@pytest.mark.parametrize("seed, issuer, number, year, n, theme", [
    ("000", "泉州市洛江区商务局", "泉洛商务〔2025〕33号", 2025, 24, "人人讲安全、个个会应急——查找身边安全隐患"),
    ("001", "鲤城区人民政府江南街道办事处", "泉鲤江办〔2024〕32号", 2024, 23, "人人讲安全、个个会应急——畅通生命通道"),
    ("002", "固原市原州区安委会办公室", None, 2021, 20, "落实安全责任，推动安全发展"),
    ("003", "晋城市商务局", "晋市商秩〔2023〕38号", 2023, 22, "人人讲安全、个个会应急"),
    ("004", "鲤城区安委会办公室 鲤城区应急管理局", "泉鲤安办〔2020〕17号", 2020, 19, "消除事故隐患，筑牢安全防线"),
])
def test_the_seed_notices(seed, issuer, number, year, n, theme):
    """``issuer`` as the title names them: a joint notice's host is the issuer, the others its co-issuers."""
    if not SEEDS.is_dir():
        pytest.skip("the seed notices live beside the checkout")
    x = extract(next(SEEDS.glob(f"{seed}_*.txt")))
    host, *others = issuer.split(" ")
    assert (x.issuer, x.co_issuers, x.doc_number, x.year, x.n, x.theme) == (host, others, number, year, n, theme)
    damaged = [c for c in x.cited if c["note"]]
    if seed == "000":
        assert [c["doc_number"] for c in damaged] == ["泉商务〔2025〕75号", None]
        assert "泉商务202575号" in damaged[0]["note"] and "安办〔202521" in damaged[1]["note"]
    elif seed == "002":
        assert damaged and damaged[0]["note"] == "引用时没有写发文字号" and "没有找到发文字号" in x.notes
    else:
        assert damaged == []


# The commands.

def test_parents_import_json_yes_and_into_a_new_notice(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    source = tmp_path / "区安委办.txt"
    source.write_text(CLEAN, encoding="utf-8")
    shown = run_cli("parents", "import", source, "--json", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert shown.returncode == 0 and json.loads(shown.stdout)["doc_number"] == "青江街办〔2025〕9号"
    assert not (tmp_path / "home" / "parents").exists()  # --json alone saves nothing
    saved = run_cli("parents", "import", source, "--yes", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert saved.returncode == 0 and (tmp_path / "home" / "parents" / "青江街办〔2025〕9号.yaml").exists()

    out = tmp_path / "社区.docx"
    done = run_cli("new", "--defaults", "--parent", source, "-o", out, env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "根据《江城市青山区江南街道办事处关于开展2025年江南街道“安全生产月”活动的通知》（青江街办〔2025〕9号）要求" in text


def test_parents_import_asks_for_confirmation_and_takes_corrections(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    source = tmp_path / "来文.txt"
    source.write_text(CLEAN.replace("青江街办〔2025〕9号", "青江街办2025 9号"), encoding="utf-8")
    keys = "\r\r" + "\x15青江街办〔2025〕19号\r" + "\r\r" + "y\r"  # 机关 标题 | 文号 corrected | 日期 主题 | 存入
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        code = main(["parents", "import", str(source)], prompter=Prompter(input=pipe, output=DummyOutput()))
    assert code == 0
    saved = Path(tmp_path / "home" / "parents" / "青江街办〔2025〕19号.yaml")
    assert saved.exists() and "date: '2025-05-26'" in saved.read_text(encoding="utf-8")


def test_an_imported_parent_is_registered_with_its_top_level_headings(tmp_path, monkeypatch):
    import yaml

    from drafter.parents import registry

    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DRAFTER_PARENTS_DIR", raising=False)
    source = tmp_path / "来文.txt"
    source.write_text(CLEAN, encoding="utf-8")
    assert main(["parents", "import", str(source), "--yes"]) == 0
    saved = tmp_path / "home" / "parents" / "青江街办〔2025〕9号.yaml"
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["headings"] == EXPECTED["headings"]
    assert registry().find("青江街办〔2025〕9号").notice.headings == ["组织隐患巡查", "开展疏散演练", "工作要求"]


@pytest.mark.parametrize("name, content, words", [
    ("来文.doc", b"old word", "“另存为” Word 文档（.docx）"),
    ("扫描.pdf", None, "没有文字层"),
    ("坏的.pdf", b"%PDF-1.4 broken", "不是可读的 PDF"),
])
def test_files_that_cannot_be_read(tmp_path, name, content, words):
    path = tmp_path / name
    if content is None:  # a PDF with a page and no text, as a scanner without OCR makes
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        with open(path, "wb") as fh:
            writer.write(fh)
    else:
        path.write_bytes(content)
    done = run_cli("parents", "import", path)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


def test_an_impossible_date_in_a_web_page_s_metadata_is_noted_not_fatal(tmp_path):
    page = tmp_path / "网页.txt"
    page.write_text("您的位置：首页 > 通知公告\n发布日期：2024-02-31\n关于开展2024年全区“安全生产月”活动的通知\n"
                    "各街道：\n现将有关事项通知如下。\n江城市青山区安全生产委员会办公室\n", encoding="utf-8")
    done = run_cli("parents", "import", page, "--json", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert "Traceback" not in done.stderr
    found = json.loads(done.stdout)
    assert "网页上的发布日期无法采用：“2024-02-31”不是存在的日期" in found["notes"]
    assert found["title"] == "关于开展2024年全区“安全生产月”活动的通知"


def test_import_json_on_an_unreadable_file_is_still_one_json_document(tmp_path):
    bad = tmp_path / "来文.docx"
    bad.write_bytes(b"")
    done = run_cli("parents", "import", bad, "--json", "--yes", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 2 and "是空文件" in done.stderr
    assert "是空文件" in json.loads(done.stdout)["error"]


def test_import_without_a_terminal_or_yes_stores_nothing_and_says_so_with_its_exit_status(tmp_path):
    page = tmp_path / "来文.txt"
    page.write_text("江城市青山区安全生产委员会办公室\n青安办〔2025〕21号\n关于开展2025年全区“安全生产月”活动的通知\n"
                    "各街道：\n现将有关事项通知如下。\n江城市青山区安全生产委员会办公室\n2025年5月20日\n", encoding="utf-8")
    done = run_cli("parents", "import", page, env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 1 and "未存入：没有终端可供确认" in done.stderr
    assert not (tmp_path / "home" / "parents").exists() or not list((tmp_path / "home" / "parents").iterdir())


def test_two_deadlines_in_one_sentence_are_two_deadlines():
    from drafter.parents.importer import Extracted, _deadlines

    x = Extracted()
    x.year = 2025
    _deadlines(x, "请于5月30日前报送联络员名单，7月5日前报送活动总结和统计表。")
    assert x.deadlines == [{"date": "2025-05-30", "what": "报送联络员名单"},
                           {"date": "2025-07-05", "what": "报送活动总结和统计表"}]


def test_import_confirmation_shows_and_edits_the_co_issuers(tmp_path, monkeypatch):
    import yaml

    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DRAFTER_PARENTS_DIR", raising=False)
    source = tmp_path / "来文.txt"
    source.write_text(CLEAN.replace("江城市青山区江南街道办事处文件\n", "").replace(
        "江城市青山区江南街道办事处关于开展", f"{HOST} {OTHER}\n关于开展"), encoding="utf-8")
    keys = "\x15" + f"{HOST}、{OTHER}、江城市青山区住房和城乡建设局" + "\r" + "\r\r\r\r" + "y\r"  # a third organ added
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        code = main(["parents", "import", str(source)], prompter=prompter)
    assert code == 0
    assert prompter.shown[0] == "发文机关（联合发文的，主办机关在前，各机关用顿号分隔）"
    saved = yaml.safe_load((tmp_path / "home" / "parents" / "青江街办〔2025〕9号.yaml").read_text(encoding="utf-8"))
    assert saved["issuer"] == HOST and saved["co_issuers"] == [OTHER, "江城市青山区住房和城乡建设局"]


def test_a_notice_read_with_a_date_of_another_year_than_its_doc_number_is_not_stored_and_says_why():
    import datetime as dt

    from drafter.parents.importer import Extracted, Incomplete

    x = Extracted(issuer="江城市青山区安全生产委员会办公室", doc_number="青安办〔2025〕21号",
                  title="江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知",
                  date=dt.date(2024, 5, 12), date_kind="成文日期", year=2025)
    with pytest.raises(Incomplete) as caught:
        to_parent(x, Path("来文.docx"))
    said = str(caught.value)
    assert "来文.docx：从来文中读出的内容不能存入上级来文库" in said and "成文日期2024年5月12日不在2025年" in said
    assert "缺少" not in said
