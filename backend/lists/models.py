"""The three lists (三清单): batches of a canvass, resource / need / project items and the claims
between units and communities (双认领)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class ListBatch(SQLModel, table=True):
    __table_args__ = (Index("ix_listbatch_community_id_id", "community_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    scope_kind: str = Field(max_length=20)  # community | compound
    scope_id: int
    community_id: int = Field(foreign_key="community.id")
    title: str = Field(max_length=60)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ListItem(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("client_id"),
        Index("ix_listitem_batch_kind_id", "batch_id", "kind", "id"),
        Index("ix_listitem_community_kind_status", "community_id", "kind", "status", "id"),
        Index("ix_listitem_owner", "owner_kind", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="listbatch.id")
    community_id: int = Field(foreign_key="community.id")
    kind: str = Field(max_length=20)  # resource | need | project
    category: str = Field(max_length=20)
    title: str = Field(max_length=60)
    description: str = Field(default="", max_length=500)
    quantity: int | None = None
    unit: str = Field(default="", max_length=10)
    owner_kind: str = Field(max_length=20)  # partner | work_unit | compound | resident
    owner_id: int
    status: str = Field(default="open", max_length=20)
    client_id: str | None = Field(default=None, max_length=40)  # a grid worker's offline canvass entry
    created_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ListClaim(SQLModel, table=True):
    __table_args__ = (
        Index("ix_listclaim_item_id_id", "item_id", "id"),
        Index("ix_listclaim_claimant", "claimant_kind", "claimant_id"),
        Index("ix_listclaim_status_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="listitem.id")
    claimant_kind: str = Field(max_length=20)  # partner | compound | community
    claimant_id: int
    note: str = Field(default="", max_length=500)
    status: str = Field(default="proposed", max_length=20)
    decline_reason: str | None = Field(default=None, max_length=200)
    evidence: str | None = Field(default=None, max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rating: int | None = None
    comment: str | None = Field(default=None, max_length=500)
    created_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    matched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
