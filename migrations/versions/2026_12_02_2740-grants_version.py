"""user.grants_version: bumped by every change to the user's role grants (backend/org/grant_versions.py),
part of the key of the cached Principal (backend/auth/deps.py)

Revision ID: c4e1f7a92740
Revises: 113f93549851
Create Date: 2026-12-02 18:15:00.000000+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e1f7a92740"
down_revision: str | None = "113f93549851"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grants_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("grants_version")
