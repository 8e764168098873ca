"""向单位反馈 gains the co-building: each member's volunteer hours from check-ins, and each unit's
list claims (双认领, matched in the half year: those it made and those on its own items) with how
many were fulfilled. Over the demo data, with one more check-in and two more claims of demo-member's
work unit; every figure is recounted here from the rows themselves, and the sheet agrees."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from backend.kernel.clock import clock
from backend.lists.models import ListClaim, ListItem
from backend.org.models import Community
from backend.partners.models import WorkUnitMember
from backend.volunteering.models import Activity, Registration
from tests.support.demo import user_id

UNIT_KINDS = ("partner", "work_unit")


def half_of(now) -> tuple[str, object, object]:
    shanghai = now + timedelta(hours=8)
    first = shanghai.month <= 6
    start = shanghai.replace(month=1 if first else 7, day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + (0 if first else 1), month=7 if first else 1)
    return f"{shanghai.year}-H{1 if first else 2}", start - timedelta(hours=8), end - timedelta(hours=8)


async def _more_cobuilding(session, member: int) -> int:
    """A check-in of demo-member (90 min), a fulfilled claim by its work unit and a claim declined
    (not counted); returns the unit's partner id."""
    now = clock.now()
    unit = (
        await session.execute(select(WorkUnitMember.partner_id).where(WorkUnitMember.user_id == member))
    ).scalar_one()
    taken = select(Registration.activity_id).where(Registration.user_id == member)
    activity = (await session.execute(select(Activity.id).where(Activity.id.not_in(taken)).limit(1))).scalar_one()
    session.add(
        Registration(
            activity_id=activity,
            user_id=member,
            status="completed",
            checked_in_at=now - timedelta(hours=2),
            checked_out_at=now - timedelta(minutes=30),
            minutes=90,
        )
    )
    need = (
        await session.execute(
            select(ListItem.id).where(ListItem.owner_kind.not_in(UNIT_KINDS)).order_by(ListItem.id).limit(1)
        )
    ).scalar_one()
    for status in ("fulfilled", "declined"):
        session.add(
            ListClaim(
                item_id=need,
                claimant_kind="partner",
                claimant_id=unit,
                status=status,
                created_by=member,
                matched_at=now - timedelta(hours=1) if status == "fulfilled" else None,
                fulfilled_at=now if status == "fulfilled" else None,
            )
        )
    await session.commit()
    return unit


async def test_work_unit_report_recounts_hours_and_claims(api, session):
    member = await user_id(session, "demo-member")
    unit_partner = await _more_cobuilding(session, member)
    period, start, end = half_of(clock.now())
    community = (await session.execute(select(Community.id).where(Community.name == "和谐社区"))).scalar_one()
    d = await api.ok(
        "GET", f"/api/v1/exports/work-units/details?scope=community:{community}&period={period}", "demo-street"
    )

    registrations = (await session.execute(select(Registration))).scalars().all()
    links = dict((await session.execute(select(WorkUnitMember.user_id, WorkUnitMember.partner_id))).all())
    claims = (await session.execute(select(ListClaim, ListItem).join(ListItem, ListItem.id == ListClaim.item_id))).all()

    checked = 0
    for unit in d["work_units"]:
        members = {r["member_id"] for r in unit["rows"]}
        mine = [
            r
            for r in registrations
            if r.user_id in members and r.status != "cancelled" and r.checked_in_at and start <= r.checked_in_at < end
        ]
        assert unit["volunteer_hours"]["registration_ids"] == sorted(r.id for r in mine), unit["work_unit"]
        assert unit["volunteer_hours"]["minutes"] == sum(r.minutes for r in mine)
        partners = {links[m] for m in members if m in links}
        theirs = [
            c
            for c, item in claims
            if c.status in ("matched", "fulfilled", "closed")
            and c.matched_at
            and start <= c.matched_at < end
            and (
                (c.claimant_kind in UNIT_KINDS and c.claimant_id in partners)
                or (item.owner_kind in UNIT_KINDS and item.owner_id in partners)
            )
        ]
        assert unit["list_claims"]["claim_ids"] == sorted(c.id for c in theirs), unit["work_unit"]
        assert unit["list_fulfilled"]["claim_ids"] == sorted(
            c.id for c in theirs if c.status in ("fulfilled", "closed")
        )
        if unit_partner in partners:
            checked += 1
            assert unit["volunteer_hours"]["minutes"] >= 90 and unit["list_fulfilled"]["count"] >= 1
    assert checked == 1  # demo-member's unit was among them, with the rows added above

    # the sheet: hours per member once, claims per unit once; the columns sum to the JSON's totals
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{community}&period={period}", "demo-street")
    assert r.status_code == 200, r.text
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    header, data = rows[1], rows[2:]
    col = {h: i for i, h in enumerate(header)}
    total_minutes = sum(u["volunteer_hours"]["minutes"] for u in d["work_units"])
    assert abs(sum(row[col["志愿服务时长（小时）"]] for row in data) - total_minutes / 60) < 0.05
    assert sum(row[col["单位认领清单"]] or 0 for row in data) == sum(u["list_claims"]["count"] for u in d["work_units"])
    assert sum(row[col["单位已履约"]] or 0 for row in data) == sum(
        u["list_fulfilled"]["count"] for u in d["work_units"]
    )
