"""The questionnaire driven for real: keystrokes through prompt_toolkit pipe input into `drafter new`."""

import datetime as dt
import zipfile

import docx
import pytest
import yaml
from conftest import run_cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from drafter import questionnaire
from drafter.cli import main
from drafter.prompts import Prompter, _checker, date_in, doc_number

ENTER, UP, DOWN, CLEAR, CTRL_C = "\r", "\x1b[A", "\x1b[B", "\x15", "\x03"
STRUCTURE = ENTER * 2  # 文种和结构: 本行业默认 | 通知正文的结构: 完成
FORMS = ENTER * 2  # 联合发文？否 | 公文格式：文件格式（红头文件）, after the issuer
ORDER = ENTER  # 活动的顺序 (asked when two or more are chosen): 就按这个顺序


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A user of their own: profile, registry and unfinished answers under tmp_path."""
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DRAFTER_PARENTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def may_2025(monkeypatch):
    """The clock in May 2025, the year of the newest built-in data (tests of another date set their own)."""
    monkeypatch.setattr(questionnaire, "today", lambda: dt.date(2025, 5, 8))


def drive(keys: str, *argv):
    """Run `drafter ARGV` answering with ``keys``; the input is closed after them, so a prompt left waiting ends
    the run (as Ctrl-D would) instead of hanging the test."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = Prompter(input=pipe, output=DummyOutput())
        code = main([str(a) for a in argv], prompter=prompter)
    return code, prompter


def text_of(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs) + "\n" + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)


def document_xml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_enter_through_every_default_drafts_the_complete_sample(tmp_path, capsys):
    code, prompter = drive(ENTER * 40, "new", "-o", "通知.docx")
    assert code == 0, capsys.readouterr().err
    assert prompter.count <= 26  # 联合发文 and 公文格式 cost two of them
    out = capsys.readouterr().out
    assert "——— 通知概要 ———" in out and "发文字号：青商务〔2025〕18号" in out  # the summary before writing
    assert "依据：《国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知》（安委办〔2025〕1号）" in out
    assert "附件：附件1 2025年“安全生产月”宣传标语" in out
    # The same document as the built-in defaults, and its answers saved beside it.
    assert run_cli("new", "--defaults", "-o", tmp_path / "defaults.docx").returncode == 0
    assert document_xml(tmp_path / "通知.docx") == document_xml(tmp_path / "defaults.docx")
    saved = yaml.safe_load((tmp_path / "通知.yaml").read_text(encoding="utf-8"))
    assert saved["issuer"]["name"] == "江城市青山区商务局" and saved["issuer"]["level"] == "区（县）"


def test_saved_answers_reproduce_the_interactive_document(tmp_path):
    code, _ = drive(ENTER * 40, "new", "-o", "a.docx")
    assert code == 0
    done = run_cli("new", "--answers", tmp_path / "a.yaml", "-o", tmp_path / "b.docx", input="")
    assert done.returncode == 0, done.stderr
    assert document_xml(tmp_path / "a.docx") == document_xml(tmp_path / "b.docx")


def test_the_profile_is_offered_next_time(tmp_path, home):
    first, _ = drive(UP + ENTER + ENTER * 40, "new", "-o", "a.docx")  # 街道
    assert first == 0 and (home / "profile.yaml").exists()
    code, prompter = drive(ENTER * 40, "new", "-o", "b.docx")
    assert code == 0
    assert "江城市青山区江南街道办事处关于开展2025年江南街道" in text_of(tmp_path / "b.docx").replace("\n", "")
    first_count = prompter.count
    assert first_count <= 22  # the issuer is one confirmation now (then 联合发文 and 公文格式)


def test_a_jiedao_cites_a_district_parent_it_adds_inline_and_wrong_values_are_asked_again(tmp_path, home, capsys):
    keys = "".join([
        UP, ENTER,  # 行业：街道 (above the default 商务)
        ENTER, ENTER, ENTER, ENTER,  # 名称、代字、层级、红头：the sector's example
        FORMS,
        "+", ENTER,  # 上级来文：filter the list down to “+ 添加新的上级来文”
        "江城市青山区安全生产委员会办公室", ENTER,
        "江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知", ENTER,
        "青安办2025 21号", ENTER,  # malformed: refused with the reason
        CLEAR, "青安办〔2025〕21号", ENTER,
        ENTER,  # 主题：the national one of 2025
        "2025-05-12", ENTER,  # 成文日期
        "y", ENTER,  # 再引用一份
        "2025", ENTER,  # the national notice, found by typing the year
        ENTER,  # 不再引用
        CLEAR, "2024", ENTER,  # 年份 not the parent's: refused
        CLEAR, "2025", ENTER,
        ENTER, STRUCTURE,  # 主题、结构
        ENTER, ENTER, ENTER, ENTER, ENTER, ORDER,  # 序号、范围、主送、称谓、活动、活动的顺序
        ENTER,  # 补充问题
        "n", ENTER,  # 报送时间：change them
        CLEAR, "2025-02-30", ENTER,  # not a date: refused
        CLEAR, "2025-06-03", ENTER,
        ENTER,  # 每周
        CLEAR, "2025-06-30", ENTER,
        ENTER, ENTER, ENTER, ENTER,  # 联系人、附件、版记、落款
        ENTER,  # 生成文件
    ])
    code, prompter = drive(keys, "new", "-o", "街道.docx")
    assert code == 0, capsys.readouterr().err
    assert prompter.rejected == [  # each refused with its reason, then asked again
        "删除了多余的空格；年份缺少六角括号〔〕（应为“青安办〔2025〕21号”）",
        "上级来文 青安办〔2025〕21号 是2025年的，年份应与之一致",
        "“2025-02-30”不是存在的日期"]
    text = text_of(tmp_path / "街道.docx").replace("\n", "")
    assert ("根据《江城市青山区安全生产委员会办公室关于开展2025年全区“安全生产月”活动的通知》（青安办〔2025〕21号）和"
            "《国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知》（安委办〔2025〕1号）要求") in text
    assert "请于6月3日前报送本单位活动联络员" in text and "6月30日前报送活动总结" in text
    assert "组织学校和幼儿园应急疏散演练" in text
    # The parent typed in is in the registry now, for the next notice to pick.
    saved = yaml.safe_load((home / "parents" / "青安办〔2025〕21号.yaml").read_text(encoding="utf-8"))
    assert saved["issuer"] == "江城市青山区安全生产委员会办公室" and saved["date"] == "2025-05-12"
    assert saved["theme"] == "人人讲安全、个个会应急——查找身边安全隐患"


