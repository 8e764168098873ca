"""Honest figures (issue 13): the grid's own disposal clock on grid issues (overdue mark and the
reminder level of a hazard or dispute the grid still holds).

Revision ID: 5e1f0a13c0de
Revises: 3da38b68c554
Create Date: 2026-12-02 13:00:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '5e1f0a13c0de'
down_revision: Union[str, None] = '3da38b68c554'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('gridissue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_overdue', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('grid_reminder_level', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(
            'ix_gridissue_status_grid_overdue_created_at', ['status', 'grid_overdue', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('gridissue', schema=None) as batch_op:
        batch_op.drop_index('ix_gridissue_status_grid_overdue_created_at')
        batch_op.drop_column('grid_reminder_level')
        batch_op.drop_column('grid_overdue')
