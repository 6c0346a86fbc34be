"""NLI training data: reading the shared JSONL pool, the held-out slice and the training mix.

The mix is chosen for a CPU time budget (about 2.5 h of mpnet-base training at ~10 pairs/s):
MNLI-genre text first (the target distribution of the service's news sentences), fact-checking
sources next (FEVER, SciFact, COVID-Fact, VitaminC), then SNLI-family data for volume, and the
synthetic or artefact-heavy sources (breaking_nli, add_one_rte, sick, joci, mpe) left out.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LABELS = ("entailment", "neutral", "contradiction")  # the NLI data sets' names of inference.nli.COLUMNS

# Allowed-label masks: a 3-way row allows its own label; a 2-way "not_entailment" row allows
# neutral or contradiction (the loss is -log of their summed probability, see train_nli.py).
LABEL_MASKS = {
    "entailment": (1, 0, 0),
    "neutral": (0, 1, 0),
    "contradiction": (0, 0, 1),
    "not_entailment": (0, 1, 1),
}

# source -> (max rows taken, times repeated). Order matters only for the docs.
# the sources and sizes of the first model, which v2 builds on
MIX_V1: dict[str, tuple[int, int]] = {
    "mnli_mismatched": (10_000, 2),
    "xnli_en_dev": (3_000, 2),
    "anli_dev": (3_000, 1),
    "anli_train_sample": (500, 1),
    "fever_paper_test": (6_600, 1),
    "vitaminc_train_sample": (300, 2),
    "scifact_train": (1_000, 2),
    "covidfact_train": (3_300, 1),
    "rte": (2_600, 1),
    "snli_test": (6_000, 1),
    "snli_dev": (6_000, 1),
    "cad_snli": (3_000, 1),
    "semi_automatic_nli": (2_000, 1),
    "conjnli_dev": (650, 1),
    "commitmentbank": (300, 1),
    "scitail_test": (1_000, 1),
}

# v2: every MNLI-mismatched and XNLI training row three and two times over (the closest text to the
# main bar and to news prose), and neutral pairs made for the two fact-checking sources that have
# none (see ``synthetic_neutral``), so the model stops calling related-but-silent evidence a contradiction.
MIX_V2: dict[str, tuple[int, int]] = {
    **MIX_V1,
    "mnli_mismatched": (10_000, 3),
    "fever_paper_test": (6_600, 1),
    "fever_paper_test+neutral": (2_000, 1),
    "covidfact_train+neutral": (500, 1),
}

# A source named ``X/train-claims`` is source X without its tuning claims (``TUNING_CLAIM_SHARE``).
TRAIN_CLAIMS = "/train-claims"

# v3: v2 with half of the scifact_train claims kept out of training, so the tuning set's SciFact claims
# are as new to the model as SciFact dev's (v2 trained on every one of them, and the confidence map
# fitted on them was over-confident on SciFact dev). Nothing else changes.
MIX_V3: dict[str, tuple[int, int]] = {
    (f"scifact_train{TRAIN_CLAIMS}" if source == "scifact_train" else source): size for source, size in MIX_V2.items()
}

# the mixes of the shipped models: v2 trained the screen model, v3 the NLI model (v5: two passes over it)
MIXES = {"v2": MIX_V2, "v3": MIX_V3}
DEFAULT_MIX = MIX_V3

# Held-out slice for model selection and calibration: never trained on.
HELDOUT_SOURCES = {"mnli_mismatched": 1_000, "xnli_en_dev": 400, "fever_paper_test": 600}

# Claims of a source kept for the tuning set of the decision rule and calibration (evaluation/tuning.py),
# chosen by a stable hash of the claim text, so every row of a claim falls on the same side.
TUNING_CLAIM_SHARE = {"scifact_train": 0.5}


@dataclass(frozen=True)
class Pair:
    """One premise/hypothesis row of the shared schema."""

    id: str
    premise: str
    hypothesis: str
    label: str
    label_space: str
    source: str


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_pairs(path: Path) -> list[Pair]:
    """Read a JSONL file in the shared NLI schema, dropping rows whose premise is shared with eval."""
    pairs = []
    for row in read_jsonl(path):
        if row.get("premise_shared_with_eval"):
            continue
        pairs.append(
            Pair(
                row["id"],
                row["premise"],
                row["hypothesis"],
                row["label"],
                row.get("label_space", "3way"),
                row.get("source", path.stem),
            )
        )
    return pairs


def _bucket(row_id: str) -> float:
    """A stable pseudo-random number in [0, 1) from a row id (split does not depend on file order)."""
    return int(hashlib.sha1(row_id.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def split_heldout(pairs: list[Pair], n_heldout: int) -> tuple[list[Pair], list[Pair]]:
    """Split a source into (train, heldout) by a stable hash of the row id."""
    ranked = sorted(pairs, key=lambda p: _bucket(p.id))
    return ranked[n_heldout:], ranked[:n_heldout]


def is_tuning_claim(pair: Pair) -> bool:
    """True when the pair's claim belongs to the tuning half of its source (``TUNING_CLAIM_SHARE``)."""
    return _bucket(pair.hypothesis) < TUNING_CLAIM_SHARE.get(pair.source, 0.0)