def test_ctrl_c_writes_no_notice_and_keeps_the_answers_given(tmp_path, home, capsys):
    code, _ = drive(ENTER + CLEAR + "江城市青山区卫生健康局" + ENTER + CLEAR + "青卫健" + ENTER + CTRL_C,
                    "new", "-o", "x.docx")
    assert code == 130
    err = capsys.readouterr().err
    kept = home / "unfinished.yaml"
    assert f"已回答的内容保存在 {kept}" in err and "Traceback" not in err
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "x.yaml").exists()
    assert yaml.safe_load(kept.read_text(encoding="utf-8"))["issuer"] == {
        "sector": "商务", "name": "江城市青山区卫生健康局", "code": "青卫健"}

    # Going on from there asks only what is missing: no sector, name or 代字; a real office's 文号 number has no
    # default, so Enter alone is refused until one is typed.
    keys = "".join([ENTER * 2, FORMS, ENTER * 4, STRUCTURE,  # 层级 红头 | 联合 格式 | 来文 再引用 年份 主题 | 结构
                    ENTER, "5", ENTER,  # 序号: refused empty, then 5
                    ENTER * 4, ORDER, ENTER * 2,  # 范围 主送 称谓 活动 活动的顺序 补充问题 报送时间
                    "王芳", ENTER, "0591-22334455", ENTER, ENTER,  # a new office has no contact to offer
                    ENTER * 4])  # 附件 版记 落款 生成
    code, prompter = drive(keys, "new", "--answers", kept, "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert prompter.rejected == ["不能为空"]
    text = text_of(tmp_path / "x.docx").replace("\n", "")
    assert "江城市青山区卫生健康局关于开展2025年" in text and "青卫健〔2025〕5号" in text


def test_quitting_at_the_confirmation_writes_nothing(tmp_path, capsys):
    code, _ = drive(ENTER * 20 + FORMS + STRUCTURE + ORDER + DOWN + DOWN + ENTER, "new", "-o", "x.docx")
    assert code == 130 and "已放弃" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_an_answers_file_is_asked_only_what_it_lacks(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("issuer:\n  name: 江城市青山区交通运输局\n  code: 青交\n  sector: 应急\n  level: 区（县）\n"
                       "  mark: 江城市青山区交通运输局文件\nnumber: 7\ncontact: {name: 周强, phone: 0591-55556666}\n",
                       encoding="utf-8")
    full, everything = drive(ENTER * 40, "new", "-o", "y.docx")
    code, prompter = drive(ENTER * 40, "new", "--answers", answers, "-o", "x.docx")
    assert full == 0 and code == 0
    text = text_of(tmp_path / "x.docx")
    assert "青交〔2025〕7号" in text and "联系人：周强，电话：0591-55556666" in text
    # no issuer (5), 文号 or contact question; an issuer given settles 联合发文 and 公文格式 too (the usual ones)
    assert prompter.count == everything.count - 9


def test_without_a_terminal_it_says_which_option_to_use(tmp_path):
    done = run_cli("new", "-o", tmp_path / "x.docx", input="")
    assert done.returncode == 1 and "--answers" in done.stderr and "--defaults" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.docx").exists()


def test_validators_give_the_reason():
    rejected = []
    check = _checker(date_in(2025), rejected)
    assert check("2025-06-03") is True
    assert "不是存在的日期" in check("2025年2月30日")
    assert check("2024-06-03") == "2024年6月3日不在2025年内，请检查年份"
    assert "六角括号" in _checker(doc_number, rejected)("青安办(2025)21号")
    assert len(rejected) == 3


MAY_2025 = ("import datetime, sys; from drafter import questionnaire; from drafter.cli import main; "
            "questionnaire.today = lambda: datetime.date(2025, 5, 8); sys.exit(main(sys.argv[1:]))")


def test_in_a_real_terminal_enter_through_all_defaults(tmp_path):
    """`drafter new` in a pseudo-terminal, as a clerk runs it: Enter whenever it waits, until it is done."""
    import os
    import pty
    import select
    import struct
    import sys
    import time
    from fcntl import ioctl
    from termios import TIOCSWINSZ

    pid, fd = pty.fork()
    if pid == 0:  # the child: drafter on the terminal
        os.chdir(tmp_path)
        os.environ.update(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", DRAFTER_HOME=str(tmp_path / "home"))
        os.execv(sys.executable, [sys.executable, "-c", MAY_2025, "new", "-o", "通知.docx"])
    ioctl(fd, TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    screen, enters, deadline = b"", 0, time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:  # waiting for an answer
            os.write(fd, b"\r")
            enters += 1
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the program has ended
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    text = screen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text[-2000:]
    assert (tmp_path / "通知.docx").exists() and (tmp_path / "通知.yaml").exists()
    assert enters < 27 and "已生成 通知.docx" in text and "发文机关全称" in text
    assert "内容：" in text and "Description" not in text  # the activity pointed at, its text in Chinese


# Issue 11: the questionnaire as clerks really use it.

SPACE = " "


def saved_answers(path):
    return yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))


def test_a_yes_no_question_waits_for_enter():
    """y or n alone only shows the choice; Enter gives it. The Enter typed after n is not an answer to the next
    question."""
    with create_pipe_input() as pipe:
        pipe.send_text("n" + ENTER + "江南" + ENTER + "y" + ENTER + ENTER)
        pipe.close()
        ask = Prompter(input=pipe, output=DummyOutput())
        assert ask.confirm("沿用？") is False
        assert ask.text("名称") == "江南"
        assert ask.confirm("再引用？", default=False) is True
        assert ask.confirm("加盖印章？", default=False) is False  # Enter alone: the default


def test_n_and_enter_declines_the_profile_and_the_sector_is_really_asked(tmp_path, home):
    first, _ = drive(UP + ENTER + ENTER * 40, "new", "-o", "a.docx")  # 街道, remembered in the profile
    assert first == 0 and saved_answers(tmp_path / "a.docx")["issuer"]["sector"] == "街道"
    keys = "n" + ENTER + DOWN + DOWN + ENTER + ENTER * 4 + FORMS + ENTER * 4 + STRUCTURE + "3" + ENTER + ENTER * 30
    code, prompter = drive(keys, "new", "-o", "b.docx")
    assert code == 0 and prompter.rejected == []
    assert saved_answers(tmp_path / "b.docx")["issuer"]["sector"] == "应急"


EDIT = DOWN + ENTER  # 逐项修改 at the confirmation after the summary


def test_editing_keeps_a_second_parent(tmp_path, capsys):
    answers = tmp_path / "a.yaml"
    answers.write_text("parents:\n- {title: 国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知, "
                       "doc_number: 安委办〔2025〕1号}\n- {title: 江城市安全生产委员会办公室关于开展2025年全市"
                       "“安全生产月”活动的通知, doc_number: 江安办〔2025〕12号}\n", encoding="utf-8")
    keys = ENTER * 21 + FORMS + EDIT + ENTER * 40  # all that the file lacks, 逐项修改, then Enter through every question
    code, _ = drive(keys, "new", "--answers", answers, "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert [p["doc_number"] for p in saved_answers(tmp_path / "x.docx")["parents"]] == [
        "安委办〔2025〕1号", "江安办〔2025〕12号"]


def test_editing_the_sector_offers_that_sectors_activities_and_defaults(tmp_path, capsys):
    keys = "".join([ENTER * 5, FORMS, ENTER * 4,  # 商务 sample: 行业 名称 代字 层级 红头 | 来文 再引用 年份 主题
                    STRUCTURE, ENTER * 4,  # 结构 | 序号 范围 主送 称谓
                    DOWN, DOWN, SPACE, ENTER, ORDER,  # 活动：tick 举办活动启动仪式 (应急) too
                    ENTER * 7, EDIT,  # 2 plugin questions, 报送 联系人 附件 版记 落款 | 逐项修改
                    UP, ENTER,  # 行业：街道
                    ENTER * 40])
    code, _ = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    saved = saved_answers(tmp_path / "x.docx")
    jiedao = ["grid_patrol", "school_evacuation", "four_into", "ebike_charging", "residential_gas", "fire_lanes",
              "community_consult_day"]
    assert saved["activities"] == jiedao  # the 商务 ones and the 应急 one added for 商务 are gone
    assert set(saved["attachments"]) == {"slogans", "liaison", "stats", "plan", "community_patrol_log"}
    assert saved["copy_to"] == ["区安委会办公室"] and saved["scope"] == "江南街道"
    # The sample office followed the sector: its name, 代字, 印发机关 and contact are the 街道 sample's.
    assert saved["issuer"]["name"] == "江城市青山区江南街道办事处" and saved["issuer"]["code"] == "青江街办"
    assert saved["printer"] == "江城市青山区江南街道党政综合办公室" and saved["contact"]["name"] == "张华"


def test_editing_the_issuer_moves_what_was_derived_from_it(tmp_path, capsys):
    keys = "".join([ENTER * 20, FORMS, STRUCTURE, ORDER, EDIT,  # the 商务 sample, then 逐项修改
                    ENTER, CLEAR, "江城市青山区卫生健康局", ENTER,  # 行业 as it was, a new name
                    "青卫健", ENTER, ENTER, ENTER,  # 代字 (the sample's is not offered for another office), 层级, 红头
                    FORMS,
                    ENTER * 4, STRUCTURE, "5", ENTER,  # 来文 再引用 年份 主题 结构 | 序号 (the sample's is not offered)
                    ENTER * 4, ORDER, ENTER * 2,  # 范围 主送 称谓 活动 活动的顺序 补充问题 报送
                    "王芳", ENTER, "0591-22334455", ENTER, ENTER,  # a contact of its own
                    ENTER * 4])  # 附件 版记 落款 生成
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["issuer"]["code"] == "青卫健" and saved["number"] == 5
    assert saved["issuer"]["mark"] == "江城市青山区卫生健康局文件"
    assert saved["printer"] == "江城市青山区卫生健康局办公室"
    assert saved["contact"] == {"name": "王芳", "phone": "0591-22334455", "email": None}


def test_another_office_is_not_offered_the_profiles_colophon(tmp_path, home):
    keys = "".join([ENTER * 18, FORMS, STRUCTURE, ORDER,  # the 商务 sample up to the 版记
                    "n", ENTER, CLEAR, "区安委办、区商务委", ENTER, CLEAR, "青山区商务局综合科", ENTER, ENTER,
                    ENTER * 2])
    first, _ = drive(keys, "new", "-o", "a.docx")
    assert first == 0 and saved_answers(tmp_path / "a.docx")["copy_to"] == ["区安委办", "区商务委"]
    keys = "".join(["n", ENTER,  # 发文机关：沿用？否
                    ENTER, CLEAR, "江城市青山区卫生健康局", ENTER, "青卫健", ENTER, ENTER, ENTER, FORMS,
                    ENTER * 4, STRUCTURE, "5", ENTER, ENTER * 4, ORDER, ENTER * 2, ENTER, ENTER, ENTER * 4])
    code, _ = drive(keys, "new", "-o", "b.docx")
    assert code == 0
    saved = saved_answers(tmp_path / "b.docx")
    assert saved["printer"] == "江城市青山区卫生健康局办公室"
    assert saved["copy_to"] == ["区安委会办公室", "区应急管理局"]  # the sector's, not the other office's
    assert saved["contact"]["name"] == "李明"  # the clerk is the same person


def test_a_profile_whose_sector_has_no_plugin_falls_back_and_says_so(tmp_path, home, capsys):
    home.mkdir(parents=True)
    (home / "profile.yaml").write_text(
        "issuer: {name: 江城市青山区卫生健康局, code: 青卫健, sector: 卫健, level: 区（县）}\n"
        "contact: {name: 赵敏, phone: 0591-33334444}\nprinter: 江城市青山区卫生健康局办公室\n", encoding="utf-8")
    code, _ = drive(ENTER + FORMS + ENTER * 4 + STRUCTURE + "5" + ENTER + ENTER * 30, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "资料中的行业“卫健”没有插件提供，改用“商务”" in out.out + out.err
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["issuer"]["sector"] == "商务" and saved["issuer"]["name"] == "江城市青山区卫生健康局"
    assert saved["contact"]["name"] == "赵敏"


def city_parent(year: int) -> dict:
    return {"issuer": "江城市安全生产委员会办公室", "doc_number": f"江安办〔{year}〕8号",
            "title": f"江城市安全生产委员会办公室关于开展{year}年全市“安全生产月”活动的通知"}


@pytest.mark.parametrize("today, year", [(dt.date(2026, 11, 23), 2027), (dt.date(2027, 6, 30), 2027),
                                         (dt.date(2026, 1, 5), 2026)])
def test_the_default_year_is_the_coming_safety_month_and_its_parent_gives_the_theme(
        today, year, tmp_path, home, monkeypatch, capsys):
    """The coming 安全生产月: this year's until June is over, then next year's. Without a parent of that year
    (last year's is there, the national one is not built in) one is added; its theme is then the default."""
    monkeypatch.setattr(questionnaire, "today", lambda: today)
    (home / "parents").mkdir(parents=True)
    last = city_parent(year - 1)
    (home / "parents" / f"{last['doc_number']}.yaml").write_text(
        yaml.safe_dump({**last, "theme": "去年的主题"}, allow_unicode=True), encoding="utf-8")
    parent = city_parent(year)
    keys = "".join([ENTER * 5, FORMS,  # the 商务 sample
                    ENTER,  # 上级来文：none of that year yet, so “添加新的” is the default
                    parent["issuer"], ENTER, parent["title"], ENTER, parent["doc_number"], ENTER,
                    ENTER, "安全发展、守护生命", ENTER,  # 主题：no built-in one to offer, so it must be typed
                    ENTER, ENTER,  # 成文日期 left empty, 不再引用
                    ENTER, ENTER,  # 年份 and 主题 as the parent says
                    ENTER * 30])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"上级来文库中还没有{year}年的上级来文" in out.out
    assert prompter.rejected == ["不能为空"]
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["year"] == year and saved["theme"] == "安全发展、守护生命"
    assert saved["parents"] == [{"title": parent["title"], "doc_number": parent["doc_number"]}]
    assert saved["date"] == f"{year}-05-20" and saved["deadlines"]["liaison"] == f"{year}-05-30"
    assert f"今年6月是第{year - 2001}个全国“安全生产月”" in text_of(tmp_path / "x.docx")

    # Next time that parent is in the registry: Enter through takes it, its year and its theme.
    code, prompter = drive(ENTER * 40, "new", "-o", "y.docx")
    assert code == 0 and prompter.rejected == []
    saved = saved_answers(tmp_path / "y.docx")
    assert saved["year"] == year and saved["theme"] == "安全发展、守护生命"
    assert saved["parents"][0]["doc_number"] == parent["doc_number"]


def test_a_theme_nothing_gives_is_asked_with_no_default(tmp_path, monkeypatch):
    monkeypatch.setattr(questionnaire, "today", lambda: dt.date(2026, 11, 23))
    answers = tmp_path / "a.yaml"
    answers.write_text("parents: [{title: 江城市安全生产委员会办公室关于开展2027年全市“安全生产月”活动的通知, "
                       "doc_number: 江安办〔2027〕8号}]\n", encoding="utf-8")
    keys = (ENTER * 5 + FORMS + ENTER + ENTER + "人人讲安全、个个会应急——查找身边安全隐患" + ENTER  # 主题: refused
            + CLEAR + "安全发展、守护生命" + ENTER + ENTER * 30)
    code, prompter = drive(keys, "new", "--answers", answers, "-o", "x.docx")
    assert code == 0 and prompter.rejected == [
        "不能为空", "“人人讲安全、个个会应急——查找身边安全隐患”是2025年的主题，不是2027年的"]
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["year"] == 2027 and saved["theme"] == "安全发展、守护生命"


def test_the_summary_shows_contact_deadlines_and_colophon(capsys):
    code, _ = drive(ENTER * 40, "new", "-o", "x.docx")
    assert code == 0
    out = capsys.readouterr().out
    assert "联系人：李明，电话：0591-12345678，电子邮箱：qsswj@example.com" in out
    assert "报送：联络员报送 2025年5月30日前；总结报送 2025年7月1日前；每周报送 每周三18时前" in out
    assert "抄送：区安委会办公室、区应急管理局" in out
    assert "印发机关：江城市青山区商务局办公室；印发日期：2025年5月20日" in out


def test_the_questions_of_a_plugin_whose_attachment_is_chosen_are_asked_and_not_left_empty(tmp_path, capsys):
    keys = "".join([UP, ENTER, ENTER * 4, FORMS,  # 街道 sample
                    ENTER * 4, STRUCTURE, ENTER * 5, ORDER, ENTER,  # 来文 再引用 年份 主题 | 结构 | 序号 范围 主送 称谓 活动
                    # 活动的顺序 补充问题
                    ENTER, ENTER,  # 报送 联系人
                    DOWN * 5, SPACE, ENTER,  # 附件：the 商务 plugin's 消防演练登记表 too
                    CLEAR, ENTER, "江南商业广场", ENTER,  # its question: empty refused, then answered
                    ENTER * 3])  # 版记 落款 生成
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert len(prompter.rejected) == 1 and "不能为空" in prompter.rejected[0]
    assert "写场所的类别或名称，用顿号分隔" in capsys.readouterr().out  # the question's help, said before it
    saved = saved_answers(tmp_path / "x.docx")
    assert "business_drill_register" in saved["attachments"] and saved["extra"]["key_venues"] == "江南商业广场"


def test_a_telephone_or_email_is_checked_as_the_answers_file_checks_it(tmp_path, capsys):
    keys = "".join([ENTER * 16, FORMS, STRUCTURE, ORDER, "n", ENTER,  # the 商务 sample up to 联系人：沿用？否
                    ENTER, CLEAR, "八七六五四三二一", ENTER, CLEAR, "0591-87654321", ENTER,  # 姓名, 电话
                    CLEAR, "li@", ENTER, CLEAR, ENTER,  # 电子邮箱: wrong, then none
                    ENTER * 4])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert len(prompter.rejected) == 2
    assert "不是电话号码" in prompter.rejected[0] and "不是电子邮箱地址" in prompter.rejected[1]
    assert saved_answers(tmp_path / "x.docx")["contact"] == {"name": "李明", "phone": "0591-87654321", "email": None}


def test_a_date_that_disagrees_with_the_others_is_asked_again(tmp_path, capsys):
    keys = "".join([ENTER * 19, FORMS, STRUCTURE, ORDER, "n", ENTER,  # the 商务 sample up to 落款：沿用？否
                    CLEAR, "2025-06-05", ENTER,  # 成文日期 after the 联络员 deadline and the 印发日期: refused
                    CLEAR, "2025-05-18", ENTER, ENTER, ENTER, ENTER])  # 印章 附注 生成
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert prompter.rejected == ["印发日期2025年5月20日早于成文日期2025年6月5日；"
                                 "联络员报送截止日期2025年5月30日早于成文日期2025年6月5日"]
    assert saved_answers(tmp_path / "x.docx")["date"] == "2025-05-18"


def test_editing_the_parent_moves_the_year_theme_and_dates_that_were_offered(tmp_path, capsys):
    keys = ENTER * 23 + FORMS + EDIT + ENTER * 5 + FORMS + "2024" + ENTER + ENTER * 40  # 逐项修改: 2024's notice
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert prompter.rejected == []
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["year"] == 2024 and saved["theme"] == "人人讲安全、个个会应急——畅通生命通道"
    assert saved["date"] == saved["print_date"] == "2024-05-20"
    assert saved["deadlines"] == {"liaison": "2024-05-30", "summary": "2024-07-01", "weekly": "每周三18时前"}


def test_answers_that_disagree_after_the_questions_go_back_to_editing_and_lose_nothing(tmp_path, capsys):
    answers = tmp_path / "a.yaml"  # last year's theme, which no question of this run asks about
    answers.write_text("year: 2025\ntheme: 人人讲安全、个个会应急——畅通生命通道\n", encoding="utf-8")
    keys = ENTER * 25 + FORMS + DOWN + ENTER  # Enter through the questions; told the problem, 放弃 keeps the answers
    code, prompter = drive(keys, "new", "--answers", answers, "-o", tmp_path / "x.docx")
    err = capsys.readouterr().err
    assert code == 130 and "theme（主题）：“人人讲安全、个个会应急——畅通生命通道”是2024年的主题" in err, err
    assert not (tmp_path / "x.docx").exists()
    kept = yaml.safe_load((tmp_path / "home" / "unfinished.yaml").read_text(encoding="utf-8"))
    assert kept["theme"].endswith("畅通生命通道") and kept["number"] == 18
    # 逐项修改 instead: every question again, the theme among them, refused until this year's is typed
    keys = (ENTER * 25 + FORMS + ENTER + ENTER * 5 + FORMS + ENTER + ENTER + CLEAR + "人人讲安全、个个会应急——查找身边安全隐患" + ENTER
            + ENTER * 40)
    code, prompter = drive(keys, "new", "--answers", answers, "-o", tmp_path / "y.docx")
    assert code == 0 and "是2024年的主题，不是2025年的" in prompter.rejected[0], prompter.rejected
    assert "查找身边安全隐患" in text_of(tmp_path / "y.docx")


def test_the_theme_prompts_of_the_notice_and_of_a_new_parent_refuse_another_year_s_theme():
    check = questionnaire.theme_of(2027)
    assert check("安全发展、守护生命") == "安全发展、守护生命"
    with pytest.raises(ValueError, match="是2023年的主题，不是2027年的"):
        check("人人讲安全、个个会应急")


def test_activities_written_inline_survive_editing_in_their_order(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("issuer: {name: 江城市青山区江南街道办事处, code: 青江街办, sector: 街道}\nnumber: 9\n"
                       "contact: {name: 张华, phone: 0591-87654321}\n"
                       "activities:\n  - {title: 知识竞赛, paragraphs: [六月举办。]}\n  - fire_lanes\n", encoding="utf-8")
    first, _ = drive(ENTER * 40, "new", "--answers", answers, "-o", tmp_path / "x.docx")
    asked = _.count - 1  # the questions before the confirmation
    keys = ENTER * asked + DOWN + ENTER + ENTER * 60  # 逐项修改: every question again, the activities among them
    code, prompter = drive(keys, "new", "--answers", answers, "-o", tmp_path / "y.docx")
    assert first == 0 and code == 0 and prompter.count > 2 * asked, prompter.count
    saved = saved_answers(tmp_path / "y.docx")
    assert saved["activities"] == [{"title": "知识竞赛", "paragraphs": ["六月举办。"]}, "fire_lanes"]


# Issue 12: the body's structure (shape, outline) and the order of the activities, asked after the parent.

SAMPLE_UP_TO_THE_STRUCTURE = ENTER * 5 + FORMS + ENTER * 4  # the 商务 sample: 行业 名称 代字 层级 红头 | 联合 格式 |
# 来文 再引用 年份 主题
ACTIONS = ("完成", "删除一节", "重命名一节", "调整顺序", "新增一节", "恢复默认")  # the outline editor's, in order


def action(name: str) -> str:
    return DOWN * ACTIONS.index(name) + ENTER


def drafted(saved: dict) -> list[str]:
    """The top-level headings of the notice the saved answers draft."""
    from drafter.answers import resolve
    from drafter.compose import compose

    return [number + block.title for level, number, block in compose(resolve(saved)).numbered_blocks()
            if level == 1]


def test_the_structure_is_asked_after_the_parent_and_the_activities_are_shown_with_their_text(tmp_path):
    code, prompter = drive(ENTER * 40, "new", "-o", "x.docx")
    assert code == 0
    shown = prompter.shown
    assert shown.index("文种和结构") == shown.index("主题（2025年是第24个全国“安全生产月”）") + 1
    assert shown[shown.index("文种和结构") + 1] == "通知正文的结构"
    assert shown[shown.index("通知正文的结构") + 1].startswith("发文字号序号")
    assert shown[shown.index("主要活动（统计表和计划表的行随之增减）") + 1] == "活动的顺序"
    saved = saved_answers(tmp_path / "x.docx")
    assert "outline" not in saved and "form" not in saved  # Enter through: the sector's default, a 通知


def test_the_default_outline_renamed_dropped_added_to_and_two_activities_reordered(tmp_path, capsys):
    keys = "".join([SAMPLE_UP_TO_THE_STRUCTURE,
                    ENTER,  # 文种和结构：本行业默认
                    action("重命名一节"), ENTER,  # 一、总体要求
                    CLEAR, "一、总体思路", ENTER,  # a number typed: refused
                    CLEAR, "总体思路", ENTER,
                    action("删除一节"), DOWN * 3, ENTER,  # 四、工作要求
                    action("新增一节"), ENTER,  # 自己写的一节
                    "保障措施", ENTER, "所需经费列入年度预算。", ENTER, "各社区明确一名联络员。", ENTER, ENTER,
                    ENTER,  # 放在最后
                    action("完成"),
                    ENTER * 4,  # 序号 范围 主送 称谓
                    ENTER,  # 主要活动 as the sector ticks them
                    DOWN, ENTER, DOWN, ENTER, ENTER,  # 调整一项的位置：the second, 上移一位
                    ENTER,  # 就按这个顺序
                    ENTER * 30])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert prompter.rejected == ["“一、总体思路”：不必写序号，序号按结构自动编排"]
    assert "通知正文的结构：\n　一、总体要求\n　二、主要活动\n　三、压实商贸企业安全生产责任\n　四、工作要求" in out.out
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["outline"] == [{"use": "overview", "title": "总体思路"}, "activities", "business_responsibility",
                                {"title": "保障措施", "paragraphs": ["所需经费列入年度预算。", "各社区明确一名联络员。"]}]
    assert saved["activities"][:3] == ["control_room_training", "mall_fire_drills", "restaurant_gas"]
    assert drafted(saved) == ["一、总体思路", "二、主要活动", "三、压实商贸企业安全生产责任", "四、保障措施"]
    text = text_of(tmp_path / "x.docx")
    assert "工作要求" not in text and "所需经费列入年度预算。\n各社区明确一名联络员。" in text
    assert text.index("强化消防控制室值班人员培训") < text.index("开展商贸企业消防应急演练")


@pytest.mark.parametrize("form, ups", [("方案", 2), ("印发方案", 1)])
def test_the_plan_shapes_give_their_form_and_the_plan_outline(tmp_path, capsys, form, ups):
    from drafter.answers import PLAN_OUTLINE, resolve
    from drafter.compose import compose

    code, prompter = drive(SAMPLE_UP_TO_THE_STRUCTURE + UP * ups + ENTER + ENTER * 40, "new", "-o", "x.docx")
    assert code == 0, capsys.readouterr().err
    assert "方案的结构" in prompter.shown
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["form"] == form and saved["outline"] == PLAN_OUTLINE
    notice = compose(resolve(saved))
    plan = notice if form == "方案" else notice.attachments[0]
    assert plan.title == "2025年全区商务系统“安全生产月”活动方案"
    assert [n + b.title for level, n, b in plan.numbered_blocks() if level == 1] == [
        "一、总体思路", "二、活动主题", "三、活动时间", "四、主要活动", "五、工作要求"]
    asked = " ".join(prompter.shown)
    if form == "方案":  # printed alone: no 文号, 主送, 版记 or 落款 to ask about
        assert saved["number"] is None and "标题中的范围：2025年□“安全生产月”活动方案" in prompter.shown
        assert not any(word in asked for word in ("发文字号序号", "主送机关", "版记", "落款"))
        assert "——— 方案概要 ———" in capsys.readouterr().out
    else:
        assert "标题中的范围：关于印发《2025年□“安全生产月”活动方案》的通知" in prompter.shown
        assert all(word in asked for word in ("发文字号序号", "主送机关", "版记", "落款"))
        assert "附件1：2025年全区商务系统“安全生产月”活动方案\n　一、总体思路" in capsys.readouterr().out


def test_moving_a_section_restoring_the_default_and_dropping_the_activities(tmp_path, capsys):
    keys = "".join([SAMPLE_UP_TO_THE_STRUCTURE, UP, UP, ENTER,  # 方案
                    action("调整顺序"), DOWN * 2, ENTER, ENTER,  # 三、活动时间: 上移一位
                    action("恢复默认"),
                    action("调整顺序"), DOWN * 4, ENTER, DOWN, ENTER,  # 五、工作要求: (上移一位,) 移到第1位
                    action("删除一节"), DOWN * 4, ENTER,  # 五、主要活动
                    action("完成"), ENTER * 40])
    code, _ = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "方案的结构：\n　一、总体思路\n　二、活动时间\n　三、活动主题" in out.out  # before 恢复默认
    assert "没有“主要活动”一节，所选的活动不写入正文，仍列入统计表和计划表" in out.out
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["outline"] == ["requirements", {"use": "overview", "title": "总体思路"}, "theme", "period"]


def registered_parent(home, **more) -> dict:
    parent = {**city_parent(2025), **more}
    (home / "parents").mkdir(parents=True, exist_ok=True)
    (home / "parents" / f"{parent['doc_number']}.yaml").write_text(yaml.safe_dump(parent, allow_unicode=True),
                                                                  encoding="utf-8")
    return parent


def test_following_the_parent_s_headings(tmp_path, home, capsys):
    registered_parent(home, headings=["指导思想", "主要活动", "保障措施"])
    keys = "".join([SAMPLE_UP_TO_THE_STRUCTURE,  # this year's parent in the registry is the default
                    UP * 3, ENTER,  # 照上级来文
                    "以习近平新时代中国特色社会主义思想为指导。", ENTER, ENTER,  # 指导思想
                    "各社区明确一名联络员。", ENTER, "所需经费列入年度预算。", ENTER, ENTER,  # 保障措施
                    action("完成"), ENTER * 40])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "照 江安办〔2025〕8号 的一级标题：指导思想、主要活动、保障措施。主要活动用内置的文字" in out.out
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["parents"][0]["doc_number"] == "江安办〔2025〕8号" and "form" not in saved
    assert saved["outline"] == [{"title": "指导思想", "paragraphs": ["以习近平新时代中国特色社会主义思想为指导。"]},
                                "activities",
                                {"title": "保障措施", "paragraphs": ["各社区明确一名联络员。", "所需经费列入年度预算。"]}]
    assert drafted(saved) == ["一、指导思想", "二、主要活动", "三、保障措施"]


def test_following_a_parent_without_headings_starts_from_the_default(tmp_path, capsys):
    code, _ = drive(SAMPLE_UP_TO_THE_STRUCTURE + UP * 3 + ENTER + ENTER * 40, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "上级来文 安委办〔2025〕1号 没有记录一级标题" in out.out
    assert "outline" not in saved_answers(tmp_path / "x.docx")


def test_the_structure_is_not_asked_when_the_answers_give_it(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("form: 方案\n", encoding="utf-8")
    code, prompter = drive(ENTER * 40, "new", "--answers", answers, "-o", "x.docx")
    assert code == 0 and "文种和结构" not in prompter.shown and "方案的结构" in prompter.shown
    answers.write_text("outline: [overview, activities]\nactivities: [mall_fire_drills]\n", encoding="utf-8")
    code, prompter = drive(ENTER * 40, "new", "--answers", answers, "-o", "y.docx")
    assert code == 0 and not {"文种和结构", "通知正文的结构", "文种", "活动的顺序"} & set(prompter.shown)
    assert saved_answers(tmp_path / "y.docx")["outline"] == ["overview", "activities"]
    answers.write_text("outline: [overview, activities]\n", encoding="utf-8")  # the form alone is asked
    keys = ENTER + FORMS + ENTER * 4 + DOWN * 2 + ENTER + ENTER * 40  # 发文机关（资料）：沿用 | 联合 格式 |
    # 来文 再引用 年份 主题 | 文种：印发方案
    code, prompter = drive(keys, "new", "--answers", answers, "-o", "z.docx")
    assert code == 0 and "文种" in prompter.shown and "通知正文的结构" not in prompter.shown
    saved = saved_answers(tmp_path / "z.docx")
    assert saved["form"] == "印发方案" and saved["outline"] == ["overview", "activities"]


def test_an_activity_s_text_is_shown_as_the_notice_prints_it(home):
    from drafter.parents import registry
    from drafter.plugins import load

    q = questionnaire.Questionnaire(load(), registry(), Prompter(), say=lambda _: None)
    text = q.activity_text("mall_fire_drills")
    assert text[0].startswith("6月底前，大型商场、超市、餐饮住宿场所、商业综合体等人员密集场所要各自组织")
    assert text[1].startswith("1.初起火灾处置。以楼层、班组为单位") and not any("{" in t for t in text)


def test_editing_offers_the_structure_as_it_was_left(tmp_path):
    keys = "".join([SAMPLE_UP_TO_THE_STRUCTURE, ENTER,  # 本行业默认
                    action("重命名一节"), ENTER, CLEAR, "总体思路", ENTER, action("完成"),
                    ENTER * 5, ORDER,  # 序号 范围 主送 称谓 活动 | 活动的顺序
                    ENTER * 6, EDIT,  # 补充问题 报送 联系人 附件 版记 落款 | 逐项修改
                    ENTER * 50])  # every question again: 保留现有的结构 is the default, then 完成
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0 and prompter.shown.count("文种和结构") == 2
    assert saved_answers(tmp_path / "x.docx")["outline"] == [
        {"use": "overview", "title": "总体思路"}, "activities", "business_responsibility", "requirements"]


def test_paragraphs_are_typed_one_a_line_or_pasted_and_an_empty_line_ends_them():
    paste = "\x1b[200~" + "第二段。\r\n第三段。" + "\x1b[201~"
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER + "第一段。" + ENTER + paste + ENTER + ENTER)
        pipe.close()
        ask = Prompter(input=pipe, output=DummyOutput())
        assert ask.paragraphs("“保障措施”一节的文字") == ["第一段。", "第二段。", "第三段。"]
    assert ask.rejected == ["至少写一段"]
    assert ask.shown[0] == "“保障措施”一节的文字　第1段（写完一段按回车；全部写完后，在空行上再按一次回车）"


def test_no_contact_or_deadlines_and_an_attachment_written_inline_survive_the_summary_and_editing(tmp_path, capsys):
    answers = tmp_path / "a.yaml"
    answers.write_text("issuer: {name: 江城市青山区交通运输局, code: 青交, sector: 应急, level: 区（县）, mark: 交通运输局文件}\n"
                       "number: 7\ncontact: null\ndeadlines: null\n"
                       "attachments:\n  - {kind: file, title: 江城市安全生产委员会文件}\n  - slogans\n", encoding="utf-8")
    first, asked = drive(ENTER * 40, "new", "--answers", answers, "-o", tmp_path / "x.docx")
    out = capsys.readouterr()
    assert first == 0, out.err
    assert "联系人：（无）" in out.out and "报送：（无）" in out.out
    keys = ENTER * (asked.count - 1) + EDIT + ENTER * 60  # 逐项修改: every question again, the attachments among them
    code, prompter = drive(keys, "new", "--answers", answers, "-o", tmp_path / "y.docx")
    assert code == 0, capsys.readouterr().err
    assert {"附件", "联系人：不写——沿用？", "报送时间：不写——沿用？"} <= set(prompter.shown)
    saved = saved_answers(tmp_path / "y.docx")
    assert saved["attachments"] == [{"kind": "file", "title": "江城市安全生产委员会文件"}, "slogans"]
    assert saved["contact"] is None and saved["deadlines"] is None
