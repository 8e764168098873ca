from __future__ import annotations

from backend.appraisal import schemas
from backend.appraisal.models import Appraisal
from backend.appraisal.sheet import Sheet
from backend.appraisal.state import APPRAISAL, LINE_KIND_LABELS


def sheet_out(sheet: Sheet, *, checked_in: bool, can_rate: bool, mine: set[str]) -> schemas.SheetOut:
    return schemas.SheetOut(
        meeting_id=sheet.meeting.id,
        compound_id=sheet.compound.id,
        compound_name=sheet.compound.name,
        period=sheet.period.label,
        checked_in=checked_in,
        can_rate=can_rate,
        lines=[
            schemas.SheetLine(
                line_id=line.key,
                kind=line.kind,
                kind_label=LINE_KIND_LABELS[line.kind],
                name=line.name,
                detail=line.detail,
                figures=line.figures,
                mean_rating=line.mean_rating,
                rated_by_me=line.key in mine,
            )
            for line in sheet.lines
        ],
    )


def appraisal_out(row: Appraisal) -> schemas.AppraisalOut:
    fields = schemas.AppraisalOut.model_fields.keys() - {"status_label"}
    return schemas.AppraisalOut(status_label=APPRAISAL.label(row.status), **{k: getattr(row, k) for k in fields})


def appraisal_detail(row: Appraisal) -> schemas.AppraisalDetail:
    return schemas.AppraisalDetail(**appraisal_out(row).model_dump(), content=row.content)
