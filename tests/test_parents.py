"""The parent registry and drafting next year's notice from last year's answers."""

import json

import docx
import pytest
import yaml
from conftest import run_cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from drafter.cli import main
from drafter.prompts import Prompter

DISTRICT_2024 = ["--issuer", "江城市青山区安全生产委员会办公室",
                 "--title", "江城市青山区安全生产委员会办公室关于开展2024年全区“安全生产月”活动的通知",
                 "--doc-number", "青安办〔2024〕15号", "--date", "2024-05-10"]
DISTRICT_2025 = ["--issuer", "江城市青山区安全生产委员会办公室",
                 "--title", "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知",
                 "--doc-number", "青安办〔2025〕21号", "--date", "2025-05-12"]


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """An office's shared registry folder, given by the environment variable."""
    folder = tmp_path / "共享" / "上级来文"
    monkeypatch.setenv("DRAFTER_PARENTS_DIR", str(folder))
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    return folder


def text_of(path):
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def listed():
    done = run_cli("parents", "list", "--json")
    assert done.returncode == 0, done.stderr
    return {p["doc_number"]: p for p in json.loads(done.stdout)}


def test_the_national_notices_ship_with_drafter(shared):
    parents = listed()
    assert {n: p["theme"] for n, p in parents.items() if p["source"] == "内置"}["安委办〔2022〕7号"] == "遵守安全生产法　当好第一责任人"
    assert len([p for p in parents.values() if p["source"] == "内置"]) == 7
    shown = run_cli("parents", "show", "安委办[2024]3号")  # a malformed 文号 still finds it
    assert shown.returncode == 0 and "theme: 人人讲安全、个个会应急——畅通生命通道" in shown.stdout


def test_a_folder_given_by_the_environment_variable_holds_the_users_parents(shared):
    done = run_cli("parents", "add", *DISTRICT_2025)
    assert done.returncode == 0, done.stderr
    saved = shared / "青安办〔2025〕21号.yaml"
    assert saved.exists() and str(saved) in done.stderr
    notice = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert notice["year"] == 2025 and notice["theme"] == "人人讲安全、个个会应急——查找身边安全隐患"
    assert listed()["青安办〔2025〕21号"]["source"] == str(saved)
    # --parents-dir overrides the variable.
    other = shared.parent / "别处"
    assert run_cli("parents", "list", "--parents-dir", other).stdout.count("青安办") == 0

    again = run_cli("parents", "add", *DISTRICT_2025)
    assert again.returncode == 1 and "已有 青安办〔2025〕21号" in again.stderr
    removed = run_cli("parents", "remove", "青安办〔2025〕21号")
    assert removed.returncode == 0 and not saved.exists()
    national = run_cli("parents", "remove", "安委办〔2025〕1号")
    assert national.returncode == 1 and "内置的全国通知，不能删除" in national.stderr


def test_bad_parents_are_refused_with_the_reason(shared):
    bad = run_cli("parents", "add", "--issuer", "某办", "--title", "关于开展活动的通知", "--doc-number", "青安办〔2025〕")
    assert bad.returncode == 1 and "以“号”结尾" in bad.stderr and "Traceback" not in bad.stderr
    shared.mkdir(parents=True)
    (shared / "坏的.yaml").write_text("issuer: 某办\ntitle: [没有闭合\n", encoding="utf-8")
    listing = run_cli("parents", "list")  # a file that does not read is named; the rest is listed
    assert listing.returncode == 0 and "坏的.yaml" in listing.stderr and "第3行" in listing.stderr
    assert "安委办〔2025〕1号" in listing.stdout
    (shared / "坏的.yaml").write_text("issuer: 某办\ntitle: 某办关于开展活动的通知\ndoc_number: 青安办2025第3号\n",
                                     encoding="utf-8")
    listing = run_cli("parents", "list")
    assert listing.returncode == 0 and "doc_number（发文字号）" in listing.stderr and "六角括号" in listing.stderr
    (shared / "坏的.yaml").unlink()
    unknown = run_cli("new", "--defaults", "--parent", "青安办〔2025〕2号", "-o", shared.parent / "x.docx")
    assert unknown.returncode == 1 and "没有 青安办〔2025〕2号" in unknown.stderr


