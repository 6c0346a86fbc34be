"""Check a whole draft before it is published: split it as ingest splits articles, keep the sentences
that state a checkable fact (checkworthy.py), and check those against the archive in one batch, each
exactly as a single check would be."""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple, dataclass, replace

from factcheck.pipeline.checker import FactChecker
from factcheck.pipeline.checkworthy import worthiness
from factcheck.pipeline.sentences import split_sentences
from factcheck.records import CheckResult, Filters


@dataclass(frozen=True)
class DraftSentence:
    start: int  # character offsets into the draft's text
    end: int
    text: str
    checkworthy: bool
    reason: str
    result: CheckResult | None = None  # None for a skipped sentence


@dataclass(frozen=True)
class DraftCheck:
    sentences: list[DraftSentence]

    @property
    def summary(self) -> dict[str, int]:
        """How many sentences were checked and skipped, and the checked ones' verdicts."""
        verdicts = Counter(str(s.result.verdict.verdict) for s in self.sentences if s.result is not None)
        checked = sum(verdicts.values())
        return {
            "checked": checked,
            "support": verdicts["support"],
            "contradict": verdicts["contradict"],
            "neutral": verdicts["neutral"],
            "skipped": len(self.sentences) - checked,
        }


def draft_sentences(text: str, language: str = "en") -> list[DraftSentence]:
    """The sentences of ``text``, each marked check-worthy or not, with its reason (not yet checked)."""
    return [
        DraftSentence(span.start, span.end, span.text, *astuple(worthiness(span.text)))
        for span in split_sentences(text, language)  # at most MAX_SENTENCE_CHARS each: a claim's limit
    ]


def check_draft(
    checker: FactChecker, text: str, top_k: int = 8, filters: Filters = Filters(), language: str = "en"
) -> DraftCheck:
    """Every sentence of ``text`` with whether it is check-worthy and why, and the check-worthy ones'
    results (``filters`` should leave out the draft itself when it is indexed)."""
    sentences = draft_sentences(text, language)
    claims = [s.text for s in sentences if s.checkworthy]
    results = iter(checker.check_many(claims, top_k, filters) if claims else [])
    return DraftCheck([replace(s, result=next(results)) if s.checkworthy else s for s in sentences])
