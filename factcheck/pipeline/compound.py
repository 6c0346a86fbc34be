"""A compound claim's verdict from its parts' verdicts (the parts: ``inference.clauses``).

- **contradict** if any part is contradicted (confidence: the most confident contradicted part);
- **support** only if every part is supported (confidence: the least confident part);
- otherwise **neutral** (confidence: the least confident neutral part).

The claim's evidence is each part's evidence in turn, deciding parts first; a sentence cited for two
parts is listed once per part, with that part's label. ``conflict`` is set when any part has one.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.records import ClaimPart, Evidence, Label, PartVerdict, Verdict


def combine(parts: Sequence[ClaimPart], verdicts: Sequence[Verdict]) -> tuple[Verdict, tuple[PartVerdict, ...]]:
    """The claim's verdict and each part with its verdict and its evidence's indices into the claim's."""
    labels = [v.verdict for v in verdicts]
    if Label.CONTRADICT in labels:
        label, pick = Label.CONTRADICT, max
    elif all(lab == Label.SUPPORT for lab in labels):
        label, pick = Label.SUPPORT, min
    else:
        label, pick = Label.NEUTRAL, min
    deciding = [v for v in verdicts if v.verdict == label]
    order = sorted(range(len(parts)), key=lambda i: (verdicts[i].verdict != label, i))
    evidence: list[Evidence] = []
    indices: dict[int, tuple[int, ...]] = {}
    for i in order:
        indices[i] = tuple(range(len(evidence), len(evidence) + len(verdicts[i].evidence)))
        evidence += verdicts[i].evidence
    verdict = Verdict(
        label,
        pick(v.confidence for v in deciding),
        evidence,
        any(v.conflict for v in verdicts),
        _raw(deciding, pick),
    )
    return verdict, tuple(PartVerdict(p, v, indices[i]) for i, (p, v) in enumerate(zip(parts, verdicts, strict=True)))


def _raw(deciding: Sequence[Verdict], pick) -> float | None:
    raw = [v.raw_confidence for v in deciding if v.raw_confidence is not None]
    return pick(raw) if raw else None
