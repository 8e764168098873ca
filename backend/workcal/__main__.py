"""Import the working calendar: `python -m backend.workcal seed` (2004–2026 from chinesecalendar) or
`python -m backend.workcal import 2027 days.csv` (rows `date,workday(0/1),name`)."""

from __future__ import annotations

import asyncio
import csv
import sys
from datetime import date

from backend.kernel.db import engine_from_settings, make_session_factory
from backend.kernel.settings import get_settings
from backend.workcal import service


def _read_rows(path: str) -> list[service.DayRow]:
    with open(path, encoding="utf-8") as f:
        return [
            service.DayRow(date.fromisoformat(r[0]), r[1].strip() in ("1", "true", "是"), r[2] if len(r) > 2 else "")
            for r in csv.reader(f)
            if r and not r[0].startswith("#")
        ]


async def _run(argv: list[str]) -> None:
    engine = engine_from_settings(get_settings())
    async with make_session_factory(engine)() as session:
        if argv[:1] == ["seed"]:
            count = await service.seed_from_chinesecalendar(session)
        elif argv[:1] == ["import"] and len(argv) == 3:
            count = await service.import_year(session, int(argv[1]), _read_rows(argv[2]))
        else:
            raise SystemExit(__doc__)
        await session.commit()
    await engine.dispose()
    print(f"{count} calendar days written")


if __name__ == "__main__":
    asyncio.run(_run(sys.argv[1:]))
