"""Imports every table so that SQLModel.metadata is complete (alembic and tests use this)."""

from sqlmodel import SQLModel

from backend.dispatch.models import Order
from backend.org.models import Building, Community, Compound, Department, Grid, Household, Street, Unit
from backend.people.models import MemberProfile, MemberRegistration, RoleGrant, User
from backend.wishes.models import Wish, WishEvent

metadata = SQLModel.metadata

__all__ = [
    "Building",
    "Community",
    "Compound",
    "Department",
    "Grid",
    "Household",
    "MemberProfile",
    "MemberRegistration",
    "Order",
    "RoleGrant",
    "Street",
    "Unit",
    "User",
    "Wish",
    "WishEvent",
    "metadata",
]
