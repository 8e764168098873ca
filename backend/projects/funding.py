"""Funding lines by source: pledged → received → spent in fen, each change with its evidence.

received ≤ pledged and spent ≤ received hold under concurrency: each change is ONE conditional
UPDATE (`SET spent = spent + :a WHERE id = :id AND spent + :a <= received`); of two spends racing
for one receipt PostgreSQL re-checks the condition on the row the first one wrote, so the second
matches nothing and is refused with 409 and the figures as they are."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.files import service as files_service
from backend.kernel.errors import Conflict, InvalidInput
from backend.projects.models import FundingChange, FundingLine, Project
from backend.projects.service import require_live
from backend.projects.state import FUNDING_SOURCES

CEILING = {"received": "pledged", "spent": "received"}
KIND_LABELS = {"pledged": "认捐/拨付承诺", "received": "到账", "spent": "支出"}


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


async def line_for(session: AsyncSession, project_id: int, source: str) -> FundingLine:
    stmt = select(FundingLine).where(FundingLine.project_id == project_id, FundingLine.source == source)
    line = (await session.execute(stmt)).scalar_one_or_none()
    if line is not None:
        return line
    try:
        async with session.begin_nested():
            line = FundingLine(project_id=project_id, source=source)
            session.add(line)
            await session.flush()
    except IntegrityError:  # created by a concurrent change: use that one
        line = (await session.execute(stmt)).scalar_one()
    return line


async def change(
    session: AsyncSession,
    project: Project,
    *,
    source: str,
    kind: str,
    amount: int,
    evidence: str | None,
    note: str | None,
    actor_id: int,
) -> FundingLine:
    require_live(project, "funding")
    if not evidence and not note:
        raise InvalidInput("每笔资金变动须附凭证照片或说明", code="evidence_required")
    if evidence:
        await files_service.attach(session, [evidence])
    line = await line_for(session, project.id, source)
    column = getattr(FundingLine, kind)
    where = [FundingLine.id == line.id]
    if kind in CEILING:
        where.append(column + amount <= getattr(FundingLine, CEILING[kind]))
    result = await session.execute(
        update(FundingLine).where(*where).values({kind: column + amount}).execution_options(synchronize_session=False)
    )
    await session.refresh(line)
    if result.rowcount != 1:
        raise _refusal(line, kind, amount)
    session.add(
        FundingChange(
            line_id=line.id,
            project_id=project.id,
            kind=kind,
            amount=amount,
            evidence=evidence,
            note=note,
            actor_id=actor_id,
        )
    )
    await session.flush()
    return line


def _refusal(line: FundingLine, kind: str, amount: int) -> Conflict:
    ceiling = CEILING[kind]
    have, cap = getattr(line, kind), getattr(line, ceiling)
    return Conflict(
        f"{FUNDING_SOURCES[line.source]}：{KIND_LABELS[kind]}{yuan(have)}元加本次{yuan(amount)}元，"
        f"将超过{KIND_LABELS[ceiling]}{yuan(cap)}元",
        code=f"{kind}_exceeds_{ceiling}",
    )


async def lines_of(session: AsyncSession, project_ids: list[int]) -> dict[int, list[FundingLine]]:
    out: dict[int, list[FundingLine]] = {pid: [] for pid in project_ids}
    if project_ids:
        rows = await session.execute(
            select(FundingLine).where(FundingLine.project_id.in_(project_ids)).order_by(FundingLine.id)
        )
        for line in rows.scalars():
            out[line.project_id].append(line)
    return out


async def changes_of(session: AsyncSession, project_id: int) -> list[FundingChange]:
    rows = await session.execute(
        select(FundingChange).where(FundingChange.project_id == project_id).order_by(FundingChange.id)
    )
    return list(rows.scalars())
