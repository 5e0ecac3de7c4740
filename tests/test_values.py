"""No value is silently changed on its way into a notice: YAML 1.1's surprises, a changed year, empty plugin answers,
dates that disagree, telephone and e-mail — each is either read as the clerk meant it or refused with the key named."""

import json
from importlib import metadata

import docx
import pytest
import yaml
from conftest import run_cli

from drafter.yamlio import safe_load

BASE = "issuer:\n  name: 江城市青山区商务局\n  code: 青商务\n  sector: 商务\ncontact:\n  name: 李明\n  phone: 0591-12345678\n"


def text_of(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs) + "\n" + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)


def new(tmp_path, content: str, *args, encoding="utf-8"):
    answers = tmp_path / "答案.yaml"
    answers.write_bytes(content.encode(encoding))
    out = tmp_path / "通知.docx"
    return run_cli("new", "--answers", answers, "-o", out, "--force", *args), out


def refused(done, out, *words):
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for w in words:
        assert w in done.stderr, done.stderr
    assert not out.exists()


def test_the_loader_keeps_what_yaml_1_1_would_change():
    loaded = safe_load("a: 015\nb: no\nc: 1:20\nd: 1_000\ne: 2025-06-31\nf: 否\ng: 0591-87654321\nh: 15\ni: true\n"
                       "j: ~\nk: 1.5\nl: 0\n")
    assert loaded == {"a": "015", "b": "no", "c": "1:20", "d": "1_000", "e": "2025-06-31", "f": "否",
                      "g": "0591-87654321", "h": 15, "i": True, "j": None, "k": 1.5, "l": 0}


@pytest.mark.parametrize("how", ["file", "set"])
@pytest.mark.parametrize("written, meant", [("015", "15"), ("010", "10")])
def test_a_number_with_a_leading_zero_is_refused_as_xuwei(tmp_path, how, written, meant):
    if how == "file":
        done, out = new(tmp_path, BASE + f"number: {written}\n")
    else:
        done, out = new(tmp_path, BASE + "number: 3\n", "--set", f"number={written}")
    refused(done, out, f"number（发文字号序号）：“{written}”前面有 0：序号不编虚位，应写作“{meant}”")


def test_an_unquoted_mobile_number_and_shi_fou_are_read_as_meant(tmp_path):
    content = BASE.replace("0591-12345678", "13800138000") + "number: 3\nsealed: 否\ncolophon_on_even_page: 是\n"
    done, out = new(tmp_path, content)
    assert done.returncode == 0, done.stderr
    assert "电话：13800138000" in text_of(out)
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["sealed"] is False and saved["colophon_on_even_page"] is True
    assert saved["contact"]["phone"] == "13800138000"


def test_a_key_written_twice_is_an_error(tmp_path):
    done, out = new(tmp_path, BASE + "number: 3\nnumber: 4\n")
    refused(done, out, "“number”写了两次（第8行和第9行）", "答案.yaml 第9行第1列")


@pytest.mark.parametrize("how", [("date: 2025-06-31\n",), ("number: 3\n", "--set", "date=2025-02-30")])
def test_an_impossible_unquoted_date_is_named_not_a_traceback(tmp_path, how):
    content, *args = how
    done, out = new(tmp_path, BASE + ("number: 3\n" if "number" not in content else "") + content, *args)
    day = "2025-06-31" if not args else "2025-02-30"
    refused(done, out, f"date（成文日期）：“{day}”不是存在的日期")


