"""Sector plugins, loaded through the ``drafter`` entry-point group exactly as users install them."""

import inspect
import json

import docx
import pytest
import yaml
from conftest import ROOT, Venv, install_plugin, run_cli, run_with

from drafter import __version__, hookspecs
from drafter.testing import draft, text_of

SPECS = sorted(name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
               if hasattr(f, "drafter_spec"))


def stats_rows(notice):
    return [r.activity for r in next(a for a in notice.attachments if a.kind == "stats").rows]


def plan_rows(notice):
    return [r.activity for r in next(a for a in notice.attachments if a.kind == "plan").rows]


def activity_headings(notice):
    return [s.title for s in next(s for s in notice.body if getattr(s, "title", "") == "主要活动").children]


# The three built-in sectors, each in its own words.

def test_shangwu_notice_deploys_fire_drills_in_commercial_premises():
    notice = draft(sector="商务")
    text = text_of(notice)
    assert "开展商贸企业消防应急演练" in activity_headings(notice)
    assert "大型商场、超市、餐饮住宿场所、商业综合体等人员密集场所要各自组织至少一次消防应急演练" in text
    assert "初起火灾处置" in text and "强化消防控制室值班人员培训" in text
    assert "关于开展2025年全区商务系统“安全生产月”活动的通知" in notice.title


def test_jiedao_notice_deploys_school_evacuation():
    notice = draft(sector="街道")
    text = text_of(notice)
    assert "组织学校和幼儿园应急疏散演练" in activity_headings(notice)
    assert "整治电动自行车违规停放充电" in text and "社区网格员、物业安全员和平安志愿者" in text
    assert notice.recipients.startswith("各社区居委会")
    assert "江南街道" in notice.title


def test_yingji_notice_deploys_the_consult_day_main_event_with_the_years_facts():
    notice = draft(sector="应急", answers={"year": 2024})
    text = text_of(notice)
    assert "组织“安全宣传咨询日”主场活动" in activity_headings(notice)
    assert "6月16日，在区文化中心广场举办全区“安全宣传咨询日”主场活动" in text
    assert "举办2024年“安全生产月”活动启动仪式" in text
    assert "围绕第23个“安全生产月”“人人讲安全、个个会应急——畅通生命通道”主题作动员部署" in text
    assert "二、活动时间" not in text  # headings are numbered by the renderer; the section sits at its order:
    titles = [getattr(s, "title", None) for s in notice.body[1:]]
    assert titles == ["总体要求", "活动时间", "主要活动", "工作要求"]


def test_each_sector_speaks_its_own_words():
    headings = {sector: set(activity_headings(draft(sector=sector))) for sector in ("商务", "街道", "应急")}
    assert all(len(h) >= 6 for h in headings.values())
    assert not (headings["商务"] & headings["街道"]) and not (headings["街道"] & headings["应急"])
    assert not (headings["商务"] & headings["应急"])


def test_a_sector_question_is_answered_in_the_text():
    notice = draft(sector="应急", answers={"extra": {"main_venue": "青山体育公园"}})
    assert "6月16日，在青山体育公园举办" in text_of(notice)


# The statistics table follows the chosen activities.

def test_statistics_and_plan_rows_are_exactly_the_chosen_activities():
    full = draft(sector="街道")
    assert stats_rows(full) == activity_headings(full) + ["其他特色活动"]
    assert plan_rows(full) == activity_headings(full)

    chosen = ["grid_patrol", "school_evacuation", "ebike_charging"]
    fewer = draft(sector="街道", answers={"activities": chosen})
    assert activity_headings(fewer) == ["发动网格力量开展隐患巡查", "组织学校和幼儿园应急疏散演练", "整治电动自行车违规停放充电"]
    assert stats_rows(fewer) == activity_headings(fewer) + ["其他特色活动"]

    more = draft(sector="街道", answers={"activities": chosen + ["consult_day_main"]})  # an 应急 activity
    assert "组织“安全宣传咨询日”主场活动" in stats_rows(more) and "组织“安全宣传咨询日”主场活动" in plan_rows(more)
    assert len(stats_rows(more)) == len(stats_rows(fewer)) + 1


