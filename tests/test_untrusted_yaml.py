"""YAML from outside — an answers file, a --set value, a file in a shared registry folder — is read within limits
(size, nesting, alias expansion), a key given twice is refused with its line, and answer text is bounded and free of
invisible characters: each refusal is a Chinese message naming the limit or the key and the place, never a crash,
and nothing is written. Every hostile input is generated here, small."""

import pytest
from conftest import run_bounded, run_cli

from drafter.limits import ANSWER_CHARS, YAML_BYTES, YAML_DEPTH, YAML_NODES, YAML_TEXT

BASE = ("issuer:\n  name: 江城市青山区商务局\n  code: 青商务\n  sector: 商务\ncontact:\n  name: 李明\n"
        "  phone: 0591-12345678\nnumber: 3\n")
MEMORY_MB, SECONDS = 800, 30


def alias_bomb(width: int = 30) -> str:
    """An outline of width⁴ sections of `width` paragraphs each, every level written once and repeated by aliases:
    about 1.5 KB that expand to some 24 million values (valid answers, nested four levels as 公文 headings are)."""
    again = lambda name, indent: "".join(f"{' ' * indent}- *{name}\n" for _ in range(width - 1))  # noqa: E731
    paragraphs = "[" + ", ".join(["内容"] * width) + "]"
    return ("outline:\n  - &s3\n    title: 一\n    sections:\n      - &s2\n        title: 二\n        sections:\n"
            "          - &s1\n            title: 三\n            sections:\n"
            f"              - &s0 {{title: 四, paragraphs: &p {paragraphs}}}\n" + again("s0", 14)
            + again("s1", 10) + again("s2", 6) + again("s3", 2))


def text_bomb() -> str:
    """One 20 000-character 抄送 line repeated by aliases: within the count of values, far past the text."""
    line = "江城市青山区" * 3000
    return BASE + f"copy_to: [&c {line}" + ", *c" * 200 + "]\n"


def deep(levels: int = 30000) -> str:
    """A value nested `levels` lists deep (60 KB for 30 000): the recursion that crashed the process."""
    return "[" * levels + "]" * levels


def refused(done, seconds, *words, code=2):
    """Refused with a Chinese message holding ``words``, within bounds, by the process itself (not a signal)."""
    assert done.returncode == code, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    for word in words:
        assert word in done.stderr, done.stderr[-2000:]
    assert seconds < SECONDS / 2, seconds


def nothing_written(tmp_path):
    assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out.yaml").exists()


def new(tmp_path, content: str, *args):
    answers = tmp_path / "答案.yaml"
    answers.write_text(content, encoding="utf-8")
    return run_bounded("new", "--answers", answers, "-o", tmp_path / "out.docx", *args, cwd=tmp_path,
                       memory_mb=MEMORY_MB, seconds=SECONDS)


# --- an answers file ---------------------------------------------------------------------------------------------

def test_an_alias_bomb_in_an_answers_file_is_refused_at_the_alias(tmp_path):
    text = BASE + alias_bomb()
    assert len(text.encode()) < 2500
    done, seconds = new(tmp_path, text)
    refused(done, seconds, YAML_NODES.what, YAML_NODES.shown, "答案.yaml 第")
    line = int(done.stderr.split("答案.yaml 第")[1].split("行")[0])
    assert "*" in text.splitlines()[line - 1]  # the line of the alias where the count ran over
    nothing_written(tmp_path)


def test_aliases_that_expand_to_too_much_text_are_refused(tmp_path):
    done, seconds = new(tmp_path, text_bomb())
    refused(done, seconds, YAML_TEXT.what, YAML_TEXT.shown, "答案.yaml 第9行")
    nothing_written(tmp_path)


def test_deep_nesting_in_an_answers_file_is_refused_not_a_crash(tmp_path):
    done, seconds = new(tmp_path, BASE + "theme: " + deep() + "\n")
    refused(done, seconds, YAML_DEPTH.what, YAML_DEPTH.shown, "答案.yaml 第9行")
    nothing_written(tmp_path)


def test_an_answers_file_past_its_size_is_refused_before_it_is_read(tmp_path):
    done, seconds = new(tmp_path, BASE + "theme: 主题\n" + "# " + "x" * YAML_BYTES.amount + "\n")
    refused(done, seconds, YAML_BYTES.what, YAML_BYTES.shown, "答案.yaml")
    nothing_written(tmp_path)


def test_an_alias_within_itself_is_refused(tmp_path):
    done, seconds = new(tmp_path, BASE + "copy_to: &c [江城市青山区商务局, *c]\n")
    refused(done, seconds, "答案.yaml 第9行", "*c", code=1)
    nothing_written(tmp_path)


