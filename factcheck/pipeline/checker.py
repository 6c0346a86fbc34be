"""The check pipeline: embed the claim, retrieve, verify, aggregate. Used by the API, CLI and evals."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE
from factcheck.pipeline import entities
from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.asof import as_it_stood
from factcheck.pipeline.calibration import CALIBRATION_FILE, LogisticCalibration
from factcheck.pipeline.compound import combine
from factcheck.pipeline.decision import RULE_FILE, DecisionRule
from factcheck.pipeline.outlets import outlets
from factcheck.pipeline.relevance import relevance as relevance_of
from factcheck.pipeline.retrieve import RetrievalSettings, Retriever
from factcheck.pipeline.screen import Screen
from factcheck.pipeline.verify import verify_many
from factcheck.records import CheckResult, ClaimPart, Entity, Filters, SentenceHit, Verdict
from factcheck.store.base import Store


@dataclass(frozen=True)
class CheckSettings:
    premise_with_title: bool = False
    relevance_with_title: bool = True  # a sentence under the gate may pass as "title. sentence" (relevance.py)
    rule: DecisionRule | None = None  # None: the NLI model's decision_rule.json (defaults without one)
    calibrate: bool = True  # use the NLI model's calibration.json when it has one
    retrieval: RetrievalSettings = RetrievalSettings()


class FactChecker:
    """Checks claims against the indexed articles. Build once per process; thread-compatible."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        nli: NLIModel,
        settings: CheckSettings = CheckSettings(),
        screen: Screen | None = None,
        tagger: EntityTagger | None = None,
    ):
        self.store = store
        self.tagger = tagger  # named entities of claims (entities.py); None: no entity check
        self.embedder = embedder
        self.nli = nli
        self.screen = screen  # the optional screen model in front of ``nli``
        self.retriever = Retriever(store, settings.retrieval)
        self.settings = settings
        self.rule = settings.rule or DecisionRule.load(nli.directory / RULE_FILE)
        self.calibration = LogisticCalibration.load(nli.directory / CALIBRATION_FILE) if settings.calibrate else None
        # searches for whole claims while they are parsed (a request's thread and the job runner's)
        self._ahead = ThreadPoolExecutor(2, thread_name_prefix="ahead")

    @property
    def model_info(self) -> dict[str, str]:
        info = {
            "nli": self.nli.name,
            "nli_version": self.nli.version,
            "nli_runtime": self.nli.info["runtime"],
            "embedding": self.embedder.name,
        }
        if self.tagger is not None:
            info["ner"] = self.tagger.name
        if self.screen is not None:
            info["nli_screen"] = (
                f"{self.screen.model.name} {self.screen.model.version} (threshold {self.screen.threshold})"
            )
        return info

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """What produces this checker's verdicts: the models, content hashes of the decision rule and the
        calibration map, and the code version (read once: every stored check carries it)."""
        return {
            **self.model_info,
            "rule": _digest(json.dumps(self.rule.numbers(), sort_keys=True).encode()),
            "calibration": _file_digest(self.nli.directory / CALIBRATION_FILE) if self.calibration else None,
            "code": _code_version(),
        }

    def _read(self, claims: Sequence[str]) -> list[tuple[ClaimPart, ...]]:
        """Each claim's parts (compound.py) with their named entities, from one parse. A claim the
        English pipeline cannot read (entities.readable), or any claim without a tagger, is one part
        with no entities."""
        readable = [self.tagger is not None and entities.readable(claim) for claim in claims]
        read = iter(self.tagger.read([c for c, ok in zip(claims, readable, strict=True) if ok]) if self.tagger else [])
        return [next(read) if ok else (ClaimPart(0, len(c), c, c),) for c, ok in zip(claims, readable, strict=True)]

    def _tag(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        """The named entities of evidence sentences, by NER alone (entities.entity_mismatches' rivals)."""
        return self.tagger.entities(texts, parse=False) if self.tagger is not None else [() for _ in texts]

    def _calibrated(self, verdict: Verdict, claim: str) -> Verdict:
        raw = verdict.confidence
        if self.calibration is None:
            return replace(verdict, raw_confidence=raw)
        return replace(verdict, confidence=self.calibration.score(verdict, claim), raw_confidence=raw)

    def check(self, claim: str, top_k: int = 8, filters: Filters = Filters()) -> CheckResult:
        return self.check_many([claim], top_k, filters)[0]

    def check_many(self, claims: Sequence[str], top_k: int = 8, filters: Filters = Filters()) -> list[CheckResult]:
        """Check several claims; each claim gets exactly the answer a single check gives it (every model
        input runs alone, runtime.ALONE); the dense search runs for all claims at once, the rest of
        retrieval two claims at a time (Retriever.retrieve_many). With a tagger, a compound claim is
        checked part by part and its verdict combined from theirs (compound.py); the claims are
        searched for while they are parsed (``_ahead``), and a compound claim's parts searched for
        after."""
        started = time.perf_counter()
        ahead = self._ahead.submit(self._find, list(claims), top_k, filters) if self.tagger else None
        readings = self._read(claims)
        read = time.perf_counter()
        hypotheses = [p.hypothesis for parts in readings for p in parts]
        keys = [entities.key_entities(p.entities) for parts in readings for p in parts] if self.tagger else None
        found = (
            self._find(hypotheses, top_k, filters)
            if ahead is None
            else self._with_parts(ahead, readings, top_k, filters)
        )
        searched = time.perf_counter()
        verdicts = self._verdicts(hypotheses, found, keys)
        timings = {
            "read": _ms(started, read),
            "embed": found.embed_ms,
            "retrieve": found.retrieve_ms,
            "nli": _ms(searched, time.perf_counter()),
            "total": _ms(started, time.perf_counter()),
        }
        index = self.store.stats()
        as_of = (
            {"date": filters.as_of, "undated_articles_left_out": self.store.count_undated()} if filters.as_of else None
        )
        results, row = [], 0
        for claim, parts in zip(claims, readings, strict=True):
            mine, row = verdicts[row : row + len(parts)], row + len(parts)
            verdict, part_verdicts = (mine[0], None) if len(parts) == 1 else combine(parts, mine)
            result = CheckResult(claim, verdict, self.model_info, index, timings, part_verdicts)
            result.outlets = outlets(verdict.evidence, self.rule)
            result.as_of = as_of
            results.append(result)
        return results

    def _find(self, claims: list[str], top_k: int, filters: Filters) -> Found:
        """Embed ``claims`` and retrieve each one's sentences, with their relevance."""
        started = time.perf_counter()
        vectors = self.embedder.encode(claims, batch_size=ALONE)  # as a single check would
        embedded = time.perf_counter()
        hits = self.retriever.retrieve_many(claims, vectors, filters, top_k)
        if filters.as_of:
            hits = [as_it_stood(group, filters, self.store, v, top_k) for group, v in zip(hits, vectors, strict=True)]
        relevance = relevance_of(
            self.embedder, vectors, hits, self.rule.min_relevance, self.settings.relevance_with_title
        )
        return Found(hits, relevance, _ms(started, embedded), _ms(embedded, time.perf_counter()))

    def _with_parts(
        self, ahead: Future[Found], readings: list[tuple[ClaimPart, ...]], top_k: int, filters: Filters
    ) -> Found:
        """What ``ahead`` found for the whole claims, a compound claim's row replaced by its parts' rows."""
        whole = ahead.result()
        split = [p.hypothesis for parts in readings if len(parts) > 1 for p in parts]
        if not split:
            return whole
        found = self._find(split, top_k, filters)
        again, rows = iter(found.rows()), whole.rows()
        chosen = [
            row
            for c, parts in enumerate(readings)
            for row in ([rows[c]] if len(parts) == 1 else [next(again) for _ in parts])
        ]
        return Found(
            [hits for hits, _ in chosen],
            [relevance for _, relevance in chosen],
            whole.embed_ms + found.embed_ms,
            whole.retrieve_ms + found.retrieve_ms,
        )

    def _verdicts(self, claims: list[str], found: Found, claim_entities: list[list[Entity]] | None) -> list[Verdict]:
        """Each claim's verdict from the sentences ``found`` for it."""
        evidence = verify_many(
            self.nli,
            claims,
            found.hits,
            self.settings.premise_with_title,
            found.relevance,
            self.rule,
            self.screen,
            claim_entities,
            self._tag,
        )
        return [self._calibrated(aggregate(e, self.rule), claim) for e, claim in zip(evidence, claims, strict=True)]


@dataclass(frozen=True)
class Found:
    """The sentences retrieved for each of several claims, their relevance, and the time the embedding
    and the search took."""

    hits: list[list[SentenceHit]]
    relevance: list[list[float]]
    embed_ms: float
    retrieve_ms: float

    def rows(self) -> list[tuple[list[SentenceHit], list[float]]]:
        return list(zip(self.hits, self.relevance, strict=True))


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def _file_digest(path: Path) -> str | None:
    return _digest(path.read_bytes()) if path.is_file() else None


@lru_cache(maxsize=1)
def _code_version() -> str:
    try:
        return f"factcheck {metadata.version('factcheck')}"
    except metadata.PackageNotFoundError:
        return "factcheck (not installed)"


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
