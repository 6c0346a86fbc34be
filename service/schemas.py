"""Marshmallow schemas: request validation and the OpenAPI contract of every body."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.records import Filters, Label

MAX_TEXT_CHARS = 1_000_000
MAX_CLAIM_CHARS = 2_000
MAX_BATCH_ARTICLES = 500
MAX_BATCH_CLAIMS = 64
MAX_TOP_K = 50
ARTICLE_ID_PATTERN = r"(?!batch$)[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}"
ARTICLE_ID = validate.Regexp(
    rf"^{ARTICLE_ID_PATTERN}$", error="1-200 characters: letters, digits and . _ : @ - (not first); not 'batch'"
)


# Validators written as regular expressions so the OpenAPI document states them too (as `pattern`).
# Each is linear-time: consecutive character classes are disjoint, so no input can make them backtrack.
# Whitespace and control characters are spelled out (not \s) because Python and ECMAScript regular
# expressions, the OpenAPI clients' dialect, disagree on what \s covers.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_SPACE = r" \t\n\r\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
no_control_chars = validate.Regexp(rf"^[^{_CONTROL}]*$", error="must not contain control characters")
text_with_content = validate.Regexp(
    rf"^[{_SPACE}]*[^{_SPACE}{_CONTROL}][^{_CONTROL}]*$",
    error="must contain a visible character and no control characters",
)
http_url = validate.Regexp(r"^https?://[^\x00-\x20\x7f/?#]+([/?#][^\x00-\x20\x7f]*)?$", error="must be an http(s) URL")
# A URL the service calls: a host name or an IPv4 address, an optional port (1-65535), no user info.
_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
callback_url = validate.Regexp(
    rf"^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:{_PORT})?([/?#][^\x00-\x20\x7f]*)?$",
    error="must be an http(s) URL with a host name or IPv4 address",
)


LABELS = [label.value for label in Label]


def utc_iso(value: datetime | None) -> str | None:
    """A datetime as ISO-8601 in UTC (naive means UTC), the form the store compares as text."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem (application/problem+json)."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Content"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "Field name -> list of messages (invalid input only)"})


class ArticleInSchema(ma.Schema):
    id = fields.String(validate=ARTICLE_ID, metadata={"description": "Default: derived from url, else content"})
    title = fields.String(load_default="", validate=[validate.Length(max=1_000), no_control_chars])
    text = fields.String(required=True, validate=[validate.Length(min=1, max=MAX_TEXT_CHARS), text_with_content])
    url = fields.String(validate=[validate.Length(max=2_000), http_url], allow_none=True, load_default=None)
    source = fields.String(validate=[validate.Length(max=200), no_control_chars], allow_none=True, load_default=None)
    published_at = fields.AwareDateTime(
        default_timezone=UTC,
        allow_none=True,
        load_default=None,
        metadata={"description": "ISO-8601; naive times are taken as UTC"},
    )
    language = fields.String(load_default="en", validate=validate.Regexp(r"^[a-z]{2}(-[A-Za-z]{2,4})?$"))
    metadata = fields.Dict(keys=fields.String(), load_default=dict)


class ArticleBatchInSchema(ma.Schema):
    articles = fields.List(
        fields.Dict(),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH_ARTICLES),
        metadata={
            "description": "Each item is an ArticleIn; items are validated one by one and an invalid item fails alone"
        },
    )

    @ma.validates("articles")
    def ids_are_unique(self, articles: list[dict], **_) -> None:
        ids = [str(a["id"]) for a in articles if isinstance(a.get("id"), str)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ma.ValidationError(f"duplicate ids in one batch: {', '.join(duplicates[:10])}")


class UpsertResultSchema(ma.Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["created", "updated", "unchanged"]))
    sentences = fields.Integer(required=True)


class BatchItemResultSchema(ma.Schema):
    index = fields.Integer(required=True)
    ok = fields.Boolean(required=True)
    id = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(["created", "updated", "unchanged", "error"]))
    sentences = fields.Integer(allow_none=True)
    errors = fields.Dict(allow_none=True, metadata={"description": "Field name -> messages, when ok is false"})


class ArticleBatchResultSchema(ma.Schema):
    results = fields.List(fields.Nested(BatchItemResultSchema), required=True)


