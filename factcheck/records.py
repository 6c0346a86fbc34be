"""Domain records shared by ingest, retrieval, verification and the stores. No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def timestamp(moment: datetime | None = None) -> str:
    """The timestamp form the records keep: ISO-8601 in UTC with milliseconds (sorts as text); now by
    default."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")


class Label(StrEnum):
    """A verdict, and a cited sentence's label. The NLI model's entailment / contradiction / neutral
    are mapped to these where the model's outputs are read (inference.nli)."""

    SUPPORT = "support"
    CONTRADICT = "contradict"
    NEUTRAL = "neutral"

    @property
    def opposite(self) -> Label:
        """The other side of a decided label (neutral has none and is its own)."""
        return {Label.SUPPORT: Label.CONTRADICT, Label.CONTRADICT: Label.SUPPORT}.get(self, self)


SIDES = (Label.SUPPORT, Label.CONTRADICT)  # the labels that decide a claim


@dataclass(frozen=True)
class Article:
    """An article as stored. ``published_at`` is ISO-8601 in UTC (sorts as text) or None."""

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None
    published_at: str | None = None
    language: str = "en"
    metadata: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""
    tagged_by: str | None = None  # the entity tagger that tagged its sentences; None: not tagged

    @property
    def english(self) -> bool:
        """Whether the English entity tagger can read it (language ``en`` or ``en-*``)."""
        return self.language.lower()[:2] == "en"

    @property
    def entity_status(self) -> tuple[str, str]:
        """``(status, detail)``: tagged, skipped (not English) or pending (indexed without a tagger)."""
        if self.tagged_by:
            return "tagged", self.tagged_by
        if not self.english:
            return "skipped", f"language {self.language!r}: named entities are tagged in English articles only"
        return "pending", "indexed without an entity tagger: `factcheck migrate` with FACTCHECK_NER_MODEL set tags it"


@dataclass(frozen=True)
class ArticleVersion:
    """Version ``n`` of an article, valid from ``valid_from`` until ``valid_to`` (None: current); a
    ``deleted`` version is the tombstone of a deletion (no text)."""

    n: int
    article: Article
    valid_from: str | None  # None: stored before versions were kept
    valid_to: str | None
    deleted: bool = False


@dataclass(frozen=True)
class Entity:
    """A named entity: character offsets into its text, OntoNotes label (PERSON, ORG, GPE, ...), text, and
    whether it is (part of) the grammatical subject or the named source of its sentence."""

    start: int
    end: int
    label: str
    text: str
    subject: bool = False


