"""Notifications: emit events into the inbox and the WeChat outbox (in the caller's transaction),
the subscription credit ledger, the inbox, and the admin view of the outbox. Each domain turns its
own events into messages in its `notifications` module and calls `emit` here.

Services only flush(); the request (or the worker) commits. A rolled-back request therefore
rolls back its notifications too, and a committed one always has its outbox rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, NotFound
from backend.notify import templates
from backend.notify.models import DeliveryAttempt, Notification, OutboxMessage, SubscriptionCredit
from backend.notify.state import OUTBOX, OutboxStatus

NO_OPENID = "用户尚未绑定微信，仅站内信"
NO_CREDIT = "用户没有该模板的订阅额度，仅站内信"


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"naive datetime in notification param {key!r}")
            value = value.isoformat()
        out[key] = value
    return out


# ---- emitting -------------------------------------------------------------------------------


async def emit(
    session: AsyncSession,
    event: str,
    user_ids: Iterable[int | None],
    params: Mapping[str, Any],
    *,
    ref: tuple[str, int] | None = None,
    compound_id: int | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Write one inbox item and one outbox row per recipient, in the caller's transaction.

    The outbox row is `pending` when the recipient has a WeChat openid and a subscription credit
    for the event's template (the credit is taken now), else final: `no_credit` or `skipped`.
    With `dedupe_key`, a recipient who already got a notification with that key gets nothing.
    """
    spec = templates.EVENTS[event]
    stored = _jsonable(params)
    title, body = templates.inbox_text(event, stored)
    ids = list(dict.fromkeys(uid for uid in user_ids if uid is not None))
    users = await directory_service.users_by_id(session, ids)
    now = utcnow()
    created: list[Notification] = []
    for uid in ids:
        user = users.get(uid)
        if user is None:
            continue
        note = Notification(
            user_id=uid,
            event=event,
            title=title,
            body=body,
            params=stored,
            ref_type=ref[0] if ref else None,
            ref_id=ref[1] if ref else None,
            compound_id=compound_id,
            dedupe_key=f"{dedupe_key}:u{uid}" if dedupe_key else None,
            created_at=now,
        )
        if not await _add_note(session, note):
            continue
        session.add(await _outbox_row(session, note, user, spec.template, now))
        created.append(note)
    await session.flush()
    return created


async def _add_note(session: AsyncSession, note: Notification) -> bool:
    """Insert the inbox item; False when its dedupe key was already used (by an earlier or a
    concurrent sweep)."""
    if not note.dedupe_key:
        session.add(note)
        await session.flush()
        return True
    seen = await session.execute(select(Notification.id).where(Notification.dedupe_key == note.dedupe_key))
    if seen.first() is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(note)
    except IntegrityError:  # a concurrent sweep wrote it first
        return False
    return True


async def _outbox_row(session: AsyncSession, note: Notification, user: User, template: str, now) -> OutboxMessage:
    """The WeChat delivery of one inbox item: pending with a credit taken, or final at once."""
    status, held, error = OutboxStatus.pending, False, None
    if not user.openid:
        status, error = OutboxStatus.skipped, NO_OPENID
    elif await take_credit(session, user.id, template):
        held = True
    else:
        status, error = OutboxStatus.no_credit, NO_CREDIT
    return OutboxMessage(
        notification_id=note.id,
        user_id=user.id,
        openid=user.openid,
        template=template,
        status=status,
        idempotency_key=uuid.uuid4().hex,
        credit_held=held,
        next_attempt_at=now,
        last_error=error,
        created_at=now,
        updated_at=now,
    )


# ---- subscription credits -------------------------------------------------------------------