class EntitySchema(ma.Schema):
    start = fields.Integer(required=True, metadata={"description": "Offset into the sentence's text."})
    end = fields.Integer(required=True)
    label = fields.String(required=True, metadata={"description": "OntoNotes type: PERSON, ORG, GPE, NORP, ..."})
    text = fields.String(required=True)


class SentenceSchema(ma.Schema):
    index = fields.Integer(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    entities = fields.List(
        fields.Nested(EntitySchema),
        allow_none=True,
        required=True,
        metadata={
            "description": "Its named entities when it reports speech (a verb of saying, 'according to'): a check"
            " reads them to find who it quotes. Null for other sentences and in an article that is not tagged"
            " (see `entities`)."
        },
    )


class EntityStatusSchema(ma.Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(["tagged", "skipped", "pending"]),
        metadata={
            "description": "tagged: sentences that report speech carry their named entities; skipped: not English,"
            " so not tagged;"
            " pending: indexed without an entity tagger (`factcheck migrate` tags it)."
        },
    )
    detail = fields.String(required=True, metadata={"description": "The tagger, or why there are no entities."})


class ArticleSummarySchema(ma.Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    language = fields.String(required=True)
    metadata = fields.Dict(required=True)
    content_hash = fields.String(required=True)


class ArticleSchema(ArticleSummarySchema):
    text = fields.String(required=True)
    sentences = fields.List(fields.Nested(SentenceSchema), required=True)
    entities = fields.Nested(EntityStatusSchema, required=True)


class AuditQuerySchema(ma.Schema):
    cursor = fields.String(validate=validate.Regexp(r"^[0-9]{1,18}$", error="not a cursor from this API"))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditEntrySchema(ma.Schema):
    """One write: dumps a ``records.AuditEntry``."""

    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"description": "When (ISO-8601, UTC)"})
    key_id = fields.String(
        required=True, metadata={"description": "Short hash of the API key used (anonymous with auth off)"}
    )
    action = fields.String(
        required=True,
        validate=validate.OneOf(["article.upsert", "article.delete", "article.purge", "job.create", "job.cancel"]),
    )
    resource = fields.String(required=True, metadata={"description": "The article or job id"})
    outcome = fields.String(
        required=True,
        metadata={"description": "created, updated, unchanged, deleted, purged, cancelled or not_found"},
    )
    request_id = fields.String(allow_none=True, required=True)


