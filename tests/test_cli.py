import zipfile

import docx
import yaml
from conftest import ROOT, run_cli


def body_text(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)


def document_xml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_defaults_drafts_a_complete_sample_notice(tmp_path):
    done = run_cli("new", "--defaults", "-o", "通知.docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out, answers = tmp_path / "通知.docx", tmp_path / "通知.yaml"
    assert out.exists() and answers.exists()
    text = body_text(out)
    d = docx.Document(str(out))
    styles = [p.style.name for p in d.paragraphs]
    assert styles.count("一级标题") >= 3 and styles.count("二级标题") >= 2
    assert "第24个全国“安全生产月”" in text and "人人讲安全、个个会应急——查找身边安全隐患" in text
    assert "青商务〔2025〕18号" in text and "《国务院安委会办公室 应急管理部关于开展2025年全国“安全生产月”活动的通知》（安委办〔2025〕1号）" in text
    assert "附件：1.\t" in text and "活动进展情况统计表" in text and "活动联络员表" in text
    assert "此件公开发布" in text
    xml = document_xml(out).decode()
    assert "抄送：区安委会办公室，区应急管理局。" in xml and "印发" in xml
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["year"] == 2025 and saved["issuer"]["code"] == "青商务"


def test_existing_output_is_never_replaced_without_force(tmp_path):
    out = tmp_path / "通知.docx"
    out.write_bytes(b"keep me")
    done = run_cli("new", "--defaults", "-o", out)
    assert done.returncode == 1 and "已存在" in done.stderr and "--force" in done.stderr
    assert "Traceback" not in done.stderr and out.read_bytes() == b"keep me"
    assert not (tmp_path / "通知.yaml").exists()
    assert run_cli("new", "--defaults", "-o", out, "--force").returncode == 0
    assert out.read_bytes()[:2] == b"PK"


def test_saved_answers_reproduce_the_same_document(tmp_path):
    assert run_cli("new", "--defaults", "-o", tmp_path / "a.docx").returncode == 0
    done = run_cli("new", "--answers", tmp_path / "a.yaml", "-o", tmp_path / "b.docx")
    assert done.returncode == 0, done.stderr
    assert document_xml(tmp_path / "a.docx") == document_xml(tmp_path / "b.docx")


def test_example_answers_file_renders(tmp_path):
    done = run_cli("new", "--answers", ROOT / "examples" / "街道.yaml", "-o", tmp_path / "x.docx")
    assert done.returncode == 0, done.stderr
    text = body_text(tmp_path / "x.docx")
    assert "江城市青山区江南街道办事处" in text and "第24个" in text


def test_text_is_verbatim_never_a_template(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({
        "recipients": 'A & B <C> "D" \'E\' {{ 7*7 }} {% if x %}',
        "contact": {"name": "{{ 7*7 }} & <王>", "phone": "0591-1234567"}}, allow_unicode=True), encoding="utf-8")
    done = run_cli("new", "--answers", answers, "-o", tmp_path / "x.docx")
    assert done.returncode == 0, done.stderr
    text = body_text(tmp_path / "x.docx")
    assert 'A & B <C> "D" \'E\' {{ 7*7 }} {% if x %}：' in text
    assert "联系人：{{ 7*7 }} & <王>，电话：0591-1234567" in text and "49" not in text


def test_set_overrides_the_file_and_goes_through_the_validators(tmp_path):
    done = run_cli("new", "--defaults", "--set", "number=7", "--set", "issuer.code=江青商务", "-o", tmp_path / "x.docx")
    assert done.returncode == 0, done.stderr
    assert "江青商务〔2025〕7号" in body_text(tmp_path / "x.docx")
    bad = run_cli("new", "--defaults", "--set", "date=2025年2月30日", "-o", tmp_path / "y.docx")
    assert bad.returncode == 1 and "不是存在的日期" in bad.stderr and "date（成文日期）" in bad.stderr
    assert not (tmp_path / "y.docx").exists()


def test_bad_answers_get_a_clear_message_and_no_output(tmp_path):
    cases = {
        "year: 2025\nissuer: [unclosed\n": "第2行",
        "yaer: 2025\n": "是否想写“year”",
        "parents:\n  - title: 泉州市商务局关于开展活动的通知\n    doc_number: 泉商务202575号\n": "缺少六角括号",
        "year: 2026\n": "theme（主题）",
        "sealed: maybe\n": "sealed（加盖印章）",
        "publicity: 公开\n": "不是可选值",
        "recipients: \"a\\u0001b\"\n": "控制字符",
        "activities: [study, nonsense]\n": "nonsense",
    }
    for i, (content, expected) in enumerate(cases.items()):
        f = tmp_path / f"a{i}.yaml"
        f.write_text(content, encoding="utf-8")
        done = run_cli("new", "--answers", f, "-o", tmp_path / f"o{i}.docx")
        assert done.returncode == 1, content
        assert expected in done.stderr, (content, done.stderr)
        assert "Traceback" not in done.stderr
        assert not (tmp_path / f"o{i}.docx").exists() and not (tmp_path / f"o{i}.yaml").exists()


def test_missing_file_unwritable_folder_and_no_mode(tmp_path):
    done = run_cli("new", "--answers", tmp_path / "nope.yaml", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "找不到答案文件" in done.stderr
    done = run_cli("new", "--defaults", "-o", tmp_path / "missing" / "x.docx")
    assert done.returncode == 1 and "不存在" in done.stderr
    done = run_cli("new", "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "--defaults" in done.stderr and "--answers" in done.stderr


def test_help_is_in_chinese():
    done = run_cli("--help")
    assert done.returncode == 0 and "起草" in done.stdout


def test_help_is_chinese_throughout():
    done = run_cli("--help")
    assert done.returncode == 0 and "显示版本号并退出" in done.stdout and "show program" not in done.stdout


def test_likely_slips_in_the_printed_text_are_pointed_out(tmp_path):
    """Last year's date in the clerk's own text, and “{{ … }}” (printed as written, never filled in) are drafted as
    written, with a 提示 naming each."""
    answers = yaml.safe_load((ROOT / "examples" / "街道.yaml").read_text(encoding="utf-8"))
    answers["outline"] = ["overview", {"title": "加强值班值守", "paragraphs": ["整改情况于2024年6月25日前报街道安监办。",
                                                                        '围绕"安全生产月"主题开展巡查。']},
                          "activities"]
    answers["attachments"] = [a for a in answers["attachments"] if a != "stats"] + [
        {"use": "stats", "title": "{{ year }}年活动进展情况统计表"}]
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    done = run_cli("new", "--answers", path, "-o", tmp_path / "x.docx")
    assert done.returncode == 0, done.stderr
    assert "提示：文中的“2024年6月25日”不是2025年的日期" in done.stderr
    assert "中的“{{”会照原样印出" in done.stderr
    assert '提示：“围绕"安全生产月"主题开展巡查”中的半角标点“"”应为全角' in done.stderr
    assert "2024年6月25日" in body_text(tmp_path / "x.docx")  # drafted as written: the clerk decides
    assert '围绕"安全生产月"' in body_text(tmp_path / "x.docx")
    reported = run_cli("check", tmp_path / "x.docx")
    assert '中文中使用了半角标点“"”，应为全角' in reported.stdout
