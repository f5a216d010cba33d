"""team-scoped corrections: who changed a correction's status (promoted, reverted) and when: the review trail

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("corrections") as batch_op:
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("changed_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("corrections") as batch_op:
        batch_op.drop_column("changed_by")
        batch_op.drop_column("changed_at")