class AuditListSchema(ma.Schema):
    entries = fields.List(fields.Nested(AuditEntrySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class StrictQueryBoolean(fields.Boolean):
    """A query flag: ``true`` or ``false`` only."""

    def __init__(self, **kwargs: Any):
        super().__init__(truthy={"true"}, falsy={"false"}, **kwargs)


class ArticleDeleteQuerySchema(ma.Schema):
    purge = StrictQueryBoolean(
        load_default=False,
        metadata={
            "description": "true (scope admin): remove the article and its versions for good; checks citing it"
            " keep the cited sentences' text only"
        },
    )


class ArticleVersionSummarySchema(ma.Schema):
    """Dumps a ``records.ArticleVersion``."""

    n = fields.Integer(required=True)
    content_hash = fields.String(required=True, attribute="article.content_hash")
    title = fields.String(required=True, attribute="article.title")
    valid_from = fields.String(
        allow_none=True, required=True, metadata={"description": "null: stored before versions were kept"}
    )
    valid_to = fields.String(allow_none=True, required=True, metadata={"description": "null: the current version"})
    deleted = fields.Boolean(required=True, metadata={"description": "the tombstone of a deletion"})


class ArticleVersionListSchema(ma.Schema):
    versions = fields.List(fields.Nested(ArticleVersionSummarySchema), required=True)


class ArticleVersionSchema(ArticleVersionSummarySchema):
    text = fields.String(required=True, attribute="article.text")
    url = fields.String(allow_none=True, required=True, attribute="article.url")
    source = fields.String(allow_none=True, required=True, attribute="article.source")
    published_at = fields.String(allow_none=True, required=True, attribute="article.published_at")
    language = fields.String(required=True, attribute="article.language")
    metadata = fields.Dict(required=True, attribute="article.metadata")


class ArticleListQuerySchema(ma.Schema):
    cursor = fields.String(validate=validate.Regexp(r"^[0-9]{1,18}$", error="not a cursor from this API"))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    source = fields.String(validate=validate.Length(max=200))
    published_after = fields.AwareDateTime(default_timezone=UTC)
    published_before = fields.AwareDateTime(default_timezone=UTC)


class ArticleListSchema(ma.Schema):
    articles = fields.List(fields.Nested(ArticleSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class FiltersSchema(ma.Schema):
    sources = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list, validate=validate.Length(max=100)
    )
    published_after = fields.AwareDateTime(default_timezone=UTC, allow_none=True, load_default=None)
    published_before = fields.AwareDateTime(default_timezone=UTC, allow_none=True, load_default=None)
    exclude_article_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list, validate=validate.Length(max=1_000)
    )


def to_filters(data: dict[str, Any]) -> Filters:
    """The ``Filters`` of a request's validated ``filters`` object (FiltersSchema)."""
    return Filters.from_dict(
        {
            **data,
            "published_after": utc_iso(data.get("published_after")),
            "published_before": utc_iso(data.get("published_before")),
        }
    )


_CLAIM = fields.String(required=True, validate=[validate.Length(min=1, max=MAX_CLAIM_CHARS), text_with_content])


class StrictBoolean(fields.Boolean):
    """JSON true or false only (marshmallow's Boolean also takes 0, 1, "yes", ...)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


_STORE = StrictBoolean(
    load_default=True,
    metadata={"description": "Keep the check (GET /v1/checks/{id}); false: answer and forget"},
)


_AS_OF = fields.AwareDateTime(
    default_timezone=UTC,
    metadata={
        "description": "Check as of this date: only articles published by then, each as it stood then"
        " (undated articles are left out)"
    },
)


class CheckInSchema(ma.Schema):
    claim = _CLAIM
    top_k = fields.Integer(strict=True, load_default=8, validate=validate.Range(min=1, max=MAX_TOP_K))
    filters = fields.Nested(FiltersSchema, load_default=dict)
    store = _STORE
    as_of = _AS_OF


class CheckBatchInSchema(ma.Schema):
    claims = fields.List(_CLAIM, required=True, validate=validate.Length(min=1, max=MAX_BATCH_CLAIMS))
    top_k = fields.Integer(strict=True, load_default=8, validate=validate.Range(min=1, max=MAX_TOP_K))
    filters = fields.Nested(FiltersSchema, load_default=dict)
    store = _STORE
    as_of = _AS_OF


class ProbabilitiesSchema(ma.Schema):
    support = fields.Float(required=True)
    contradict = fields.Float(required=True)
    neutral = fields.Float(required=True)


class EvidenceSchema(ma.Schema):
    """A cited sentence: dumps a ``records.Evidence``."""

    article_id = fields.String(required=True, attribute="hit.article_id")
    title = fields.String(required=True, attribute="hit.title")
    url = fields.String(allow_none=True, attribute="hit.url")
    source = fields.String(allow_none=True, attribute="hit.source")
    published_at = fields.String(allow_none=True, attribute="hit.published_at")
    sentence_index = fields.Integer(required=True, attribute="hit.index")
    text = fields.String(required=True, attribute="hit.text")
    start = fields.Integer(required=True, attribute="hit.start")
    end = fields.Integer(required=True, attribute="hit.end")
    label = fields.String(required=True, validate=validate.OneOf(LABELS))
    probabilities = fields.Nested(
        ProbabilitiesSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "The NLI model's probabilities; null for a sentence that was not sent to it (below the"
            " relevance gate, not mentioning the claim's subject, or judged neither supporting"
            " nor contradicting by the optional screen model): it cannot count for the verdict"
        },
    )
    retrieval_score = fields.Float(required=True, attribute="hit.retrieval_score")
    article_version = fields.String(
        required=True,
        attribute="hit.article_version",
        metadata={"description": "Content hash of the article's version the sentence was read from"},
    )
    superseded = fields.Boolean(
        required=True,
        attribute="hit.superseded",
        metadata={"description": "Checked as_of a date: the article has a later version than the one cited"},
    )
    purged = fields.Boolean(
        metadata={
            "description": "In a stored check only: true when the article was purged since; the sentence's text"
            " is all that is kept of it"
        }
    )
    relevance = fields.Float(
        required=True,
        metadata={
            "description": "Cosine of claim and sentence embeddings (for a sentence under the gate whose article has"
            " a title: of claim and 'title. sentence' when that is higher); below the NLI model's"
            " decision rule's gate (min_relevance in models/nli/decision_rule.json, compared with"
            " relevance + overlap_weight x overlap) the sentence does not count, unless its word overlap"
            " alone reaches min_overlap"
        },
    )
    overlap = fields.Float(
        required=True,
        validate=validate.Range(0, 1),
        metadata={
            "description": "Share of the claim's content words (function words left out, accents ignored, compared"
            " by their first five letters) that the sentence contains. When the decision rule has min_overlap, a"
            " sentence at or above it counts as about the claim whatever its relevance"
        },
    )
    mismatch = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Values (number, year, weekday, month, nationality on the same noun) the sentence states"
            " differently from the claim, e.g. 'number: 3000 vs 20000': such a sentence cannot support the claim;"
            " and the claim's named entities that neither the sentence nor its context mentions: 'subject: Turkey"
            " not in evidence (it names Russia)' (the claim's subject, while the sentence names another of its"
            " kind: the sentence cannot decide the claim either way) or 'entity: Libya not in evidence' (another"
            " entity: it cannot support the claim); and for a claim"
            " about who said something, 'speaker: Dmitry Peskov vs Sergey Lavrov' (the sentence quotes someone"
            " else: it cannot decide the claim either way)"
        },
    )


class AsOfSchema(ma.Schema):
    date = fields.String(required=True)
    undated_articles_left_out = fields.Integer(
        required=True, metadata={"description": "Articles without published_at, which an as-of check cannot place"}
    )


class OutletSourcesSchema(ma.Schema):
    support = fields.List(fields.String(), required=True)
    contradict = fields.List(fields.String(), required=True)


class OutletsSchema(ma.Schema):
    """Dumps a ``records.Outlets``."""

    support = fields.Integer(required=True, attribute="support_count")
    contradict = fields.Integer(required=True, attribute="contradict_count")
    sources = fields.Nested(OutletSourcesSchema, required=True)


class PartSchema(ma.Schema):
    """A compound claim's part: dumps a ``records.PartVerdict``."""

    text = fields.String(
        required=True, attribute="part.text", metadata={"description": "The part as the claim says it."}
    )
    start = fields.Integer(required=True, attribute="part.start", metadata={"description": "Offset into the claim."})
    end = fields.Integer(required=True, attribute="part.end")
    checked_as = fields.String(
        required=True,
        attribute="part.hypothesis",
        metadata={"description": "The sentence checked: the part with a shared or pronoun subject written out."},
    )
    verdict = fields.String(required=True, attribute="verdict.verdict", validate=validate.OneOf(LABELS))
    confidence = fields.Float(required=True, attribute="verdict.confidence")
    conflict = fields.Boolean(required=True, attribute="verdict.conflict")
    evidence = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "Indices into the claim's `evidence` of this part's cited sentences."},
    )


