"""What docxtpl makes of the 公文 template before filling it, kept on disk between runs.

Before it fills 通知.docx, docxtpl rewrites the XML of each part (the body, each header and footer) into a jinja
template and jinja compiles that into Python code: about 40 ms of the 45 that filling takes on a desktop, and the
same on every run of one template. So both are kept in the user's cache folder (under DRAFTER_HOME when that is set),
one file per part and step, named by the hash of its source and of what else shapes the result (the environment's
options). Each version of drafter, docxtpl, jinja and Python has a folder of its own; making one removes the others,
so the cache does not grow with upgrades.

A kept file is used only when it is whole and made from this very source: the rewritten XML carries the hash of itself and its source, the
compiled code its source's (jinja's FileSystemBytecodeCache). Files are written whole and then renamed into place. A
file that cannot be read, written or trusted is made anew and nothing is said: the cache only ever saves time."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment

from . import __version__

FOLDER_PREFIX = "template-"


VERSIONS = f"{__version__}|{docxtpl.__version__}|{jinja2.__version__}|{sys.version}"


def folder() -> Path:
    """This version's cache folder: drafter's, docxtpl's, jinja's and Python's versions in its name."""
    from .places import cache_dir

    return cache_dir() / f"{FOLDER_PREFIX}{hashlib.sha256(VERSIONS.encode()).hexdigest()[:16]}"


def made_folder() -> Path | None:
    """This version's folder, made (and other versions' folders removed) when it is not there yet; None when it
    cannot be made (a read-only home, a file in its place): everything is then made anew each time."""
    here = folder()
    if here.is_dir():
        return here
    try:
        here.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for other in here.parent.glob(FOLDER_PREFIX + "*"):
        if other != here and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    return here


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _sealed(source: str, made: bytes) -> bytes:
    """The first line of a kept file: the hash of what was made and of the source it was made from."""
    return hashlib.sha256(source.encode() + b"\0" + made).hexdigest().encode()


class CachedTemplate(DocxTemplate):
    """A DocxTemplate whose rewritten parts are kept (``patch_xml`` is a function of the part's XML alone)."""

    def patch_xml(self, src_xml: str) -> str:
        here = made_folder()
        if here is None:
            return super().patch_xml(src_xml)
        source = _digest("patch_xml", src_xml)
        path = here / f"patched-{source}.xml"
        try:
            kept = path.read_bytes()
        except OSError:
            kept = b""
        digest, _, text = kept.partition(b"\n")
        if digest == _sealed(source, text):
            return text.decode("utf-8")
        patched = super().patch_xml(src_xml)
        data = patched.encode("utf-8")
        _write_whole(path, _sealed(source, data) + b"\n" + data)
        return patched


class CachedSandbox(SandboxedEnvironment):
    """A SandboxedEnvironment whose compiled code is looked up in, and added to, the cache folder."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        here = made_folder()
        if raw or defer_init or name is not None or not isinstance(source, str) or here is None:
            return super().compile(source, name, filename, raw, defer_init)
        cache = FileSystemBytecodeCache(str(here), "compiled-%s.cache")
        shaped_by = (type(self).__qualname__, repr(self.autoescape), _name(self.finalize), _name(self.undefined),
                     repr(sorted(self.filters)), repr(sorted(self.tests)))
        try:
            bucket = cache.get_bucket(self, _digest(*shaped_by, source), None, source)
        except Exception:  # noqa: BLE001 -- a file cut short or corrupt: compiled anew
            return super().compile(source)
        if bucket.code is None:
            bucket.code = super().compile(source)
            try:
                cache.set_bucket(bucket)
            except OSError:  # a full disk, the folder removed meanwhile: made anew next time
                pass
        return bucket.code


def _name(thing: object) -> str:
    return "" if thing is None else getattr(thing, "__qualname__", repr(thing))


def _write_whole(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file renamed into place; a failure leaves nothing behind."""
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