def test_a_key_written_twice_in_an_answers_file_is_refused_with_both_lines(tmp_path):
    done, seconds = new(tmp_path, BASE + "theme: 甲\ncontact:\n  name: 王五\n")
    refused(done, seconds, "“contact”写了两次（第5行和第10行）", "答案.yaml 第10行", code=1)
    nothing_written(tmp_path)


# --- --set ---------------------------------------------------------------------------------------------------------

def test_an_alias_bomb_in_set_is_refused(tmp_path):
    levels = ["&l0 [" + ",".join(["x"] * 30) + "]"]
    for n in range(1, 5):
        levels.append(f"&l{n} [" + ",".join([f"*l{n - 1}"] * 30) + "]")
    value = "[" + ", ".join(levels) + "]"
    done, seconds = new(tmp_path, BASE, "--set", f"copy_to={value}")
    refused(done, seconds, "--set copy_to", YAML_NODES.what, YAML_NODES.shown)
    nothing_written(tmp_path)


def test_deep_nesting_in_set_is_refused_not_a_crash(tmp_path):
    done, seconds = new(tmp_path, BASE, "--set", f"theme={deep()}")
    refused(done, seconds, "--set theme", YAML_DEPTH.what, YAML_DEPTH.shown)
    nothing_written(tmp_path)


def test_a_key_written_twice_in_set_is_refused(tmp_path):
    done, seconds = new(tmp_path, BASE, "--set", "contact={name: 王五, phone: 0591-1234567, name: 赵六}")
    refused(done, seconds, "--set contact", "“name”写了两次", code=1)
    nothing_written(tmp_path)


# --- a registry file -------------------------------------------------------------------------------------------------

REGISTERED = "doc_number: 青安办〔2025〕21号\ntitle: 关于开展2025年“安全生产月”活动的通知\nissuer: 江城市青山区安全生产委员会办公室\n"


