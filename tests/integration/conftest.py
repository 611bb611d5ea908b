"""Fixtures shared by the integration tests that talk to a running public portal."""

import pytest

from tests.pubhelpers import LivePortal, drop_portal_database, portal_app, portal_backends, portal_database


@pytest.fixture(params=portal_backends())
def portal(request, tmp_path):
    """The real portal app on its own database (each backend configured), served on loopback."""
    url = portal_database(request.param, tmp_path)
    app = portal_app(url)
    live = LivePortal(app).start()
    yield live
    live.stop()
    from portal.extensions import db as portal_db

    with app.app_context():
        portal_db.session.remove()
        portal_db.engine.dispose()
    drop_portal_database(request.param, url)
