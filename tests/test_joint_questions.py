"""The questionnaire for issue 13: 联合发文 (co-issuers, the joint mark), 公文格式 (文件 / 信函) and 红头 (印制 / 套打),
driven through prompt_toolkit pipe input as a clerk answers on a terminal."""

import re

import yaml
from test_questionnaire import CLEAR, DOWN, ENTER, ORDER, STRUCTURE, drive, home, may_2025, saved_answers, text_of  # noqa: F401  (the same user and clock, autouse)

HOST = "江城市青山区商务局"  # the 商务 sample's issuer
EMERGENCY, MARKET = "江城市青山区应急管理局", "江城市青山区市场监督管理局"
ISSUER = ENTER * 5  # the 商务 sample: 行业 名称 代字 层级 红头
NO_JOINT, FILE_FORMAT = ENTER, ENTER  # 联合发文？否 | 公文格式：文件格式（红头文件）
AFTER_THE_FORMAT = ENTER * 4 + STRUCTURE + ENTER * 5 + ORDER + ENTER * 6  # 来文 再引用 年份 主题 | 结构 | 序号 范围 主送
# 称谓 活动 | 活动的顺序 | 补充问题 报送 联系人 附件 版记 落款
WRITE, EDIT = ENTER, DOWN + ENTER  # at the confirmation after the summary
JOINT = "".join(["y", ENTER,  # 联合发文？是
                 EMERGENCY, ENTER, "青山区应急局", ENTER,  # the first co-issuer, the name it signs with
                 MARKET, ENTER, "青山区市场监管局", ENTER,
                 ENTER,  # no third one
                 ENTER])  # the host signs with its full name


def drafted_title(saved: dict) -> str:
    from drafter.answers import resolve
    from drafter.compose import compose

    return compose(resolve(saved)).title


def co(saved: dict) -> list[tuple]:
    return [(c["name"], c.get("signature")) for c in saved.get("co_issuers", [])]


def test_the_common_case_costs_two_enters_and_asks_nothing_else(tmp_path):
    code, prompter = drive(ISSUER + NO_JOINT + FILE_FORMAT + AFTER_THE_FORMAT + WRITE, "new", "-o", "x.docx")
    assert code == 0 and prompter.rejected == []
    shown = prompter.shown
    at = shown.index("发文机关标志（红头文字）")
    assert shown[at + 1:at + 3] == ["联合发文？（与其他机关联合发文时，上面的发文机关是主办机关）", "公文格式"]
    assert shown[at + 3].startswith("上级来文")
    saved = saved_answers(tmp_path / "x.docx")
    # the usual forms are left out of the saved answers: a single issuer, 文件格式, drawn red head
    assert not {"co_issuers", "joint_mark", "format", "letterhead", "letterhead_reserve_mm"} & saved.keys()
    assert saved.get("letterhead_reserve_mm") is None
    assert drafted_title(saved) == f"{HOST}关于开展2025年全区商务系统“安全生产月”活动的通知"


