"""Uploads are rows (whose, which kind, attached or orphaned: the daily quota and the sweeper);
a wish may carry the requester's voice note.

Revision ID: 7c1e5a0b1200
Revises: a7c31e90d112
Create Date: 2026-12-02 03:00:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.kernel.db


revision: str = '7c1e5a0b1200'
down_revision: Union[str, None] = 'a7c31e90d112'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        sa.Column('created_at', backend.kernel.db.UTCDateTime(), nullable=False),
        sa.Column('attached_at', backend.kernel.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_upload_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_upload')),
        sa.UniqueConstraint('name', name=op.f('uq_upload_name')),
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.create_index('ix_upload_attached_at_created_at', ['attached_at', 'created_at'], unique=False)
        batch_op.create_index('ix_upload_user_id_created_at', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('wish', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voice', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('voice_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('wish', schema=None) as batch_op:
        batch_op.drop_column('voice_seconds')
        batch_op.drop_column('voice')

    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_user_id_created_at')
        batch_op.drop_index('ix_upload_attached_at_created_at')

    op.drop_table('upload')
