"""The household register: list and read (grid workers, building chiefs, admins; phones masked for
all but the household's grid workers and building chief), edit, and the .xlsx ledger."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Query, Response, UploadFile

from backend.auth.deps import GridReader
from backend.directory import service as directory_service
from backend.households import policy, register, schemas, views
from backend.households.ledger import XLSX_MEDIA_TYPE, LedgerError, read_ledger, write_ledger
from backend.households.ledger_export import export_rows
from backend.households.ledger_import import import_ledger as apply_ledger
from backend.households.policy import HouseholdVisible, ReaderScope
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput, PayloadTooLarge
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdQuery

router = APIRouter(prefix="/api/v1/households", tags=["households"])


@router.get(
    "/care-tags",
    response_model=schemas.CareTagsOut,
    summary="The configured care tags and their visit cycles (grid workers, building chiefs, admins)",
)
async def care_tags(settings: SettingsDep, _: GridReader) -> schemas.CareTagsOut:
    return schemas.CareTagsOut(
        items=[schemas.CareTagOut(tag=t, cycle_days=settings.care_tag_cycle_days.get(t)) for t in settings.care_tags],
        default_cycle_days=settings.visit_cycle_days,
    )


@router.get(
    "",
    response_model=Page[schemas.HouseholdOut],
    summary="The household register of the caller's grids (grid workers, building chiefs, admins)",
)
async def list_households(
    settings: SettingsDep,
    session: SessionDep,
    principal: GridReader,
    scope: ReaderScope,
    grid_id: IdQuery = None,
    compound_id: IdQuery = None,
    building_id: IdQuery = None,
    tag: Annotated[str | None, Query(max_length=20, description="only households with this care tag")] = None,
    q: Annotated[str | None, Query(max_length=20, description="a resident's name, or a room number")] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.HouseholdOut]:
    policy.require_grid_filter(scope, grid_id)
    rows = await register.list_households(
        session,
        scope,
        grid_id=grid_id,
        compound_id=compound_id,
        building_id=building_id,
        tag=tag or None,
        q=(q or "").strip() or None,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    entries = await register.entries(session, rows, settings.care_tags)
    await views.log_revealed(session, principal.id, rows, scope)
    return Page(items=[views.household_out(e, scope) for e in entries], next_cursor=next_cursor)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "the ledger as .xlsx"}},
    summary="Export the ledger as .xlsx: one grid or compound, or without either the caller's whole register "
    "scope (grid workers, building chiefs, admins)",
)
async def export(
    settings: SettingsDep,
    session: SessionDep,
    principal: GridReader,
    scope: ReaderScope,
    grid_id: IdQuery = None,
    compound_id: IdQuery = None,
) -> Response:
    policy.require_grid_filter(scope, grid_id)  # neither filter: everything the caller's scope sees
    shown: list[tuple[int, int]] = []
    rows = await export_rows(
        session, scope, grid_id=grid_id, compound_id=compound_id, care_tags=settings.care_tags, shown=shown
    )
    await directory_service.log_contact_views(session, principal.id, "register_export", shown)
    data = await anyio.to_thread.run_sync(write_ledger, rows)
    name = f"住户台账-{to_shanghai(utcnow()):%Y%m%d}.xlsx"
    disposition = f"attachment; filename=households.xlsx; filename*=UTF-8''{quote(name)}"
    return Response(content=data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})


@router.post(
    "/import",
    response_model=schemas.ImportOut,
    summary="Import an .xlsx ledger: valid rows applied, invalid rows returned with row number and reason; "
    "idempotent (grid workers, building chiefs, admins, within their grids)",
)
async def import_ledger(
    file: UploadFile, settings: SettingsDep, session: SessionDep, principal: GridReader, scope: ReaderScope
) -> schemas.ImportOut:
    limit = settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"台账文件不能超过 {limit // (1024 * 1024)} MB", code="file_too_large")
    if not data:
        raise InvalidInput("上传的文件是空的", code="empty_file")
    if session.in_transaction():  # the caller's grants were read: hold no lock (SQLite: the write lock) while parsing
        await session.commit()
    read = partial(
        read_ledger,
        max_rows=settings.household_import_max_rows,
        max_unzipped=settings.household_import_max_unzipped_bytes,
        seconds=settings.household_import_seconds,
    )
    try:
        sheet = await anyio.to_thread.run_sync(read, data)
    except LedgerError as exc:
        raise InvalidInput(exc.detail, code=exc.code) from exc
    result = await apply_ledger(session, scope, sheet, care_tags=settings.care_tags, actor_id=principal.id)
    return views.import_out(result)


@router.get(
    "/{household_id}",
    response_model=schemas.HouseholdOut,
    summary="One household's register entry (grid workers, building chiefs, admins of its grid)",
)
async def get_household(
    settings: SettingsDep, session: SessionDep, principal: GridReader, loaded: HouseholdVisible
) -> schemas.HouseholdOut:
    household, scope = loaded
    entry = (await register.entries(session, [household], settings.care_tags))[0]
    await views.log_revealed(session, principal.id, [household], scope)
    return views.household_out(entry, scope)


@router.put(
    "/{household_id}",
    response_model=schemas.HouseholdOut,
    summary="Replace a household's address, care tags and residents (grid workers, building chiefs, admins)",
)
async def put_household(
    body: schemas.HouseholdPut,
    settings: SettingsDep,
    session: SessionDep,
    principal: GridReader,
    loaded: HouseholdVisible,
) -> schemas.HouseholdOut:
    household, scope = loaded
    care = settings.care_tags
    await register.replace_register(
        session,
        household,
        address=body.address,
        tags=body.care_tags,
        residents=[register.ResidentIn(**r.model_dump()) for r in body.residents],
        care_tags=care,
        actor_id=principal.id,
    )
    entry = (await register.entries(session, [household], care))[0]
    return views.household_out(entry, scope)
