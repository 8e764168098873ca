"""Login with WeChat (the caller's own profile is people's: GET/PATCH /api/v1/me)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.auth import schemas
from backend.auth import service as auth_service
from backend.auth.deps import CurrentUser, Principal
from backend.auth.tokens import create_access_token
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import TooManyRequests, Unauthorized, UpstreamUnavailable
from backend.kernel.ratelimit import per_client
from backend.org import service as org_service
from backend.wechat.client import WeChatError

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post(
    "/auth/wechat",
    response_model=schemas.TokenOut,
    summary="Log in with a wx.login code (anyone; rate-limited per client address)",
    dependencies=[per_client("login", "rate_login_per_minute", 60)],
)
async def wechat_login(
    body: schemas.WeChatLoginIn, request: Request, session: SessionDep, settings: SettingsDep
) -> schemas.TokenOut:
    try:
        result = await request.app.state.wechat.code_to_session(body.code)
    except WeChatError as exc:
        if exc.errcode == 40029 or exc.errcode == 40163:
            raise Unauthorized("微信登录凭证无效或已使用，请重新进入小程序", code="invalid_code") from exc
        if exc.errcode == 45011:
            raise TooManyRequests(
                "登录过于频繁，请稍后再试", code="login_rate_limited", headers={"Retry-After": "60"}
            ) from exc
        raise UpstreamUnavailable("微信服务暂时不可用，请稍后再试", code="wechat_unavailable") from exc
    openid, unionid = result.get("openid"), result.get("unionid")
    if not isinstance(openid, str) or not 0 < len(openid) <= 128 or (unionid is not None and len(str(unionid)) > 128):
        raise UpstreamUnavailable("微信返回的登录信息无效，请稍后再试", code="wechat_bad_response")
    user, created = await auth_service.login_openid(session, openid, unionid)
    token, ttl = create_access_token(settings, user.id, user.token_version)
    principal = Principal.of(user, await org_service.grants_of(session, user.id))
    return schemas.TokenOut(
        access_token=token,
        expires_in=ttl,
        new_user=created,
        user=schemas.UserBrief(id=user.id, name=user.name, roles=principal.roles),
    )


@router.post(
    "/auth/logout",
    status_code=204,
    summary="Log out: every token issued to the caller so far stops working (any logged-in user)",
)
async def logout(session: SessionDep, principal: CurrentUser) -> Response:
    await auth_service.revoke_tokens(session, principal.user)
    return Response(status_code=204)
