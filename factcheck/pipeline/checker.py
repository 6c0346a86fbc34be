"""The check pipeline: embed the claim, retrieve, verify, aggregate. Used by the API, CLI and evals."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
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
from factcheck.records import CheckResult, ClaimPart, Entity, Filters, Verdict
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
        checked part by part and its verdict combined from theirs (compound.py)."""
        started = time.perf_counter()
        readings = self._read(claims)
        hypotheses = [p.hypothesis for parts in readings for p in parts]
        keys = [entities.key_entities(p.entities) for parts in readings for p in parts] if self.tagger else None
        verdicts, timings = self._verdicts(hypotheses, top_k, filters, keys, started)
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

    def _verdicts(
        self,
        claims: list[str],
        top_k: int,
        filters: Filters,
        claim_entities: list[list[Entity]] | None,
        started: float,
    ) -> tuple[list[Verdict], dict[str, float]]:
        """Each claim's verdict, and the time each step took."""
        vectors = self.embedder.encode(claims, batch_size=ALONE)  # as a single check would
        embedded = time.perf_counter()
        hits = self.retriever.retrieve_many(claims, vectors, filters, top_k)
        if filters.as_of:
            hits = [as_it_stood(group, filters, self.store, v, top_k) for group, v in zip(hits, vectors, strict=True)]
        relevance = relevance_of(
            self.embedder, vectors, hits, self.rule.min_relevance, self.settings.relevance_with_title
        )
        retrieved = time.perf_counter()
        evidence = verify_many(
            self.nli,
            claims,
            hits,
            self.settings.premise_with_title,
            relevance,
            self.rule,
            self.screen,
            claim_entities,
            self._tag,
        )
        verified = time.perf_counter()
        verdicts = [self._calibrated(aggregate(e, self.rule), claim) for e, claim in zip(evidence, claims, strict=True)]
        timings = {
            "embed": _ms(started, embedded),
            "retrieve": _ms(embedded, retrieved),
            "nli": _ms(retrieved, verified),
            "total": _ms(started, time.perf_counter()),
        }
        return verdicts, timings


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
