"""The interface layer: the HTTP API (app factory, blueprints, schemas, errors) and the ``factcheck`` CLI.
The domain is in ``factcheck``."""

from service.app import create_app

__all__ = ["create_app"]
