"""Reading articles from files for ``factcheck ingest``, validated by the API's own schema.

- ``.txt``: one article; the first non-blank line is the title, the whole file is the text,
  the id is the file name without extension.
- ``.json``: one article object, a list of them, or ``{"articles": [...]}``.
- ``.jsonl``: one article object per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import marshmallow as ma

from factcheck.records import Article
from service.articles import to_article
from service.schemas import ArticleInSchema

SUFFIXES = (".txt", ".json", ".jsonl")
SAMPLES_DIR = Path(__file__).resolve().parent / "samples" / "articles"  # the bundled sample corpus
_schema = ArticleInSchema()


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES) if path.is_dir() else [path]
    return files


def _raw_items(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return [{"id": path.stem, "title": title, "text": text}]
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    if isinstance(data, dict) and "articles" in data:
        data = data["articles"]
    return data if isinstance(data, list) else [data]


def read_articles(paths: Iterable[Path]) -> tuple[list[Article], list[str]]:
    """Valid articles from ``paths`` and one message per file or item that could not be read."""
    articles, problems = [], []
    for path in _expand(paths):
        try:
            items = _raw_items(path)
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        for number, item in enumerate(items, start=1):
            try:
                articles.append(to_article(_schema.load(item)))
            except (ma.ValidationError, TypeError) as exc:
                messages = exc.messages if isinstance(exc, ma.ValidationError) else str(exc)
                problems.append(f"{path} item {number}: {messages}")
    return articles, problems