def test_two_co_issuers_are_asked_one_by_one_and_the_notice_names_them_all(tmp_path, home, capsys):  # noqa: F811 (the fixture imported)
    keys = "".join([ISSUER, "y", ENTER,
                    CLEAR, HOST, ENTER,  # the host itself: refused
                    CLEAR, EMERGENCY, ENTER, "青山区应急局", ENTER,
                    EMERGENCY, ENTER,  # the same one again: refused
                    CLEAR, MARKET, ENTER, "青山区市场监管局", ENTER,
                    ENTER,  # 第3个：empty, no more
                    ENTER,  # the host's 署名: its full name
                    FILE_FORMAT, AFTER_THE_FORMAT, WRITE])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert prompter.rejected == [f"“{HOST}”是主办机关（上面的发文机关），这里填与它联合发文的其他机关",
                                 f"“{EMERGENCY}”已经填过"]
    assert "联合发文的版头（发文机关标志）" not in prompter.shown  # three organs: all in the mark, not asked
    saved = saved_answers(tmp_path / "x.docx")
    assert co(saved) == [(EMERGENCY, "青山区应急局"), (MARKET, "青山区市场监管局")]
    assert saved["issuer"]["name"] == HOST and "joint_mark" not in saved  # 全部, the usual
    title = f"{HOST} {EMERGENCY} {MARKET}关于开展2025年全区商务系统“安全生产月”活动的通知"
    assert drafted_title(saved) == title
    printed = re.sub(r"\s", "", text_of(tmp_path / "x.docx"))
    assert f"{HOST}{EMERGENCY}{MARKET}关于开展2025年" in printed
    assert f"{HOST}青山区应急局青山区市场监管局2025年5月20日" in printed  # the 署名 and the 成文日期
    # The summary shows the organs, and the names the 署名 prints.
    assert f"标题：{title}" in out.out
    assert f"联合发文：主办机关 {HOST}，联合发文机关 {EMERGENCY}、{MARKET}" in out.out
    assert f"署名：{HOST}、青山区应急局、青山区市场监管局，2025年5月20日，加盖印章" in out.out
    assert "公文格式" not in out.out  # the default 文件格式, 印制: not said

    # The profile remembers them: the issuer's confirmation names them, 联合发文 is not asked again.
    profile = yaml.safe_load((home / "profile.yaml").read_text(encoding="utf-8"))
    assert profile["co_issuers"] == [{"name": EMERGENCY, "signature": "青山区应急局"},
                                     {"name": MARKET, "signature": "青山区市场监管局"}]
    assert "joint_mark" not in profile and "letterhead" not in profile  # defaults are not written
    code, prompter = drive(ENTER * 40, "new", "-o", "y.docx")
    assert code == 0
    assert prompter.shown[0] == (f"发文机关：{HOST}（机关代字 青商务，商务），与{EMERGENCY}、{MARKET}联合发文——沿用？")
    assert not any(s.startswith("联合发文？") for s in prompter.shown)
    assert prompter.shown[1] == "公文格式"
    assert co(saved_answers(tmp_path / "y.docx")) == co(saved)


def test_another_office_is_not_offered_the_profiles_co_issuers(tmp_path):
    first, _ = drive(ISSUER + JOINT + FILE_FORMAT + AFTER_THE_FORMAT + WRITE, "new", "-o", "a.docx")
    assert first == 0 and len(co(saved_answers(tmp_path / "a.docx"))) == 2
    keys = "".join(["n", ENTER,  # 发文机关：沿用？否
                    ENTER, CLEAR, "江城市青山区卫生健康局", ENTER, "青卫健", ENTER, ENTER, ENTER,
                    ENTER, FILE_FORMAT,  # 联合发文？ its default is 否 now
                    ENTER * 4, STRUCTURE, "5", ENTER,  # 来文 再引用 年份 主题 | 结构 | 序号 (none to offer)
                    ENTER * 40])
    code, prompter = drive(keys, "new", "-o", "b.docx")
    assert code == 0
    assert any(s.startswith("联合发文？") for s in prompter.shown)
    saved = saved_answers(tmp_path / "b.docx")
    assert saved["issuer"]["name"] == "江城市青山区卫生健康局" and "co_issuers" not in saved


def test_more_than_three_organs_ask_whether_the_mark_stacks_them_all(tmp_path, capsys):
    keys = "".join([ISSUER, "y", ENTER,
                    EMERGENCY, ENTER, "青山区应急局", ENTER, MARKET, ENTER, "青山区市场监管局", ENTER,
                    "江城市青山区教育局", ENTER, "青山区教育局", ENTER, ENTER,
                    "青山区商务局", ENTER,  # the host's 署名: a short name
                    DOWN, ENTER,  # 版头：只用主办机关的发文机关标志
                    FILE_FORMAT, AFTER_THE_FORMAT, WRITE])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "联合发文的版头（发文机关标志）" in prompter.shown
    saved = saved_answers(tmp_path / "x.docx")
    assert saved["joint_mark"] == "主办机关" and len(saved["co_issuers"]) == 3
    assert saved["issuer"]["signature"] == "青山区商务局"
    assert "；版头只用主办机关的标志" in out.out
    assert "署名：青山区商务局、青山区应急局、青山区市场监管局、青山区教育局，" in out.out


