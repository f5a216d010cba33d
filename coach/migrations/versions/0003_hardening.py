"""workshop status (waiting | live | closed), set by the trainer's start and close

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="live"))


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.drop_column("status")
