"""issuing: numbers, dates, stored files

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:04:14.420211

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # ### reviewed autogenerate output ###
    op.create_table('issuing_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('issuer_mark', sa.String(length=60), nullable=False),
    sa.Column('signer', sa.String(length=60), nullable=False),
    sa.Column('printing_office', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuing_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_issuing_codes_code'))
    )
    op.create_table('number_counters',
    sa.Column('issuing_code_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issuing_code_id'], ['issuing_codes.id'], name=op.f('fk_number_counters_issuing_code_id_issuing_codes')),
    sa.PrimaryKeyConstraint('issuing_code_id', 'year', name=op.f('pk_number_counters'))
    )
    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_stored_files_created_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_stored_files_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index('ix_stored_files_document', ['document_id', 'kind'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('issuing_code_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('doc_number', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('written_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('print_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cc', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('public_body_html', sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_documents_doc_number'), ['doc_number'])
        batch_op.create_unique_constraint('uq_documents_number', ['issuing_code_id', 'number_year', 'number_seq'])
        batch_op.create_foreign_key(batch_op.f('fk_documents_issuing_code_id_issuing_codes'), 'issuing_codes', ['issuing_code_id'], ['id'])

    # ### end Alembic commands ###


def downgrade():
    # ### reviewed autogenerate output ###
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_issuing_code_id_issuing_codes'), type_='foreignkey')
        batch_op.drop_constraint('uq_documents_number', type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_documents_doc_number'), type_='unique')
        batch_op.drop_column('public_body_html')
        batch_op.drop_column('issued_at')
        batch_op.drop_column('cc')
        batch_op.drop_column('print_date')
        batch_op.drop_column('written_date')
        batch_op.drop_column('doc_number')
        batch_op.drop_column('number_seq')
        batch_op.drop_column('number_year')
        batch_op.drop_column('issuing_code_id')
        batch_op.drop_column('approved_at')

    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_files_document')

    op.drop_table('stored_files')
    op.drop_table('number_counters')
    op.drop_table('issuing_codes')
    # ### end Alembic commands ###
