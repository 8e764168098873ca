"""ranking_recent_index

Candidate ranking counts each member's recent orders (this month's takes, the 90-day offers and
acceptances) in SQL. (member_id, created_at) found them but fetched every order's row from the
heap for kind, status and responded_at: 46,000 random heap reads for a 2,000-member compound.
The index now carries those columns, so the counts are an index-only scan; it replaces the old
one, whose every use it serves (same leading columns).

Revision ID: 113f93549851
Revises: a7c2e9d42600
Create Date: 2026-12-02 19:00:00+00:00

"""
from typing import Sequence, Union

from alembic import op


revision: str = '113f93549851'
down_revision: Union[str, None] = 'a7c2e9d42600'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('wish_order', schema=None) as batch_op:
        batch_op.create_index(
            'ix_wish_order_member_recent', ['member_id', 'created_at', 'kind', 'status', 'responded_at'], unique=False
        )
        batch_op.drop_index('ix_wish_order_member_id_created_at')


def downgrade() -> None:
    with op.batch_alter_table('wish_order', schema=None) as batch_op:
        batch_op.create_index('ix_wish_order_member_id_created_at', ['member_id', 'created_at'], unique=False)
        batch_op.drop_index('ix_wish_order_member_recent')
