"""Domain records shared by ingest, retrieval, verification and the stores. No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("support", "contradict", "neutral")


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


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles retrieval may cite. Empty means no restriction."""

    sources: tuple[str, ...] = ()
    published_after: str | None = None
    published_before: str | None = None
    exclude_article_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.sources or self.published_after or self.published_before or self.exclude_article_ids)


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


@dataclass(frozen=True)
class Evidence:
    hit: SentenceHit
    label: str  # support | contradict | neutral
    probabilities: dict[str, float] | None  # None: not sent to the NLI model (relevance gate or fast tier)
    relevance: float = 1.0  # cosine similarity of claim and sentence embeddings
    mismatch: tuple[str, ...] = ()  # quantities the sentence states differently from the claim
    overlap: float = 0.0  # share of the claim's content words the sentence contains (relevance.overlap)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float  # calibrated when the model has a calibration map, else raw_confidence
    evidence: list[Evidence]
    conflict: bool = False
    raw_confidence: float | None = None  # the aggregate rule's confidence before calibration


@dataclass
class CheckResult:
    claim: str
    verdict: Verdict
    model: dict[str, str]
    index: dict[str, int]
    timings_ms: dict[str, float]