def test_a_drafted_notice_becomes_a_parent_for_the_level_below(shared, tmp_path):
    # The district 安委办 drafts its notice and adds it to the shared registry …
    district = tmp_path / "区安委办.docx"
    done = run_cli("new", "--sector", "应急", "--defaults", "-o", district, "--register")
    assert done.returncode == 0, done.stderr
    assert "已加入上级来文库" in done.stderr
    entry = listed()["青安办〔2025〕21号"]
    assert entry["title"] == "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知"
    assert entry["issuer"] == "江城市青山区安全生产委员会办公室" and entry["date"] == "2025-05-20"

    # … and a 街道 cites it.
    street = tmp_path / "街道.docx"
    done = run_cli("new", "--sector", "街道", "--defaults", "--parent", "青安办〔2025〕21号", "-o", street)
    assert done.returncode == 0, done.stderr
    assert "根据《江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知》（青安办〔2025〕21号）要求" in text_of(street)

    # The same from an answers file, into another folder.
    folder = tmp_path / "另一个库"
    added = run_cli("parents", "add", "--from-answers", street.with_suffix(".yaml"), "--parents-dir", folder)
    assert added.returncode == 0, added.stderr
    assert (folder / "青江街办〔2025〕9号.yaml").exists()


def draft_2024(tmp_path):
    """Last year's notice of a 街道 citing the district's 2024 notice."""
    assert run_cli("parents", "add", *DISTRICT_2024).returncode == 0
    last = tmp_path / "2024.docx"
    done = run_cli("new", "--sector", "街道", "--defaults", "--set", "year=2024", "--set", "number=6",
                   "--parent", "青安办〔2024〕15号", "--set", "extra.patrol_teams=网格员队伍", "-o", last)
    assert done.returncode == 0, done.stderr
    assert "第23个" in text_of(last)
    return last.with_suffix(".yaml")


def test_from_last_years_answers_with_this_years_parent(shared, tmp_path):
    last = draft_2024(tmp_path)
    assert run_cli("parents", "add", *DISTRICT_2025).returncode == 0
    out = tmp_path / "2025.docx"
    done = run_cli("new", "--from", last, "--set", "number=11", "-o", out, input="")
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert "今年6月是第24个全国“安全生产月”，主题是“人人讲安全、个个会应急——查找身边安全隐患”" in text
    assert "（青安办〔2025〕21号）" in text and "青安办〔2024〕15号" not in text  # this year's notice of that office
    assert "青江街办〔2025〕11号" in text and "2025年5月20日" in text
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["deadlines"] == {"liaison": "2025-05-30", "summary": "2025-07-01", "weekly": "每周三18时前"}
    assert saved["print_date"] == "2025-05-20" and saved["extra"]["patrol_teams"] == "网格员队伍"  # kept

    no_number = run_cli("new", "--from", last, "-o", tmp_path / "x.docx", input="")
    assert no_number.returncode == 1 and "number（发文字号序号）：缺少此项" in no_number.stderr


def test_from_last_year_on_a_terminal_asks_only_what_changes(shared, tmp_path, capsys):
    last = draft_2024(tmp_path)
    assert run_cli("parents", "add", *DISTRICT_2025).returncode == 0
    keys = "\r\r\r\r" + "12\r" + "\r\r\r\r"  # 来文 再引用 年份 主题 | 序号 | 报送 版记 落款 生成
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        code = main(["new", "--from", str(last), "-o", str(tmp_path / "2025.docx")], prompter=prompter)
    assert code == 0, capsys.readouterr().err
    assert prompter.count == 9
    text = text_of(tmp_path / "2025.docx")
    assert "第24个" in text and "（青安办〔2025〕21号）" in text and "青江街办〔2025〕12号" in text


