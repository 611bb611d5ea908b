"""WSGI entry point of the public portal: `gunicorn portal_wsgi:app`, `flask --app portal_wsgi …`."""

from portal import create_app

app = create_app()
