"""Grid issues as the API shows them, with the caller's actions."""

from __future__ import annotations

from backend.issues import policy, schemas, service
from backend.issues.models import GridIssue
from backend.issues.service import Viewer
from backend.issues.state import CATEGORIES, ISSUE


def issue_out(issue: GridIssue, viewer: Viewer, names: dict[int, str], events) -> schemas.IssueOut:
    data = issue.model_dump()
    return schemas.IssueOut(
        **{k: data[k] for k in schemas.IssueOut.model_fields if k in data},
        status_label=ISSUE.label(issue.status),
        category_label=CATEGORIES.get(issue.category, issue.category),
        department_name=names.get(issue.department_id) if issue.department_id else None,
        actions=policy.actions_for(issue, viewer),
        events=None
        if events is None
        else [
            schemas.IssueEventOut(
                type=e.type,
                label=ISSUE.event_label(e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=name,
                at=e.at,
                note=e.note,
            )
            for e, name in events
        ],
    )


async def render(session, issue: GridIssue, viewer: Viewer) -> schemas.IssueOut:
    """One issue with its timeline."""
    names = await service.department_names(session, [issue.department_id])
    return issue_out(issue, viewer, names, await service.events_of(session, issue.id))
