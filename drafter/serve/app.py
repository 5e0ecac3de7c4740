"""The web application of `drafter serve`: two pages (起草, 检查) and the HTTP API they use.

Every route works through drafting.py, that is through the same answers model, validators and plugins as
`drafter new`. Errors are the one DrafterError hierarchy, answered as JSON {"message", "problems"}."""

from __future__ import annotations

import copy
import secrets
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import AnswersError, DrafterError, Unreadable
from ..limits import LimitExceeded
from . import drafting
from .guard import Guard

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANSWERS_BODY = {  # the request body of the routes that take answers, for the OpenAPI description
    "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "description": "答案，键与答案文件相同（日期写作 2025-05-28）"}},
        "application/yaml": {"schema": {"type": "string", "description": "答案文件（YAML）的内容"}}}}}
PROBLEMS = {"description": "答案有误：message 为完整的中文说明，problems 每项一个问题及其所在的键（key）",
            "content": {"application/json": {"example": {
                "message": "答案有误：\n  date（成文日期）：“2025-13-40”不是存在的日期",
                "problems": [{"key": "date", "message": "date（成文日期）：“2025-13-40”不是存在的日期"}]}}}}
KEPT_PDFS = 8  # previews kept for the page to show (the newest)


def _folder(name: str) -> str:
    return str(resources.files("drafter") / "serve" / name)


def status_of(exc: DrafterError) -> int:
    from ..parents import AlreadyHeld
    from ..pdf import ConversionError

    if isinstance(exc, LimitExceeded):
        return 413
    if isinstance(exc, ConversionError):
        return 503
    if isinstance(exc, AlreadyHeld):
        return 409
    if isinstance(exc, drafting.Busy):
        return 503
    return 422


def error_response(exc: DrafterError) -> JSONResponse:
    from ..files import strip_controls

    return JSONResponse({"message": strip_controls(exc.page or str(exc)), "problems": drafting.problems_of(exc)},
                        status_code=status_of(exc))


