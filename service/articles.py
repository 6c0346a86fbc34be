"""/v1/articles: upsert, batch upsert, read, list, delete."""

from __future__ import annotations

from dataclasses import asdict

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.routing import BaseConverter

from factcheck.records import Article
from service import audit, rechecks
from service.context import services
from service.docs import BODY_ROUTE, READ_ROUTE, problems
from service.errors import NotFoundError
from service.schemas import (
    ArticleBatchInSchema,
    ArticleBatchResultSchema,
    ArticleDeleteQuerySchema,
    ArticleInSchema,
    ArticleListQuerySchema,
    ArticleListSchema,
    ArticleSchema,
    ArticleVersionListSchema,
    ArticleVersionSchema,
    UpsertResultSchema,
    to_filters,
    utc_iso,
)
from service.security import require_scope

blp = Blueprint("articles", __name__, url_prefix="/v1/articles", description="Index and manage articles")
_article_in = ArticleInSchema()


class PathIdConverter(BaseConverter):
    """Article and check ids in paths: never "batch", so /v1/articles/batch and /v1/checks/batch are
    only the batch endpoints."""

    regex = r"(?!batch(?:/|$))[^/]+"


def register_converters(app, api) -> None:
    for name in ("article_id", "check_id"):
        app.url_map.converters[name] = PathIdConverter
    api.register_converter(PathIdConverter, lambda converter: {"type": "string"})


def to_article(data: dict) -> Article:
    return Article(
        id=data.get("id", ""),
        title=data["title"],
        text=data["text"],
        url=data["url"],
        source=data["source"],
        published_at=utc_iso(data["published_at"]),
        language=data["language"],
        metadata=data["metadata"],
    )


def _upsert_batch(items: list[dict]) -> list[dict]:
    """Validate every item, then index the valid ones together; each item succeeds or fails on its own."""
    results: list[dict] = [{} for _ in items]
    valid: list[tuple[int, Article]] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, to_article(_article_in.load(raw))))
        except ma.ValidationError as exc:
            results[index] = {"index": index, "ok": False, "status": "error", "errors": exc.messages}
    stored = services().require_indexer().upsert_many([article for _, article in valid]) if valid else []
    for (index, _), result in zip(valid, stored, strict=True):
        results[index] = {"index": index, "ok": True, **asdict(result)}
    audit.record("article.upsert", [(r.id, r.status) for r in stored])
    for r in stored:
        if r.status == "updated":
            rechecks.mark(services(), r.id, "updated")
    return results


@blp.route("")
class Articles(MethodView):
    @blp.arguments(ArticleListQuerySchema, location="query")
    @blp.response(200, ArticleListSchema)
    @problems(blp, *READ_ROUTE)
    def get(self, query):
        """List articles, oldest first, with cursor pagination and filters."""
        filters = to_filters({**query, "sources": [query["source"]] if "source" in query else []})
        articles, cursor = services().store.list_articles(filters, query.get("cursor"), query["limit"])
        return {"articles": articles, "next_cursor": cursor}

    @blp.arguments(ArticleInSchema)
    @blp.response(200, UpsertResultSchema, description="Already indexed (unchanged) or re-indexed (updated)")
    @blp.alt_response(201, schema=UpsertResultSchema, description="Indexed for the first time")
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Create or update one article; identical content is not re-indexed."""
        result = services().require_indexer().upsert(to_article(data))
        audit.record("article.upsert", [(result.id, result.status)])
        if result.status == "updated":
            rechecks.mark(services(), result.id, "updated")
        return asdict(result), 201 if result.status == "created" else 200


@blp.route("/batch")
class ArticleBatch(MethodView):
    @blp.arguments(ArticleBatchInSchema)
    @blp.response(200, ArticleBatchResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Upsert up to 500 articles; each item succeeds or fails on its own."""
        return {"results": _upsert_batch(data["articles"])}


@blp.route("/<article_id:article_id>")
class ArticleById(MethodView):
    @blp.response(200, ArticleSchema)
    @problems(blp, *READ_ROUTE, missing="article")
    def get(self, article_id):
        """One article with its sentences and their character offsets."""
        found = services().store.get(article_id)
        if found is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        article, sentences = found
        status, detail = article.entity_status
        return {
            **asdict(article),
            "entities": {"status": status, "detail": detail},
            "sentences": [asdict(s) for s in sentences],
        }

    @blp.arguments(ArticleDeleteQuerySchema, location="query")
    @blp.response(204)
    @problems(blp, *READ_ROUTE, missing="article")
    def delete(self, query, article_id):
        """Delete an article and everything indexed for it; its versions stay, with a tombstone, so stored
        citations stay resolvable. ``?purge=true`` (scope admin) removes them too, for good."""
        if query["purge"]:
            require_scope("admin")
        deleted = services().store.delete(article_id, purge=query["purge"])
        outcome = ("purged" if query["purge"] else "deleted") if deleted else "not_found"
        audit.record("article.purge" if query["purge"] else "article.delete", [(article_id, outcome)])
        if not deleted:
            raise NotFoundError(f"no article with id {article_id!r}")
        rechecks.mark(services(), article_id, "purged" if query["purge"] else "deleted")


def _versions(article_id: str) -> list:
    found = services().store.versions(article_id)
    if not found:
        raise NotFoundError(f"no article with id {article_id!r} (nor any version of one)")
    return found


@blp.route("/<article_id:article_id>/versions")
class ArticleVersions(MethodView):
    @blp.response(200, ArticleVersionListSchema)
    @problems(blp, *READ_ROUTE, missing="article")
    def get(self, article_id):
        """Every version the article has had, oldest first; a deletion leaves a tombstone version."""
        return {"versions": _versions(article_id)}


@blp.route("/<article_id:article_id>/versions/<int:n>")
class ArticleVersionByNumber(MethodView):
    @blp.response(200, ArticleVersionSchema)
    @problems(blp, *READ_ROUTE, missing="article")
    def get(self, article_id, n):
        """Version ``n`` of the article, with its text as it was."""
        version = next((v for v in _versions(article_id) if v.n == n), None)
        if version is None:
            raise NotFoundError(f"article {article_id!r} has no version {n}")
        return version