@pytest.mark.parametrize("setting, words", [
    ("contact.phone=abc", "contact（联系人） → phone（电话）：“abc”不是电话号码"),
    ("contact.email=abc", "contact（联系人） → email（电子邮箱）：“abc”不是电子邮箱地址"),
    ("date=2024-05-20", "date（成文日期）：成文日期2024年5月20日不在2025年"),
    ("print_date=2025-05-10", "print_date（印发日期）：印发日期2025年5月10日早于成文日期2025年5月20日"),
    ("deadlines.liaison=2025-05-10", "deadlines（截止时间） → liaison（联络员报送）：联络员报送截止日期2025年5月10日早于成文日期"),
    ("deadlines.liaison=2025-07-05", "联络员报送截止日期2025年7月5日晚于2025年6月30日"),
    ("deadlines.summary=2025-08-10", "deadlines（截止时间） → summary（总结报送）：总结和统计表报送截止日期2025年8月10日晚于2025年7月31日"),
    ("deadlines.summary=2026-07-01", "总结和统计表报送截止日期2026年7月1日不在2025年"),
    ("theme=人人讲安全、个个会应急——畅通生命通道", "theme（主题）：“人人讲安全、个个会应急——畅通生命通道”是2024年的主题"),
    ("theme=遵守安全生产法，当好第一责任人", "theme（主题）：“遵守安全生产法，当好第一责任人”是2022年的主题"),  # as check reads it
    ("parents=[{title: 关于开展2024年安全生产月活动的通知, doc_number: 安委办〔2024〕4号}]",
     "上级来文 安委办〔2024〕4号 是2024年的，与通知的年份2025不一致"),
    ("opening=[根据2024年全国“安全生产月”活动安排，结合我区实际，现就有关事项通知如下：]",
     "opening（开头段落） → 第1项：“根据2024年全国“安全生产月”活动安排"),
    # last year's notice cited after this year's: every parent is held to the year, not the first alone
    ("parents=[{title: 关于开展2025年全国安全生产月活动的通知, doc_number: 安委办〔2025〕1号}, "
     "{title: 关于开展2024年全国安全生产月活动的通知, doc_number: 安委办〔2024〕3号}]",
     "parents（上级来文） → 第2项 → doc_number（发文字号）：上级来文 安委办〔2024〕3号 是2024年的"),
])
def test_values_that_do_not_agree_are_named(tmp_path, setting, words):
    done, out = new(tmp_path, BASE + "number: 3\n", "--set", setting)
    refused(done, out, words)


def test_good_contact_and_dates_are_accepted(tmp_path):
    done, out = new(tmp_path, BASE + "number: 3\n", "--set", "contact.phone=(0591)87654321转8001、13800138000",
                    "--set", "contact.email=qs.swj@example.gov.cn", "--set", "deadlines.liaison=2025-06-05",
                    "--set", "deadlines.summary=2025-06-25", "--set", "print_date=2025-05-22")
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert "(0591)87654321转8001、13800138000" in text and "qs.swj@example.gov.cn" in text


@pytest.mark.parametrize("value", ["null", "''", "'  '"])
def test_a_plugin_question_left_empty_is_refused_never_printed(tmp_path, value):
    content = BASE.replace("商务", "应急", 1).replace("sector: 商务", "sector: 应急") + f"number: 3\nextra:\n  main_venue: {value}\n"
    done, out = new(tmp_path, content)
    refused(done, out, "extra（行业补充问题） → main_venue（“安全宣传咨询日”主场活动地点）：不能为空")


def test_a_changed_year_rederives_what_depends_on_it(tmp_path):
    last = tmp_path / "去年.yaml"
    made = run_cli("new", "--defaults", "--set", "year=2024", "-o", tmp_path / "去年.docx")
    assert made.returncode == 0, made.stderr
    out = tmp_path / "今年.docx"
    needs = run_cli("new", "--answers", last, "--set", "year=2025", "-o", out)
    refused(needs, out, "number（发文字号序号）：缺少此项")  # last year's 文号 number is not this year's
    done = run_cli("new", "--answers", last, "--set", "year=2025", "--set", "number=5", "-o", out)
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert "关于开展2025年" in text and "第24个" in text and "查找身边安全隐患" in text and "安委办〔2025〕1号" in text
    assert "2024" not in text and "畅通生命通道" not in text
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["date"] == "2025-05-20" and saved["deadlines"]["summary"] == "2025-07-01"


