"""The organisation tree's pieces as other domains' responses carry them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class BuildingRef(BaseModel):
    id: int
    name: str
    latitude: float | None = Field(description="GCJ-02, for wx.openLocation; null until set in the register")
    longitude: float | None


class BuildingLocationIn(BaseModel):
    latitude: float = Field(ge=3.0, le=54.0, description="GCJ-02 latitude (within China)")
    longitude: float = Field(ge=73.0, le=136.0, description="GCJ-02 longitude (within China)")
