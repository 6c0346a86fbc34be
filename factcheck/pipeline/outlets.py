"""How many independent outlets back each side of a verdict.

For each side, the distinct ``source`` values of the sentences the decision rule counts for it
(``DecisionRule.counts``). A sentence syndicated in several articles is cited once (retrieve.py) and
counted once, for the outlet that published it first: the earliest ``published_at`` among the
sentence's article and its copies' (an undated copy comes after dated ones). A sentence whose first
outlet has no ``source`` is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.pipeline.decision import DecisionRule
from factcheck.records import Evidence, Label, Outlets, SentenceHit


def outlets(evidence: Sequence[Evidence], rule: DecisionRule) -> Outlets:
    def sources(side: Label) -> tuple[str, ...]:
        found = {first_outlet(e.hit) for e in evidence if rule.counts(e, side)}
        return tuple(sorted(s for s in found if s))

    return Outlets(sources(Label.SUPPORT), sources(Label.CONTRADICT))


def first_outlet(hit: SentenceHit) -> str | None:
    """The source of the earliest-published copy of a cited sentence."""
    copies = [(hit.source, hit.published_at), *hit.copies]
    return min(copies, key=lambda c: (c[1] is None, c[1] or ""))[0]
