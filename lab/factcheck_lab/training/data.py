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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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

# v4 is v3 trained one more, shorter pass (warm start from v3, lr 1e-5) on the fact-checking sources
# (their training rows again, and their synthetic neutral pairs) with MNLI and SNLI rows replayed so
# the general NLI skill is kept. The aim: fewer wrong sides on a claim's own evidence and less
# contradiction for related but silent text, the two largest error bins on the tuning set. Not shipped:
# it missed its shipping rule on the held-out slice (int8 0.8255 < 0.827; RESULTS.md, session 13).
MIX_V4_PASS: dict[str, tuple[int, int]] = {
    "fever_paper_test": (6_600, 1),
    "fever_paper_test+neutral": (2_000, 1),
    "vitaminc_train_sample": (300, 2),
    "covidfact_train": (3_300, 1),
    "covidfact_train+neutral": (500, 1),
    f"scifact_train{TRAIN_CLAIMS}": (1_000, 1),
    "mnli_mismatched": (6_000, 1),
    "snli_test": (2_000, 1),
}

# v6 is v5 trained one more pass (warm start, lr 1e-5) with *hard* neutral pairs for FEVER
# (``hard_neutral``): another claim's evidence that is close to the claim in meaning but names other
# people, places and works, the "related but silent" text that v5 calls a contradiction (RESULTS.md,
# session 15: 7 of 30 hand-judged FEVER wrong sides, and the reason the relevance gate must stay tight).
# General NLI rows are replayed so the model keeps its general skill (v4's first pass, fact-checking
# rows alone, lost 0.3 points on the held-out slice). Not shipped: the held-out slice fell (int8 0.830 <
# 0.8315) and the tuning set did not rise (RESULTS.md, session 16).
MIX_V6_PASS: dict[str, tuple[int, int]] = {
    "fever_paper_test+hard-neutral": (4_000, 1),
    "fever_paper_test": (3_000, 1),
    "fever_paper_test+neutral": (1_000, 1),
    "vitaminc_train_sample": (300, 1),
    f"scifact_train{TRAIN_CLAIMS}": (1_000, 1),
    "covidfact_train": (1_500, 1),
    "mnli_mismatched": (9_000, 1),
    "xnli_en_dev": (2_600, 1),
    "snli_test": (3_000, 1),
}

MIXES = {"v1": MIX_V1, "v2": MIX_V2, "v3": MIX_V3, "v4-pass": MIX_V4_PASS, "v6-pass": MIX_V6_PASS}
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


def load_pool(pool_dir: Path) -> dict[str, list[Pair]]:
    return {path.stem: read_pairs(path) for path in sorted(pool_dir.glob("*.jsonl"))}


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


_NAME = re.compile(r"\b[A-Z][A-Za-z]+\b")
_NOT_NAMES = frozenset(
    (
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "It",
        "Its",
        "He",
        "She",
        "His",
        "Her",
        "They",
        "Their",
        "This",
        "That",
        "These",
        "There",
        "As",
        "By",
        "For",
        "From",
        "After",
        "Before",
        "During",
        "With",
        "Of",
        "And",
        "But",
        "Or",
        "LRB",
        "RRB",
        "LSB",
        "RSB",
    )
)


def names(text: str) -> set[str]:
    """The capitalised words of ``text`` that name something (not sentence openers like "The" or "He"),
    by their first five letters: "Moray", "Scotland", "Billboard"."""
    return {w[:5] for w in _NAME.findall(text) if w not in _NOT_NAMES}


def hard_neutral(pairs: list[Pair], n: int, embed: Callable[[list[str]], np.ndarray]) -> list[Pair]:
    """Neutral pairs that look like evidence: each claim against the evidence text of another claim
    that is closest to it in meaning (cosine of ``embed``'s unit vectors) among the texts that name
    something and share no name with the claim or with its own evidence. A text about other named
    people, places or works does not decide the claim however close its wording ("The 2014 MTV EMAs
    were held in Glasgow" for "The Independent Spirit Awards have always been held in Germany");
    a text without names (a pronoun's sentence) might be about the claim's subject, so none is used."""
    evidence = sorted({p.premise for p in pairs})
    evidence_names = [names(text) for text in evidence]
    claims: dict[str, list[Pair]] = {}
    for pair in pairs:
        claims.setdefault(pair.hypothesis, []).append(pair)
    claim_texts = list(claims)  # in the order of ``pairs``: the caller shuffles them
    similarity = embed(claim_texts) @ embed(evidence).T
    out: list[Pair] = []
    for c, claim in enumerate(claim_texts):
        taken = names(claim).union(*(names(p.premise) for p in claims[claim]))
        allowed = np.array([bool(found) and not found & taken for found in evidence_names])
        if allowed.any():
            best = int(np.argmax(np.where(allowed, similarity[c], -np.inf)))
            first = claims[claim][0]
            out.append(
                Pair(
                    f"{first.id}+hard-neutral", evidence[best], claim, "neutral", "3way", f"{first.source}+hard-neutral"
                )
            )
        if len(out) == n:
            break
    return out


def _shipped_embedder() -> Callable[[list[str]], np.ndarray]:
    from factcheck.inference.embed import Embedder

    embedder = Embedder(Path(__file__).resolve().parents[2] / "models/embed")
    return lambda texts: embedder.encode(texts, batch_size=64)


def _source_rows(pool_dir: Path, source: str) -> list[Pair]:
    """A source's training rows (held-out rows removed)."""
    pairs = read_pairs(pool_dir / f"{source}.jsonl")
    if source in HELDOUT_SOURCES:
        pairs = split_heldout(pairs, HELDOUT_SOURCES[source])[0]
    return pairs


def training_mix(pool_dir: Path, mix: dict[str, tuple[int, int]] | None = None, seed: int = 13) -> list[Pair]:
    """Build the shuffled training list from the pool according to ``mix``; a source named
    ``X+neutral`` is ``synthetic_neutral`` pairs made from source X's training rows (``X+hard-neutral``:
    ``hard_neutral`` pairs, with the shipped sentence embedder), one named
    ``X/train-claims`` is source X's rows whose claim is not a tuning claim."""
    mix = mix or DEFAULT_MIX
    rng = random.Random(seed)
    out: list[Pair] = []
    for source, (limit, repeats) in mix.items():
        if source.endswith("+neutral"):
            pairs = synthetic_neutral(_source_rows(pool_dir, source.removesuffix("+neutral")), limit, rng)
        elif source.endswith("+hard-neutral"):
            rows = _source_rows(pool_dir, source.removesuffix("+hard-neutral"))
            pairs = hard_neutral(rng.sample(rows, len(rows)), limit, _shipped_embedder())
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
