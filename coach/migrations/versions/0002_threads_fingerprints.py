"""external threads (any channel), turn fingerprints, correction status; drop the never-read chain_measures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team", "external_id", name="uq_external_thread"),
    )
    with op.batch_alter_table("external_threads") as batch_op:
        batch_op.create_index("ix_external_threads_session_id", ["session_id"], unique=False)
    # Slack threads become external threads of the Slack workspace's team.
    op.execute(
        "INSERT INTO external_threads (team, external_id, session_id, extra, created_at) "
        "SELECT 'slack:' || team_id, 'slack:' || team_id || ':' || channel || ':' || thread_ts, session_id, "
        "'{}', CURRENT_TIMESTAMP FROM slack_threads"
    )
    op.drop_table("slack_threads")
    op.drop_table("chain_measures")
    with op.batch_alter_table("turns") as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))
    with op.batch_alter_table("corrections") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="active"))
        batch_op.create_index("ix_corrections_session_id", ["session_id"], unique=False)
        batch_op.create_index("ix_corrections_team", ["team"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("corrections") as batch_op:
        batch_op.drop_index("ix_corrections_team")
        batch_op.drop_index("ix_corrections_session_id")
        batch_op.drop_column("status")
    with op.batch_alter_table("turns") as batch_op:
        batch_op.drop_column("fingerprint")
    op.create_table(
        "chain_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chains.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "slack_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("thread_ts", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel", "thread_ts", name="uq_slack_thread"),
    )
    op.drop_table("external_threads")
