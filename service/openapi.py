"""The OpenAPI document as committed: ``factcheck openapi > openapi.yaml`` writes it, a test
checks the file still equals what the code generates, and ``GET /openapi.yaml`` serves it."""

from __future__ import annotations

import yaml
from flask import Flask


def spec_yaml(app: Flask) -> str:
    spec = app.extensions["factcheck_api"].spec.to_dict()
    return yaml.safe_dump(spec, sort_keys=True, allow_unicode=True, width=100)
