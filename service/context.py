"""The services of the app handling the current request (built by the composition root)."""

from __future__ import annotations

from flask import current_app

from factcheck.compose import Services
from factcheck.settings import Settings


def services() -> Services:
    return current_app.extensions["factcheck"]


def service_settings() -> Settings:
    return current_app.extensions["factcheck_settings"]
