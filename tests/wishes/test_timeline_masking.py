"""The wish timeline names its actors as the requester card does (issue 12, item 4): whoever sees
the requester as 王** sees 王** as the actor of the requester's own events too."""

from __future__ import annotations


async def test_event_actors_follow_the_requester_cards_masking(api):
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": "想请人帮忙换灯泡", "category": "repair"}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    for who in ("demo-member2", "demo-dispatcher", "demo-admin"):
        detail = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", who)
        assert detail["requester"]["masked"] and detail["requester"]["name"] == "王**", who
        created = next(e for e in detail["events"] if e["type"] == "created")
        assert created["actor_name"] == "王**", (who, created)
        assert "王秀兰" not in str(detail), who
        reviewed = next(e for e in detail["events"] if e["type"] == "approved")
        assert reviewed["actor_name"] == "赵敏"  # staff actors keep their names
    own = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident")
    assert next(e for e in own["events"] if e["type"] == "created")["actor_name"] == "王秀兰"

    # once the member accepted, both the card and the timeline show the name
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member2")
    taken = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-member2")
    assert not taken["requester"]["masked"]
    assert next(e for e in taken["events"] if e["type"] == "created")["actor_name"] == "王秀兰"
