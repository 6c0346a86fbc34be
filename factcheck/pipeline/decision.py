"""The decision rule: when a retrieved sentence counts for a verdict.

A sentence counts for ``support`` when it is about the claim (cosine relevance plus
``overlap_weight`` times its word overlap ≥ ``min_relevance``, or, when the rule has
``min_overlap``, at least that share of the claim's content words in the sentence:
relevance.overlap), states none of the claim's quantities differently (mismatch.py) and the model
gives it P(support) ≥ ``support``; it counts for ``contradict`` when it is about the claim and
P(contradict) ≥ ``contradict``. Everything else is neutral.

The numbers belong to the NLI model they were chosen for (its biases are its own): they are
chosen by ``factcheck-lab calibrate`` on the training-side tuning set, never on eval/, and stored as
``decision_rule.json`` beside the model. A model without that file uses the defaults below: the
majority of the probability mass, and a relevance gate at the 1st percentile of claim/evidence cosine
on the FEVER pairs of the training pool.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from factcheck.pipeline.entities import blocks_both_sides
from factcheck.records import SIDES, Evidence, Label

RULE_FILE = "decision_rule.json"


@dataclass(frozen=True)
class DecisionRule:
    support: float = 0.5  # P(support) a sentence needs to count as support
    contradict: float = 0.5  # P(contradict) a sentence needs to count as contradiction
    min_relevance: float = 0.25  # cosine below which a sentence is not about the claim
    chosen_on: str = "defaults: majority of probability mass; relevance gate from FEVER pool cosine"
    min_overlap: float | None = None  # share of the claim's content words that makes a sentence about it too
    overlap_weight: float = 0.0  # the gate compares relevance + overlap_weight x word overlap

    def overlaps(self, overlap: float) -> bool:
        """Whether a sentence's word overlap alone makes it about the claim."""
        return self.min_overlap is not None and overlap >= self.min_overlap

    def closeness(self, relevance: float, overlap: float) -> float:
        """How much a sentence is about the claim: relevance plus ``overlap_weight`` times word overlap."""
        return relevance + self.overlap_weight * overlap

    def about(self, relevance: float, overlap: float) -> bool:
        """Whether a sentence is about the claim: its closeness (4 places) reaches the gate, or its word
        overlap alone passes."""
        return round(self.closeness(relevance, overlap), 4) >= self.min_relevance or self.overlaps(overlap)

    def threshold(self, label: Label) -> float:
        return self.support if label == Label.SUPPORT else self.contradict

    def weight(self, evidence: Evidence, label: Label) -> float:
        """How much a sentence backs ``label``: its probability, or 0 when it cannot count for it
        (not about the claim or not scored, a support that states a quantity differently, or a sentence that
        does not mention one of the claim's named entities: entities.py)."""
        if evidence.probabilities is None or not self.about(evidence.relevance, evidence.overlap):
            return 0.0  # not about the claim (not scored when below the gate)
        if evidence.mismatch and (label == Label.SUPPORT or blocks_both_sides(evidence.mismatch)):
            return 0.0
        return evidence.probabilities[label]

    def counts(self, evidence: Evidence, label: Label) -> bool:
        return self.weight(evidence, label) >= self.threshold(label)

    def label(self, evidence: Evidence) -> Label:
        """The sentence's label under this rule: the side it counts for, else neutral."""
        sides = [s for s in SIDES if self.counts(evidence, s)]
        if not sides or evidence.probabilities is None:
            return Label.NEUTRAL
        probabilities = evidence.probabilities
        return max(sides, key=lambda s: probabilities[s])

    def numbers(self) -> dict:
        """The rule's thresholds and weight by name, without ``chosen_on`` (how reports show a rule)."""
        return {k: v for k, v in asdict(self).items() if k != "chosen_on"}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> DecisionRule:
        """The rule stored at ``path``; the defaults when there is no such file."""
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text())
        overlap = data.get("min_overlap")
        return cls(
            float(data["support"]),
            float(data["contradict"]),
            float(data["min_relevance"]),
            str(data.get("chosen_on", "")),
            None if overlap is None else float(overlap),
            float(data.get("overlap_weight", 0.0)),
        )


DEFAULT_RULE = DecisionRule()