class CheckResultSchema(ma.Schema):
    """A check's answer: dumps a ``records.CheckResult``."""

    id = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The stored check's id (GET /v1/checks/{id}); null when not stored"},
    )
    claim = fields.String(required=True)
    verdict = fields.String(required=True, attribute="verdict.verdict", validate=validate.OneOf(LABELS))
    confidence = fields.Float(
        required=True,
        attribute="verdict.confidence",
        metadata={
            "description": "Probability that the verdict is right: the verdict rule's score, with the relevance"
            " and word overlap of the first cited sentence, mapped through the model's calibration"
            " (logistic, fitted on a training-side tuning set); raw score if the model ships no"
            " calibration"
        },
    )
    conflict = fields.Boolean(
        required=True,
        attribute="verdict.conflict",
        metadata={
            "description": "Strong evidence points both ways: both sides are cited, and the verdict is the side whose"
            " best sentence has the larger probability x closeness to the claim"
        },
    )
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True, attribute="verdict.evidence")
    as_of = fields.Nested(
        AsOfSchema,
        metadata={"description": "Present when the check was asked as_of a date"},
    )
    outlets = fields.Nested(
        OutletsSchema,
        required=True,
        metadata={
            "description": "Independent outlets per side: the distinct sources of the sentences counted for it,"
            " a syndicated sentence once, for the outlet that published it first"
        },
    )
    parts = fields.List(
        fields.Nested(PartSchema),
        metadata={
            "description": "Present only for a compound claim (coordinated clauses, checked with the entity"
            " check on): each part's own verdict. The claim is contradict if any part is, support only"
            " if every part is, neutral otherwise. Absent for a single-clause claim."
        },
    )
    model = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    index = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    timings_ms = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={
            "description": "Milliseconds each step took: `read` (the claim's parse, with the news reading on; it"
            " runs beside `embed` and `retrieve`), `embed`, `retrieve`, `nli` and `total` (wall time). A"
            " batch request's steps cover all its claims."
        },
    )

    @ma.post_dump
    def _omit_absent(self, data: dict, **_) -> dict:
        for key in ("parts", "as_of"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class StoredResult(fields.Nested):
    """A CheckResult as the job runner stored it, already dumped by CheckResultSchema: documented as
    that schema, passed through as it is."""

    def serialize(
        self, attr: str, obj: Any, accessor: Callable[[Any, str, Any], Any] | None = None, **kwargs: Any
    ) -> Any:
        return self.get_value(obj, attr, accessor=accessor)


class CheckListQuerySchema(ma.Schema):
    cursor = fields.String(
        metadata={"description": "next_cursor of the previous page (another value: 400)", "pattern": "^[0-9]{1,18}$"}
    )
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    verdict = fields.String(validate=validate.OneOf(LABELS))
    cites_article = fields.String(validate=validate.Length(min=1, max=200), metadata={"description": "An article id"})
    created_after = fields.AwareDateTime(default_timezone=UTC)
    created_before = fields.AwareDateTime(default_timezone=UTC)


class CitationSchema(ma.Schema):
    article_id = fields.String(required=True)
    article_version = fields.String(required=True, metadata={"description": "The article's content hash then"})


class ProvenanceSchema(ma.Schema):
    model = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        required=True,
        metadata={"description": "Models, decision rule and calibration map (content hashes), code version"},
    )
    index = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    citations = fields.List(fields.Nested(CitationSchema), required=True)


