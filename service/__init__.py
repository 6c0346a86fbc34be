"""The web layer: app factory, blueprints, schemas and error handlers. Domain code is in factcheck/."""

from service.app import create_app

__all__ = ["create_app"]