def test_parents_add_on_a_terminal(shared, capsys):
    keys = "".join(["江城市青山区安委会办公室\r", "江城市青山区安委会办公室关于开展2025年全区“安全生产月”活动的通知\r",
                    "青安办(2025)3号\r", "\x15青安办〔2025〕3号\r", "\r", "2024-05-08\r", "\x152025-05-08\r"])
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        assert main(["parents", "add"], prompter=prompter) == 0
    assert prompter.rejected == ["年份应使用六角括号〔〕，不用“()”（应为“青安办〔2025〕3号”）",
                                 "2024年5月8日不在2025年内，请检查年份"]
    entry = listed()["青安办〔2025〕3号"]
    assert entry["date"] == "2025-05-08" and entry["theme"] == "人人讲安全、个个会应急——查找身边安全隐患"

    with create_pipe_input() as pipe:  # Ctrl-D at the first question: nothing saved, no traceback
        pipe.send_text("\x04")
        pipe.close()
        assert main(["parents", "add"], prompter=Prompter(input=pipe, output=DummyOutput())) == 130
    assert "已取消" in capsys.readouterr().err


def test_a_parent_with_another_year_s_theme_is_refused(tmp_path):
    done = run_cli("parents", "add", "--issuer", "国务院安委会办公室", "--title", "关于开展2027年全国“安全生产月”活动的通知",
                   "--doc-number", "安委办〔2027〕1号", "--theme", "人人讲安全、个个会应急", "--parents-dir", tmp_path)
    assert done.returncode == 1 and "theme（主题）：“人人讲安全、个个会应急”是2023年的主题，不是2027年的" in done.stderr
    assert not list(tmp_path.glob("*.yaml"))


def test_a_parent_keeps_its_top_level_headings_and_a_file_without_them_still_loads(shared):
    from drafter.parents import registry

    shared.mkdir(parents=True)
    plain = {"issuer": "江城市青山区安全生产委员会办公室", "doc_number": "青安办〔2025〕21号",
             "title": "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知"}
    (shared / "青安办〔2025〕21号.yaml").write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    (shared / "青安办〔2025〕22号.yaml").write_text(yaml.safe_dump(
        {**plain, "doc_number": "青安办〔2025〕22号", "headings": ["总体要求", "主要活动"]}, allow_unicode=True),
        encoding="utf-8")
    reg = registry()
    assert reg.find("青安办〔2025〕21号").notice.headings == []
    assert reg.find("青安办〔2025〕22号").notice.headings == ["总体要求", "主要活动"]


# Issue 13: joint issuance.

JOINT = "co_issuers=[{name: 江城市青山区应急管理局, signature: 青山区应急管理局}]"


def test_the_national_notices_are_issued_jointly(shared):
    from drafter.parents import registry

    for notice in (p for p in listed().values() if p["source"] == "内置"):
        assert notice["issuer"] == "国务院安委会办公室" and notice["co_issuers"] == ["应急管理部"]
        assert notice["title"].startswith("国务院安委会办公室 应急管理部关于")
    national = registry().find("安委办〔2025〕1号").notice
    assert national.issuers == ["国务院安委会办公室", "应急管理部"]
    shown = run_cli("parents", "show", "安委办〔2025〕1号")
    assert "issuer: 国务院安委会办公室\nco_issuers:\n- 应急管理部\n" in shown.stdout