def test_a_year_without_data_says_which_answers_must_be_given(tmp_path):
    done, out = new(tmp_path, BASE + "year: 2025\nnumber: 3\n", "--set", "year=2026")
    refused(done, out, "theme（主题）：2026年的主题不在内置数据中", "parents（上级来文）：2026年的上级来文不在内置数据中")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_answers_files_in_the_encodings_offices_use(tmp_path, encoding):
    done, out = new(tmp_path, BASE + "number: 3\nscope: 全区商务系统\n", encoding=encoding)
    assert done.returncode == 0, done.stderr
    assert "江城市青山区商务局关于开展2025年\n全区商务系统" in text_of(out)


def test_status_goes_to_stderr_and_defaults_say_their_year(tmp_path):
    done = run_cli("new", "--defaults", "-o", tmp_path / "x.docx")
    assert done.returncode == 0 and done.stdout == ""
    assert "按内置数据的最新年份 2025 年起草" in done.stderr and "已生成" in done.stderr


def test_what_check_render_needs_is_installed_with_drafter():
    requires = [r.split(";")[0].split(">")[0].split("=")[0].strip().lower()
                for r in metadata.requires("gongwen-drafter") or [] if "extra ==" not in r]
    assert "pdfplumber" in requires


def test_parents_list_json_is_one_document(tmp_path):
    done = run_cli("parents", "list", "--json", env={"DRAFTER_HOME": str(tmp_path)})
    assert done.returncode == 0 and json.loads(done.stdout)


def test_an_answer_left_empty_in_a_file_says_what_the_notice_leaves_out(tmp_path):
    """Nothing after the colon is said; null written out is taken as meant, and so is a value given otherwise."""
    issuer = BASE.split("contact:")[0]
    done, out = new(tmp_path, issuer + "number:\ncontact: null\npublicity:   # 待定\ndeadlines:\n")
    assert done.returncode == 0, done.stderr
    for said in ("number（发文字号序号）：答案中为空，通知将不编发文字号；若非本意，请填写（不要的写 null）",
                 "publicity（公开属性）：答案中为空，通知将不标公开属性（附注）", "deadlines（截止时间）：答案中为空"):
        assert f"提示：{said}" in done.stderr, done.stderr
    assert "contact（" not in done.stderr
    done, out = new(tmp_path, issuer + "form: 方案\nnumber:\ncontact:\ncopy_to:\n- 区应急管理局\n",
                    "--set", "contact.name=李明", "--set", "contact.phone=0591-12345678")
    assert done.returncode == 0, done.stderr
    assert "答案中为空" not in done.stderr  # a 方案 has no 文号; the contact given on the command line


@pytest.mark.parametrize("setting, words", [
    ("printer=", "printer（印发机关）：不能为空"),
    ("issuer.units=", "issuer（发文机关） → units（责任单位称谓）：不能为空"),
    ("copy_to=[区应急管理局, '']", "copy_to（抄送） → 第2项：不能为空"),
    ("contact.name=", "contact（联系人） → name（名称）：不能为空"),
    ("recipients=", "recipients（主送机关）：不能为空"),
    ("recipients=null", "recipients（主送机关）：不能为空"),
    ("date=", "date（成文日期）：没有填写日期，或所填的日期不完整、不存在"),
    ("date=null", "date（成文日期）：没有填写日期，或所填的日期不完整、不存在"),
    ("deadlines.summary=", "deadlines（截止时间） → summary（总结报送）：没有填写日期"),
    ("form=", "form（文种形式）：不能为空（可选：通知、印发方案、方案）"),
    ("form=null", "form（文种形式）：不能为空（可选：通知、印发方案、方案）"),
])
def test_required_answers_given_empty_on_the_command_line_are_refused(tmp_path, setting, words):
    done, out = new(tmp_path, BASE + "number: 3\n", "--set", setting)
    refused(done, out, words)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030"])
