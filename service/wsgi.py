"""WSGI entry point for gunicorn: ``gunicorn service.wsgi:app``."""

from factcheck.settings import Settings
from service.app import create_app
from service.observability import configure_logging

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