async def take_credit(session: AsyncSession, user_id: int, template: str) -> bool:
    """Use one credit, atomically; False when there is none."""
    result = await session.execute(
        update(SubscriptionCredit)
        .where(
            SubscriptionCredit.user_id == user_id,
            SubscriptionCredit.template == template,
            SubscriptionCredit.count > 0,
            SubscriptionCredit.banned.is_(False),
        )
        .values(count=SubscriptionCredit.count - 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def _credit_row(session: AsyncSession, user_id: int, template: str) -> None:
    """Make sure the ledger row exists (two first taps may race)."""
    stmt = select(SubscriptionCredit.id).where(
        SubscriptionCredit.user_id == user_id, SubscriptionCredit.template == template
    )
    if (await session.execute(stmt)).first() is not None:
        return
    try:
        async with session.begin_nested():
            session.add(SubscriptionCredit(user_id=user_id, template=template))
    except IntegrityError:
        pass


async def _change_credit(session: AsyncSession, user_id: int, template: str, **values: Any) -> None:
    await _credit_row(session, user_id, template)
    await session.execute(
        update(SubscriptionCredit)
        .where(SubscriptionCredit.user_id == user_id, SubscriptionCredit.template == template)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )


async def give_back_credit(session: AsyncSession, user_id: int, template: str) -> None:
    """A taken credit that WeChat did not use (the message was never delivered)."""
    await _change_credit(session, user_id, template, count=SubscriptionCredit.count + 1)


async def zero_credit(session: AsyncSession, user_id: int, template: str) -> None:
    """WeChat said 43101: whatever we counted, the user has no credit for this template."""
    await _change_credit(session, user_id, template, count=0)


async def record_subscriptions(session: AsyncSession, user_id: int, results: Mapping[str, str]) -> None:
    """The result of one wx.requestSubscribeMessage tap, by logical template: "accept" adds a
    credit (and lifts a ban: WeChat only answers accept when the user allows the template again),
    "ban" zeroes and blocks, "reject"/"filter" change nothing."""
    for template, result in results.items():
        if result == "accept":
            await _change_credit(session, user_id, template, count=SubscriptionCredit.count + 1, banned=False)
        elif result == "ban":
            await _change_credit(session, user_id, template, count=0, banned=True)
    await session.flush()


async def credits_of(session: AsyncSession, user_id: int) -> dict[str, SubscriptionCredit]:
    rows = await session.execute(select(SubscriptionCredit).where(SubscriptionCredit.user_id == user_id))
    found = {c.template: c for c in rows.scalars()}
    for credit in found.values():
        await session.refresh(credit)  # the ledger is changed with UPDATE statements
    return found


# ---- inbox ----------------------------------------------------------------------------------


async def inbox(session: AsyncSession, user_id: int, *, cursor: int | None, limit: int) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user_id)
    if cursor is not None:
        stmt = stmt.where(Notification.id < cursor)
    stmt = stmt.order_by(Notification.id.desc()).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


async def unread_count(session: AsyncSession, user_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return (await session.execute(stmt)).scalar_one()


async def mark_read(session: AsyncSession, user_id: int, notification_id: int) -> Notification:
    note = await session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        raise NotFound("没有这条消息", code="notification_not_found")
    if note.read_at is None:
        note.read_at = utcnow()
        await session.flush()
    return note


async def mark_all_read(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


# ---- admin view of the outbox ----------------------------------------------------------------


async def list_outbox(
    session: AsyncSession,
    *,
    statuses: list[str],
    compound_ids: set[int] | None,
    include_unscoped: bool,
    cursor: int | None,
    limit: int,
) -> list[tuple[OutboxMessage, Notification, User]]:
    """Outbox rows by status, newest first. `compound_ids` None means every compound;
    `include_unscoped` adds notifications tied to no compound."""
    stmt = (
        select(OutboxMessage, Notification, User)
        .join(Notification, Notification.id == OutboxMessage.notification_id)
        .join(User, User.id == OutboxMessage.user_id)
        .where(OutboxMessage.status.in_(statuses))
    )
    if compound_ids is not None:
        scope = Notification.compound_id.in_(compound_ids)
        if include_unscoped:
            scope = scope | Notification.compound_id.is_(None)
        stmt = stmt.where(scope)
    if cursor is not None:
        stmt = stmt.where(OutboxMessage.id < cursor)
    stmt = stmt.order_by(OutboxMessage.id.desc()).limit(limit + 1)
    return [(o, n, u) for o, n, u in (await session.execute(stmt)).all()]


async def get_outbox(session: AsyncSession, outbox_id: int) -> tuple[OutboxMessage, Notification, User]:
    row = (
        await session.execute(
            select(OutboxMessage, Notification, User)
            .join(Notification, Notification.id == OutboxMessage.notification_id)
            .join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.id == outbox_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"消息 {outbox_id} 不存在", code="notification_not_found")
    return row[0], row[1], row[2]


async def attempts_of(session: AsyncSession, outbox_id: int) -> list[DeliveryAttempt]:
    stmt = select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id).order_by(DeliveryAttempt.number)
    return list((await session.execute(stmt)).scalars())


async def resend(session: AsyncSession, outbox: OutboxMessage) -> OutboxMessage:
    """Queue a dead letter again (rendered afresh from the current configuration), using one of
    the user's credits: the dead letter gave its own back when it died."""
    if outbox.status != OutboxStatus.dead:
        raise Conflict("只有发送失败（死信）的消息可以重新发送", code="not_dead")
    if not outbox.openid:
        raise Conflict(NO_OPENID, code="no_openid")
    if not await take_credit(session, outbox.user_id, outbox.template):
        raise Conflict("该用户已没有这个模板的订阅额度，消息已保留在站内信", code="no_credit")
    values = {"tries": 0, "credit_held": True, "next_attempt_at": utcnow(), "claimed_by": None}
    await OUTBOX.apply(session, outbox, "resent", values=values)
    await session.refresh(outbox)
    return outbox