class StoredCheckSchema(ma.Schema):
    """A stored check: dumps a ``records.StoredCheck``."""

    id = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"description": "ISO-8601, UTC"})
    claim = fields.String(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(LABELS))
    confidence = fields.Float(required=True)
    request = fields.Dict(required=True, metadata={"description": "top_k and filters of the request"})
    provenance = fields.Nested(ProvenanceSchema, required=True)
    result = StoredResult(CheckResultSchema, required=True)
    history = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "Earlier results this check replaced: result, provenance, at, why"},
    )
    stale = fields.Boolean(
        required=True,
        attribute="is_stale",
        metadata={"description": "A re-check is pending: an article it cites changed (see stale_reason)"},
    )
    stale_reason = fields.Dict(
        allow_none=True, required=True, attribute="stale", metadata={"description": "article_id, change, at"}
    )


class ClaimReviewQuerySchema(ma.Schema):
    url = fields.String(
        validate=[validate.Length(max=2_000), http_url],
        metadata={"description": "The page that will publish the fact check (default: FACTCHECK_PUBLISHER_URL)"},
    )


class _RatingSchema(ma.Schema):
    type_ = fields.String(data_key="@type", required=True)
    ratingValue = fields.Integer(required=True)  # noqa: N815 (schema.org names)
    bestRating = fields.Integer(required=True)  # noqa: N815
    worstRating = fields.Integer(required=True)  # noqa: N815
    alternateName = fields.String(required=True)  # noqa: N815


