"""Co-building ledgers (.xlsx through backend/kernel/sheets.py): 志愿服务台账 (activities,
attendance, hours), 合伙人台账, 三清单台账, 驻区单位共建情况 (per work unit: its members'
volunteer hours and its list claims) and the time bank statement (时间银行流水), of a scope
over a period. Volunteers' and residents' names are masked, as in every ledger."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.directory.models import User
from backend.directory.service import mask_name
from backend.kernel.clock import utcnow
from backend.kernel.periods import Period
from backend.kernel.sheets import Column, SheetWriter
from backend.lists.models import ListBatch, ListClaim, ListItem
from backend.lists.state import CLAIM, ITEM, ClaimStatus
from backend.org.models import Community
from backend.partners.models import Partner, WorkUnitMember
from backend.partners.state import KIND_LABELS, PARTNER
from backend.volunteering.models import Activity, CreditAccount, CreditEntry, CreditMovement, Registration, Team
from backend.volunteering.state import REGISTRATION
from backend.volunteering.timebank import MOVEMENT_LABELS

KIND_NAMES = {"resource": "资源", "need": "需求", "project": "项目"}
ORGANISER = {"team": "志愿服务队", "partner": "合伙人", "community": "社区"}


@dataclass(frozen=True)
class Ledger:
    title: str
    columns: tuple[Column, ...]


LEDGERS = {
    "volunteering": Ledger(
        "志愿服务台账",
        (
            Column("活动"),
            Column("组织方"),
            Column("地点"),
            Column("开始时间", "datetime"),
            Column("志愿者"),
            Column("状态"),
            Column("签到时间", "datetime"),
            Column("签退时间", "datetime"),
            Column("服务时长（小时）", "number"),
            Column("现场加入"),
        ),
    ),
    "partners": Ledger(
        "合伙人台账",
        (
            Column("名称"),
            Column("类型"),
            Column("社区"),
            Column("状态"),
            Column("服务内容"),
            Column("联系人"),
            Column("申请时间", "datetime"),
            Column("备案时间", "datetime"),
        ),
    ),
    "lists": Ledger(
        "三清单台账",
        (
            Column("批次"),
            Column("清单"),
            Column("类别"),
            Column("事项"),
            Column("数量", "number"),
            Column("单位"),
            Column("事项状态"),
            Column("认领方"),
            Column("认领状态"),
            Column("成效"),
            Column("评分", "number"),
        ),
    ),
    "work_units": Ledger(
        "驻区单位共建情况",
        (
            Column("单位"),
            Column("联系的党员", "number"),
            Column("党员志愿服务人次", "number"),
            Column("党员志愿服务时长（小时）", "number"),
            Column("认领清单", "number"),
            Column("已完成认领", "number"),
            Column("提供资源", "number"),
        ),
    ),
    "timebank": Ledger(
        "时间银行流水",
        (Column("时间", "datetime"), Column("账户"), Column("类型"), Column("积分", "number"), Column("说明")),
    ),
}


async def _volunteering(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    stmt = (
        select(Activity, Registration, User.name, Team.name)
        .join(Registration, Registration.activity_id == Activity.id)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Team, Team.id == Activity.team_id)
        .where(
            Activity.community_id.in_(scope.community_ids),
            Activity.start_at >= period.start,
            Activity.start_at < period.end,
        )
        .order_by(Activity.start_at, Activity.id, Registration.id)
    )
    return [
        (
            a.title,
            team or ORGANISER[a.organiser_kind],
            a.place,
            a.start_at,
            mask_name(name),
            REGISTRATION.label(r.status),
            r.checked_in_at,
            r.checked_out_at,
            round(r.minutes / 60, 2),
            "是" if r.walk_in else "否",
        )
        for a, r, name, team in (await session.execute(stmt)).all()
    ]


async def _partners(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    stmt = (
        select(Partner, Community.name)
        .join(Community, Community.id == Partner.community_id)
        .where(Partner.community_id.in_(scope.community_ids), Partner.created_at < period.end)
        .order_by(Partner.id)
    )
    return [
        (
            p.name,
            KIND_LABELS.get(p.kind, p.kind),
            community,
            PARTNER.label(p.status),
            "、".join(p.services),
            p.contact,
            p.created_at,
            p.filed_at,
        )
        for p, community in (await session.execute(stmt)).all()
    ]


async def _lists(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    stmt = (
        select(ListItem, ListBatch.title, ListClaim)
        .join(ListBatch, ListBatch.id == ListItem.batch_id)
        .outerjoin(ListClaim, ListClaim.item_id == ListItem.id)
        .where(
            ListItem.community_id.in_(scope.community_ids),
            ListItem.created_at >= period.start,
            ListItem.created_at < period.end,
        )
        .order_by(ListItem.id, ListClaim.id)
    )
    rows = (await session.execute(stmt)).all()
    partners = dict((await session.execute(select(Partner.id, Partner.name))).all())

    def claimant(c: ListClaim | None) -> str:
        if c is None:
            return ""
        return partners.get(c.claimant_id, "") if c.claimant_kind == "partner" else f"{c.claimant_kind}:{c.claimant_id}"

    return [
        (
            batch,
            KIND_NAMES.get(i.kind, i.kind),
            i.category,
            i.title,
            i.quantity,
            i.unit,
            ITEM.label(i.status),
            claimant(c),
            CLAIM.label(c.status) if c else "",
            (c.evidence or "") if c else "",
            c.rating if c else None,
        )
        for i, batch, c in rows
    ]


async def _timebank(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    users = select(User.id).where(User.compound_id.in_(scope.compound_ids))
    partners = select(Partner.id).where(Partner.community_id.in_(scope.community_ids))
    stmt = (
        select(CreditEntry, CreditMovement, CreditAccount)
        .join(CreditMovement, CreditMovement.id == CreditEntry.movement_id)
        .join(CreditAccount, CreditAccount.id == CreditEntry.account_id)
        .where(
            or_(
                (CreditAccount.owner_kind == "user") & CreditAccount.owner_id.in_(users),
                (CreditAccount.owner_kind == "partner") & CreditAccount.owner_id.in_(partners),
            ),
            CreditEntry.at >= period.start,
            CreditEntry.at < period.end,
        )
        .order_by(CreditEntry.id)
    )
    rows = (await session.execute(stmt)).all()
    names = dict(
        (
            await session.execute(
                select(User.id, User.name).where(
                    User.id.in_({a.owner_id for _, _, a in rows if a.owner_kind == "user"})
                )
            )
        ).all()
    )
    pnames = dict((await session.execute(select(Partner.id, Partner.name))).all())
    return [
        (
            e.at,
            mask_name(names.get(a.owner_id)) if a.owner_kind == "user" else f"合伙人：{pnames.get(a.owner_id, '')}",
            MOVEMENT_LABELS.get(m.kind, m.kind),
            e.amount,
            m.note,
        )
        for e, m, a in rows
    ]


async def _served(session: AsyncSession, unit_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """unit → (check-ins, minutes) of its linked members at activities starting in the period."""
    service = (
        await session.execute(
            select(
                WorkUnitMember.partner_id, func.count(Registration.id), func.coalesce(func.sum(Registration.minutes), 0)
            )
            .join(Registration, Registration.user_id == WorkUnitMember.user_id)
            .join(Activity, Activity.id == Registration.activity_id)
            .where(
                WorkUnitMember.partner_id.in_(unit_ids),
                Registration.checked_in_at.is_not(None),
                Activity.start_at >= period.start,
                Activity.start_at < period.end,
            )
            .group_by(WorkUnitMember.partner_id)
        )
    ).all()
    return {pid: (n, minutes) for pid, n, minutes in service}


async def _work_units(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    """Per work unit of the scope: its linked members' check-ins and hours at activities starting in
    the period, the list claims it made in the period (and how many closed), its resources listed."""
    units = (
        await session.execute(
            select(Partner.id, Partner.name)
            .where(Partner.kind == "work_unit", Partner.community_id.in_(scope.community_ids))
            .order_by(Partner.name)
        )
    ).all()
    ids = [u for u, _ in units]
    members = dict(
        (
            await session.execute(
                select(WorkUnitMember.partner_id, func.count())
                .where(WorkUnitMember.partner_id.in_(ids))
                .group_by(WorkUnitMember.partner_id)
            )
        ).all()
    )
    served = await _served(session, ids, period)
    claims = (
        await session.execute(
            select(ListClaim.claimant_id, ListClaim.status)
            .where(ListClaim.claimant_kind == "partner", ListClaim.claimant_id.in_(ids))
            .where(ListClaim.created_at >= period.start, ListClaim.created_at < period.end)
        )
    ).all()
    resources = dict(
        (
            await session.execute(
                select(ListItem.owner_id, func.count())
                .where(ListItem.owner_kind == "work_unit", ListItem.owner_id.in_(ids))
                .group_by(ListItem.owner_id)
            )
        ).all()
    )
    return [
        (
            name,
            members.get(pid, 0),
            served.get(pid, (0, 0))[0],
            round(served.get(pid, (0, 0))[1] / 60, 1),
            sum(1 for c, _ in claims if c == pid),
            sum(1 for c, st in claims if c == pid and st == ClaimStatus.closed),
            resources.get(pid, 0),
        )
        for pid, name in units
    ]


ROWS = {
    "volunteering": _volunteering,
    "partners": _partners,
    "lists": _lists,
    "work_units": _work_units,
    "timebank": _timebank,
}


async def write(session: AsyncSession, kind: str, scope: ReportScope, period: Period) -> tuple[bytes, int]:
    """The ledger as .xlsx bytes, and its number of data rows."""
    ledger = LEDGERS[kind]
    rows = await ROWS[kind](session, scope, period)
    writer = SheetWriter(
        ledger.columns,
        sheet_title=ledger.title,
        title=f"{scope.name} {ledger.title}（{period.label}，时间为北京时间）",
        print_header=f"{scope.name} {ledger.title}（{period.label}）",
        exported_at=utcnow(),
    )

    def build() -> bytes:
        writer.append(rows)
        buffer = io.BytesIO()
        writer.save(buffer)
        return buffer.getvalue()

    return await asyncio.to_thread(build), len(rows)