def heldout_pairs(pool_dir: Path) -> list[Pair]:
    """The fixed held-out slice used for checkpoint choice, quantisation checks and calibration."""
    out: list[Pair] = []
    for source, n in HELDOUT_SOURCES.items():
        out.extend(split_heldout(read_pairs(pool_dir / f"{source}.jsonl"), n)[1])
    return out


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def synthetic_neutral(pairs: list[Pair], n: int, rng: random.Random) -> list[Pair]:
    """Neutral pairs for a source without a neutral class: a claim against the evidence of another
    claim that shares exactly one content word with it: related text that neither supports nor refutes
    it (evidence sharing more words is often about the same fact, and would teach wrong labels).
    Evidence that starts like the claim's own evidence (same article) is never used."""
    evidence = sorted({p.premise for p in pairs})
    by_word: dict[str, list[int]] = {}
    for i, premise in enumerate(evidence):
        for word in _content_words(premise):
            by_word.setdefault(word, []).append(i)
    out: list[Pair] = []
    for pair in rng.sample(pairs, len(pairs)):
        own = pair.premise.split()[:5]
        words = sorted(_content_words(pair.hypothesis) & by_word.keys())
        shared = Counter(i for w in words for i in by_word[w] if evidence[i].split()[:5] != own)
        loosely = sorted(i for i, k in shared.items() if k == 1)
        if loosely:
            premise = evidence[rng.choice(loosely)]
            out.append(
                Pair(f"{pair.id}+neutral", premise, pair.hypothesis, "neutral", "3way", f"{pair.source}+neutral")
            )
        if len(out) == n:
            break
    return out


def _source_rows(pool_dir: Path, source: str) -> list[Pair]:
    """A source's training rows (held-out rows removed)."""
    pairs = read_pairs(pool_dir / f"{source}.jsonl")
    if source in HELDOUT_SOURCES:
        pairs = split_heldout(pairs, HELDOUT_SOURCES[source])[0]
    return pairs


def training_mix(pool_dir: Path, mix: dict[str, tuple[int, int]] | None = None, seed: int = 13) -> list[Pair]:
    """Build the shuffled training list from the pool according to ``mix``; a source named
    ``X+neutral`` is ``synthetic_neutral`` pairs made from source X's training rows, one named
    ``X/train-claims`` is source X's rows whose claim is not a tuning claim."""
    mix = mix or DEFAULT_MIX
    rng = random.Random(seed)
    out: list[Pair] = []
    for source, (limit, repeats) in mix.items():
        if source.endswith("+neutral"):
            pairs = synthetic_neutral(_source_rows(pool_dir, source.removesuffix("+neutral")), limit, rng)
        elif source.endswith(TRAIN_CLAIMS):
            pairs = [p for p in _source_rows(pool_dir, source.removesuffix(TRAIN_CLAIMS)) if not is_tuning_claim(p)]
        else:
            pairs = _source_rows(pool_dir, source)
        rng.shuffle(pairs)
        out.extend(pairs[:limit] * repeats)
    rng.shuffle(out)
    return out


def pass_pairs(pairs: list[Pair], skip: int = 0, limit: int = 0) -> list[Pair]:
    """The pairs one training pass takes from a shuffled mix: ``limit`` of them (0: all the rest)
    starting at pair ``skip``, so a pass with ``skip`` = N continues one that took the first N."""
    if skip >= len(pairs):
        raise ValueError(f"skip {skip}: the mix has only {len(pairs)} pairs")
    return pairs[skip : skip + limit if limit else None]


def calibration_pairs(pool_dir: Path, n: int = 256, seed: int = 7) -> list[tuple[str, str]]:
    """(premise, hypothesis) pairs from the training mix (never the held-out slice) for quantisation
    calibration: activation ranges only, no labels used."""
    return [(p.premise, p.hypothesis) for p in training_mix(pool_dir, seed=seed)[:n]]


def describe(pairs: Iterable[Pair]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pair in pairs:
        counts[pair.source] = counts.get(pair.source, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))