class ClaimReviewSchema(ma.Schema):
    """A schema.org ClaimReview draft (JSON-LD); documents what claimreview.claim_review returns."""

    context = fields.String(data_key="@context", required=True)
    type_ = fields.String(data_key="@type", required=True)
    url = fields.String(required=True)
    claimReviewed = fields.String(required=True)  # noqa: N815
    datePublished = fields.String(required=True)  # noqa: N815
    reviewRating = fields.Nested(_RatingSchema, required=True)  # noqa: N815
    itemReviewed = fields.Dict(required=True, metadata={"description": "A Claim: text, appearance"})  # noqa: N815
    author = fields.Dict(required=True, metadata={"description": "An Organization: name, url"})
    citation = fields.List(fields.Dict(), required=True, metadata={"description": "NewsArticles cited"})


class ReplayQuerySchema(ma.Schema):
    save = StrictQueryBoolean(
        load_default=False, metadata={"description": "true: the new result replaces the stored one (kept in history)"}
    )


class ChangeSchema(ma.Schema):
    from_ = fields.Raw(data_key="from", attribute="from", required=True)
    to = fields.Raw(required=True)


class CitationChangeSchema(ma.Schema):
    article_id = fields.String(required=True)
    sentence_index = fields.Integer(required=True)
    text = fields.String(required=True)


class ReplayChangesSchema(ma.Schema):
    verdict = fields.Nested(ChangeSchema, allow_none=True, required=True, metadata={"description": "null: the same"})
    confidence = fields.Nested(ChangeSchema, required=True)
    citations_added = fields.List(fields.Nested(CitationChangeSchema), required=True)
    citations_dropped = fields.List(fields.Nested(CitationChangeSchema), required=True)


class ReplaySchema(ma.Schema):
    stored = StoredResult(CheckResultSchema, required=True)
    replayed = StoredResult(CheckResultSchema, required=True)
    changes = fields.Nested(ReplayChangesSchema, required=True)
    saved = fields.Boolean(required=True)


class CheckListSchema(ma.Schema):
    checks = fields.List(fields.Nested(StoredCheckSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class CheckBatchResultSchema(ma.Schema):
    results = fields.List(fields.Nested(CheckResultSchema), required=True)


MAX_DRAFT_CHARS = 20_000
MAX_JOB_DRAFT_CHARS = 500_000


def _draft_text(limit: int, beyond: str) -> fields.String:
    return fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=limit, error="longer than {max} characters: " + beyond),
            text_with_content,
        ],
        metadata={"description": "The draft's plain text; sentence offsets in the answer are into it"},
    )


class DraftSchema(ma.Schema):
    """A draft and what identifies it; its filters leave the draft itself out of the evidence."""

    text = _draft_text(MAX_DRAFT_CHARS, "send it as a job (POST /v1/jobs with draft)")
    title = fields.String(
        load_default="",
        validate=[validate.Length(max=1_000), no_control_chars],
        metadata={"description": "The draft's headline: not checked (its sentences state what it says)"},
    )
    id = fields.String(
        validate=ARTICLE_ID, metadata={"description": "The draft's article id: an indexed copy is not evidence"}
    )
    url = fields.String(
        validate=[validate.Length(max=2_000), http_url],
        allow_none=True,
        load_default=None,
        metadata={"description": "The draft's URL: an indexed article with it is not evidence"},
    )
    published_at = fields.AwareDateTime(
        default_timezone=UTC,
        allow_none=True,
        load_default=None,
        metadata={"description": "The draft's date: articles published after it are not evidence"},
    )


class DraftInSchema(DraftSchema):
    top_k = fields.Integer(strict=True, load_default=8, validate=validate.Range(min=1, max=MAX_TOP_K))
    filters = fields.Nested(FiltersSchema, load_default=dict)


class JobDraftInSchema(DraftSchema):
    text = _draft_text(MAX_JOB_DRAFT_CHARS, "split it into several jobs")


class DraftSentenceBaseSchema(ma.Schema):
    start = fields.Integer(required=True, metadata={"description": "Character offset into the draft's text"})
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    checkworthy = fields.Boolean(required=True, metadata={"description": "Whether it states a checkable fact"})
    reason = fields.String(
        required=True,
        metadata={
            "description": "Why: the signals that make it check-worthy (attribution, number, date, named entity,"
            " comparison), or why it is skipped (question, boilerplate, byline, heading, opinion, speculation,"
            " no checkable fact)"
        },
    )