def test_a_joint_notice_registered_keeps_its_co_issuers_and_one_issued_alone_writes_none(shared, tmp_path):
    done = run_cli("new", "--sector", "应急", "--defaults", "--set", JOINT, "-o", tmp_path / "联合.docx", "--register")
    assert done.returncode == 0, done.stderr
    saved = (shared / "青安办〔2025〕21号.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(saved)
    assert record["issuer"] == "江城市青山区安全生产委员会办公室" and record["co_issuers"] == ["江城市青山区应急管理局"]
    assert record["title"] == ("江城市青山区安全生产委员会办公室 江城市青山区应急管理局关于开展2025年全区“安全生产月”"
                               "活动的通知")
    entry = listed()["青安办〔2025〕21号"]
    assert entry["co_issuers"] == ["江城市青山区应急管理局"]
    # The same from its answers file.
    folder = tmp_path / "另一个库"
    added = run_cli("parents", "add", "--from-answers", tmp_path / "联合.yaml", "--parents-dir", folder)
    assert added.returncode == 0, added.stderr
    assert yaml.safe_load((folder / "青安办〔2025〕21号.yaml").read_text(encoding="utf-8"))["co_issuers"] == [
        "江城市青山区应急管理局"]
    # A notice issued alone: no co_issuers line at all.
    assert run_cli("parents", "add", *DISTRICT_2024).returncode == 0
    assert "co_issuers" not in (shared / "青安办〔2024〕15号.yaml").read_text(encoding="utf-8")
    assert listed()["青安办〔2024〕15号"]["co_issuers"] == []


def test_a_registry_file_naming_an_organ_twice_is_refused(shared):
    shared.mkdir(parents=True)
    (shared / "青安办〔2025〕21号.yaml").write_text(yaml.safe_dump({
        "issuer": "江城市青山区安全生产委员会办公室", "co_issuers": ["江城市青山区安全生产委员会办公室"],
        "doc_number": "青安办〔2025〕21号", "title": "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知"},
        allow_unicode=True), encoding="utf-8")
    listing = run_cli("parents", "list")  # named, and the rest still listed
    assert listing.returncode == 0 and "“江城市青山区安全生产委员会办公室”写了两次" in listing.stderr


def test_parents_add_on_a_terminal_takes_joint_issuers_separated_by_dunhao(shared):
    keys = "".join(["江城市青山区安委会办公室、江城市青山区应急管理局\r",
                    "江城市青山区安委会办公室 江城市青山区应急管理局关于开展2025年全区“安全生产月”活动的通知\r",
                    "青安办〔2025〕3号\r", "\r", "\r"])
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        assert main(["parents", "add"], prompter=Prompter(input=pipe, output=DummyOutput())) == 0
    entry = listed()["青安办〔2025〕3号"]
    assert entry["issuer"] == "江城市青山区安委会办公室" and entry["co_issuers"] == ["江城市青山区应急管理局"]


def test_next_year_keeps_the_co_issuers_the_format_and_the_letterhead(shared, tmp_path):
    forms = ["--set", JOINT, "--set", "joint_mark=主办机关", "--set", "format=信函", "--set", "letterhead=套打",
             "--set", "letterhead_reserve_mm=60"]
    last = tmp_path / "2024.docx"
    done = run_cli("new", "--sector", "应急", "--defaults", "--set", "year=2024", "--set", "number=6", *forms, "-o", last)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "2025.docx"
    done = run_cli("new", "--from", last.with_suffix(".yaml"), "--set", "number=11", "-o", out, input="")
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["year"] == 2025
    assert [(c["name"], c["signature"]) for c in saved["co_issuers"]] == [("江城市青山区应急管理局", "青山区应急管理局")]
    assert (saved["joint_mark"], saved["format"], saved["letterhead"], saved["letterhead_reserve_mm"]) == (
        "主办机关", "信函", "套打", 60)
    from drafter.answers import resolve
    from drafter.compose import compose

    assert compose(resolve(saved)).title.startswith("江城市青山区安全生产委员会办公室 江城市青山区应急管理局关于开展2025年")
    assert "青安办〔2025〕11号" in text_of(out)


def test_carry_over_keeps_the_joint_keys(tmp_path):
    from drafter.nextyear import carry_over
    from drafter.parents import Registry

    last = {"year": 2024, "issuer": {"name": "江城市青山区安全生产委员会办公室", "code": "青安办", "sector": "应急"},
            "co_issuers": [{"name": "江城市青山区应急管理局"}], "joint_mark": "主办机关", "format": "信函",
            "letterhead": "套打", "letterhead_reserve_mm": 60.0, "number": 6}
    kept, suggested = carry_over(last, Registry(tmp_path / "无"))
    assert {k: kept[k] for k in ("co_issuers", "joint_mark", "format", "letterhead", "letterhead_reserve_mm")} == {
        "co_issuers": [{"name": "江城市青山区应急管理局"}], "joint_mark": "主办机关", "format": "信函",
        "letterhead": "套打", "letterhead_reserve_mm": 60.0}
    assert suggested["year"] == 2025 and "number" not in kept


def test_parents_add_takes_a_joint_issuer_and_the_folder_given_before_the_action(tmp_path):
    """`--issuer "A、B"` as the terminal takes it (host first); --parents-dir before the action is not undone."""
    done = run_cli("parents", "--parents-dir", tmp_path, "add", "--issuer", "江城市安委会办公室、江城市应急管理局",
                   "--title", "江城市安委会办公室 江城市应急管理局关于开展2025年全市“安全生产月”活动的通知",
                   "--doc-number", "江安办〔2025〕9号")
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load((tmp_path / "江安办〔2025〕9号.yaml").read_text(encoding="utf-8"))
    assert (saved["issuer"], saved["co_issuers"]) == ("江城市安委会办公室", ["江城市应急管理局"])


@pytest.mark.parametrize("date, told", [("2025-05-08", True), ("2025-05-12", False), ("2025-05-15", False)])
def test_a_notice_dated_before_the_parent_it_forwards_is_told(shared, tmp_path, date, told):
    """The parent's 成文日期 as the registry holds it (青安办〔2025〕21号 of 12 May): a 街道's notice of 8 May
    cannot forward it — a 提示, on the terminal and on the page."""
    assert run_cli("parents", "add", *DISTRICT_2025).returncode == 0
    done = run_cli("new", "--sector", "街道", "--defaults", "--parent", "青安办〔2025〕21号", "--set", f"date={date}",
                   "--set", f"print_date={date}", "-o", tmp_path / "街道.docx")
    assert done.returncode == 0, done.stderr
    said = "提示：date（成文日期）：成文日期2025年5月8日早于所依据的上级来文 青安办〔2025〕21号 的成文日期2025年5月12日，请核对"
    assert (said in done.stderr) is told and ("早于所依据的上级来文" in done.stderr) is told, done.stderr

    from fastapi.testclient import TestClient

    from drafter.serve.app import create_app

    answers = yaml.safe_load((tmp_path / "街道.yaml").read_text(encoding="utf-8"))
    answers["date"] = answers["print_date"] = date
    with TestClient(create_app(remember=False), base_url="http://127.0.0.1") as client:
        reply = client.post("/api/validate", json=answers)
    assert reply.status_code == 200, reply.text
    warning = {"key": "date", "message": said.removeprefix("提示：")}
    assert (warning in reply.json()["warnings"]) is told, reply.json()
    assert any("早于所依据的上级来文" in w["message"] for w in reply.json()["warnings"]) is told


def test_a_notice_drafted_for_a_parent_is_not_dated_before_it(shared, tmp_path):
    """No date given: the 成文日期 (and the 印发日期) are the parent's when it is later than the usual 20 May."""
    assert run_cli("parents", "add", *DISTRICT_2025[:-1], "2025-05-25").returncode == 0
    out = tmp_path / "街道.docx"
    done = run_cli("new", "--sector", "街道", "--defaults", "--parent", "青安办〔2025〕21号", "-o", out)
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert (str(saved["date"]), str(saved["print_date"])) == ("2025-05-25", "2025-05-25")
    assert "早于所依据的上级来文" not in done.stderr
    earlier = tmp_path / "早.docx"  # a parent of 12 May: the usual 20 May stands
    assert run_cli("parents", "add", *DISTRICT_2025[:-2], "--doc-number", "青安办〔2025〕23号",
                   "--date", "2025-05-12").returncode == 0
    done = run_cli("new", "--sector", "街道", "--defaults", "--parent", "青安办〔2025〕23号", "-o", earlier)
    assert done.returncode == 0, done.stderr
    assert str(yaml.safe_load(earlier.with_suffix(".yaml").read_text(encoding="utf-8"))["date"]) == "2025-05-20"


def test_a_parent_dated_in_another_year_than_its_doc_number_is_refused(shared):
    done = run_cli("parents", "add", *DISTRICT_2025[:-1], "2024-05-25")
    assert done.returncode == 1 and "成文日期2024年5月25日不在2025年，与通知的年份不一致" in done.stderr, done.stderr
    assert not shared.exists() or list(shared.iterdir()) == []


def test_on_a_terminal_the_date_before_the_parent_is_told_before_anything_is_written(shared, tmp_path, capsys):
    assert run_cli("parents", "add", *DISTRICT_2025[:-1], "2025-05-25").returncode == 0
    answers = tmp_path / "街道.yaml"
    answers.write_text(yaml.safe_dump({
        "issuer": {"name": "江城市青山区江南街道办事处", "code": "青江街办", "sector": "街道"},
        "contact": {"name": "李明", "phone": "0591-12345678"}, "date": "2025-05-18", "print_date": "2025-05-18",
        "parents": [{"title": DISTRICT_2025[3], "doc_number": "青安办〔2025〕21号"}]}, allow_unicode=True),
        encoding="utf-8")
    with create_pipe_input() as pipe:
        pipe.send_text("\r" * 17 + "\x1b[B\x1b[B\r")  # every question as offered; at the confirmation, 放弃
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        code = main(["new", "--answers", str(answers), "-o", str(tmp_path / "街道.docx")], prompter=prompter)
    err = capsys.readouterr().err
    assert code == 130 and "已放弃" in err and prompter.count == 18, err
    assert "提示：date（成文日期）：成文日期2025年5月18日早于所依据的上级来文 青安办〔2025〕21号 的成文日期2025年5月25日" in err
    assert not (tmp_path / "街道.docx").exists()


def test_a_parents_date_is_not_suggested_over_the_dates_an_answers_file_gives(shared, tmp_path):
    """The file's 印发日期 and deadlines fall before the parent's date: the usual 成文日期 stands (with the 提示)."""
    assert run_cli("parents", "add", *DISTRICT_2025[:-1], "2025-06-03").returncode == 0
    answers = tmp_path / "a.yaml"
    answers.write_text("print_date: 2025-05-28\ndeadlines: {liaison: 2025-06-01, summary: 2025-06-30}\n",
                       encoding="utf-8")
    out = tmp_path / "街道.docx"
    done = run_cli("new", "--sector", "街道", "--defaults", "--answers", answers, "--parent", "青安办〔2025〕21号",
                   "-o", out)
    assert done.returncode == 0, done.stderr
    assert str(yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))["date"]) == "2025-05-20"
    assert "早于所依据的上级来文 青安办〔2025〕21号" in done.stderr


def test_on_a_terminal_a_parents_later_date_is_offered_with_dates_that_agree(shared, tmp_path, capsys):
    """Enter through every question after --parent of a parent dated 3 June: the 成文日期 offered is that day, and
    the 印发日期 and deadlines offered before it agree with it."""
    assert run_cli("parents", "add", *DISTRICT_2025[:-1], "2025-06-03").returncode == 0
    out = tmp_path / "街道.docx"
    with create_pipe_input() as pipe:
        pipe.send_text("\r" * 60)
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        code = main(["new", "--sector", "街道", "--parent", "青安办〔2025〕21号", "-o", str(out)], prompter=prompter)
    assert code == 0, capsys.readouterr().err
    assert prompter.rejected == []
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert (str(saved["date"]), str(saved["print_date"])) == ("2025-06-03", "2025-06-03")
    assert str(saved["deadlines"]["liaison"]) == "2025-06-10"
