"""Community proposals (社区提案): the street—community—compound three-level platform.

Residents and Party members file individual, joint (联名) or organisation proposals with a
solution; joint ones gather co-signing households; the reviewer of the level accepts, returns,
rejects (citing the street's negative list) or refers them; an accepted proposal goes onto the
agenda of its community's deliberation day (backend/deliberation), and after the meeting adopts
it runs the rest of the six-step loop 收集、审议、形成、联动执行、评估、公示.

This package sits one layer above backend/deliberation: accepting a proposal puts it on the
agenda, and a meeting's outcome on a proposal's item moves the proposal (`flow.py`).
"""
