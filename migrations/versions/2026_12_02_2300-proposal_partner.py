"""Issue 17: an organisation proposal by a partner's contact keeps the partner it was filed for
(proposal.partner_id), so the name it shows stays the partner's.

Revision ID: 3b7d2e9a1c40
Revises: 9e1a7c4d2200
Create Date: 2026-12-02 07:35:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '3b7d2e9a1c40'
down_revision: Union[str, None] = '9e1a7c4d2200'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposal_partner_id_partner'), 'partner', ['partner_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposal_partner_id_partner'), type_='foreignkey')
        batch_op.drop_column('partner_id')