@pytest.mark.parametrize("bad, limit", [(deep(), YAML_DEPTH), (alias_bomb(), YAML_NODES)])
def test_a_hostile_registry_file_is_an_answers_error_naming_the_file_and_line(tmp_path, bad, limit):
    """What the registry gets from yamlio.load_file for such a file: an AnswersError it can report by name."""
    from drafter.errors import AnswersError
    from drafter.yamlio import load_file

    path = tmp_path / "坏.yaml"
    path.write_text(REGISTERED + "headings: " + bad.removeprefix("outline:") + "\n", encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        load_file(path, "上级来文文件")
    assert str(caught.value).startswith(f"上级来文文件 {path} 第")
    assert limit.what in str(caught.value) and caught.value.exit_code == 2


@pytest.mark.parametrize("bad, limit", [
    (REGISTERED + "headings: " + deep() + "\n", YAML_DEPTH),
    (REGISTERED + alias_bomb().replace("outline:", "headings:"), YAML_NODES),
])
@pytest.mark.parametrize("command", [("parents", "list"), ("new", "--defaults", "-o", "out.docx")])
def test_a_hostile_registry_file_is_named_not_a_crash(tmp_path, bad, limit, command):
    folder = tmp_path / "来文库"
    folder.mkdir()
    (folder / "坏.yaml").write_text(bad, encoding="utf-8")
    if command[0] == "parents":
        args = ("parents", "--parents-dir", folder, *command[1:])
    else:
        args = (*command, "--parents-dir", folder)
    done, seconds = run_bounded(*args, cwd=tmp_path, memory_mb=MEMORY_MB, seconds=SECONDS)
    assert done.returncode >= 0, done.returncode  # not killed by a signal
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    assert limit.what in done.stderr and limit.shown in done.stderr and "坏.yaml 第" in done.stderr, done.stderr
    assert seconds < SECONDS / 2
    if done.returncode:
        assert not (tmp_path / "out.docx").exists()


# --- answer text -----------------------------------------------------------------------------------------------------

def test_a_long_run_of_spaces_in_an_answer_is_refused_quickly_naming_the_key(tmp_path):
    done, seconds = new(tmp_path, BASE + "theme: \"安全" + " " * 300_000 + "生产\"\n")
    refused(done, seconds, "theme（主题）", ANSWER_CHARS.what, ANSWER_CHARS.shown, code=1)
    nothing_written(tmp_path)


def test_spaces_and_line_breaks_within_the_limit_are_cleaned_in_linear_time():
    import time

    from drafter.answers import clean_text

    text = "人人讲安全" + " " * (ANSWER_CHARS.amount - 20) + "个个会应急"
    started = time.monotonic()
    assert clean_text(text) == text
    assert clean_text("人人讲安全 \n\u3000 个个会应急\n\n") == "人人讲安全个个会应急"
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("char, name", [("\u202e", "U+202E"), ("\u200b", "U+200B"), ("\u2066", "U+2066"),
                                        ("\x1b", "U+001B")])
def test_an_invisible_character_in_the_doc_number_code_is_refused(tmp_path, char, name):
    done, seconds = new(tmp_path, BASE.replace("code: 青商务", f"code: \"青{char}商务\""))
    where = "答案.yaml 第3行" if char == "\x1b" else "issuer（发文机关） → code（机关代字）"  # YAML allows no C0 control
    refused(done, seconds, where, name, code=1)
    nothing_written(tmp_path)


@pytest.mark.parametrize("char, name", [("\u202e", "U+202E"), ("\u200d", "U+200D"), ("\ufeff", "U+FEFF")])
def test_an_invisible_character_in_a_cited_doc_number_is_refused(tmp_path, char, name):
    done, seconds = new(tmp_path, BASE + f"parents:\n  - title: 关于开展2025年“安全生产月”活动的通知\n"
                                         f"    doc_number: \"安委办{char}〔2025〕9号\"\n")
    refused(done, seconds, "parents（上级来文） → 第1项 → doc_number（发文字号）", name, code=1)
    nothing_written(tmp_path)


def test_the_doc_number_parser_itself_refuses_invisible_characters():
    from drafter.docnumber import DocNumber
    from drafter.errors import InvalidValue

    for char in ("\u202e", "\u200b", "\u2060", "\x85"):
        with pytest.raises(InvalidValue, match=f"U\\+{ord(char):04X}"):
            DocNumber.parse(f"青{char}商务〔2025〕3号")


@pytest.mark.parametrize("key, content", [
    ("issuer（发文机关） → name（名称）", BASE.replace("江城市青山区商务局", "\"江城市\u202e青山区商务局\"")),
    ("copy_to（抄送）：第1项", BASE + "copy_to: [\"市\u2067商务局\"]\n"),
    ("contact（联系人） → more（其他联系方式）",
     BASE.replace("  phone: 0591-12345678\n", "  phone: 0591-12345678\n  more: {OA: \"0008\u200b39\"}\n")),
])
def test_an_invisible_character_in_any_answer_is_refused_naming_the_key(tmp_path, key, content):
    done, seconds = new(tmp_path, content)
    refused(done, seconds, key, "U+", code=1)
    nothing_written(tmp_path)


@pytest.mark.parametrize("title", ["2025年关于 " + "开展 安全 " * 40, "2025年" + "安" * (ANSWER_CHARS.amount - 5)])
def test_a_long_title_full_of_break_points_is_split_in_bounded_time(title):
    """A title is broken only at phrase boundaries; one with hundreds of them (spaces) or of the longest answer
    is split at once, not by trying every combination of its break points."""
    import time

    from drafter.textwidth import cells
    from drafter.title import TITLE_CELLS, split_title

    started = time.monotonic()
    lines = split_title(title)
    assert time.monotonic() - started < 2
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(cells(line) <= TITLE_CELLS for line in lines)


@pytest.mark.parametrize("where", ["file", "set"])
def test_a_number_of_thousands_of_digits_is_named_not_a_crash(tmp_path, where):
    digits = "9" * 5000  # Python refuses to convert more than 4300 digits to an int
    if where == "file":
        (tmp_path / "a.yaml").write_text(BASE.replace("number: 3", f"number: {digits}"), encoding="utf-8")
        done, seconds = run_bounded("new", "--answers", "a.yaml", "-o", "out.docx", cwd=tmp_path)
    else:
        done, seconds = run_bounded("new", "--defaults", "-o", "out.docx", "--set", f"number={digits}", cwd=tmp_path)
    refused(done, seconds, "number（发文字号序号）", "有5000位", code=1)


def test_a_doc_number_of_thousands_of_digits_is_refused():
    from drafter.docnumber import DocNumber
    from drafter.errors import InvalidValue

    with pytest.raises(InvalidValue, match="序号有5000位"):
        DocNumber.parse("青商务〔2025〕" + "1" * 5000 + "号")


def test_a_merge_key_merges_and_the_keys_written_win():
    from drafter.yamlio import safe_load

    assert safe_load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n")["c"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("text", ["year: !!int abc\n", "date: !!timestamp 2025-13-45\n", "scope: !!float 全区\n"])
def test_an_explicit_tag_whose_value_is_not_of_it_is_refused_in_chinese(tmp_path, text):
    answers = tmp_path / "a.yaml"
    answers.write_text(text, encoding="utf-8")
    done = run_cli("new", "--answers", answers, "-o", tmp_path / "x.docx")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"答案文件 {answers}：有写明类型" in done.stderr and not (tmp_path / "x.docx").exists()
    done = run_cli("new", "--defaults", "--set", "year=!!int x", "-o", tmp_path / "y.docx")
    assert done.returncode == 1 and "Traceback" not in done.stderr and "--set year" in done.stderr, done.stderr
