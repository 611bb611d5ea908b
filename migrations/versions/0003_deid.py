"""de-identification findings and public copy

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:09:57.567587

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # ### reviewed autogenerate output ###
    op.create_table('deid_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('keep_reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_deid_findings_decided_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_deid_findings_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deid_findings'))
    )
    with op.batch_alter_table('deid_findings', schema=None) as batch_op:
        batch_op.create_index('ix_deid_findings_document', ['document_id', 'field', 'start'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('public_interpretation_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('deid_scanned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deid_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deid_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_documents_deid_confirmed_by_id_users'), 'users', ['deid_confirmed_by_id'], ['id'])

    # ### end Alembic commands ###


def downgrade():
    # ### reviewed autogenerate output ###
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_deid_confirmed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('deid_confirmed_by_id')
        batch_op.drop_column('deid_confirmed_at')
        batch_op.drop_column('deid_scanned_at')
        batch_op.drop_column('public_interpretation_html')
        batch_op.drop_column('public_title')

    with op.batch_alter_table('deid_findings', schema=None) as batch_op:
        batch_op.drop_index('ix_deid_findings_document')

    op.drop_table('deid_findings')
    # ### end Alembic commands ###
