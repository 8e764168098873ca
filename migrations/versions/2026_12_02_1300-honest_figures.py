"""Honest figures (issue 13): the grid's own disposal clock on grid issues (overdue mark and the
reminder level of a hazard or dispute the grid still holds); airing snapshots in versions (a
correction supersedes, never rewrites).

Revision ID: 5e1f0a13c0de
Revises: 7c1e5a0b1200
Create Date: 2026-12-02 13:00:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5e1f0a13c0de'
down_revision: Union[str, None] = '7c1e5a0b1200'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('gridissue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_overdue', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('grid_reminder_level', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(
            'ix_gridissue_status_grid_overdue_created_at', ['status', 'grid_overdue', 'created_at'], unique=False
        )


    with op.batch_alter_table('airingsnapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.drop_constraint('uq_airingsnapshot_scope_key_period', type_='unique')
        batch_op.create_unique_constraint(
            'uq_airingsnapshot_scope_key_period_version', ['scope_key', 'period', 'version']
        )
        batch_op.create_foreign_key(
            'fk_airingsnapshot_supersedes_id_airingsnapshot', 'airingsnapshot', ['supersedes_id'], ['id']
        )
        batch_op.create_index('ix_airingsnapshot_supersedes_id', ['supersedes_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('airingsnapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_airingsnapshot_supersedes_id')
        batch_op.drop_constraint('fk_airingsnapshot_supersedes_id_airingsnapshot', type_='foreignkey')
        batch_op.drop_constraint('uq_airingsnapshot_scope_key_period_version', type_='unique')
        batch_op.create_unique_constraint('uq_airingsnapshot_scope_key_period', ['scope_key', 'period'])
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('supersedes_id')
        batch_op.drop_column('version')
    with op.batch_alter_table('gridissue', schema=None) as batch_op:
        batch_op.drop_index('ix_gridissue_status_grid_overdue_created_at')
        batch_op.drop_column('grid_reminder_level')
        batch_op.drop_column('grid_overdue')
