"""The register as the API shows it: phones in full for those who visit the household, masked
for everyone else (scope.py says who)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.households import schemas
from backend.households.ledger_import import ImportResult
from backend.households.register import RegisterEntry
from backend.households.scope import RegisterScope
from backend.org.models import Household
from backend.org.schemas import BuildingRef


def household_out(entry: RegisterEntry, scope: RegisterScope) -> schemas.HouseholdOut:
    h = entry.household
    reveal = scope.reveals(h)
    return schemas.HouseholdOut(
        id=h.id,
        label=entry.label,
        room=h.room,
        building_id=h.building_id,
        building=BuildingRef(**entry.building),
        unit_id=h.unit_id,
        compound_id=h.compound_id,
        grid_id=h.grid_id,
        address=entry.address,
        care_tags=entry.tags,
        residents=[
            schemas.ResidentOut(
                id=r.id,
                name=r.name,
                relation=r.relation,
                phone=r.phone if reveal else directory_service.mask_phone(r.phone),
                has_account=r.user_id is not None,
                verified_account=r.id in entry.verified,
            )
            for r in entry.residents
        ],
        phones_masked=not reveal,
    )


async def log_revealed(session: AsyncSession, viewer_id: int, households: list[Household], scope: RegisterScope):
    """Log the households whose phones were shown in full (directory ContactView, reason register)."""
    shown = [(h.id, h.compound_id) for h in households if scope.reveals(h)]
    await directory_service.log_contact_views(session, viewer_id, "register", shown)


def import_out(result: ImportResult) -> schemas.ImportOut:
    return schemas.ImportOut(
        rows=result.rows,
        imported=result.imported,
        households=result.households,
        households_changed=result.households_changed,
        residents_created=result.residents_created,
        residents_updated=result.residents_updated,
        errors=[schemas.RowErrorOut(row=e.row, reason=e.reason) for e in result.errors],
    )
