"""What docxtpl makes of the 公文 template before filling it, kept on disk between runs.

Before it fills 通知.docx, docxtpl rewrites the XML of each part (the body, each header and footer) into a jinja
template and jinja compiles that into Python code: most of the time that filling takes (37 ms before this cache,
15 after, on the machine it was measured on), and the same on every run of one template. So both are kept in the user's cache folder (under DRAFTER_HOME when that is set),
one file per part and step, named by the hash of its key: the source, and for compiled code every option of the
environment that shapes it. What else shapes them — drafter's code as installed, docxtpl's, jinja's and Python's
versions — names the folder; making a folder removes the other folders drafter made, so the cache does not grow with
upgrades (nor with edits, in a checkout).

A kept file is used only when it is whole and made under this very key: its first line is the hash of the key and of
the rest of the file. Files are written whole, then renamed into place. A file that cannot be read, written or
trusted is made anew and nothing is said; neither is a folder that cannot be made: the cache only ever saves time."""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from . import __version__

FOLDER = re.compile(r"template-[0-9a-f]{16}")  # the folders this module makes, and the only ones it removes
LEFT_OVER = 3600  # seconds after which a half-written file (a process stopped while writing) is removed
# the options of a jinja environment that change what its templates compile to (besides the callables, see _key)
OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
           "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
           "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async")
T = TypeVar("T")


def folder() -> Path:
    """This code's cache folder (see _code)."""
    from .places import cache_dir

    return cache_dir() / f"template-{_code()}"


@functools.cache
def _code() -> str:
    """The hash of drafter's version and files (their sizes and times: any edit or reinstall gives a new one) and of
    docxtpl's, jinja's and Python's versions."""
    package = Path(__file__).parent
    files = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py"))
    shaped_by = f"{__version__}|{files}|{docxtpl.__version__}|{jinja2.__version__}|{sys.version}"
    return hashlib.sha256(shaped_by.encode()).hexdigest()[:16]


def made_folder() -> Path | None:
    """This code's folder, made (and the other folders drafter made removed) when it is not there yet; None when
    it cannot be seen or made (no permission, a file in its place …): everything is then made anew each time."""
    try:
        here = folder()
        if here.is_dir():
            return here
        here.mkdir(parents=True, exist_ok=True)
        for other in here.parent.iterdir():
            if other != here and FOLDER.fullmatch(other.name) and other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None
    return here


def kept(kind: str, key: str, make: Callable[[], T], dump: Callable[[T], bytes], load: Callable[[bytes], T]) -> T:
    """What ``make()`` returns for ``key``: read from the cache folder when a whole file made under this key is
    there, else made and written there (``dump`` and ``load`` turn it into bytes and back)."""
    here = made_folder()
    if here is None:
        return make()
    name = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()
    path = here / f"{kind}-{name}"
    try:
        seal, _, data = path.read_bytes().partition(b"\n")
        if seal == _seal(name, data):
            return load(data)
    except Exception:  # noqa: BLE001 -- unreadable, or (sealed yet) not loadable: made anew
        pass
    made = make()
    data = dump(made)
    _write_whole(path, _seal(name, data) + b"\n" + data)
    return made


def _seal(name: str, data: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\0" + data).hexdigest().encode()


def _write_whole(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file renamed into place (half-written ones older than LEFT_OVER
    removed first); a failure leaves nothing behind and is not reported."""
    for old in path.parent.glob("*.tmp"):
        try:
            if time.time() - old.stat().st_mtime > LEFT_OVER:
                old.unlink()
        except OSError:
            pass
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass


class CachedTemplate(DocxTemplate):
    """A DocxTemplate whose rewritten parts are kept (``patch_xml`` is a function of the part's XML alone)."""

    def patch_xml(self, src_xml: str) -> str:
        return kept("patched", src_xml, lambda: super(CachedTemplate, self).patch_xml(src_xml),
                    lambda text: text.encode("utf-8"), lambda data: data.decode("utf-8"))


class CachedSandbox(SandboxedEnvironment):
    """A SandboxedEnvironment whose compiled template code is kept."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or defer_init or name is not None or filename is not None or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # not what docxtpl compiles
        return kept("compiled", f"{_key(self)}\0{source}", lambda: super(CachedSandbox, self).compile(source),
                    marshal.dumps, marshal.loads)


def _key(env: jinja2.Environment) -> str:
    """Everything of ``env`` that shapes compiled code: its class, options, extensions, and the callables jinja
    names in the code or runs while compiling (finalize and filters on constants) — by name: their code is drafter's
    or jinja's, which name the folder."""
    options = [f"{option}={getattr(env, option)!r}" for option in OPTIONS]
    named = {"class": type(env), "autoescape": env.autoescape, "finalize": env.finalize, "undefined": env.undefined,
             **{f"filter {k}": v for k, v in env.filters.items()}, **{f"test {k}": v for k, v in env.tests.items()},
             **{f"extension {k}": type(v) for k, v in env.extensions.items()}}
    return "|".join(options + sorted(f"{k}={_name(v)}" for k, v in named.items()))


def _name(thing: object) -> str:
    if callable(thing):
        return f"{getattr(thing, '__module__', '')}.{getattr(thing, '__qualname__', type(thing).__qualname__)}"
    return repr(thing)