def test_the_letter_format_and_a_pre_printed_letterhead(tmp_path, home, capsys):  # noqa: F811 (the fixture imported)
    keys = "".join([ISSUER, NO_JOINT,
                    DOWN, ENTER,  # 公文格式：文件格式，套打
                    "30", ENTER,  # too low for a 文件格式 mark: refused
                    CLEAR, "80", ENTER,
                    AFTER_THE_FORMAT, WRITE])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert prompter.rejected == ["30 mm 太小，文件格式的发文机关标志上边缘距纸张上边至少 42 mm"]
    saved = saved_answers(tmp_path / "x.docx")
    assert (saved.get("format"), saved["letterhead"], saved["letterhead_reserve_mm"]) == (None, "套打", 80)
    assert "公文格式：文件格式，套打（发文机关标志上边缘距纸张上边 80 mm）" in out.out
    # The office's paper is remembered: Enter through keeps 套打 and its height.
    code, prompter = drive(ENTER * 40, "new", "-o", "y.docx")
    assert code == 0
    saved = saved_answers(tmp_path / "y.docx")
    assert (saved["letterhead"], saved["letterhead_reserve_mm"]) == ("套打", 80)

    # 信函格式, printed with its head: no height asked.
    keys = "".join(["n", ENTER, ISSUER, NO_JOINT, DOWN, ENTER,  # from 文件格式，套打 (the profile's) to 信函格式
                    AFTER_THE_FORMAT, WRITE])
    code, prompter = drive(keys, "new", "-o", "z.docx")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert not any(s.startswith("套打") for s in prompter.shown)
    saved = saved_answers(tmp_path / "z.docx")
    assert (saved["format"], saved.get("letterhead"), saved.get("letterhead_reserve_mm")) == ("信函", None, None)
    assert "公文格式：信函格式\n" in out.out


def test_editing_offers_the_co_issuers_as_they_were_and_changes_them(tmp_path):
    keys = "".join([ISSUER, JOINT, FILE_FORMAT, AFTER_THE_FORMAT, EDIT,
                    ISSUER,  # 逐项修改: every question again
                    ENTER,  # 联合发文？ its default is 是 now
                    "n", ENTER,  # 联合发文机关：……——沿用？否
                    ENTER, CLEAR, ENTER,  # the first as it was, without its short 署名
                    CLEAR, ENTER,  # the second dropped: no more
                    ENTER,  # the host's 署名
                    ENTER * 40])
    code, prompter = drive(keys, "new", "-o", "x.docx")
    assert code == 0
    assert f"联合发文机关：{EMERGENCY}（署名“青山区应急局”）、{MARKET}（署名“青山区市场监管局”）——沿用？" in prompter.shown
    saved = saved_answers(tmp_path / "x.docx")
    assert co(saved) == [(EMERGENCY, None)]
    assert drafted_title(saved).startswith(f"{HOST} {EMERGENCY}关于开展")


def test_an_answers_file_giving_the_co_issuers_and_the_format_is_not_asked_about_them(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(f"co_issuers: [{{name: {EMERGENCY}}}]\nformat: 信函\nletterhead: 印制\n", encoding="utf-8")
    code, prompter = drive(ENTER * 40, "new", "--answers", answers, "-o", "x.docx")
    assert code == 0
    assert not any(s.startswith(("联合发文", "公文格式", "红头")) for s in prompter.shown)
    saved = saved_answers(tmp_path / "x.docx")
    assert co(saved) == [(EMERGENCY, None)] and saved["format"] == "信函"