@dataclass(frozen=True)
class ClaimPart:
    """One clause of a compound claim: offsets into the claim, its text there, the hypothesis it is
    checked as (the text with a shared or pronoun subject written out), and the hypothesis's named
    entities (offsets into it)."""

    start: int
    end: int
    text: str
    hypothesis: str
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: offsets into the article's text, and its named entities (offsets into
    the sentence) when the article was tagged."""

    index: int
    start: int
    end: int
    text: str
    entities: tuple[Entity, ...] | None = None
    antecedent: int | None = None  # the sentence it needs to be read (antecedents.py); set with its entities


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles retrieval may cite. Empty means no restriction."""

    sources: tuple[str, ...] = ()
    published_after: str | None = None
    published_before: str | None = None
    exclude_article_ids: tuple[str, ...] = ()
    as_of: str | None = None  # only articles published by then, each as it stood then (pipeline/asof.py)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Filters:
        """Filters from their JSON form (dates already ISO-8601 in UTC); missing keys restrict nothing."""
        return cls(
            sources=tuple(data.get("sources") or ()),
            published_after=data.get("published_after"),
            published_before=data.get("published_before"),
            exclude_article_ids=tuple(data.get("exclude_article_ids") or ()),
            as_of=data.get("as_of"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "published_after": self.published_after,
            "published_before": self.published_before,
            "exclude_article_ids": list(self.exclude_article_ids),
            **({"as_of": self.as_of} if self.as_of else {}),
        }

    @property
    def empty(self) -> bool:
        return not (
            self.sources or self.published_after or self.published_before or self.exclude_article_ids or self.as_of
        )


@dataclass(frozen=True)
class SentenceHit:
    """A retrieved sentence with what a citation needs about its article."""

    sentence_id: int
    article_id: str
    title: str
    url: str | None
    source: str | None
    published_at: str | None
    index: int
    start: int
    end: int
    text: str
    retrieval_score: float = 0.0
    vector: Any = field(default=None, compare=False, repr=False)  # the stored unit embedding
    # the article's first sentence and the sentence before this one: what "he" or "the base" may refer to
    context: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # its named entities (offsets into ``text``) when its article was tagged at ingest
    entities: tuple[Entity, ...] | None = field(default=None, compare=False, repr=False)
    # the text of the sentence it needs to be read (a list's heading, a pronoun's sentence before it)
    antecedent: str | None = field(default=None, compare=False, repr=False)
    article_version: str = field(default="", compare=False, repr=False)  # the article's content hash
    superseded: bool = field(default=False, compare=False, repr=False)  # cited as of a date: a later version exists
    # (source, published_at) of the same sentence in other articles (syndicated copies), cited once as this
    copies: tuple[tuple[str | None, str | None], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Evidence:
    hit: SentenceHit
    label: Label
    probabilities: dict[Label, float] | None  # None: not sent to the NLI model (relevance gate or screen)
    relevance: float = 1.0  # cosine similarity of claim and sentence embeddings
    mismatch: tuple[str, ...] = ()  # quantities the sentence states differently from the claim
    overlap: float = 0.0  # share of the claim's content words the sentence contains (relevance.overlap)


@dataclass(frozen=True)
class Verdict:
    verdict: Label
    confidence: float  # calibrated when the model has a calibration map, else raw_confidence
    evidence: list[Evidence]
    conflict: bool = False
    raw_confidence: float | None = None  # the aggregate rule's confidence before calibration


@dataclass(frozen=True)
class Outlets:
    """The distinct sources (outlets) of the sentences counted for each side (pipeline/outlets.py)."""

    support: tuple[str, ...] = ()
    contradict: tuple[str, ...] = ()

    @property
    def support_count(self) -> int:
        return len(self.support)

    @property
    def contradict_count(self) -> int:
        return len(self.contradict)

    @property
    def sources(self) -> Outlets:  # the schema nests the lists under "sources"
        return self


@dataclass(frozen=True)
class PartVerdict:
    """A compound claim's part with its own verdict; ``evidence``: indices into the claim's evidence."""

    part: ClaimPart
    verdict: Verdict
    evidence: tuple[int, ...]


@dataclass
class CheckResult:
    claim: str
    verdict: Verdict
    model: dict[str, str]
    index: dict[str, int]
    timings_ms: dict[str, float]
    parts: tuple[PartVerdict, ...] | None = None  # None: a single-clause claim
    id: str | None = None  # set when the check is stored
    outlets: Outlets | None = None  # the distinct sources counted for each side
    as_of: dict[str, Any] | None = None  # checked as of a date: the date, and how many undated articles were left out


@dataclass(frozen=True)
class AuditEntry:
    """One write as the audit log keeps it: who (a key's short hash), what, on which resource, with
    which outcome, in which request, when (ISO-8601 UTC)."""

    at: str
    key_id: str
    action: str  # article.upsert | article.delete | job.create | job.cancel
    resource: str  # the article or job id
    outcome: str
    request_id: str | None = None
    id: int | None = None  # given by the store


@dataclass(frozen=True)
class StoredCheck:
    """A check as the store keeps it: the result as the API gave it, what produced it, and which
    article versions it cites."""

    id: str
    created_at: str  # ISO-8601, UTC, milliseconds (sorts as text)
    claim: str
    verdict: str
    confidence: float
    result: dict[str, Any]  # the API's response body
    provenance: dict[str, Any]
    request: dict[str, Any]  # top_k and filters
    citations: tuple[tuple[str, str], ...] = ()  # (article id, article version) of each cited sentence
    history: tuple[dict[str, Any], ...] = ()  # earlier results it replaced: result, provenance, when, why
    stale: dict[str, Any] | None = None  # a re-check is pending: which article changed, how, when

    @property
    def is_stale(self) -> bool:
        return self.stale is not None


@dataclass(frozen=True)
class CheckQuery:
    """Which stored checks to list; empty fields restrict nothing."""

    verdict: str | None = None
    cites_article: str | None = None
    created_after: str | None = None
    created_before: str | None = None
