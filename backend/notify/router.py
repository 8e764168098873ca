"""Notification routes: subscription credits, the inbox, and the admin view of the outbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import Admin, CurrentCaller, CurrentUser, Principal
from backend.directory.models import User
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.responses import ModelJSON
from backend.kernel.validation import IdPath
from backend.notify import schemas, service, templates
from backend.notify.models import Notification, OutboxMessage
from backend.notify.state import STATUSES as OUTBOX_STATUSES
from backend.wechat.fake import relay_subscriptions

router = APIRouter(prefix="/api/v1", tags=["notifications"])
ADMIN_ROLES = ("community_admin", "street_admin")


def _credits_out(settings, credits: dict, names: list[str]) -> list[schemas.CreditOut]:
    out = []
    for name in names:
        tid = templates.template_id(settings, name)
        if tid is None:
            continue
        credit = credits.get(name)
        out.append(
            schemas.CreditOut(
                template_id=tid,
                template=name,
                title=templates.TEMPLATES[name].title,
                count=credit.count if credit else 0,
                banned=credit.banned if credit else False,
            )
        )
    return out


@router.get(
    "/notifications/templates",
    response_model=schemas.TemplateIdsOut,
    summary="Template ids to pass to wx.requestSubscribeMessage before an action (any logged-in user)",
)
async def template_ids(
    settings: SettingsDep,
    _: CurrentUser,
    action: Annotated[str, Query(description="create_wish | accept_order | dispatch | register_member | …")],
) -> schemas.TemplateIdsOut:
    if action not in templates.ACTIONS:
        raise InvalidInput(f"未知的操作；可用：{', '.join(templates.ACTIONS)}", code="invalid_action")
    return schemas.TemplateIdsOut(template_ids=templates.action_template_ids(settings, action))


@router.post(
    "/notifications/subscriptions",
    response_model=schemas.CreditsOut,
    summary="Report what wx.requestSubscribeMessage answered; returns the caller's credits (any logged-in user)",
)
async def report_subscriptions(
    body: schemas.SubscriptionsIn,
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    principal: CurrentUser,
) -> schemas.CreditsOut:
    by_id = templates.templates_by_id(settings)
    known = {by_id[tid]: result for tid, result in body.results.items() if tid in by_id}
    ignored = [tid for tid in body.results if tid not in by_id]
    await service.record_subscriptions(session, principal.id, known)
    fake = getattr(request.app.state, "fake_wechat", None)  # make run: the fake mounted on this app
    if fake is not None and principal.user.openid:
        accepted = [tid for tid, result in body.results.items() if tid in by_id and result == "accept"]
        relay_subscriptions(fake, principal.user.openid, accepted)
    credits = await service.credits_of(session, principal.id)
    return schemas.CreditsOut(credits=_credits_out(settings, credits, list(known)), ignored=ignored)


@router.get(
    "/notifications/subscriptions",
    response_model=schemas.CreditsOut,
    summary="The caller's subscription credits per template (any logged-in user)",
)
async def my_subscriptions(settings: SettingsDep, session: SessionDep, principal: CurrentUser) -> schemas.CreditsOut:
    credits = await service.credits_of(session, principal.id)
    return schemas.CreditsOut(credits=_credits_out(settings, credits, list(templates.TEMPLATES)))


# ---- inbox ------------------------------------------------------------------------------------


def _inbox_item(settings, note: Notification) -> schemas.InboxItem:
    try:
        page = templates.page_for(settings, note.event, note.params)
    except (KeyError, ValueError, IndexError):
        page = None
    return schemas.InboxItem(
        id=note.id,
        event=note.event,
        title=note.title,
        body=note.body,
        page=page,
        ref_type=note.ref_type,
        ref_id=note.ref_id,
        created_at=note.created_at,
        read=note.read_at is not None,
        read_at=note.read_at,
    )


@router.get("/inbox", response_model=schemas.InboxPage, summary="The caller's inbox, newest first (any logged-in user)")
async def inbox(
    settings: SettingsDep, session: SessionDep, principal: CurrentCaller, cursor: CursorQ = None, limit: LimitQ = 20
) -> ModelJSON:  # InboxPage, serialised once
    rows = await service.inbox(session, principal.id, cursor=parse_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit)
    return ModelJSON(
        schemas.InboxPage(
            items=[_inbox_item(settings, n) for n in rows],
            next_cursor=next_cursor,
            unread=await service.unread_count(session, principal.id),
        )
    )


@router.post(
    "/inbox/read-all", response_model=schemas.ReadAllOut, summary="Mark the whole inbox read (any logged-in user)"
)
async def read_all(session: SessionDep, principal: CurrentUser) -> schemas.ReadAllOut:
    updated = await service.mark_all_read(session, principal.id)
    return schemas.ReadAllOut(updated=updated, unread=await service.unread_count(session, principal.id))


@router.post(
    "/inbox/{notification_id}/read",
    response_model=schemas.InboxItem,
    summary="Mark one of the caller's messages read (any logged-in user)",
)
async def read_one(
    notification_id: IdPath, settings: SettingsDep, session: SessionDep, principal: CurrentUser
) -> schemas.InboxItem:
    note = await service.mark_read(session, principal.id, notification_id)
    return _inbox_item(settings, note)


# ---- admin --------------------------------------------------------------------------------------


def _outbox_out(outbox: OutboxMessage, note: Notification, user: User) -> schemas.OutboxOut:
    return schemas.OutboxOut(
        id=outbox.id,
        notification_id=note.id,
        user_id=user.id,
        user_name=user.name or "未填写姓名",
        event=note.event,
        title=note.title,
        template=outbox.template,
        template_id=outbox.template_id,
        status=outbox.status,
        attempts=outbox.attempts,
        tries=outbox.tries,
        last_errcode=outbox.last_errcode,
        last_error=outbox.last_error,
        next_attempt_at=outbox.next_attempt_at,
        created_at=outbox.created_at,
        updated_at=outbox.updated_at,
        sent_at=outbox.sent_at,
        msgid=outbox.msgid,
    )


async def _scope(session, principal: Principal) -> tuple[set[int], bool]:
    return await principal.compound_ids(session, *ADMIN_ROLES), principal.has_role("street_admin")


async def _visible(session, principal: Principal, outbox_id: int):
    outbox, note, user = await service.get_outbox(session, outbox_id)
    compounds, unscoped = await _scope(session, principal)
    if not (note.compound_id in compounds or (note.compound_id is None and unscoped)):
        raise Forbidden("这条消息不在您管辖的范围内", code="out_of_scope")
    return outbox, note, user


@router.get(
    "/admin/notifications",
    response_model=Page[schemas.OutboxOut],
    summary="WeChat outbox by status, default the dead letters (community admin, street admin)",
)
async def admin_list(
    session: SessionDep,
    principal: Admin,
    status: Annotated[str, Query(description="one outbox status or several separated by commas")] = "dead",
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.OutboxOut]:
    statuses = [s.strip() for s in status.split(",") if s.strip()]
    if not statuses or any(s not in OUTBOX_STATUSES for s in statuses):
        raise InvalidInput(f"未知的状态；可用：{', '.join(OUTBOX_STATUSES)}", code="invalid_status")
    compounds, unscoped = await _scope(session, principal)
    rows = await service.list_outbox(
        session,
        statuses=statuses,
        compound_ids=compounds,
        include_unscoped=unscoped,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    return Page(items=[_outbox_out(*r) for r in rows], next_cursor=next_cursor)


async def _detail(session, outbox: OutboxMessage, note: Notification, user: User) -> schemas.OutboxDetail:
    history = await service.attempts_of(session, outbox.id)
    return schemas.OutboxDetail(
        **_outbox_out(outbox, note, user).model_dump(),
        body=note.body,
        page=outbox.page,
        data=outbox.data,
        history=[schemas.AttemptOut(**a.model_dump(exclude={"id", "outbox_id"})) for a in history],
    )


@router.get(
    "/admin/notifications/{outbox_id}",
    response_model=schemas.OutboxDetail,
    summary="One outbox message with every delivery attempt (community admin, street admin)",
)
async def admin_detail(outbox_id: IdPath, session: SessionDep, principal: Admin) -> schemas.OutboxDetail:
    return await _detail(session, *await _visible(session, principal, outbox_id))


@router.post(
    "/admin/notifications/{outbox_id}/resend",
    response_model=schemas.OutboxDetail,
    summary="Send a dead letter again (community admin, street admin)",
)
async def admin_resend(outbox_id: IdPath, session: SessionDep, principal: Admin) -> schemas.OutboxDetail:
    outbox, note, user = await _visible(session, principal, outbox_id)
    await service.resend(session, outbox)
    return await _detail(session, outbox, note, user)
