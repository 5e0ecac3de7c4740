"""What docxtpl makes of the template, kept between runs (drafter/templatecache.py): a kept file saves time and never
changes what is printed; a file that is missing, cut short, corrupt or unwritable is made anew."""

import io
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


def test_another_versions_folder_is_removed_when_this_versions_is_made(home, notice):
    old = home / "cache" / f"{templatecache.FOLDER_PREFIX}0123456789abcdef"
    old.mkdir(parents=True)
    (old / "compiled-x.cache").write_bytes(b"old")
    mine = home / "cache" / "not-drafters"
    mine.mkdir()
    render(notice)
    assert not old.exists() and mine.is_dir()
    assert templatecache.folder().is_dir()


def test_code_compiled_under_other_options_is_kept_apart(home):
    source = "<w:t>{{ text }}</w:t>"
    escaping, plain = templatecache.CachedSandbox(autoescape=True), templatecache.CachedSandbox(autoescape=False)
    assert escaping.from_string(source).render(text="A & B") == "<w:t>A &amp; B</w:t>"
    assert plain.from_string(source).render(text="A & B") == "<w:t>A & B</w:t>"
    assert templatecache.CachedSandbox(autoescape=True).from_string(source).render(text="<") == "<w:t>&lt;</w:t>"
    assert len(list(templatecache.folder().glob("compiled-*"))) == 2
