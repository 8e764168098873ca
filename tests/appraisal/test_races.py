"""One rating per line per person under concurrency, on the real engines with real commits: six
identical submissions at once, exactly one kept (the meeting's row lock queues them; the unique
constraint is the last word, tested on its own below)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backend.app import create_app
from backend.appraisal.models import AppraisalRating
from backend.deliberation import meetings
from backend.deliberation.models import MeetingAttendance
from backend.directory.models import User
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.db import make_session_factory
from backend.org.models import Compound
from tests.support.db import make_settings

TRIES = 6


async def test_six_identical_ratings_at_once_keep_exactly_one(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    async with factory() as s:
        compound = (await s.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
        day = to_shanghai(utcnow()).date() + timedelta(days=400 + int(tag, 16) % 5000)  # a day of its own
        d = meetings.MeetingDraft("evaluation", compound.community_id, compound.id, day, "", None, "2026-Q3")
        meeting = await meetings.create(s, d)
        meeting.status, meeting.closed_at = "closed", utcnow()  # held: no other test takes it for a coming one
        user = User(openid=f"fake-openid-appr-{tag}", name="评议代表", compound_id=compound.id)
        s.add(user)
        await s.flush()
        s.add(MeetingAttendance(meeting_id=meeting.id, user_id=user.id, name=user.name))
        await s.commit()
        meeting_id, user_id = meeting.id, user.id
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        r = await c.post("/api/v1/auth/wechat", json={"code": f"appr-{tag}"})
        head = {"Authorization": f"Bearer {r.json()['access_token']}"}
        body = {"ratings": [{"line_id": "committee", "score": 4}, {"line_id": "property", "score": 5}]}
        sheet = (await c.get(f"/api/v1/meetings/{meeting_id}/sheet", headers=head)).json()
        body["ratings"][1]["line_id"] = sheet["lines"][-1]["line_id"]
        answers = await asyncio.gather(
            *[c.post(f"/api/v1/meetings/{meeting_id}/ratings", headers=head, json=body) for _ in range(TRIES)]
        )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * (TRIES - 1), [r.text for r in answers]
    assert all(r.json()["error"] == "already_rated" for r in answers if r.status_code == 409)
    async with factory() as s:
        kept = await s.execute(
            select(func.count()).where(AppraisalRating.meeting_id == meeting_id, AppraisalRating.rater_id == user_id)
        )
        assert kept.scalar_one() == 2


async def test_the_table_itself_refuses_a_second_rating_of_a_line(session):
    """Whatever path a row takes, (meeting, line, rater) is unique in the database."""
    compound = (await session.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
    day = to_shanghai(utcnow()).date() + timedelta(days=3)
    d = meetings.MeetingDraft("evaluation", compound.community_id, compound.id, day, "", None, "2026-Q3")
    meeting = await meetings.create(session, d)
    user = User(name="评议代表")
    session.add(user)
    await session.flush()
    session.add(AppraisalRating(meeting_id=meeting.id, line_key="committee", rater_id=user.id, score=4))
    await session.flush()
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            session.add(AppraisalRating(meeting_id=meeting.id, line_key="committee", rater_id=user.id, score=5))
            await session.flush()
