"""The parent registry as an office shares it: a 文号 read from a received file never leads a write out of the
registry folder; one 文号 held by two files, or a file that cannot be read, is reported by name and never resolved
arbitrarily, and the rest of the registry keeps working; `new --register` checks the registry before it writes."""

import errno
import os
import random
import shutil
import string
import tempfile
import time
from pathlib import Path

import pytest
from conftest import run_cli

from drafter import limits, output
from drafter.cli import main

TITLE = "云湖市安全生产委员会办公室关于开展2024年全市“安全生产月”活动的通知"
GOOD = "云安办〔2024〕18号"


def received(folder, doc_number):
    """A notice as copied from a web page into a .txt, its 文号 line as given."""
    path = folder / "来文.txt"
    path.write_text(f"文号：{doc_number}\n{TITLE}\n各县（市、区）安委会：\n今年6月是第23个全国“安全生产月”。现将有关事项通知如下：\n"
                    "一、开展检查\n各地要组织检查。\n云湖市安全生产委员会办公室\n2024年5月21日\n", encoding="utf-8")
    return path


def every_file(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def base(tmp_path):
    """A folder whose absolute path has no digit, so that a 文号 line naming a path in it reads as a 文号 (a 机关代字
    holds no digit); removed afterwards."""
    letters = "".join(random.choice(string.ascii_lowercase) for _ in range(12))
    folder = Path(tempfile.gettempdir()) / f"drafter-test-{letters}"
    if any(ch.isdigit() for ch in str(folder)):
        pytest.skip(f"the temporary folder {folder} has digits in its path")
    folder.mkdir()
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def office(base):
    """A registry folder, a sibling folder watched for files written out of it, a home and the environment."""
    registry, watched = base / "库", base / "旁边"
    registry.mkdir()
    watched.mkdir()
    (watched / f"{GOOD}.yaml").write_text("别人的文件\n", encoding="utf-8")
    env = {"DRAFTER_PARENTS_DIR": str(registry), "DRAFTER_HOME": str(base / "home")}
    return registry, watched, env


# Each 文号 line would name a file outside the registry folder, or a name the file-name rule refuses.
LEADING_OUT = [("{watched}/" + GOOD, "“/”"), ("../旁边/" + GOOD, "“/”"), ("..\\旁边\\" + GOOD, "“\\”"),
               ("云安办..〔2024〕18号", "不能用作文件名")]


@pytest.mark.parametrize("line, rule", LEADING_OUT)
@pytest.mark.parametrize("force", [False, True])
def test_parents_import_never_writes_outside_the_registry(office, base, line, rule, force):
    tmp_path = base
    registry, watched, env = office
    doc_number = line.format(watched=watched)
    before = every_file(tmp_path)
    started = time.monotonic()
    done = run_cli("parents", "import", received(tmp_path, doc_number), "--yes", *(["--force"] if force else []),
                   env=env)
    assert time.monotonic() - started < 30
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert doc_number in done.stderr and rule in done.stderr and "未存入上级来文库" in done.stderr, done.stderr
    assert every_file(tmp_path) == sorted(before + ["来文.txt"])
    assert (watched / f"{GOOD}.yaml").read_text(encoding="utf-8") == "别人的文件\n"
    assert list(registry.iterdir()) == []


@pytest.mark.parametrize("line, rule", LEADING_OUT[:2])
def test_new_parent_file_never_writes_outside_the_registry(office, base, line, rule):
    tmp_path = base
    registry, watched, env = office
    doc_number = line.format(watched=watched)
    out = tmp_path / "出" / "通知.docx"
    out.parent.mkdir()
    before = every_file(tmp_path)
    done = run_cli("new", "--defaults", "--parent", received(tmp_path, doc_number), "-o", out, env=env)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert doc_number in done.stderr and rule in done.stderr, done.stderr
    assert every_file(tmp_path) == sorted(before + ["来文.txt"])
    assert list(registry.iterdir()) == [] and not out.exists()


def notice_yaml(doc_number, title=TITLE):
    return f"issuer: 云湖市安全生产委员会办公室\ntitle: {title}\ndoc_number: {doc_number}\n"


def test_one_doc_number_in_two_files_is_reported_never_resolved(office, tmp_path):
    registry, _, env = office
    first, second = registry / f"{GOOD}.yaml", registry / "副本.yaml"
    first.write_text(notice_yaml(GOOD), encoding="utf-8")
    second.write_text(notice_yaml(GOOD, TITLE.replace("全市", "全市各地")), encoding="utf-8")

    listing = run_cli("parents", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count(f"2024  {GOOD}  ") == 2, listing.stdout  # both files are listed …
    assert str(first) in listing.stdout and str(second) in listing.stdout
    assert f"有两份 {GOOD}" in listing.stderr  # … and the duplicate is told

    for args in (["parents", "show", GOOD], ["parents", "remove", GOOD],
                 ["new", "--defaults", "--parent", GOOD, "-o", tmp_path / "通知.docx"]):
        done = run_cli(*args, env=env)
        assert done.returncode == 1, done.stderr
        assert str(first) in done.stderr and str(second) in done.stderr and "两份" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert first.exists() and second.exists() and not (tmp_path / "通知.docx").exists()

    # Adding it again would make a third: refused, naming both.
    added = run_cli("parents", "add", "--issuer", "云湖市安全生产委员会办公室", "--title", TITLE, "--doc-number", GOOD,
                    "--force", env=env)
    assert added.returncode == 1 and str(second) in added.stderr
    assert sorted(p.name for p in registry.iterdir()) == sorted([first.name, second.name])

    # Once one is removed by hand, the other is the record.
    second.unlink()
    assert run_cli("parents", "remove", GOOD, env=env).returncode == 0 and not first.exists()


def test_adding_a_doc_number_another_file_holds_replaces_that_file(office):
    registry, _, env = office
    other = registry / "自己起的名字.yaml"
    other.write_text(notice_yaml(GOOD), encoding="utf-8")
    args = ["parents", "add", "--issuer", "云湖市安全生产委员会办公室", "--title", TITLE.replace("全市", "全市各地"),
            "--doc-number", GOOD]
    again = run_cli(*args, env=env)
    assert again.returncode == 1 and f"已有 {GOOD}" in again.stderr and str(other) in again.stderr
    forced = run_cli(*args, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert [p.name for p in registry.iterdir()] == [other.name] and "全市各地" in other.read_text(encoding="utf-8")


def unreadable_files(registry):
    """A registry file of each kind that cannot be read, named by the 文号 it would hold."""
    files = {
        "云安办〔2024〕19号": "issuer: 某办\ntitle: [没有闭合\n",  # bad YAML
        "云安办〔2024〕20号": "issuer: 某办\ndoc_number: 云安办2024第20号\n",  # does not validate
        "云安办〔2024〕21号": b"\xff\xfe\x00\xd8\x00\xd8",  # undecodable
        "云安办〔2024〕22号": notice_yaml("云安办〔2024〕22号") + "#" * limits.YAML_BYTES.amount + "\n",  # too big
    }
    for number, content in files.items():
        path = registry / f"{number}.yaml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if os.geteuid() != 0:  # root reads every file
        locked_out = registry / "云安办〔2024〕23号.yaml"
        locked_out.write_text(notice_yaml("云安办〔2024〕23号"), encoding="utf-8")
        locked_out.chmod(0)
        files["云安办〔2024〕23号"] = ""
    return [registry / f"{n}.yaml" for n in files]


def test_an_unreadable_registry_file_is_named_and_the_rest_still_works(office, tmp_path):
    registry, _, env = office
    (registry / f"{GOOD}.yaml").write_text(notice_yaml(GOOD), encoding="utf-8")
    bad = unreadable_files(registry)

    listing = run_cli("parents", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert GOOD in listing.stdout and "安委办〔2025〕1号" in listing.stdout
    for path in bad:
        assert str(path) in listing.stderr, listing.stderr
    assert "Traceback" not in listing.stderr

    out = tmp_path / "通知.docx"
    done = run_cli("new", "--defaults", "--parent", GOOD, "-o", out, env=env)
    assert done.returncode == 0, done.stderr
    assert out.exists() and all(str(path) in done.stderr for path in bad)

    added = run_cli("parents", "add", "--issuer", "云湖市安全生产委员会办公室", "--title", TITLE.replace("18", "30"),
                    "--doc-number", "云安办〔2024〕30号", env=env)
    assert added.returncode == 0, added.stderr

    doctor = run_cli("doctor", env=env)
    assert "Traceback" not in doctor.stderr and all(str(path) in doctor.stdout for path in bad), doctor.stdout

    for path in bad:  # only asking for that very 文号 fails, naming the file
        shown = run_cli("parents", "show", path.stem, env=env)
        assert shown.returncode == 1 and str(path) in shown.stderr, shown.stderr
        assert "Traceback" not in shown.stderr


def test_new_register_checks_the_registry_before_writing_anything(office, tmp_path):
    registry, _, env = office
    out = tmp_path / "出" / "通知.docx"
    out.parent.mkdir()
    first = run_cli("new", "--defaults", "--register", "-o", out, env=env)
    assert first.returncode == 0, first.stderr
    number = next(registry.iterdir()).stem
    for name in ("通知.docx", "通知.yaml"):
        (out.parent / name).unlink()

    again = run_cli("new", "--defaults", "--register", "-o", out, env=env)
    assert again.returncode == 1 and f"已有 {number}" in again.stderr, again.stderr
    assert list(out.parent.iterdir()) == []  # nothing written

    # A registry that cannot be written: a file where its folder should be.
    blocked = tmp_path / "不是文件夹"
    blocked.write_text("", encoding="utf-8")
    done = run_cli("new", "--defaults", "--register", "-o", out, env={**env, "DRAFTER_PARENTS_DIR": str(blocked / "库")})
    assert done.returncode == 1 and "上级来文" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert list(out.parent.iterdir()) == []


def test_a_registry_write_failing_after_the_notice_is_told_as_it_is(office, tmp_path, monkeypatch, capsys):
    """The disk fills between the notice and its registry file: the message says what was written and how to add
    it, never that nothing was left."""
    registry, _, env = office
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    real = output.os.replace

    def full_in_registry(src, dst):
        if os.path.dirname(os.fspath(dst)) == str(registry):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", full_in_registry)
    out = tmp_path / "通知.docx"
    assert main(["new", "--defaults", "--register", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "未留下任何不完整的文件" not in err and f"已生成 {out}" in err, err
    assert "磁盘空间不足" in err and "drafter parents add --from-answers" in err, err
    assert out.exists() and list(registry.iterdir()) == []
