"""The Starlette app of `goallint serve`: an upload page, the result page, the rule pages.

Routes: `GET /` the form; `POST /check` the result (files, pasted text, fiscal year, profile);
`POST /api/inspect` the fiscal year and tables found in one file (the form prefills the year);
`GET /rules` and `GET /rules/{id}` the rules, from the same rule files as the CLI; `/static/…`.

Limits: the request body is read chunk by chunk and refused with 413 as soon as it passes
`max_size` bytes (the Content-Length header is checked first); the work runs in a thread and the
page answers 504 when it takes longer than `timeout` seconds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from goallint import __version__
from goallint.formats import FORMATS, read_suffixes, titles
from goallint.web.service import Service, Upload

HERE = Path(__file__).parent
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
MAX_FILES = 20


class TooLarge(Exception):
    pass


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes `limit` bytes (never read whole first)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


async def read_form(request: Request, limit: int):
    body = await read_body(request, limit)
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=50, max_part_size=limit)


def create_app(
    *, max_size: int = DEFAULT_MAX_SIZE, timeout: float = DEFAULT_TIMEOUT, rule_dirs: list[Path] | None = None
) -> Starlette:
    service = Service(rule_dirs)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        version=__version__,
        max_size_text=_size_text(max_size),
        accept=",".join(read_suffixes()),
        accepted=titles([f for f in FORMATS if f.reader]),  # the formats registry: goallint/formats.py
        rule_href=lambda rule_id: f"/rules/{rule_id}",  # the HTML report links inside its own file instead
        rule_target="_blank",
    )
    profiles = service.profiles()

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"profiles": profiles, **context}, status_code=status)

    def form_page(request: Request, error: str | None = None, status: int = 200, **context) -> HTMLResponse:
        return page(request, "index.html", status, error=error, **context)

    async def index(request: Request) -> Response:
        return form_page(request)

    async def uploads_of(request: Request):
        form = await read_form(request, max_size)
        uploads: list[Upload] = []
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and (item.filename or item.size):
                uploads.append(Upload(name=item.filename or "", data=await item.read()))
        pasted = form.get("pasted")
        if isinstance(pasted, str) and pasted.strip():
            uploads.append(Upload(name="", text=pasted))
        return form, uploads

    async def in_thread(work):
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(None, work), timeout)

    async def check(request: Request) -> Response:
        too_large = f"上传的内容超过 {_size_text(max_size)} 的上限，未处理。请分批上传，或只上传需要检查的表格。"
        try:
            form, uploads = await uploads_of(request)
        except TooLarge:
            return form_page(request, too_large, 413)
        except Exception as error:  # noqa: BLE001 — a malformed request body
            if "maximum" in str(error).lower() or "too many" in str(error).lower():
                return form_page(
                    request, too_large if "size" in str(error).lower() else f"一次最多上传 {MAX_FILES} 个文件。", 413
                )
            return form_page(request, f"无法读取上传的内容：{error}", 400)
        profile = str(form.get("profile") or "default")
        if profile not in {name for name, _ in profiles}:
            return form_page(request, f"没有名为“{profile}”的检查方案。", 400)
        year_text = str(form.get("fiscal_year") or "").strip()
        fiscal_year = None
        if year_text:
            if not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
                return form_page(request, f"预算年度“{year_text}”不是有效的年份（如 2025）。", 400, profile=profile)
            fiscal_year = int(year_text)
        if not uploads:
            return form_page(
                request, "请选择至少一个文件，或粘贴一张表格。", 400, profile=profile, fiscal_year=year_text
            )
        try:
            outcome = await in_thread(lambda: service.check(uploads, profile=profile, fiscal_year=fiscal_year))
        except TimeoutError:
            return form_page(
                request,
                f"检查超过 {timeout:g} 秒仍未完成，已停止等待。请减少一次上传的文件数量后重试。",
                504,
                profile=profile,
                fiscal_year=year_text,
            )
        from goallint.web.views import result_context

        return page(request, "result.html", profile=profile, fiscal_year=year_text, **result_context(outcome))

    async def inspect(request: Request) -> Response:
        try:
            _form, uploads = await uploads_of(request)
        except TooLarge:
            return JSONResponse({"error": f"文件超过 {_size_text(max_size)} 的上限"}, status_code=413)
        except Exception as error:  # noqa: BLE001
            return JSONResponse({"error": f"无法读取上传的内容：{error}"}, status_code=400)
        if not uploads:
            return JSONResponse({"error": "没有文件"}, status_code=400)
        try:
            found = await in_thread(lambda: [service.inspect(u) for u in uploads])
        except TimeoutError:
            return JSONResponse({"error": f"读取超过 {timeout:g} 秒"}, status_code=504)
        return JSONResponse({"files": found})

    async def rules(request: Request) -> Response:
        return page(request, "rules.html", rules=service.ruleset.rules)

    async def rule(request: Request) -> Response:
        from types import SimpleNamespace

        from goallint.engine.docs import example_text
        from goallint.reader_problems import by_id as problem_by_id

        loaded = service.ruleset.by_id(request.path_params["rule_id"])
        if loaded is None and (kind := problem_by_id(request.path_params["rule_id"])) is not None:
            # a reader problem (GL0xx, rules/reader/problems.yaml): the same page, its bad and good example
            shown = SimpleNamespace(
                id=kind.id, name=kind.name, severity=kind.severity, enabled=True, fix=None,
                summary=kind.summary, explanation=kind.explanation,
            )  # fmt: skip
            where = SimpleNamespace(file="rules/reader/problems.yaml", origin="builtin")
            examples = {"fail": [kind.bad], "pass": [kind.good]}
            return page(request, "rule.html", r=shown, loaded=where, examples=examples)
        if loaded is None:
            return page(
                request,
                "rules.html",
                404,
                rules=service.ruleset.rules,
                error=f"没有规则“{request.path_params['rule_id']}”。",
            )
        r = loaded.rule
        examples = {
            "fail": [example_text(e).replace("`", "") for e in r.examples.fail],
            "pass": [example_text(e).replace("`", "") for e in r.examples.pass_],
        }
        return page(request, "rule.html", r=r, loaded=loaded, examples=examples)

    routes = [
        Route("/", index),
        Route("/check", check, methods=["POST"]),
        Route("/check", index, methods=["GET"]),
        Route("/api/inspect", inspect, methods=["POST"]),
        Route("/rules", rules),
        Route("/rules/{rule_id}", rule),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.rule_errors = [str(e) for e in service.ruleset.errors]  # shown by `goallint serve` at start
    return app