class DraftSentenceSchema(DraftSentenceBaseSchema):
    result = fields.Nested(
        CheckResultSchema,
        allow_none=True,
        required=True,
        metadata={"description": "Its check, as POST /v1/checks answers it (not stored); null when skipped"},
    )


class DraftSummarySchema(ma.Schema):
    checked = fields.Integer(required=True)
    support = fields.Integer(required=True)
    contradict = fields.Integer(required=True)
    neutral = fields.Integer(required=True)
    skipped = fields.Integer(required=True)


class DraftResultSchema(ma.Schema):
    sentences = fields.List(fields.Nested(DraftSentenceSchema), required=True)
    summary = fields.Nested(DraftSummarySchema, required=True)


class HealthSchema(ma.Schema):
    status = fields.String(required=True)


class ReadySchema(ma.Schema):
    status = fields.String(required=True)
    model = fields.Dict(required=True)
    index = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


MAX_JOB_CLAIMS = 10_000


class JobInSchema(ma.Schema):
    claims = fields.List(
        _CLAIM,
        validate=validate.Length(min=1, max=MAX_JOB_CLAIMS),
        metadata={"description": "The claims to check; or send `draft` instead"},
    )
    draft = fields.Nested(
        JobDraftInSchema,
        metadata={
            "description": "A draft of up to 500,000 characters instead of claims: its check-worthy sentences are"
            " checked (as POST /v1/drafts/check does), and the job's `draft` tells which item each became. A draft"
            " with no check-worthy sentence makes a job that is done at once (no callback)"
        },
    )
    top_k = fields.Integer(strict=True, load_default=8, validate=validate.Range(min=1, max=MAX_TOP_K))
    filters = fields.Nested(FiltersSchema, load_default=dict)
    store = _STORE
    callback_url = fields.String(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(max=2_000), callback_url],
        metadata={"description": "POSTed {id, status, total, done} when the job finishes"},
    )

    @ma.validates_schema
    def claims_or_draft(self, data: dict[str, Any], **_: Any) -> None:
        if ("claims" in data) == ("draft" in data):
            raise ma.ValidationError("send either claims or draft", "_schema")


class JobDraftSentenceSchema(DraftSentenceBaseSchema):
    item = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The index of the job item it was checked as; null when skipped"},
    )


class JobDraftSchema(ma.Schema):
    sentences = fields.List(fields.Nested(JobDraftSentenceSchema), required=True)


class JobQuerySchema(ma.Schema):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_JOB_CLAIMS))
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=0, max=500),
        metadata={"description": "0: status and progress only"},
    )


class JobItemSchema(ma.Schema):
    index = fields.Integer(required=True)
    claim = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["queued", "running", "done", "cancelled"]))
    result = StoredResult(CheckResultSchema, allow_none=True, required=True)


class JobProgressSchema(ma.Schema):
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)


class JobCallbackSchema(ma.Schema):
    url = fields.String(allow_none=True, required=True, attribute="callback_url")
    status = fields.String(
        allow_none=True,
        required=True,
        attribute="callback_status",
        metadata={"description": "delivered, or failed: reason (after retries with backoff)"},
    )
    attempts = fields.Integer(required=True, attribute="callback_attempts")


class JobSchema(ma.Schema):
    """A job with a page of its results: dumps a ``JobPage``."""

    id = fields.String(required=True, attribute="job.id")
    status = fields.String(
        required=True,
        attribute="job.status",
        validate=validate.OneOf(["queued", "running", "done", "failed", "cancelled"]),
    )
    progress = fields.Nested(JobProgressSchema, required=True)
    created_at = fields.Float(required=True, attribute="job.created_at", metadata={"description": "Unix time"})
    finished_at = fields.Float(allow_none=True, required=True, attribute="job.finished_at")
    callback = fields.Nested(JobCallbackSchema, required=True)
    draft = fields.Nested(
        JobDraftSchema,
        allow_none=True,
        required=True,
        attribute="job.draft",
        metadata={"description": "A draft job's sentences; null for a job of claims"},
    )
    results = fields.List(
        fields.Nested(JobItemSchema),
        required=True,
        metadata={"description": "Items offset..offset+limit, in claim order"},
    )
    next_offset = fields.Integer(allow_none=True, required=True)
