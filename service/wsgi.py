"""WSGI entry point for gunicorn: ``gunicorn service.wsgi:app``."""

from service.app import create_app
from service.config import Config
from service.observability import configure_logging

configure_logging(Config.LOG_LEVEL)
app = create_app()