def create_app(plugins=None, registry=None, hosts: tuple[str, ...] = (), remember: bool = True) -> FastAPI:
    """The application; ``hosts`` are the Host names besides the loopback ones and IP addresses that may reach it
    (see guard.py); ``remember``: the issuer of a notice downloaded from the page is kept in the profile."""
    from ..parents import registry as open_registry
    from ..plugins import load

    plugins = plugins if plugins is not None else load()
    def registry_now():
        """The registry as it is on disk now (a colleague or the CLI may have added or corrected a notice)."""
        return registry if registry is not None else open_registry()
    pdfs: OrderedDict[str, bytes] = OrderedDict()
    keeping = threading.Lock()
    app = FastAPI(title="drafter（公文起草）", version=__version__, docs_url=None, redoc_url=None,
                  description="起草“安全生产月”活动通知、检查公文 .docx 的本机接口。答案的键与答案文件（YAML）相同。")
    app.add_middleware(Guard, hosts=hosts)
    app.mount("/static", StaticFiles(directory=_folder("static")), name="static")
    pages = Jinja2Templates(directory=_folder("templates"))

    @app.exception_handler(DrafterError)
    async def drafter_error(request: Request, exc: DrafterError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        said = {404: "没有这个网址", 405: "这个网址不接受这种请求"}.get(exc.status_code, f"请求未能处理（{exc.status_code}）")
        return JSONResponse({"message": said, "problems": []}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        from ..validation import message

        lines = [f"{'.'.join(map(str, e['loc'][1:])) or e['loc'][0]}：{message({**e, 'loc': ()}, []).lstrip('：')}"
                 for e in exc.errors()]  # the request's own parameters, named as the API names them
        return JSONResponse({"message": "请求有误：" + "；".join(lines), "problems": []}, status_code=422)

    async def answers_of(request: Request) -> dict:
        return drafting.parse_answers(await request.body(), request.headers.get("content-type", ""))

    def keep(pdf: bytes) -> str:
        """A PDF kept for the page's preview frame, under a name nobody can guess; the oldest go."""
        token = secrets.token_urlsafe(12)
        with keeping:
            pdfs[token] = pdf
            while len(pdfs) > KEPT_PDFS:
                pdfs.popitem(last=False)
        return f"/preview/{token}.pdf"

    # The pages.

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def draft_page(request: Request):
        reg = registry_now()
        from ..profile import load as profile

        notes = [f"上级来文库：{w}" for w in reg.warnings()] + [f"插件：{w}" for w in plugins.warnings]
        try:
            state = drafting.start(plugins, reg, profile=profile())
        except DrafterError as exc:  # e.g. the office remembered is of a sector no installed plugin offers
            notes.append(f"记住的发文机关资料未能采用：{exc}")
            state = drafting.start(plugins, reg)
        return pages.TemplateResponse(request, "draft.html", {
            "state": state, "catalogue": drafting.catalogue(plugins, state, reg), "notes": notes, "version": __version__})

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_page(request: Request):
        return pages.TemplateResponse(request, "check.html", {"version": __version__})

    @app.get("/preview/{token}.pdf", include_in_schema=False)
    def preview(token: str):
        pdf = pdfs.get(token)
        if pdf is None:
            return JSONResponse({"message": "预览已过期，请重新预览", "problems": []}, status_code=404)
        return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": "inline"})

    @app.get("/parts/parents", response_class=HTMLResponse, include_in_schema=False)
    def parents_part(request: Request, q: str = ""):
        reg = registry_now()
        return pages.TemplateResponse(request, "parents.html", {"found": drafting.search(reg, q)[:30], "q": q})

    @app.post("/parts/check", response_class=HTMLResponse, include_in_schema=False)
    def check_part(request: Request, file: UploadFile = File(...), render: bool = Form(False)):
        try:
            result = checked(file, render)
        except DrafterError as exc:
            return pages.TemplateResponse(request, "findings.html", {"error": exc.page or str(exc), "name": file.filename})
        return pages.TemplateResponse(request, "findings.html", {"name": file.filename, **result})

    # The API.

    @app.post("/api/start", tags=["起草"], summary="起草的起点：某行业、某上级来文或载入的答案得出的全部答案和可选项")
    def api_start(body: dict[str, Any]) -> dict:
        """``sector``：行业；``parents``：所引上级来文的文号列表（[] 为不引用）；``base``：已有的答案（改用上级来文的
        年份时按 `drafter new --from` 的规则换年）；``year``：年份。返回 ``answers``（完整答案）和 ``catalogue``。"""
        reg = registry_now()
        from ..profile import load as profile

        base = body.get("base") if isinstance(body.get("base"), dict) else None
        parents = body.get("parents") if isinstance(body.get("parents"), list) else None
        year = body.get("year") if isinstance(body.get("year"), int) and not isinstance(body.get("year"), bool) else None
        state = drafting.start(plugins, reg, sector=body.get("sector") or None, parents=parents, base=base, year=year,
                               profile=profile() if base is None else None)
        return {"answers": state, "catalogue": drafting.catalogue(plugins, state, reg)}

    # The routes taking answers read the body here, then draft in a worker thread: the server keeps answering (a
    # PDF may take LibreOffice seconds), and plugin code never runs in the thread that handles signals.

    @app.post("/api/validate", tags=["起草"], summary="检查答案：返回问题（按键）和提醒，不生成文件",
              openapi_extra=ANSWERS_BODY)
    async def api_validate(request: Request) -> dict:
        return await run_in_threadpool(validated, await answers_of(request))

    def validated(raw: dict) -> dict:
        asked = drafting.questions(raw, plugins)
        try:
            d = drafting.draft(raw, plugins, reg=registry_now())
        except AnswersError as exc:
            return {"ok": False, "message": str(exc), "problems": drafting.problems_of(exc), "warnings": [],
                    "questions": asked}
        n = d.notice
        return {"ok": True, "message": "", "problems": [], "title": n.title, "questions": asked,
                "warnings": [{"key": drafting.key_of(w), "message": w} for w in d.warnings],
                "doc_number": str(n.doc_number) if n.doc_number else None}

    @app.post("/api/draft", tags=["起草"], summary="起草：答案（JSON 或 YAML）→ 通知 .docx",
              responses={200: {"content": {DOCX: {}}, "description": "通知（Word 文件）"}, 422: PROBLEMS},
              response_class=Response, openapi_extra=ANSWERS_BODY)
    async def api_draft(request: Request, remember_issuer: bool = Query(False, alias="remember")) -> Response:
        return await run_in_threadpool(docx_response, await answers_of(request), remember and remember_issuer)

    def docx_response(raw: dict, remembered: bool) -> Response:
        d = drafting.draft(raw, plugins, reg=registry_now())
        docx = drafting.docx_of(d)
        if remembered:
            from ..profile import save

            with drafting.held():  # one writer of the profile at a time (output.locked is per process, not thread)
                save(d.answers)
        return download(docx, DOCX, file_name(d, ".docx"))

    @app.post("/api/pdf", tags=["起草"], summary="起草并经 LibreOffice 转为 PDF（无 LibreOffice 时 503 并说明）",
              responses={200: {"content": {"application/pdf": {}}}, 422: PROBLEMS}, response_class=Response,
              openapi_extra=ANSWERS_BODY)
    async def api_pdf(request: Request, preview: bool = False) -> Response:
        return await run_in_threadpool(pdf_response, await answers_of(request), preview)

    def pdf_response(raw: dict, preview: bool) -> Response:
        d = drafting.draft(raw, plugins, reg=registry_now())
        pdf = drafting.pdf_of(drafting.docx_of(d))
        if preview:
            return JSONResponse({"url": keep(pdf)})
        return download(pdf, "application/pdf", file_name(d, ".pdf"))

    @app.post("/api/answers", tags=["起草"], summary="答案文件：答案（JSON 或 YAML）→ 校验后的答案 .yaml",
              responses={200: {"content": {"application/yaml": {}}}, 422: PROBLEMS}, response_class=Response,
              openapi_extra=ANSWERS_BODY)
    async def api_answers(request: Request) -> Response:
        return await run_in_threadpool(yaml_response, await answers_of(request))

    def yaml_response(raw: dict) -> Response:
        from ..answers import dump

        d = drafting.draft(raw, plugins, reg=registry_now())
        return download(dump(d.answers).encode("utf-8"), "application/yaml", file_name(d, ".yaml"))

    @app.get("/api/outline", tags=["起草"], summary="照上级来文的一级标题排列的正文结构")
    def api_outline(doc_number: str) -> dict:
        reg = registry_now()
        return drafting.following(reg, doc_number)

    @app.post("/api/load", tags=["起草"], summary="载入答案文件（.yaml），如去年的；carry=true 时按新的一年沿用")
    def api_load(file: UploadFile = File(...), carry: bool = Form(False)) -> dict:
        reg = registry_now()
        from ..files import decode_text
        from ..shipped import latest_year
        from ..yamlio import load_text

        named = f"答案文件 {file.filename}"
        raw = load_text(decode_text(read_upload(file, (".yaml", ".yml", ".txt")), named), named)
        year = None
        if carry:
            last = raw.get("year")
            year = last + 1 if isinstance(last, int) and not isinstance(last, bool) else latest_year()
        state = drafting.start(plugins, reg, base=raw, year=year)
        return {"answers": state, "catalogue": drafting.catalogue(plugins, state, reg)}

    @app.get("/api/parents", tags=["上级来文"], summary="上级来文库：按文号或任何文字查找")
    def api_parents(q: str = "") -> list[dict]:
        reg = registry_now()
        return drafting.search(reg, q)

    @app.post("/api/parents/read", tags=["上级来文"], summary="读取收到的来文（.docx/.pdf/.txt），返回读到的内容，不存入")
    def api_parents_read(file: UploadFile = File(...)) -> dict:
        from ..parents.importer import extract

        with tempfile.TemporaryDirectory(prefix="drafter-upload-") as tmp:
            path = saved(file, (".docx", ".pdf", ".txt"), Path(tmp))
            with told_as(path, file.filename):
                found = extract(path)
        return found.as_json()

    @app.post("/api/parents", tags=["上级来文"], summary="把确认过的来文存入上级来文库")
    def api_parents_add(body: dict[str, Any], force: bool = False) -> dict:
        reg = registry_now()
        from ..parents.importer import Extracted, to_parent

        fields = {k: v for k, v in body.items() if k in Extracted.__dataclass_fields__}
        try:
            found = Extracted(**fields)
        except TypeError as exc:
            raise AnswersError(f"上级来文有误：{exc}") from None
        notice = to_parent(found)
        with drafting.held():
            path = reg.add(notice, force=force)
        return {"doc_number": notice.doc_number, "path": str(path)}

    @app.post("/api/check", tags=["检查"], summary="检查一份公文 .docx：返回发现的问题（同 drafter check --json）")
    def api_check(file: UploadFile = File(...), render: bool = Form(False)) -> dict:
        result = checked(file, render)
        result.pop("pdf", None)
        return result

    def checked(file: UploadFile, render: bool) -> dict:
        from ..check import check

        with tempfile.TemporaryDirectory(prefix="drafter-upload-") as tmp:
            path = saved(file, (".docx",), Path(tmp))
            with told_as(path, file.filename):
                findings = check(path)
                unmeasured, pdf = None, None
                if render:
                    from ..check import measured
                    from ..pdf import ConversionError, to_pdf

                    try:
                        printed = to_pdf(path, Path(tmp))  # once: measured, and kept for the preview
                        findings += measured(path, printed)
                        pdf = keep(printed.read_bytes())
                    except ConversionError as exc:
                        unmeasured = f"未能测量版面：{exc}".replace(str(path), f"“{file.filename}”")
        errors = sum(f.severity == "error" for f in findings)
        return {"file": file.filename, "errors": errors, "warnings": len(findings) - errors,
                "findings": [f.as_dict() for f in sorted(findings, key=lambda f: f.severity != "error")],
                "render_error": unmeasured, "pdf": pdf}

    return app


def read_upload(file: UploadFile, suffixes: tuple[str, ...]) -> bytes:
    """An uploaded file's bytes (the request's size is bounded by the guard), if its name ends as it should."""
    name = file.filename or ""
    if not name.lower().endswith(suffixes):
        raise Unreadable(f"“{name}”不是可以读取的文件：应为 {'、'.join(suffixes)} 文件")
    return file.file.read()


def saved(file: UploadFile, suffixes: tuple[str, ...], folder: Path) -> Path:
    """An upload written into ``folder`` (a temporary one) under a name of ours: the name sent is never a path."""
    data = read_upload(file, suffixes)
    path = folder / f"上传{Path(file.filename or '').suffix.lower()}"
    path.write_bytes(data)
    return path


@contextmanager
def told_as(path: Path, name: str | None):
    """Errors about the temporary copy ``path`` told with the name the file was sent under (the copy is gone)."""
    try:
        yield
    except DrafterError as exc:
        from ..files import strip_controls

        text = str(exc).replace(str(path), f"“{strip_controls(name or path.name)}”")
        if text == str(exc):
            raise
        again = copy.copy(exc)
        again.args = (text,)
        raise again from None


def file_name(d: drafting.Drafted, suffix: str) -> str:
    """通知.docx, or the 文号's: 青江街办〔2025〕9号.docx (the browser makes it a file name of its system)."""
    return f"{d.notice.doc_number or '通知'}{suffix}"


def download(data: bytes, media_type: str, name: str) -> Response:
    from urllib.parse import quote

    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
