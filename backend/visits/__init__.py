"""Door-to-door visits (走访入户): offline-safe batch sync, findings that become work, visit cycles,
coverage and the worker's to-do list.

Who visits: users with a `grid_worker` grant on scope_type "grid" (every household of the grid) or
a `building_chief` grant (楼栋长) on scope_type "building" (the households of that building).

Where each rule lives:
- kinds.py      the vocabularies: outcomes (met / not_home / refused / moved), finding kinds and
                what each becomes, a batch item's answer
- sync.py       the offline batch: parse, look up, check, insert once per client_id, answer
- findings.py   findings → micro-wishes, grid issues, agenda items; reading findings and follow-ups
- cycles.py     when a household is due: the grid's cycle, shortened by care tags; last visits
- todo.py       the worker's to-do list, most urgent first
- coverage.py   a month's coverage per grid and worker, rolled up to compound and community
- month_facts.py  what a month's visits say of each household, live or (a month past the
                back-fill window) stored by the worker's sweep; dropped again by a late visit
- history.py    a household's visits, latest first
- policy.py     who may record, read coverage, set cycles (and the scope dependencies)
- views.py      the responses; router.py the HTTP layer
"""
