"""The review page for journalists (``/review``): a few static files shipped in the package and served
by the app, outside the API contract. The page calls the API from the browser with the key the user
gives it; the files themselves hold no key and need none."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_from_directory

PAGE_DIR = Path(__file__).parent / "review"

page = Blueprint("review", __name__)


@page.route("/review")
def index():
    return send_from_directory(PAGE_DIR, "index.html")


@page.route("/review/<path:filename>")
def asset(filename: str):
    return send_from_directory(PAGE_DIR, filename)
