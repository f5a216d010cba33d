"""knowledge gaps: questions that scored below the knowledge answers' relevance floor

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
# The intended parent is "0003", added on another branch; this branch does not have it yet, so the chain
# stays unbroken through "0002" until the merge re-points it.
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("normalised", sa.String(length=500), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_gaps") as batch_op:
        batch_op.create_index("ix_knowledge_gaps_team", ["team"], unique=False)
        batch_op.create_index("ix_knowledge_gaps_normalised", ["normalised"], unique=False)


def downgrade() -> None:
    op.drop_table("knowledge_gaps")
