"""Visits as the API shows them: the batch's answers, the to-do list with each household's label
and residents, a household's history with what its findings became, and coverage."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import service as deliberation_service
from backend.directory import service as directory_service
from backend.households.register import ordered_tags, residents_of
from backend.issues import service as issues_service
from backend.org import service as org_service
from backend.visits import schemas
from backend.visits.coverage import Coverage
from backend.visits.findings import findings_of, follow_up_ref
from backend.visits.kinds import FINDING_LABELS, OUTCOME_LABELS, RETRYABLE_ERRORS, ItemStatus
from backend.visits.models import Visit, VisitFinding
from backend.visits.sync import ItemResult
from backend.visits.todo import Due


def batch_out(results: list[ItemResult]) -> schemas.VisitBatchOut:
    out = [
        schemas.VisitResult(
            **r.__dict__, retryable=(r.error in RETRYABLE_ERRORS) if r.status == ItemStatus.error else None
        )
        for r in results
    ]
    return schemas.VisitBatchOut(
        created=sum(r.status == ItemStatus.created for r in out),
        duplicate=sum(r.status == ItemStatus.duplicate for r in out),
        error=sum(r.status == ItemStatus.error for r in out),
        results=out,
    )


async def todo_items(session: AsyncSession, items: list[Due], care_tags: list[str]) -> list[schemas.TodoItem]:
    """Two queries: the households' labels and their residents."""
    ids = [d.household[0] for d in items]
    labels = await org_service.household_labels(session, ids)
    people = await residents_of(session, ids)
    return [
        schemas.TodoItem(
            household_id=d.household[0],
            label=labels.get(d.household[0], {}).get("label", ""),
            building=labels.get(d.household[0], {}).get("building"),
            grid_id=d.household[1],
            compound_id=d.household[2],
            care_tags=ordered_tags(d.tags, care_tags),
            cycle_days=d.cycle_days,
            last_visit_at=d.last_visit_at,
            last_attempt_at=d.last_attempt_at,
            due_at=d.due_at,
            overdue=d.overdue,
            days_overdue=d.days_overdue,
            residents=[
                schemas.TodoResident(name=r.name, relation=r.relation, phone=r.phone)
                for r in people.get(d.household[0], [])
            ],
        )
        for d in items
    ]


async def visits_out(session: AsyncSession, visits: list[Visit]) -> list[schemas.VisitOut]:
    """A page of visits with their findings, the workers' names and the issues' statuses: three queries."""
    findings = await findings_of(session, [v.id for v in visits])
    workers = await directory_service.users_by_id(session, {v.worker_id for v in visits})
    issue_status = await issues_service.statuses(
        session, [f.issue_id for fs in findings.values() for f in fs if f.issue_id is not None]
    )
    agenda_status = await deliberation_service.statuses(
        session, [f.agenda_item_id for fs in findings.values() for f in fs if f.agenda_item_id is not None]
    )
    return [
        schemas.VisitOut(
            id=v.id,
            client_id=v.client_id,
            household_id=v.household_id,
            worker_id=v.worker_id,
            worker_name=workers[v.worker_id].name if v.worker_id in workers else "",
            visited_at=v.visited_at,
            outcome=v.outcome,
            outcome_label=OUTCOME_LABELS[v.outcome],
            people_met=v.people_met,
            note=v.note,
            location=v.location,
            findings=[finding_out(f, issue_status, agenda_status) for f in findings.get(v.id, [])],
            created_at=v.created_at,
        )
        for v in visits
    ]


def finding_out(
    f: VisitFinding, issue_status: dict[int, str], agenda_status: dict[int, str] | None = None
) -> schemas.FindingOut:
    ref = follow_up_ref(f)
    return schemas.FindingOut(
        kind=f.kind,
        kind_label=FINDING_LABELS[f.kind],
        text=f.text,
        photos=f.photos,
        follow_up=schemas.FollowUpOut(**ref) if ref else None,
        follow_up_status=issue_status.get(f.issue_id)
        if f.issue_id is not None
        else (agenda_status or {}).get(f.agenda_item_id),  # a suggestion: its agenda item's status
    )


def coverage_out(result: Coverage) -> schemas.CoverageOut:
    return schemas.CoverageOut(
        period=result.period,
        period_start=result.start,
        period_end=result.end,
        as_of=result.as_of,
        total=schemas.Counts(**result.total),
        grids=[schemas.GridCoverage(**g) for g in result.grids],
        compounds=[schemas.CompoundCoverage(**c) for c in result.compounds],
        communities=[schemas.CommunityCoverage(**c) for c in result.communities],
        figures=result.figures,
    )
