"""What docxtpl makes of the template, kept between runs (drafter/templatecache.py): a kept file saves time and never
changes what is printed; a file that is missing, cut short, corrupt or unwritable is made anew."""

import io
import shutil
import zipfile

import pytest
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from drafter import templatecache
from drafter.answers import resolve
from drafter.compose import compose
from drafter.render import render


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def notice():
    return compose(resolve({}))


def parts(docx: bytes) -> dict[str, bytes]:
    """The .docx's parts (a zip's own timestamps aside)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture
def made(monkeypatch):
    """How many parts docxtpl rewrote and jinja compiled, by drafter's template filling."""
    counts = {"patched": 0, "compiled": 0}
    patch, compile_ = DocxTemplate.patch_xml, SandboxedEnvironment.compile

    def counted_patch(self, src_xml):
        counts["patched"] += 1
        return patch(self, src_xml)

    def counted_compile(self, *args, **kwargs):
        counts["compiled"] += 1
        return compile_(self, *args, **kwargs)

    monkeypatch.setattr(DocxTemplate, "patch_xml", counted_patch)
    monkeypatch.setattr(SandboxedEnvironment, "compile", counted_compile)
    return counts


def kept_files(home):
    return sorted(p for p in (home / "cache").rglob("*") if p.is_file())


def test_a_second_rendering_uses_what_the_first_kept_and_prints_the_same(home, notice, made):
    first = parts(render(notice))
    assert made["patched"] >= 3 and made["compiled"] >= 3  # the body, headers and footers
    files = kept_files(home)
    assert {p.name.split("-")[0] for p in files} == {"patched", "compiled"}
    assert all(p.parent == templatecache.folder() for p in files)
    made.update(patched=0, compiled=0)
    assert parts(render(notice)) == first
    assert made == {"patched": 0, "compiled": 0}
    assert kept_files(home) == files


def test_a_notice_rendered_from_kept_files_equals_one_rendered_without_a_cache(home, notice, monkeypatch):
    render(notice)  # fills the cache
    cached = parts(render(notice))
    monkeypatch.setattr(templatecache, "made_folder", lambda: None)
    assert parts(render(notice)) == cached


