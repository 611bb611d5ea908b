"""attachment eye checks and public copies

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:16:27.541879

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # ### reviewed autogenerate output ###
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eye_checked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('eye_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stored_files_eye_checked_by_id_users'), 'users', ['eye_checked_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_stored_files_source_id_stored_files'), 'stored_files', ['source_id'], ['id'])

    # ### end Alembic commands ###


def downgrade():
    # ### reviewed autogenerate output ###
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stored_files_source_id_stored_files'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_stored_files_eye_checked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('source_id')
        batch_op.drop_column('eye_checked_at')
        batch_op.drop_column('eye_checked_by_id')

    # ### end Alembic commands ###