def test_chinese_text_without_ascii_is_decoded_in_each_encoding(encoding):
    from drafter.files import decode_text

    text = "关于开展二〇二五年“安全生产月”活动的通知：各街道、各部门一律按要求执行。" * 3
    assert decode_text(text.encode(encoding), "来文") == text


def test_bytes_that_are_no_text_are_refused_with_the_fix():
    from drafter.errors import Unreadable
    from drafter.files import decode_text

    with pytest.raises(Unreadable, match="另存为.UTF-8"):
        decode_text(b"\x00\x01\x02\xff\xfe\x00\xd8\x00\xd8\x01", "答案文件 a.yaml")


def test_a_template_value_that_is_none_stops_instead_of_printing_none():
    from jinja2 import TemplateError

    from drafter.compose import render_text

    assert render_text("电子邮箱：{{ email }}", {"email": "a@b.cn"}) == "电子邮箱：a@b.cn"
    with pytest.raises(TemplateError, match="None"):
        render_text("电子邮箱：{{ email }}", {"email": None})


def test_a_year_with_a_leading_zero_is_named_as_a_year(tmp_path):
    done, out = new(tmp_path, BASE + "number: 3\n", "--set", "year=02025")
    refused(done, out, "year（年份）：“02025”前面有 0：年份不编虚位，应写作“2025”")


def test_the_file_is_named_apart_from_its_problems(tmp_path):
    done, out = new(tmp_path, BASE + "number: 015\n")
    refused(done, out, "答案.yaml 有误：\n  number")


@pytest.mark.parametrize("key", ["form", "format", "date", "publicity"])
@pytest.mark.parametrize("value, shown", [([], "列表"), ({"x": None}, "“键: 值”形式的内容"), ([None], "列表"),
                                          (True, "“true”")])
def test_a_value_of_the_wrong_shape_is_named_by_its_shape_not_in_pythons_notation(key, value, shown):
    from drafter.answers import resolve
    from drafter.errors import AnswersError

    with pytest.raises(AnswersError) as caught:
        resolve({key: value})
    said = str(caught.value)
    assert f"{key}（" in said and f"：{shown}不是" in said
    assert not any(python in said for python in ("None", "[", "{", "True"))


@pytest.mark.parametrize("date, print_date, liaison, summary", [
    ("2025-05-16", "2025-05-16", "2025-05-30", "2025-07-01"),  # before the defaults: only the 印发日期 follows
    ("2025-06-10", "2025-06-10", "2025-06-17", "2025-07-01"),  # the 联络员 a week after
    ("2025-06-28", "2025-06-28", "2025-06-30", "2025-07-01"),  # … but not past June
    ("2025-07-03", None, None, None),  # no 联络员 deadline can be: refused, naming it
])
def test_the_defaults_that_depend_on_the_date_follow_a_date_given(date, print_date, liaison, summary):
    import datetime as dt

    from drafter.answers import resolve
    from drafter.errors import AnswersError

    if print_date is None:
        with pytest.raises(AnswersError, match="联络员报送截止日期2025年6月30日早于成文日期2025年7月3日"):
            resolve({"date": date})
        return
    answers = resolve({"date": date})
    assert str(answers.print_date) == print_date
    assert (str(answers.deadlines.liaison), str(answers.deadlines.summary)) == (liaison, summary)
    given = resolve({"date": date, "print_date": "2025-06-30", "deadlines": {"liaison": "2025-06-30"}})
    assert (given.print_date, given.deadlines.liaison) == (dt.date(2025, 6, 30), dt.date(2025, 6, 30))  # as given


def test_a_date_of_another_year_is_said_once_and_the_other_dates_are_not_measured_against_it():
    from drafter.answers import resolve
    from drafter.errors import AnswersError

    with pytest.raises(AnswersError) as caught:
        resolve({"date": "2026-05-28"})
    assert caught.value.problems == ["date（成文日期）：成文日期2026年5月28日不在2025年，与通知的年份不一致"]
