"""Bad input never costs data: each kind of mistake is named in Chinese, and no file is created or changed."""

import errno
import os
from pathlib import Path

import pytest
from conftest import install_plugin, run_cli, run_with

from drafter import output
from drafter.cli import main

KEEP = b"the clerk's earlier draft"


@pytest.mark.parametrize("content, words", [
    ("year: 2025\nissuer:\n  name: [没有闭合\n", "第3行第9列开始的内容到第4行第1列有 YAML 语法错误"),
    ("yaer: 2025\n", "yaer：不认识的项，是否想写“year”？"),
    ("成文日期: 2025-05-20\n", "成文日期：不认识的项，是否想写“date”？"),
    ("issuer:\n  名称: 江城市某某局\n", "issuer（发文机关） → 名称：不认识的项，是否想写“name”？"),
    ("number: 十八\n", "number（发文字号序号）：“十八”应为整数"),
    ("issuer:\n  name: 江城市某某局\n  code: 某\n", "contact（联系人）：缺少此项"),
    ("issuer:\n  sector: 卫健\n", "没有“卫健”行业的插件；可用的行业"),
    ("date: 2025年2月30日\n", "date（成文日期）：“2025年2月30日”不是存在的日期"),
    ("recipients: \"各单位\\u0007\"\n", "含有无法写入文档的控制字符 U+0007"),
    ("year: 2025\ndate：2025-05-20\n", "第2行“date”后面用了中文冒号“：”，键与值之间应是英文冒号和一个空格：“date: …”"),
    ("date：2025-05-20\nsealed: true\n", "第1行“date”后面用了中文冒号“：”"),
    ("issuer:\n  name: 江城市某某局\n  code：某\n", "第3行“code”后面用了中文冒号“：”，键与值之间应是英文冒号和一个空格：“code: …”"),
    ("date:2025-05-20\nsealed: true\n", "第1行“date:”的冒号后面缺少空格，键与值之间应是英文冒号和一个空格：“date: …”"),
    ("recipients: *各单位\n", "有 YAML 语法错误：以 * 或 & 开头的值在 YAML 中另有含义：请给整个值加引号"),
    ("recipients: *abc\n", "第1行第13列有 YAML 语法错误：以 * 或 & 开头的值在 YAML 中另有含义"),
    ("title: '关于开展'安全生产月'活动的通知'\n", "第1行第14列有 YAML 语法错误：值的引号在中间就结束了：值里的引号请用中文引号“”"),
    ('title: "关于开展"安全生产月"活动的通知"\n', "值的引号在中间就结束了"),
    ("issuer:\n  name: 某局\n code: 某\n", "缩进不一致"),
    ("opening: |\n  note:这是说明\n  第二段\nbad: [\n", "第5行第1列有 YAML 语法错误：值没有写完"),  # not the valid line 2
    ("成文日期：2025-06-01\nsealed: true\n", "第1行“成文日期”后面用了中文冒号“：”"),
    ("opening:\n  - '关于'安全'的通知'\n", "第2行第9列有 YAML 语法错误：值的引号在中间就结束了"),
    ("sealed：否\n", "的内容应为“键: 值”形式的映射；第1行“sealed”后面用了中文冒号“：”"),
])
def test_each_kind_of_mistake_is_named_and_nothing_changes(tmp_path, content, words):
    answers = tmp_path / "答案.yaml"
    answers.write_text(content, encoding="utf-8")
    out = tmp_path / "通知.docx"
    out.write_bytes(KEEP)
    done = run_cli("new", "--answers", answers, "-o", out, "--force", input="")
    assert done.returncode == 1 and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == KEEP and not out.with_suffix(".pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["答案.yaml", "通知.docx"]


def test_an_unknown_parent_is_named(tmp_path):
    done = run_cli("new", "--defaults", "--parent", "青安办〔2025〕99号", "-o", tmp_path / "x.docx",
                   env={"DRAFTER_HOME": str(tmp_path / "home")})
    assert done.returncode == 1 and "上级来文库" in done.stderr and "没有 青安办〔2025〕99号" in done.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_full_disk_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    real = os.fdopen
    out = tmp_path / "通知.docx"
    out.write_bytes(KEEP)

    class Full:
        def __init__(self, fd, mode):
            self.fh = real(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fdopen", Full)
    assert main(["new", "--defaults", "-o", str(out), "--force"]) == 1
    assert "写入失败（磁盘空间不足）" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通知.docx"] and out.read_bytes() == KEEP


def test_a_failed_rename_puts_back_what_was_there(tmp_path, monkeypatch, capsys):
    out, answers = tmp_path / "通知.docx", tmp_path / "通知.yaml"
    out.write_bytes(KEEP)
    answers.write_bytes(b"last year's answers")
    real, calls = os.replace, []

    def second_fails(src, dst):
        if Path(dst).parent != tmp_path:  # not the output's (the template cache's, say)
            return real(src, dst)
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "I/O error")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", second_fails)
    assert main(["new", "--defaults", "-o", str(out), "--force"]) == 1
    assert "原有文件未变" in capsys.readouterr().err
    assert out.read_bytes() == KEEP and answers.read_bytes() == b"last year's answers"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通知.docx", "通知.yaml"]


@pytest.mark.parametrize("fails", [errno.EPERM, errno.EOPNOTSUPP])
def test_force_replaces_a_pair_where_the_drive_has_no_hard_links(tmp_path, monkeypatch, capsys, fails):
    """A FAT or exFAT USB drive, some network shares: the previous files are kept by copying instead."""
    out, answers = tmp_path / "通知.docx", tmp_path / "通知.yaml"
    out.write_bytes(KEEP)
    answers.write_bytes(b"last year's answers")

    def no_links(src, dst, **kwargs):
        raise OSError(fails, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_links)
    assert main(["new", "--defaults", "-o", str(out), "--force"]) == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"PK") and "issuer:" in answers.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通知.docx", "通知.yaml"]


def test_an_unwritable_folder(tmp_path):
    folder = "/sys" if os.geteuid() == 0 else str(tmp_path / "ro")
    if os.geteuid() != 0:
        os.mkdir(folder, 0o555)
    done = run_cli("new", "--defaults", "-o", f"{folder}/通知.docx")
    assert done.returncode == 1 and ("没有写入" in done.stderr or "只读" in done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def test_plugin_text_cannot_reach_python(tmp_path):
    source = ("from drafter import hookimpl\nfrom drafter.catalogue import Activity\n@hookimpl\n"
              "def register_activities():\n    return [Activity(id='g1', title='标题', sectors=('*',),"
              " paragraphs=('{{ cycler.__init__.__globals__.os.system(\"touch pwned\") }}',))]\n")
    site = install_plugin(tmp_path / "site", "globals", source)
    done = run_with(site, "new", "--defaults", "-o", tmp_path / "x.docx", cwd=tmp_path)
    assert done.returncode == 1 and "插件 globals 的活动“g1”文字有误" in done.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "x.docx").exists()
