"""member_recent_counts

The candidate ranking counted, for every member of the compound, their live orders and their
orders of the last 90 days: 46,680 index entries for a 2,000-member compound, 25 ms and more of
PostgreSQL's time on each ranking. Each member's profile now keeps those counts as they stood at
`recent_as_of`, recounted in the transaction of every change to one of their orders; the ranking
reads them and subtracts what slid out of the window since. NULL (every row here): never counted,
and the ranking counts that member's orders itself, as before.

Revision ID: 5d1c0a4e0100
Revises: c0e16a2750f1
Create Date: 2026-12-04 01:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.kernel.db

revision: str = "5d1c0a4e0100"
down_revision: str | None = "c0e16a2750f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("live_orders", "recent_taken", "recent_offers", "recent_accepted")
TIMES = ("recent_as_of", "recent_since", "recent_window", "recent_oldest")


def upgrade() -> None:
    with op.batch_alter_table("memberprofile", schema=None) as batch_op:
        for name in TIMES:
            batch_op.add_column(sa.Column(name, backend.kernel.db.UTCDateTime(), nullable=True))
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("memberprofile", schema=None) as batch_op:
        for name in (*COUNTS, *TIMES):
            batch_op.drop_column(name)
