"""The check pipeline: embed the claim, retrieve, verify, aggregate. Used by the API, CLI and evals."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE
from factcheck.pipeline import entities
from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.calibration import CALIBRATION_FILE, LogisticCalibration
from factcheck.pipeline.decision import RULE_FILE, DecisionRule
from factcheck.pipeline.relevance import relevance as relevance_of
from factcheck.pipeline.retrieve import Retriever
from factcheck.pipeline.screen import Screen
from factcheck.pipeline.verify import verify_many
from factcheck.records import CheckResult, Entity, Filters, Verdict
from factcheck.store.base import Store


@dataclass(frozen=True)
class CheckSettings:
    premise_with_title: bool = False
    relevance_with_title: bool = True  # a sentence under the gate may pass as "title. sentence" (relevance.py)
    rule: DecisionRule | None = None  # None: the NLI model's decision_rule.json (defaults without one)
    calibrate: bool = True  # use the NLI model's calibration.json when it has one


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
        self.retriever = Retriever(store)
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

    def _claim_entities(self, claims: Sequence[str]) -> list[list[Entity]] | None:
        """Each claim's key named entities (none for a claim the English NER cannot read: entities.readable)."""
        if self.tagger is None:
            return None
        readable = [entities.readable(claim) for claim in claims]
        found = iter(self.tagger.entities([claim for claim, ok in zip(claims, readable, strict=True) if ok]))
        return [entities.key_entities(next(found)) if ok else [] for ok in readable]

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
        retrieval two claims at a time (Retriever.retrieve_many)."""
        started = time.perf_counter()
        vectors = self.embedder.encode(list(claims), batch_size=ALONE)  # as a single check would
        embedded = time.perf_counter()
        hits = self.retriever.retrieve_many(claims, vectors, filters, top_k)
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
            self._claim_entities(claims),
        )
        verified = time.perf_counter()
        verdicts = [self._calibrated(aggregate(e, self.rule), claim) for e, claim in zip(evidence, claims, strict=True)]
        index = self.store.stats()
        timings = {
            "embed": _ms(started, embedded),
            "retrieve": _ms(embedded, retrieved),
            "nli": _ms(retrieved, verified),
            "total": _ms(started, time.perf_counter()),
        }
        return [CheckResult(c, v, self.model_info, index, timings) for c, v in zip(claims, verdicts, strict=True)]


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
