"""住户认证: claims to a household (residentverification), verified by the WeChat phone or by the
household's staff; a token version on the user (logout and revocation); the log of who saw
residents' contact details (contactview).

Existing bindings: an account the register links to its household (a resident row carries its id)
is verified ("register"); any other binding becomes a pending claim and the account loses the
household until it is verified.

Revision ID: a7c31e90d112
Revises: 3da38b68c554
Create Date: 2026-12-02 11:00:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.kernel.db


revision: str = 'a7c31e90d112'
down_revision: Union[str, None] = '3da38b68c554'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('residentverification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('compound_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', backend.kernel.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', backend.kernel.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_residentverification_building_id_building')),
    sa.ForeignKeyConstraint(['compound_id'], ['compound.id'], name=op.f('fk_residentverification_compound_id_compound')),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], name=op.f('fk_residentverification_decided_by_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_residentverification_grid_id_grid')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_residentverification_household_id_household')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_residentverification_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residentverification'))
    )
    with op.batch_alter_table('residentverification', schema=None) as batch_op:
        batch_op.create_index('ix_residentverification_building_status', ['building_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_residentverification_grid_status', ['grid_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_residentverification_user_id_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('uq_residentverification_pending', ['user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('contactview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('at', backend.kernel.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_contactview_community_id_community')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_contactview_household_id_household')),
    sa.ForeignKeyConstraint(['subject_id'], ['user.id'], name=op.f('fk_contactview_subject_id_user')),
    sa.ForeignKeyConstraint(['viewer_id'], ['user.id'], name=op.f('fk_contactview_viewer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contactview'))
    )
    with op.batch_alter_table('contactview', schema=None) as batch_op:
        batch_op.create_index('ix_contactview_community_id_id', ['community_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contactview_viewer_id'), ['viewer_id'], unique=False)

    # existing bindings: verified when the register links the account to its household, else pending
    op.execute(
        """
        INSERT INTO residentverification (user_id, household_id, compound_id, grid_id, building_id, status, method, created_at)
        SELECT u.id, u.household_id, h.compound_id, h.grid_id, h.building_id,
               CASE WHEN EXISTS (SELECT 1 FROM resident r WHERE r.user_id = u.id AND r.household_id = u.household_id)
                    THEN 'verified' ELSE 'pending' END,
               CASE WHEN EXISTS (SELECT 1 FROM resident r WHERE r.user_id = u.id AND r.household_id = u.household_id)
                    THEN 'register' ELSE NULL END,
               u.created_at
        FROM "user" u JOIN household h ON h.id = u.household_id
        WHERE u.household_id IS NOT NULL
        """
    )
    op.execute(
        """
        UPDATE "user" SET household_id = NULL
        WHERE id IN (SELECT user_id FROM residentverification WHERE status = 'pending')
        """
    )


def downgrade() -> None:
    op.execute(
        """
        UPDATE "user" SET household_id = (
            SELECT v.household_id FROM residentverification v
            WHERE v.user_id = "user".id AND v.status = 'pending')
        WHERE household_id IS NULL
          AND id IN (SELECT user_id FROM residentverification WHERE status = 'pending')
        """
    )
    with op.batch_alter_table('contactview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contactview_viewer_id'))
        batch_op.drop_index('ix_contactview_community_id_id')
    op.drop_table('contactview')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('token_version')

    with op.batch_alter_table('residentverification', schema=None) as batch_op:
        batch_op.drop_index('uq_residentverification_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_residentverification_user_id_id')
        batch_op.drop_index('ix_residentverification_grid_status')
        batch_op.drop_index('ix_residentverification_building_status')

    op.drop_table('residentverification')
