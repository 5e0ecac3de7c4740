"""The 教育 plugin, loaded through its entry point as drafter loads it (run after installing the package)."""

from drafter.testing import draft, text_of


def stats_rows(notice):
    return [r.activity for r in next(a for a in notice.attachments if a.kind == "stats").rows]


def test_an_education_notice_has_the_plugins_activities_and_attachment():
    notice = draft(sector="教育")
    text = text_of(notice)
    assert notice.recipients.startswith("各中小学校、幼儿园")
    for heading in ("组织校园应急疏散演练", "开展防溺水安全教育", "规范实验室危险化学品管理"):
        assert heading in text and heading in stats_rows(notice)
    assert "2025年中小学生防溺水安全提醒" in [a.title for a in notice.attachments]


def test_the_boarding_question_switches_the_night_drill():
    assert "夜间组织一次宿舍疏散演练" in text_of(draft(sector="教育"))
    assert "夜间" not in text_of(draft(sector="教育", answers={"extra": {"has_boarding": False}}))


def test_dropping_drowning_prevention_is_warned_about():
    from drafter.answers import resolve
    from drafter.compose import compose
    from drafter.plugins import Plugins

    plugins = Plugins()
    answers = resolve({"issuer": {"sector": "教育"}, "activities": ["campus_evacuation"]}, plugins=plugins)
    findings = plugins.check(compose(answers, plugins), answers)
    assert [(name, f.severity) for name, f in findings] == [("jiaoyu", "warning")]