@pytest.mark.parametrize("damage", ["cut short", "garbage", "empty", "another part's"])
def test_a_damaged_kept_file_is_made_anew(home, notice, made, damage):
    first = parts(render(notice))
    files = kept_files(home)
    contents = {p: p.read_bytes() for p in files}
    for kind in ("patched", "compiled"):  # each file of a kind given another's of that kind: whole, wrong source
        same = [p for p in files if p.name.startswith(kind)]
        swapped = dict(zip(same, same[1:] + same[:1]))
        for path in same:
            data = contents[path]
            path.write_bytes({"cut short": data[: len(data) // 2], "garbage": b"\x80not what was kept\n\x00" * 40,
                              "empty": b"", "another part's": contents[swapped[path]]}[damage])
    made.update(patched=0, compiled=0)
    assert parts(render(notice)) == first
    assert made["patched"] >= 3 and made["compiled"] >= 3  # none of the damaged files was used
    assert {p: p.read_bytes() for p in kept_files(home)} == contents  # and each was written whole again


def test_without_a_cache_folder_it_renders_and_keeps_nothing(home, notice, made):
    home.mkdir(parents=True)
    (home / "cache").write_text("a file where the folder would be")
    assert templatecache.made_folder() is None
    first = parts(render(notice))
    made.update(patched=0, compiled=0)
    assert parts(render(notice)) == first
    assert made["patched"] >= 3 and made["compiled"] >= 3
    assert (home / "cache").read_text() == "a file where the folder would be"


def test_a_kept_file_changed_inside_is_not_used(home, notice, made):
    """A byte changed in the middle (the same length, its start intact): the printed text must not follow it."""
    first = parts(render(notice))
    for path in kept_files(home):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    made.update(patched=0, compiled=0)
    assert parts(render(notice)) == first
    assert made["patched"] >= 3 and made["compiled"] >= 3


def test_a_kept_file_is_used_only_under_its_own_key(home):
    """The same source compiled with and without escaping; each file put in the other's place is not used."""
    source = "<w:t>{{ text }}</w:t>"
    templatecache.CachedSandbox(autoescape=True).from_string(source)
    templatecache.CachedSandbox(autoescape=False).from_string(source)
    escaping, plain = sorted(templatecache.folder().glob("compiled-*"), key=lambda p: p.stat().st_mtime_ns)
    escaping_data, plain_data = escaping.read_bytes(), plain.read_bytes()
    escaping.write_bytes(plain_data)
    plain.write_bytes(escaping_data)
    assert templatecache.CachedSandbox(autoescape=True).from_string(source).render(text="A & B") == "<w:t>A &amp; B</w:t>"
    assert templatecache.CachedSandbox(autoescape=False).from_string(source).render(text="A & B") == "<w:t>A & B</w:t>"


@pytest.mark.parametrize("options", [{"autoescape": False}, {"trim_blocks": True}, {"lstrip_blocks": True},
                                     {"variable_start_string": "[[", "variable_end_string": "]]"},
                                     {"keep_trailing_newline": True}, {"finalize": str.upper}])
def test_code_compiled_under_other_options_is_kept_apart(home, options):
    source = "<w:t>\n  {% if 1 %}{{ text }}[[ text ]]{% endif %}\n</w:t>\n"
    options = {"autoescape": True, **options}
    expected = SandboxedEnvironment(autoescape=True).from_string(source).render(text="a&b")
    expected_other = SandboxedEnvironment(**options).from_string(source).render(text="a&b")
    assert expected != expected_other
    assert templatecache.CachedSandbox(autoescape=True).from_string(source).render(text="a&b") == expected
    assert templatecache.CachedSandbox(**options).from_string(source).render(text="a&b") == expected_other
    assert len(list(templatecache.folder().glob("compiled-*"))) == 2


def test_a_folder_that_cannot_be_looked_at_leaves_drafting_as_it_was(home, notice, made, monkeypatch):
    first = parts(render(notice))
    files = kept_files(home)

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "拒绝访问", str(self))

    monkeypatch.setattr(type(home), "is_dir", refused)
    made.update(patched=0, compiled=0)
    assert parts(render(notice)) == first
    assert made["patched"] >= 3 and made["compiled"] >= 3
    monkeypatch.undo()
    assert kept_files(home) == files


def test_only_folders_drafter_made_are_removed_when_a_new_one_is_made(home, notice):
    cache = home / "cache"
    old = cache / "template-0123456789abcdef"
    old.mkdir(parents=True)
    (old / "compiled-x").write_bytes(b"old")
    others = [cache / "template-公文范本", cache / "template-0123456789abcdef0", cache / "not-drafters"]
    for other in others:
        other.mkdir()
        (other / "mine.docx").write_bytes(b"the clerk's")
    render(notice)
    assert not old.exists()
    assert all((other / "mine.docx").read_bytes() == b"the clerk's" for other in others)
    assert templatecache.folder().is_dir()


def test_an_edit_of_drafters_code_gives_a_new_folder(tmp_path, monkeypatch):
    package = tmp_path / "drafter"
    (package / "check").mkdir(parents=True)
    (package / "render.py").write_text("x = 1\n")
    (package / "check" / "rules.py").write_text("y = 2\n")
    monkeypatch.setattr(templatecache, "__file__", str(package / "templatecache.py"))
    names = []
    for edit in (None, ("render.py", "x = 2\n"), ("check/rules.py", "y = 22\n")):
        if edit:
            (package / edit[0]).write_text(edit[1])
        templatecache._code.cache_clear()
        names.append(templatecache._code())
    templatecache._code.cache_clear()
    assert len(set(names)) == 3


def test_threads_filling_the_cache_at_once_print_the_same(home, notice):
    from concurrent.futures import ThreadPoolExecutor

    expected = parts(render(notice))
    shutil.rmtree(home / "cache")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: parts(render(notice)), range(16)))
    assert all(result == expected for result in results)
    assert not list(templatecache.folder().glob("*.tmp"))
