"""create_app(): routers, one error handler, state (engine, sessions, WeChat), lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import demo
from backend.airing.router import router as airing_router
from backend.appraisal.router import router as appraisal_router
from backend.assessment.router import router as assessment_router
from backend.auth.router import router as auth_router
from backend.deliberation.router import router as deliberation_router
from backend.evaluations.router import router as evaluations_router
from backend.exports.router import router as exports_router
from backend.files.router import router as files_router
from backend.files.router import serving as files_serving
from backend.files.signing import Signer, SigningMiddleware
from backend.flows.router import router as flows_router
from backend.households.router import router as households_router
from backend.households.verify_router import router as verification_router
from backend.issues.router import router as issues_router
from backend.kernel import lean
from backend.kernel.db import (
    RETRY_MARKER,
    RETRYABLE_SQLSTATES,
    RetryOnConflictMiddleware,
    engine_from_settings,
    make_session_factory,
    read_engine_from_settings,
    retryable_sqlstate,
)
from backend.kernel.errors import DomainError, ErrorOut
from backend.kernel.labels import detail_and_fields
from backend.kernel.lean import LeanRoutes
from backend.kernel.ratelimit import RateLimiter
from backend.kernel.settings import Settings, get_settings
from backend.lists.router import router as lists_router
from backend.notify import router as notify_routes
from backend.notify import templates
from backend.notify.router import router as notify_router
from backend.notify.worker import start_in_process
from backend.ops.middleware import Metrics, RequestContextMiddleware, configure_logging
from backend.ops.router import router as ops_router
from backend.partners.router import router as partners_router
from backend.people.router import me_router
from backend.people.router import router as people_router
from backend.places.router import router as places_router
from backend.projects.router import router as projects_router
from backend.proposals.router import outcome_router as meeting_outcome_router
from backend.proposals.router import router as proposals_router
from backend.stats.router import router as stats_router
from backend.visits import router as visits_routes
from backend.visits.router import router as visits_router
from backend.volunteering.router import router as volunteering_router
from backend.volunteering.timebank_router import router as timebank_router
from backend.wechat.client import WeChatGateway
from backend.wechat.fake import create_fake_wechat_app
from backend.wishes import router as wishes_routes
from backend.wishes.router import router as wishes_router
from backend.worker import run_forever

log = logging.getLogger("backend")

ROUTERS = (
    ops_router,
    auth_router,
    me_router,
    places_router,
    people_router,
    wishes_router,
    flows_router,
    files_router,
    notify_router,
    households_router,
    verification_router,
    visits_router,
    issues_router,
    stats_router,
    airing_router,
    exports_router,
    proposals_router,
    deliberation_router,
    meeting_outcome_router,
    partners_router,
    lists_router,
    volunteering_router,
    timebank_router,
    projects_router,
    evaluations_router,
    assessment_router,
    appraisal_router,
)

# GET routes served by backend/kernel/lean.py (the same endpoints; FastAPI answers whatever they
# cannot): the wish wall, my wishes, a wish's detail and the inbox, the reads every resident and
# member repeats, and visit coverage, the heaviest read of the grid workers' day.
LEAN_ROUTES = (
    wishes_routes.wall,
    wishes_routes.list_wishes,
    wishes_routes.get_wish,
    notify_routes.inbox,
    visits_routes.coverage,
)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _error(status: int, code: str, detail: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail, **extra}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return _error(exc.status_code, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail, fields = detail_and_fields(exc.errors())  # Chinese, naming each field by its label
        return _error(422, "invalid_input", detail, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else "请求无法处理"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "没有这个接口或资源"
        if exc.status_code == 405:
            detail = "该接口不支持这种请求方法"
        return _error(exc.status_code, code, detail, getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        state = retryable_sqlstate(exc)
        if state is None:
            log.exception("database error", exc_info=exc)
            return _error(500, "internal_error", "服务器内部错误，请稍后再试")
        log.warning("transaction lost a %s; the request is retried once", RETRYABLE_SQLSTATES[state])
        detail = "有人同时在操作这条记录，请刷新后重试"
        return _error(409, "concurrent_update", detail, {RETRY_MARKER.decode(): "1"})

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error(500, "internal_error", "服务器内部错误，请稍后再试")


def install_openapi(app: FastAPI) -> None:
    """Document the real error shape: every operation may answer 4XX/5XX with ErrorOut, and 422 is
    ErrorOut too (not FastAPI's default list of validation errors)."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for ops in spec.get("paths", {}).values():
            for op in ops.values():
                responses = op.setdefault("responses", {})
                if "422" in responses:
                    responses["422"] = {"description": "请求内容有误", "content": error}
                responses.setdefault("4XX", {"description": "错误（见 error 与 detail）", "content": error})
                responses.setdefault("5XX", {"description": "服务器内部错误", "content": error})
        app.openapi_schema = spec
        return spec

    app.openapi = openapi


DOCS_ASSETS = "/docs-assets"


def install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc served with their scripts, styles and icon from this service
    (the pinned fastapi-offline package ships them): no CDN, no Google Fonts, so the pages load on
    intranets that reach nothing outside."""
    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=static), name="docs-assets")
    title = f"{app.title} — 接口文档"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_ui_parameters={"validatorUrl": None},  # no badge from validator.swagger.io
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


def make_lifespan(settings: Settings):
    """Startup: demo data into an empty database (dev), the sweeper and the outbox worker
    in-process (dev); shutdown: stop them and release the engine, WeChat and Redis clients."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.demo_enabled:
            async with app.state.session_factory() as session:
                loaded = await demo.load_if_empty(session)
                await session.commit()
            if loaded:
                log.warning("demo data loaded into an empty database")
        worker = notifier = None
        if settings.worker_enabled:
            worker = asyncio.create_task(run_forever(app.state.session_factory, settings))
            notifier = start_in_process(app)  # delivers the WeChat outbox (backend/notify/worker.py)
        try:
            yield
        finally:
            if notifier is not None:
                await notifier.stop()
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            app.state.wechat.close()
            await app.state.rate_limiter.close()
            await app.state.engine.dispose()
            if app.state.read_engine is not None:
                await app.state.read_engine.dispose()

    return lifespan


def install_state(app: FastAPI, settings: Settings) -> None:
    """What routes and workers reach through app.state: settings, engine, sessions, WeChat, metrics."""
    app.state.settings = settings
    app.state.engine = engine_from_settings(settings)
    app.state.session_factory = make_session_factory(app.state.engine)
    app.state.read_engine = read_engine_from_settings(settings)  # DATABASE_READ_URL, else None
    app.state.read_session_factory = make_session_factory(app.state.read_engine) if app.state.read_engine else None
    app.state.wechat = WeChatGateway(
        settings.wechat_appid,
        settings.wechat_secret,
        settings.effective_wechat_api_base,
        redis_url=settings.redis_url,
    )
    app.state.metrics = Metrics()
    app.state.upload_signer = Signer.from_secret(settings.jwt_secret, settings.upload_url_ttl_seconds)
    app.state.rate_limiter = RateLimiter(settings.redis_url)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.app_env == "prod":  # under `uvicorn --workers` too: JSON lines with request ids
        configure_logging(settings.effective_log_format)
    app = FastAPI(
        title="幸福家园 Happy Home API",
        version="0.1.0",
        description="Party-building-led community governance: residents request (群众点单), the compound "
        "dispatches (小区派单), Party members accept (党员接单). Errors are "
        '`{"error": "<code>", "detail": "<message>"}`.',
        lifespan=make_lifespan(settings),
        docs_url=None,  # served by install_docs, from this service's own assets
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,  # off in prod unless API_DOCS
    )
    install_state(app, settings)
    install_error_handlers(app)
    install_openapi(app)
    if settings.docs_enabled:
        install_docs(app)
    for router in ROUTERS:
        app.include_router(router)
    # innermost: the hottest reads, served without FastAPI's per-request machinery (backend/kernel/lean.py)
    app.add_middleware(LeanRoutes, fastapi_app=app, plans=lean.build(app, LEAN_ROUTES))
    app.add_middleware(RetryOnConflictMiddleware)  # a lost deadlock replays the request once
    app.add_middleware(
        RequestContextMiddleware,
        metrics=app.state.metrics,
        max_body=settings.max_body_bytes,
        max_upload=settings.upload_max_bytes + 64 * 1024,
    )
    app.add_middleware(SigningMiddleware, signer=app.state.upload_signer)  # responses sign their upload URLs
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    app.include_router(files_serving)  # /uploads/<name>?exp=&sig=: signed URLs only
    if settings.fake_wechat_enabled and not settings.wechat_api_base:
        # on the main port the fake's control routes need a token (FAKE_WECHAT_TOKEN, else a random one)
        app.state.fake_wechat_token = settings.fake_wechat_token or secrets.token_urlsafe(24)
        fake = create_fake_wechat_app(
            apps={settings.wechat_appid: settings.wechat_secret},
            templates=templates.wechat_declarations(settings.notify_template_ids),
            control_token=app.state.fake_wechat_token,
        )
        app.mount("/fake-wechat", fake, name="fake-wechat")
        app.state.fake_wechat = fake  # the subscriptions route relays the user's taps to it (dev)
    return app