def test_dropping_an_activity_drops_its_row_in_the_word_file(tmp_path):
    kept = ["grid_patrol", "school_evacuation"]
    done = run_cli("new", "--sector", "街道", "--defaults", "--set", f"activities=[{','.join(kept)}]",
                   "-o", tmp_path / "x.docx")
    assert done.returncode == 0, done.stderr
    tables = docx.Document(str(tmp_path / "x.docx")).tables
    stats = next(t for t in tables if t.rows[0].cells[-1].text == "进展情况")
    assert [r.cells[1].text for r in stats.rows[1:]] == [
        "发动网格力量开展隐患巡查", "组织学校和幼儿园应急疏散演练", "其他特色活动"]


def test_an_unknown_activity_or_sector_is_named(tmp_path):
    done = run_cli("new", "--sector", "街道", "--defaults", "--set", "activities=[fire_lane]", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "fire_lane" in done.stderr and "是否想写“fire_lanes”" in done.stderr
    done = run_cli("new", "--sector", "卫健", "--defaults", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "没有“卫健”行业的插件" in done.stderr and "商务" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.docx").exists()


# Every hook, through a plugin installed the way pip installs one.

EVERY_HOOK = '''
from drafter import hookimpl
from drafter.catalogue import Activity, ExtraSection, Finding, Item, Plan, Question, Sector

@hookimpl
def register_sectors():
    return [Sector(name="卫健", recipients="各医疗卫生机构", copy_to=("区安委会办公室",), units="各医疗卫生机构",
                   scope="全区卫生健康系统",
                   example={"issuer": {"name": "江城市青山区卫生健康局", "code": "青卫健"}, "number": 5,
                            "contact": {"name": "赵敏", "phone": "0591-33334444"},
                            "printer": "江城市青山区卫生健康局办公室"})]

@hookimpl
def register_activities():
    return [Activity(id="medical_oxygen", title="排查医用氧气",
                     paragraphs=("{{ units }}要在{{ year }}年6月围绕“{{ theme }}”主题检查{{ extra.ward }}的医用氧气。",),
                     items=(Item(title="氧气瓶", text="由专人管理。"),), stats=("检查（　　）处",),
                     plan=Plan(requirement="全覆盖", owner="{{ units }}"))]

@hookimpl
def register_questions():
    return [Question(id="ward", prompt="重点病区", default="住院部")]

@hookimpl
def register_sections():
    return [ExtraSection(id="health_period", order=15, title="活动时间", paragraphs=("{{ year }}年6月1日至30日。",))]

@hookimpl
def register_attachments():  # a dict is accepted and validated too
    return [{"id": "oxygen_form", "kind": "form", "order": 35, "title": "{{ year }}年医用氧气检查表",
             "rows": [["单位名称"], ["检查人", "检查日期"]]}]

@hookimpl
def check_notice(notice, answers):
    if answers.issuer.sector != "卫健":
        return []
    if answers.extra["ward"] == "无":
        return [Finding(severity="error", message="重点病区不能为“无”")]
    return [Finding(severity="warning", message="卫健插件检查了" + notice.title)]
'''


@pytest.fixture(scope="module")
def weijian(tmp_path_factory):
    return install_plugin(tmp_path_factory.mktemp("site"), "weijian", EVERY_HOOK)


def body_text(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs) + "\n" + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)


def test_every_hook_of_an_installed_plugin_reaches_the_notice(weijian, tmp_path):
    listed = json.loads(run_with(weijian, "plugins", "--json").stdout)["plugins"]
    mine = next(p for p in listed if p["name"] == "weijian")
    assert mine["hooks"] == SPECS  # the plugin under test implements every hook there is
    assert mine["sectors"] == ["卫健"] and mine["package"] == "drafter-test-weijian" and mine["status"] == "已加载"

    out = tmp_path / "卫健.docx"
    done = run_with(weijian, "new", "--sector", "卫健", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr
    text = body_text(out)
    assert "江城市青山区卫生健康局关于开展" in text and "青卫健〔2025〕5号" in text  # register_sectors
    assert "各医疗卫生机构：" in text and "区安委会办公室。" in docx_xml(out)
    assert "二、活动时间\n2025年6月1日至30日。\n三、主要活动" in text  # register_sections, by order
    assert "（一）排查医用氧气\n各医疗卫生机构要在2025年6月围绕“人人讲安全、个个会应急——查找身边安全隐患”主题检查住院部的医用氧气。" in text
    assert "1.氧气瓶。由专人管理。" in text  # register_activities, register_questions (default)
    assert "2025年医用氧气检查表" in text and "检查日期" in text  # register_attachments
    assert "卫健插件检查了江城市青山区卫生健康局" in done.stderr  # check_notice: a warning is shown

    done = run_with(weijian, "new", "--sector", "卫健", "--defaults", "--set", "extra.ward=急诊科", "-o", out, "--force")
    assert done.returncode == 0 and "检查急诊科的医用氧气" in body_text(out)
    blocked = tmp_path / "blocked.docx"
    done = run_with(weijian, "new", "--sector", "卫健", "--defaults", "--set", "extra.ward=无", "-o", blocked)
    assert done.returncode == 1 and "重点病区不能为“无”" in done.stderr and "weijian" in done.stderr
    assert not blocked.exists() and not blocked.with_suffix(".yaml").exists()


def docx_xml(path):
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode()


# Plugins that go wrong: recorded per plugin, with the hook and the error. A notice that needs the plugin stops,
# naming it (never as a mistake in the answers); any other notice is drafted with a warning; `plugins` reports it
# and exits 1.

DISABLE = "可用 --disable-plugin {} 停用"

# Plugins the built-in 商务 sample does not need: (source, what the failure says).
BROKEN = {
    "importfails": ("raise ImportError('缺少依赖 libfoo')\n",
                    ["插件 importfails（importfails_plugin）加载失败", "ImportError: 缺少依赖 libfoo"]),
    "raiser": ("from drafter import hookimpl\n@hookimpl\ndef register_activities():\n    raise ValueError('坏数据')\n",
               ["插件 raiser 的钩子 register_activities 出错：ValueError: 坏数据"]),
    "badreturn": ("from drafter import hookimpl\n@hookimpl\ndef register_activities():\n    return [{'id': 'x1'}]\n",
                  ["插件 badreturn 的钩子 register_activities 出错：返回的第1项有误", "title（标题）：缺少此项"]),
    "notalist": ("from drafter import hookimpl\n@hookimpl\ndef register_sectors():\n    return '商务'\n",
                 ["插件 notalist 的钩子 register_sectors 出错：应返回 Sector 的列表"]),
    "typo": ("from drafter import hookimpl\n@hookimpl\ndef register_activitys():\n    return []\n",
             ["插件 typo（typo_plugin）加载失败", "register_activitys"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_plugin_a_notice_does_not_need_is_only_warned_about(name, tmp_path):
    source, expected = BROKEN[name]
    site = install_plugin(tmp_path / "site", name, source)
    out = tmp_path / "x.docx"
    done = run_with(site, "new", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr
    assert out.exists() and "商务局" in body_text(out)
    warning = next(line for line in done.stderr.splitlines() if name in line)
    assert warning.startswith("提示：") and all(words in warning for words in expected), done.stderr
    assert DISABLE.format(name) in warning and "Traceback" not in done.stderr

    listing = run_with(site, "plugins")
    assert listing.returncode == 1 and "Traceback" not in listing.stderr
    status = "加载失败" if name in ("importfails", "typo") else "钩子出错"
    assert f"{name}  drafter-test-{name} 0.1  行业：—  {status}" in listing.stdout
    assert all(words in listing.stdout for words in expected) and DISABLE.format(name) in listing.stdout
    assert "shangwu  gongwen-drafter" in listing.stdout  # every plugin is still listed
    as_json = run_with(site, "plugins", "--json")
    assert as_json.returncode == 1
    mine = next(p for p in json.loads(as_json.stdout)["plugins"] if p["name"] == name)  # one JSON document
    assert mine["status"] == status and expected[-1].split("：")[-1] in mine["error"]
    assert mine["hook"] == (None if status == "加载失败" else expected[0].split()[3])

    # Disabled, by option or by environment variable: no warning, and `plugins` is content.
    done = run_with(site, "new", "--defaults", "-o", out, "--force", "--disable-plugin", name)
    assert done.returncode == 0 and name not in done.stderr
    done = run_with(site, "new", "--defaults", "-o", out, "--force", env={"DRAFTER_DISABLE_PLUGINS": f"{name},x"})
    assert done.returncode == 0 and "x 不是已安装的插件" in done.stderr
    listing = run_with(site, "plugins", env={"DRAFTER_DISABLE_PLUGINS": name})
    assert listing.returncode == 0 and f"{name}  drafter-test-{name} 0.1  行业：—  已停用" in listing.stdout


def test_a_healthy_installation_lists_its_plugins_and_exits_0():
    assert run_cli("plugins").returncode == 0 and run_cli("plugins", "--json").returncode == 0


HALF_BROKEN = '''
from drafter import hookimpl
from drafter.catalogue import Activity, Sector

@hookimpl
def register_sectors():
    return [Sector(name="卫健", recipients="各医疗卫生机构")]

@hookimpl
def register_activities():
    return [Activity(id="medical_oxygen", title="排查医用氧气")]

@hookimpl
def register_attachments():
    raise RuntimeError("读不到附件清单\\n（第二行）")
'''


def assert_stopped_by(done, out, name, hook, error):
    """A notice that needs a failed plugin: stopped, the failure told as the plugin's, not as the answers'."""
    assert done.returncode == 1, done.stderr
    assert f"插件 {name} 的钩子 {hook} 出错：{error}" in done.stderr and DISABLE.format(name) in done.stderr
    assert "答案" not in done.stderr and "不认识的活动" not in done.stderr and "没有“" not in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and not out.with_suffix(".yaml").exists()


def test_a_notice_that_needs_a_failed_plugin_stops_naming_it_and_others_go_on(tmp_path):
    site = install_plugin(tmp_path / "site", "weijian", HALF_BROKEN)
    out = tmp_path / "x.docx"
    error = "RuntimeError: 读不到附件清单 （第二行）"  # the exception in one line
    assert_stopped_by(run_with(site, "new", "--sector", "卫健", "--defaults", "-o", out),
                      out, "weijian", "register_attachments", error)
    done = run_with(site, "new", "--sector", "街道", "--defaults", "--set", "activities=[grid_patrol,medical_oxygen]",
                    "-o", out)
    assert_stopped_by(done, out, "weijian", "register_attachments", error)
    assert "活动 medical_oxygen" in done.stderr

    done = run_with(site, "new", "--sector", "街道", "--defaults", "-o", out)  # another sector
    assert done.returncode == 0 and f"提示：插件 weijian 的钩子 register_attachments 出错：{error}" in done.stderr
    assert "社区" in body_text(out) and "排查医用氧气" not in body_text(out)


YAML_PLUGIN = """
from pathlib import Path
from drafter.catalogue import YamlPlugin
plugin = YamlPlugin(Path(__file__).with_name("sector.yaml"))
"""


@pytest.mark.parametrize("content, expected", [
    ("activities:\n  - id: a1\n    title: [unclosed\n", "第4行第1列有 YAML 语法错误"),
    ("activities:\n  - id: a1\n    title：演练\n", "第3行“title”后面用了中文冒号“：”"),
    ("activities:\n  - id: a1\n    paragraphs: [文字]\n", "activities（活动） → 第1项 → title（标题）：缺少此项"),
    ("activities:\n  - id: 活动一\n    title: 标题\n", "activities（活动） → 第1项 → id：应以英文字母开头"),
    ("activitys: []\n", "activitys：不认识的项，是否想写“activities”？"),
    ("attachments:\n  - {id: f1, kind: form, title: 表, rows: [[单位], []]}\n",
     "attachments（附件） → 第1项 → rows（行） → 第2项：不能为空"),
])
def test_a_yaml_plugin_file_with_mistakes_is_reported_with_where(content, expected, tmp_path):
    site = install_plugin(tmp_path / "site", "yamlish", YAML_PLUGIN, entry="yamlish_plugin:plugin")
    (site / "sector.yaml").write_text(content, encoding="utf-8")
    done = run_with(site, "new", "--defaults", "-o", tmp_path / "x.docx")
    assert done.returncode == 0 and "提示：插件 yamlish 的钩子 register_sectors 出错" in done.stderr
    assert str(site / "sector.yaml") in done.stderr and expected in done.stderr, done.stderr
    listing = run_with(site, "plugins")
    assert listing.returncode == 1 and expected in listing.stdout


def test_the_sector_of_a_yaml_plugin_that_does_not_validate_is_still_known_to_be_its(tmp_path):
    site = install_plugin(tmp_path / "site", "jiaotong", YAML_PLUGIN, entry="jiaotong_plugin:plugin")
    (site / "sector.yaml").write_text("sectors:\n  - name: 交通\n    recipients: 各交通运输企业\n    scop: 全区\n"
                                      "activities:\n  - id: road_check\n    title: 道路检查\n", encoding="utf-8")
    out = tmp_path / "x.docx"
    error = f"插件文件 {site / 'sector.yaml'} 有误：sectors → 第1项 → scop：不认识的项，是否想写“scope”？"
    done = run_with(site, "new", "--sector", "交通", "--defaults", "-o", out)
    assert_stopped_by(done, out, "jiaotong", "register_sectors", error)
    assert "本通知要用到该插件（行业“交通”）" in done.stderr
    done = run_with(site, "new", "--sector", "街道", "--defaults", "--set", "activities=[road_check]", "-o", out)
    assert_stopped_by(done, out, "jiaotong", "register_sectors", error)


def test_a_sector_unknown_because_its_plugin_failed_to_import_says_so(tmp_path):
    site = install_plugin(tmp_path / "site", "importfails", BROKEN["importfails"][0])
    install_plugin(site, "raiser", BROKEN["raiser"][0])  # implements no register_sectors: cannot be the one
    done = run_with(site, "new", "--sector", "卫健", "--defaults", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "没有“卫健”行业的插件；可用的行业：" in done.stderr
    assert "插件 importfails（importfails_plugin）加载失败：导入时出错：ImportError: 缺少依赖 libfoo" in done.stderr
    assert "行业“卫健”可能由它提供" in done.stderr and DISABLE.format("importfails") in done.stderr
    assert "raiser" not in done.stderr
    # an activity no loaded plugin offers, while one failed to import: the failure is named beside the answer
    done = run_with(site, "new", "--defaults", "--set", "activities=[ward_drill]", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "activities（活动）：不认识的活动 ward_drill" in done.stderr
    assert "活动 ward_drill可能由它提供" in done.stderr and DISABLE.format("importfails") in done.stderr
    assert DISABLE.format("raiser") in done.stderr  # its register_activities failed: it may be the one


CHECK_RAISES = '''
from drafter import hookimpl
from drafter.catalogue import Sector

@hookimpl
def register_sectors():
    return [Sector(name="卫健", recipients="各医疗卫生机构",
                   example={"issuer": {"name": "江城市青山区卫生健康局", "code": "青卫健"}, "number": 5,
                            "contact": {"name": "赵敏", "phone": "0591-33334444"},
                            "printer": "江城市青山区卫生健康局办公室"})]

@hookimpl
def check_notice(notice, answers):
    return 1 / 0
'''


def test_a_check_that_raises_stops_only_the_notices_of_its_plugin(tmp_path):
    site = install_plugin(tmp_path / "site", "weijian", CHECK_RAISES)
    out = tmp_path / "x.docx"
    done = run_with(site, "new", "--sector", "卫健", "--defaults", "-o", out)
    assert_stopped_by(done, out, "weijian", "check_notice", "ZeroDivisionError: division by zero")
    done = run_with(site, "new", "--defaults", "-o", out)
    assert done.returncode == 0 and "提示：插件 weijian 的钩子 check_notice 出错" in done.stderr


# What stops a notice that uses it: two plugins giving one id (which is meant?), and a plugin's text.

STOPS = {
    "dup": ("from drafter import hookimpl\nfrom drafter.catalogue import Activity\n@hookimpl\n"
            "def register_activities():\n    return [Activity(id='fire_lanes', title='另一个生命通道')]\n",
            ["插件 dup 和 jiedao都提供了编号为“fire_lanes”的活动", "--disable-plugin dup"]),
    "badtext": ("from drafter import hookimpl\nfrom drafter.catalogue import Activity\n@hookimpl\n"
                "def register_activities():\n    return [Activity(id='t1', title='标题', sectors=('*',),"
                " paragraphs=('{{ nonsense }}',))]\n",
                ["插件 badtext 的活动“t1”文字有误", "nonsense"]),
    "escape": ("from drafter import hookimpl\nfrom drafter.catalogue import Activity\n@hookimpl\n"
               "def register_activities():\n    return [Activity(id='t2', title='标题', sectors=('*',),"
               " paragraphs=(\"{{ ''.__class__.__mro__[1].__subclasses__() }}\",))]\n",
               ["插件 escape 的活动“t2”文字有误"]),
}


@pytest.mark.parametrize("name", sorted(STOPS))
def test_a_clash_or_bad_text_in_a_used_activity_stops_and_nothing_is_written(name, tmp_path):
    source, expected = STOPS[name]
    site = install_plugin(tmp_path / "site", name, source)
    out = tmp_path / "x.docx"
    sector = "街道" if name == "dup" else "商务"  # fire_lanes is one of 街道's activities
    done = run_with(site, "new", "--sector", sector, "--defaults", "-o", out)
    assert done.returncode == 1 and all(words in done.stderr for words in expected), done.stderr
    assert "Traceback" not in done.stderr and not out.exists() and not out.with_suffix(".yaml").exists()
    assert run_with(site, "new", "--sector", sector, "--defaults", "-o", out, "--disable-plugin", name).returncode == 0
    if name == "dup":  # a notice that needs neither offer is drafted, with the clash told
        other = run_with(site, "new", "--sector", "商务", "--defaults", "-o", tmp_path / "y.docx")
        assert other.returncode == 0 and f"提示：{expected[0]}" in other.stderr, other.stderr
        asked = run_with(site, "new", "--sector", "商务", "--defaults", "--set", "activities=[fire_lanes]",
                         "-o", tmp_path / "z.docx")
        assert asked.returncode == 1 and expected[0] in asked.stderr
    listing = run_with(site, "plugins")
    assert listing.returncode == (1 if name == "dup" else 0) and name in listing.stdout
    if name == "dup":
        assert f"错误：{expected[0]}" in listing.stdout


# A form from a plugin keeps every label of every row, whatever their number.

WIDE_FORM = '''
from drafter import hookimpl

@hookimpl
def register_attachments():
    return [{"id": "drill_register", "kind": "form", "sectors": ["*"], "order": 35, "title": "{{ year }}年演练登记表",
             "rows": [["填报单位"], ["联系人", "联系电话"], ["序号", "企业名称", "演练日期", "演练地点", "参演人数", "备注"],
                      ["检查人", "检查日期", "检查结果"]]}]
'''


def distinct(cells):
    """The texts of a table row, a cell merged across grid columns counted once."""
    out = []
    for cell in cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return [c.text for c in out]


def test_a_plugin_form_row_keeps_all_its_labels_in_order(tmp_path):
    site = install_plugin(tmp_path / "site", "register", WIDE_FORM)
    out = tmp_path / "x.docx"
    done = run_with(site, "new", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr
    table = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "填报单位")
    assert [distinct(r.cells) for r in table.rows] == [
        ["填报单位", ""], ["联系人", "", "联系电话", ""],
        ["序号", "企业名称", "演练日期", "演练地点", "参演人数", "备注"], [""] * 6,  # headings over blanks
        ["检查人", "检查日期", "检查结果"], [""] * 3]
    assert all(len(r.cells) == len(table.columns) for r in table.rows)  # one grid, every row spans it
    liaison = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "单位名称")
    assert [distinct(r.cells) for r in liaison.rows][:2] == [["单位名称", ""], ["姓名", "", "职务", ""]]


def test_disabling_an_unknown_plugin_is_an_error(tmp_path):
    done = run_cli("new", "--defaults", "-o", tmp_path / "x.docx", "--disable-plugin", "nope")
    assert done.returncode == 1 and "没有名为 nope 的插件" in done.stderr and "jiedao" in done.stderr


def test_a_disabled_sector_plugin_takes_its_activities_with_it(tmp_path):
    done = run_cli("new", "--defaults", "--sector", "街道", "--disable-plugin", "jiedao", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "没有“街道”行业的插件" in done.stderr
    plugins = run_cli("plugins", "--disable-plugin", "jiedao")
    assert f"jiedao  gongwen-drafter {__version__}  行业：—  已停用" in plugins.stdout


def test_builtin_sectors_are_listed_as_ordinary_plugins():
    listed = json.loads(run_cli("plugins", "--json").stdout)["plugins"]
    builtin = {p["name"]: p for p in listed if p["package"] == "gongwen-drafter"}
    assert {n: p["sectors"] for n, p in builtin.items()} == {"jiedao": ["街道"], "shangwu": ["商务"], "yingji": ["应急"]}
    assert all(p["module"].startswith("drafter_sectors:") for p in builtin.values())
    assert "check_notice" in builtin["yingji"]["hooks"]


def test_the_coordinators_check_warns_when_the_consult_day_is_dropped(tmp_path):
    done = run_cli("new", "--sector", "应急", "--defaults", "--set", "activities=[launch_ceremony]",
                   "-o", tmp_path / "x.docx")
    assert done.returncode == 0 and "consult_day_main" in done.stderr and "插件 yingji" in done.stderr
    done = run_cli("new", "--sector", "应急", "--defaults", "-o", tmp_path / "y.docx")
    assert "consult_day_main" not in done.stderr


# A sector team's own package: installed, used, uninstalled.

def test_a_separately_installed_plugin_comes_and_goes_with_its_package(tmp_path):
    env = Venv(tmp_path / "venv")

    def listed():
        done = env.drafter("plugins", "--json")
        assert done.returncode == 0, done.stderr
        return {p["name"]: p for p in json.loads(done.stdout)["plugins"]}

    assert "jiaoyu" not in listed() and "shangwu" in listed()
    env.pip("install", "--no-deps", "--no-build-isolation", ROOT / "plugins" / "drafter-jiaoyu")
    jiaoyu = listed()["jiaoyu"]
    assert (jiaoyu["package"], jiaoyu["version"], jiaoyu["sectors"]) == ("drafter-jiaoyu", "0.1.0", ["教育"])
    assert "check_notice" in jiaoyu["hooks"]

    own_tests = env.run("-m", "pytest", "-q", "-p", "no:cacheprovider", ROOT / "plugins" / "drafter-jiaoyu" / "tests")
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr

    out = tmp_path / "教育.docx"
    done = env.drafter("new", "--sector", "教育", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr
    text = body_text(out)
    assert "江城市青山区教育局关于开展2025年全区教育系统“安全生产月”活动的通知" in text.replace("\n", "")
    assert "开展防溺水安全教育" in text and "寄宿制学校还要在夜间组织一次宿舍疏散演练" in text
    assert "2025年中小学生防溺水安全提醒" in text

    env.pip("uninstall", "-y", "drafter-jiaoyu")
    assert "jiaoyu" not in listed()
    done = env.drafter("new", "--answers", out.with_suffix(".yaml"), "-o", tmp_path / "again.docx")
    assert done.returncode == 1 and "没有“教育”行业的插件" in done.stderr


def test_plugin_new_scaffolds_a_package_a_new_user_can_draft_with(tmp_path):
    done = run_cli("plugin", "new", "jiaotong", "--sector", "交通", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "drafter-jiaotong"
    assert (folder / "pyproject.toml").exists() and (folder / "drafter_jiaotong" / "sector.yaml").exists()

    import tomllib
    from packaging.requirements import Requirement

    wanted = [Requirement(r) for r in tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]]
    assert [r.name for r in wanted] == ["gongwen-drafter"]  # PyPI's "drafter" is another project
    assert __version__ in wanted[0].specifier and "1.0" not in wanted[0].specifier  # bounded: this major version

    env = Venv(tmp_path / "venv")
    env.pip("install", "--no-build-isolation", "-e", folder)  # its dependency is met by the installed drafter
    own_tests = env.run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder)
    assert own_tests.returncode == 0 and "2 passed" in own_tests.stdout, own_tests.stdout + own_tests.stderr

    out = tmp_path / "交通.docx"
    done = env.drafter("new", "--sector", "交通", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "（一）开展交通行业安全检查" in body_text(out)

    # Edited as a sector team would: a second activity appears without reinstalling (editable install).
    yaml_file = folder / "drafter_jiaotong" / "sector.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + (
        "  - id: jiaotong_drill\n    title: 开展客运站疏散演练\n    stats: [\"演练（　　）场\"]\n"), encoding="utf-8")
    done = env.drafter("new", "--sector", "交通", "--defaults", "-o", out, "--force")
    assert done.returncode == 0 and "（二）开展客运站疏散演练" in body_text(out)

    again = run_cli("plugin", "new", "jiaotong", "--sector", "交通", cwd=tmp_path)
    assert again.returncode == 1 and "已存在" in again.stderr
    bad = run_cli("plugin", "new", "Jiao-Tong", "--sector", "交通", cwd=tmp_path)
    assert bad.returncode == 1 and "插件名" in bad.stderr and not (tmp_path / "drafter-Jiao-Tong").exists()


@pytest.mark.parametrize("name", ["shangwu", "jiedao", "yingji", "weijian", "sectors"])
def test_plugin_new_refuses_a_name_already_installed(name, tmp_path):
    site = install_plugin(tmp_path / "site", "weijian", EVERY_HOOK)
    done = run_with(site, "plugin", "new", name, "--sector", "交通", cwd=tmp_path)
    assert done.returncode == 1 and f"插件名“{name}”" in done.stderr and "请换一个名称" in done.stderr, done.stderr
    assert ("drafter 内置的插件" if name in ("shangwu", "jiedao", "yingji") else
            "已有名为 drafter_sectors 的 Python 包" if name == "sectors" else "已安装的插件 weijian") in done.stderr
    assert "Traceback" not in done.stderr and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_saved_answers_hold_only_the_questions_the_notice_uses(tmp_path):
    import yaml

    out = tmp_path / "街道.docx"
    assert run_cli("new", "--sector", "街道", "--defaults", "-o", out).returncode == 0
    saved = yaml.safe_load(out.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["extra"] == {"patrol_teams": "社区网格员、物业安全员和平安志愿者"}
    # So the file drafts again where a plugin it does not use is missing.
    again = run_cli("new", "--answers", out.with_suffix(".yaml"), "-o", tmp_path / "again.docx",
                    "--disable-plugin", "yingji", "--disable-plugin", "shangwu")
    assert again.returncode == 0, again.stderr

    added = tmp_path / "added.docx"
    done = run_cli("new", "--sector", "街道", "--defaults", "--set", "activities=[grid_patrol,consult_day_main]",
                   "--set", "extra.main_venue=江南广场", "-o", added)
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load(added.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert saved["extra"]["main_venue"] == "江南广场" and "6月16日，在江南广场举办" in body_text(added)
    typo = run_cli("new", "--defaults", "--set", "extra.main_venu=x", "-o", tmp_path / "typo.docx")
    assert typo.returncode == 1 and "是否想写“main_venue”" in typo.stderr


def test_a_scaffold_for_an_existing_sector_adds_to_it_without_breaking_any_sector(tmp_path):
    done = run_cli("plugin", "new", "shangmao", "--sector", "商务", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "drafter-shangmao"
    catalogue = yaml.safe_load((folder / "drafter_shangmao" / "sector.yaml").read_text(encoding="utf-8"))
    assert "sectors" not in catalogue and catalogue["activities"][0]["sectors"] == ["商务"]
    env = Venv(tmp_path / "venv")
    env.pip("install", "--no-build-isolation", "-e", folder)
    own_tests = env.run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder)
    assert own_tests.returncode == 0 and "2 passed" in own_tests.stdout, own_tests.stdout + own_tests.stderr
    for sector in ("商务", "街道", "应急"):
        out = tmp_path / f"{sector}.docx"
        done = env.drafter("new", "--sector", sector, "--defaults", "-o", out)
        assert done.returncode == 0 and "编号必须唯一" not in done.stderr, done.stderr
        assert ("开展商务行业安全检查" in body_text(out)) == (sector == "商务")


def test_doctor_names_a_failed_plugin_and_exits_non_zero(tmp_path):
    site = install_plugin(tmp_path / "site", "importfails", BROKEN["importfails"][0])
    done = run_with(site, "doctor", env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 1 and "importfails" in done.stdout and DISABLE.format("importfails") in done.stdout
    assert run_cli("doctor", env={"DRAFTER_HOME": str(tmp_path / "home")}).returncode == 0


def test_one_table_of_contribution_kinds_agrees_with_the_hooks_and_the_plugin_file():
    """catalogue.KINDS is the one list of what plugins contribute: each kind's hook is specified (returning a list
    of its model), a YAML plugin file has a key of its name, and YamlPlugin implements its hook."""
    import typing

    from drafter import hookspecs
    from drafter.catalogue import KINDS, Catalogue, YamlPlugin

    registering = sorted(n for n in dir(hookspecs) if n.startswith("register_"))
    assert registering == sorted(k.hook for k in KINDS)
    for kind in KINDS:
        returned = typing.get_type_hints(getattr(hookspecs, kind.hook), globalns=vars(hookspecs) | {
            m.__name__: m for m in (k.model for k in KINDS)})["return"]
        assert returned == list[kind.model], kind
        assert kind.key in kind.model.model_fields
        assert hasattr(getattr(YamlPlugin, kind.hook), "drafter_impl")
    assert list(Catalogue.model_fields) == [k.name for k in KINDS]
