"""safe display names for files stored before uploads were cleaned (issue 7)

Revision ID: 0007_upload
Revises: 0006_publication
Create Date: 2026-11-30 18:00:00

Data only, no schema change: every stored file name becomes the safe display name
(webapp.filenames.safe_filename: last path component, no control or bidi characters,
at most 100 characters).  The raw names cannot be restored, so the downgrade keeps the
safe ones.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_upload'
down_revision = '0006_publication'
branch_labels = None
depends_on = None

_files = sa.table('stored_files', sa.column('id', sa.Integer), sa.column('filename', sa.String(200)))


def upgrade():
    from webapp.filenames import safe_filename  # pure: no Flask, no models

    bind = op.get_bind()
    rows = bind.execute(sa.select(_files.c.id, _files.c.filename)).all()
    for file_id, name in rows:
        safe = safe_filename(name, default="文件")
        if safe != name:
            bind.execute(_files.update().where(_files.c.id == file_id).values(filename=safe))


def downgrade():
    pass  # the raw names are gone; the safe ones stay
