"""job, policy_round: a worker's lease (owner, expiry, attempts, started_at); worker_heartbeat

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LEASED = ('job', 'policy_round')


def upgrade() -> None:
    for table in LEASED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('lease_owner', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True)
            )
            batch_op.add_column(
                sa.Column('lease_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
            batch_op.add_column(
                sa.Column('attempts', sa.Integer(), nullable=False, server_default='0')
            )
            batch_op.add_column(
                sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
        # The default filled the existing rows; the models set it on insert.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('attempts', server_default=None)
    op.create_table('worker_heartbeat',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('hostname', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('running', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeat_last_seen'), ['last_seen'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeat_last_seen'))
    op.drop_table('worker_heartbeat')
    for table in LEASED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('started_at')
            batch_op.drop_column('attempts')
            batch_op.drop_column('lease_expires_at')
            batch_op.drop_column('lease_owner')
