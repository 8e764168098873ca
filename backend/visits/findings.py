"""What a visit found, and the work each finding became (kinds.FOLLOW_UP_OF), linked back to it:

- a need (困难需求) → a micro-wish filed by the worker for the household's resident, pending the
  compound's review like any other (households.requesters says whose account it is filed for);
- a hazard or dispute (安全隐患, 矛盾纠纷) → an open grid issue of the household's grid;
- a suggestion (意见建议) → an item on the community's next deliberation-day agenda.

Only the visits a batch really inserted get follow-ups (sync.py), so a replayed upload never
makes the same work twice; a replay is answered with the follow-ups already made (follow_ups_of).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import service as deliberation_service
from backend.files import service as files_service
from backend.households.requesters import requesters
from backend.issues import service as issues_service
from backend.org.models import Household
from backend.visits.kinds import FOLLOW_UP_OF, FollowUp
from backend.visits.models import VisitFinding
from backend.visits.schemas import FindingIn, VisitIn
from backend.wishes import service as wishes_service

Created = tuple[int, VisitIn, int]  # (item index, the visit as uploaded, its new id)


def follow_up_ref(finding: VisitFinding) -> dict | None:
    """{"kind", "type", "id"} of what the finding became (None: nothing yet)."""
    if finding.wish_id is not None:
        return {"kind": finding.kind, "type": FollowUp.wish, "id": finding.wish_id}
    if finding.issue_id is not None:
        return {"kind": finding.kind, "type": FollowUp.issue, "id": finding.issue_id}
    if finding.agenda_item_id is not None:
        return {"kind": finding.kind, "type": FollowUp.agenda_item, "id": finding.agenda_item_id}
    return None


async def follow_up(
    session: AsyncSession,
    worker_id: int,
    created: list[Created],
    households: dict[int, Household],
    community_of: dict[int, int],
) -> dict[int, list[dict]]:
    """Store the findings of the visits just inserted and turn each into work; returns the
    follow-ups per visit id. One query per kind of work made, whatever the number of findings."""
    work = _Work()
    uploaded = await files_service.attach(  # photos taken offline: those that never reached us are dropped
        session, [p for _, visit, _ in created for f in visit.findings for p in f.photos], strict=False
    )
    for _, visit, _ in created:
        for finding in visit.findings:
            finding.photos = [p for p in finding.photos if p in uploaded]
    for _, visit, visit_id in created:
        for finding in visit.findings:
            work.add(visit_id, visit, finding, households[visit.household_id], community_of, worker_id)
    if not work.findings:
        return {}
    if work.needs:
        await _file_wishes(session, work.needs, worker_id)
    for (row, _), issue in zip(
        work.issues, await issues_service.open_issues(session, [d for _, d in work.issues]), strict=True
    ):
        row.issue_id = issue.id
    for (row, _), item in zip(
        work.agenda, await deliberation_service.propose(session, [d for _, d in work.agenda]), strict=True
    ):
        row.agenda_item_id = item.id
    session.add_all(work.findings)
    await session.flush()
    out: dict[int, list[dict]] = defaultdict(list)
    for row in work.findings:
        ref = follow_up_ref(row)
        if ref is not None:
            out[row.visit_id].append(ref)
    return out


@dataclass
class _Work:
    """The finding rows of a batch and the work to make for them, grouped by kind of work."""

    findings: list[VisitFinding] = field(default_factory=list)
    needs: list[tuple[VisitFinding, Household, int | None, str]] = field(default_factory=list)
    issues: list[tuple[VisitFinding, issues_service.IssueDraft]] = field(default_factory=list)
    agenda: list[tuple[VisitFinding, deliberation_service.AgendaDraft]] = field(default_factory=list)

    def add(
        self,
        visit_id: int,
        visit: VisitIn,
        f: FindingIn,
        household: Household,
        community_of: dict[int, int],
        worker_id: int,
    ) -> None:
        row = VisitFinding(visit_id=visit_id, kind=f.kind, text=f.text, photos=list(f.photos))
        self.findings.append(row)
        becomes = FOLLOW_UP_OF[f.kind]
        if becomes is FollowUp.wish:
            self.needs.append((row, household, f.resident_id, f.category or "other"))
        elif becomes is FollowUp.issue:
            draft = issues_service.IssueDraft(
                grid_id=household.grid_id,
                compound_id=household.compound_id,
                household_id=household.id,
                category=f.kind,
                description=f.text,
                raised_by=worker_id,
                photos=list(f.photos),
            )
            self.issues.append((row, draft))
        else:
            agenda = deliberation_service.AgendaDraft(
                community_id=community_of[household.id],
                compound_id=household.compound_id,
                grid_id=household.grid_id,
                text=f.text,
                raised_by=worker_id,
                raised_at=visit.visited_at,
            )
            self.agenda.append((row, agenda))


async def _file_wishes(
    session: AsyncSession, needs: list[tuple[VisitFinding, Household, int | None, str]], worker_id: int
) -> None:
    """A micro-wish per need, filed by the worker for the household's resident, titled by the
    need's first sentence."""
    users = await requesters(session, [(h, rid) for _, h, rid, _ in needs])
    for (row, _, _, category), user in zip(needs, users, strict=True):
        wish = await wishes_service.create_wish(
            session,
            user,
            title=_title(row.text),
            description=row.text,
            category=category,
            photos=row.photos,
            filed_by=worker_id,
        )
        row.wish_id = wish.id


def _title(text: str) -> str:
    first = re.split(r"[。！？!?\n]", text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first if len(first) <= 40 else first[:39] + "…"


# ---- reading -----------------------------------------------------------------------------------


async def findings_of(session: AsyncSession, visit_ids: Iterable[int]) -> dict[int, list[VisitFinding]]:
    ids = set(visit_ids)
    out: dict[int, list[VisitFinding]] = defaultdict(list)
    if ids:
        rows = await session.execute(
            select(VisitFinding).where(VisitFinding.visit_id.in_(ids)).order_by(VisitFinding.id)
        )
        for f in rows.scalars():
            out[f.visit_id].append(f)
    return out


async def follow_ups_of(session: AsyncSession, visit_ids: Iterable[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for visit_id, rows in (await findings_of(session, visit_ids)).items():
        out[visit_id] = [ref for ref in map(follow_up_ref, rows) if ref is not None]
    return out
