"""Coverage of closed months: visitmonthfact (per month and household) and visitmonthclosed

Revision ID: c0e16a2750f1
Revises: c4e1f7a92740
Create Date: 2026-12-02 18:30:00.000000+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.kernel.db

revision: str = "c0e16a2750f1"
down_revision: str | None = "c4e1f7a92740"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visitmonthfact",
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("last_reached_at", backend.kernel.db.UTCDateTime(), nullable=True),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_visitmonthfact_household_id_household")
        ),
        sa.PrimaryKeyConstraint("month", "household_id", name=op.f("pk_visitmonthfact")),
    )
    op.create_table(
        "visitmonthclosed",
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("filled_at", backend.kernel.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_visitmonthclosed")),
    )


def downgrade() -> None:
    op.drop_table("visitmonthclosed")
    op.drop_table("visitmonthfact")
