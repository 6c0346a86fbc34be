"""The tuning set, and the decision rule and confidence calibration chosen on it (never on eval/).

The tuning set is built from the training pool only (``../shared/data/nli-train``), through the
service's ingest and check paths, with the texts of two fact-checking sources as the index:
- FEVER: the held-out ``fever_paper_test`` claims (never trained on), against the evidence texts of
  all 6,600 pool rows;
- SciFact: the tuning half of the ``scifact_train`` claims (``training.data.is_tuning_claim``; mix v3
  does not train on them, v2 trained on every claim, so a v2 model is optimistic on them), against the
  pool's SciFact evidence texts of both halves (rows whose abstract is shared with the SciFact dev
  corpus are dropped, as in training).
Beside them, the pool's other scientific texts are indexed as distractors for every claim
(``DISTRACTOR_SOURCES``: COVID-Fact evidence, SciTail premises; nobody's own evidence): without them
the SciFact index is 665 short texts that are nearly all some claim's evidence, where a real index is
mostly text about something else (docs/decisions/0074-scientific-distractors-in-the-tuning-index.md).
Each claim is checked with its evidence in the index (gold = its label). SciFact claims are also
checked with every text of their own rows excluded, and every other text that repeats one of their
sentences (gold = neutral: what is left is related text that does not decide it). FEVER claims are
not: their texts are evidence sets of one or more Wikipedia sentences from a few pages, and another
claim's evidence on the same page often decides a claim. Of a sample of 40 FEVER checks without their
evidence that a rule answered support or contradict, 24 cited a sentence that does decide the claim
and 20 were answered right (SciFact: 6 of 30 right;
docs/decisions/0048-the-tuning-set-s-fever-checks-without-evidence.md), so "neutral" was the wrong gold for FEVER about
half the time, and it pushed the rule to ignore real evidence. The same sentence is also evidence for
several claims: of the 600 held-out FEVER claims, 489 have an evidence sentence in another claim's text.
- General prose: the held-out slice's MNLI-mismatched and XNLI-en pairs
  (``GENERAL_SOURCES``, never trained on), each premise indexed beside the other texts and each
  hypothesis checked with it there (gold = the pair's label, so a neutral pair is related text that
  does not decide the claim; no without-evidence check). A newsroom's index is news prose: without
  this part the gold-neutral class came from scientific abstracts alone
  (docs/decisions/0083-a-general-prose-part-in-the-tuning-set.md).

``choose_rule`` picks the DecisionRule with the best macro-F1 over that set from a fixed grid, and
``factcheck-lab calibrate`` only among the rules whose gate lets through at most MAX_GATED_SENTENCES
retrieved sentences per check (the NLI work a rule causes;
docs/decisions/0090-a-decision-rule-chosen-within-a-compute-budget.md);
``cross_validated`` reports what that choice is worth on claims it did not see (two folds by claim).
The grid's rules are judged on arrays (``RuleScorer``: the aggregate rule, vectorised).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path

import numpy as np

from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.calibration import LogisticCalibration
from factcheck.pipeline.checker import CheckSettings
from factcheck.pipeline.decision import DecisionRule
from factcheck.pipeline.sentences import split_sentences
from factcheck.records import Article, Evidence, Filters
from factcheck_lab.evaluation.calibration import expected_calibration_error, fit_calibration_map
from factcheck_lab.training.data import (
    HELDOUT_SOURCES,
    Pair,
    heldout_pairs,
    is_tuning_claim,
    read_pairs,
    split_heldout,
)

GOLD = {"entailment": "support", "contradiction": "contradict", "neutral": "neutral"}
WITHOUT_EVIDENCE_SOURCES = ("scifact",)  # sources whose claims are also checked without their evidence
DISTRACTOR_SOURCES = ("covidfact_train", "scitail_test")  # pool files whose premises are indexed as distractors
GENERAL_SOURCES = ("mnli_mismatched", "xnli_en_dev")  # held-out general prose: the third part
QUICK_DISTRACTORS = 200
# The compute budget of `factcheck-lab calibrate`: at most this many retrieved sentences per tuning check
# through the rule's gate. Set from the batch endpoint's cost per claim measured with two rules on the
# slowest machine the project runs on (AMD EPYC, 2026-12-03): 70.3 ms at 1.710 gated sentences, 104.7 ms
# at 2.218; linear between them, 11 claims/s (the speed target of 10 with a 10 % margin) is 2.01.
MAX_GATED_SENTENCES = 2.0
MIN_REPEATED_WORDS = 3  # a shorter sentence shared by two texts does not make one repeat the other's evidence
RULE_GRID = {
    "support": (0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
    "contradict": (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98),
    "min_relevance": (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8),
    "min_overlap": (None, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),  # None first: on a tie, no word-overlap gate
    "overlap_weight": (0.0, 0.1, 0.2, 0.3, 0.4),  # 0 first: on a tie, the gate sees the cosine alone
}


@dataclass(frozen=True)
class TuningClaim:
    source: str
    claim: str
    gold: str  # verdict with its evidence indexed
    own_texts: tuple[str, ...]  # the texts excluded for the without-evidence check


@dataclass
class TuningCheck:
    source: str
    group: int  # index of the claim: both checks of a claim fall in the same fold
    gold: str
    evidence: list[Evidence]
    claim: str = ""
    with_evidence: bool = True  # False: the check with the claim's own texts excluded (gold neutral)
    verdict: str = ""  # the pipeline's own verdict (a compound claim's combined from its parts)


def pool_claims(pairs: Sequence[Pair], source: str) -> list[TuningClaim]:
    """One TuningClaim per distinct claim; gold = support/contradict when one of its rows says so."""
    rows: dict[str, list[Pair]] = {}
    for pair in pairs:
        rows.setdefault(pair.hypothesis, []).append(pair)
    out = []
    for claim, group in rows.items():
        decided = {GOLD[p.label] for p in group} - {"neutral"}
        if len(decided) > 1:
            continue  # a claim both supported and refuted by the pool: no single gold verdict
        out.append(
            TuningClaim(
                source, claim, decided.pop() if decided else "neutral", tuple(dict.fromkeys(p.premise for p in group))
            )
        )
    return out


def general_pairs(pool: Path) -> list[Pair]:
    """The general-prose part's pairs: the held-out slice's GENERAL_SOURCES rows (never trained on)."""
    return [p for p in heldout_pairs(pool) if p.source in GENERAL_SOURCES]


def tuning_claims(
    pool: Path, fever_limit: int | None = None, scifact_limit: int | None = None, general: bool = True
) -> tuple[list[TuningClaim], list[str]]:
    """The tuning claims and the texts to index: every pool text of both fact-checking sources and of
    the DISTRACTOR_SOURCES, and with ``general`` the general-prose part and its premises (the
    earlier tuning runs held the first two parts only). With a limit (quick
    runs) only the selected claims' own texts and QUICK_DISTRACTORS others, and at most
    ``fever_limit`` general claims."""
    fever = read_pairs(pool / "fever_paper_test.jsonl")
    heldout = split_heldout(fever, HELDOUT_SOURCES["fever_paper_test"])[1][:fever_limit]
    scifact = read_pairs(pool / "scifact_train.jsonl")
    scifact_tuning = [p for p in scifact if is_tuning_claim(p)]  # the half that mix v3 does not train on
    prose = general_pairs(pool) if general else []
    claims = (
        pool_claims(heldout, "fever")
        + pool_claims(scifact_tuning, "scifact")[:scifact_limit]
        + pool_claims(prose, "general")[:fever_limit]
    )
    distractors = [p.premise for source in DISTRACTOR_SOURCES for p in read_pairs(pool / f"{source}.jsonl")]
    texts = list(
        dict.fromkeys(
            [p.premise for p in fever] + [p.premise for p in scifact] + distractors + [p.premise for p in prose]
        )
    )
    if fever_limit is not None or scifact_limit is not None:
        own = list(dict.fromkeys(t for c in claims for t in c.own_texts))
        own_set = set(own)
        texts = own + [t for t in texts if t not in own_set][:QUICK_DISTRACTORS]
    return with_texts_repeating_their_evidence(claims, texts), texts


def _repeatable_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that can repeat another text's evidence: MIN_REPEATED_WORDS words or more."""
    return [s.text for s in split_sentences(text) if len(s.text.split()) >= MIN_REPEATED_WORDS]


def with_texts_repeating_their_evidence(claims: Sequence[TuningClaim], texts: Sequence[str]) -> list[TuningClaim]:
    """Each claim with ``own_texts`` grown by every text that contains one of their sentences, so its
    without-evidence check really has none of its evidence in the index. Only sentences of at least
    MIN_REPEATED_WORDS words count: FEVER's tokenised text splits into lone "." sentences too, which
    would tie a claim to every text that has one."""
    sentences = {text: _repeatable_sentences(text) for text in texts}  # each text split once
    containing: dict[str, set[str]] = {}
    for text, split in sentences.items():
        for sentence in split:
            containing.setdefault(sentence, set()).add(text)
    grown = []
    for claim in claims:
        own = [sentences[text] if text in sentences else _repeatable_sentences(text) for text in claim.own_texts]
        repeating = {t for split in own for sentence in split for t in containing.get(sentence, ())}
        grown.append(replace(claim, own_texts=claim.own_texts + tuple(sorted(repeating - set(claim.own_texts)))))
    return grown


def article_ids(texts: Sequence[str]) -> dict[str, str]:
    """The article id each tuning text is indexed under (benchmarks find a claim's own texts by it)."""
    return {text: f"tune-{i}" for i, text in enumerate(texts)}


def run_tuning_checks(
    pipeline,
    claims: Sequence[TuningClaim],
    texts: Sequence[str],
    top_k: int = 8,
    progress: Callable[[str], None] = print,
    without_evidence: Sequence[str] = WITHOUT_EVIDENCE_SOURCES,
) -> list[TuningCheck]:
    """Index ``texts`` and check every claim with its own texts, and the claims of the
    ``without_evidence`` sources without them too (raw confidences)."""
    article_id = article_ids(texts)
    pipeline.index(
        [Article(id=aid, title="", text=text, source="tuning") for text, aid in article_id.items()], progress
    )
    with_evidence, _ = pipeline.check([c.claim for c in claims], top_k, progress)
    checks = [
        TuningCheck(c.source, i, c.gold, r.verdict.evidence, c.claim, verdict=str(r.verdict.verdict))
        for i, (c, r) in enumerate(zip(claims, with_evidence, strict=True))
    ]
    negatives = [(i, c) for i, c in enumerate(claims) if c.source in without_evidence]
    for n, (i, claim) in enumerate(negatives, 1):
        excluded = Filters(exclude_article_ids=tuple(article_id[t] for t in claim.own_texts))
        result = pipeline.checker.check(claim.claim, top_k, excluded)
        verdict = str(result.verdict.verdict)
        checks.append(TuningCheck(claim.source, i, "neutral", result.verdict.evidence, claim.claim, False, verdict))
        if n % 200 == 0 or n == len(negatives):
            progress(f"checked {n}/{len(negatives)} claims without their evidence")
    return checks


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the labels that occur in ``gold``."""
    gold, predicted = np.asarray(gold), np.asarray(predicted)
    f1s = []
    for label in np.unique(gold):
        tp = int(np.sum((gold == label) & (predicted == label)))
        n = int(np.sum(gold == label) + np.sum(predicted == label))
        f1s.append(2 * tp / n if n else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


class RuleScorer:
    """The verdicts of many decision rules on one set of checks: ``aggregate`` on arrays (per check
    and sentence: P(support), P(contradict), relevance, word overlap, mismatch, scored or not), so the
    grid's thousands of rules take seconds. ``tests/test_tuning.py`` checks it agrees with aggregate."""

    VERDICT = np.array(["neutral", "support", "contradict"])

    def __init__(self, checks: Sequence[TuningCheck]):
        shape = (len(checks), max((len(c.evidence) for c in checks), default=0) or 1)
        self.support, self.contradict = np.zeros(shape), np.zeros(shape)
        self.relevance, self.overlap = np.full(shape, -np.inf), np.zeros(shape)  # padding: never about
        self.mismatch, self.scored = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
        for i, check in enumerate(checks):
            for j, e in enumerate(check.evidence):
                self.relevance[i, j], self.overlap[i, j], self.mismatch[i, j] = e.relevance, e.overlap, bool(e.mismatch)
                if e.probabilities is not None:
                    self.scored[i, j] = True
                    self.support[i, j], self.contradict[i, j] = (
                        e.probabilities["support"],
                        e.probabilities["contradict"],
                    )
        self.gold = np.array([c.gold for c in checks])

    def about(self, rule: DecisionRule) -> np.ndarray:
        """Per check and sentence: scored and about the claim under ``rule``'s gate (DecisionRule.about)."""
        min_overlap = np.inf if rule.min_overlap is None else rule.min_overlap
        closeness = rule.closeness(self.relevance, self.overlap)
        return self.scored & ((np.round(closeness, 4) >= rule.min_relevance) | (self.overlap >= min_overlap))

    def gated_per_check(self, rule: DecisionRule) -> float:
        """Mean number of a check's retrieved sentences that pass ``rule``'s gate (what goes on to the NLI model)."""
        return float(self.about(rule).sum(axis=1).mean())

    def verdicts(self, rule: DecisionRule) -> np.ndarray:
        about, closeness = self.about(rule), rule.closeness(self.relevance, self.overlap)
        support, contradict = np.where(about & ~self.mismatch, self.support, 0.0), np.where(about, self.contradict, 0.0)
        rows, best_s, best_c = np.arange(len(self.gold)), support.argmax(axis=1), contradict.argmax(axis=1)
        s, c = support[rows, best_s], contradict[rows, best_c]
        # of each side's best sentence: who wins a conflict (padding: 0, not -inf, so 0 x it is no NaN)
        closeness = np.where(self.scored, closeness, 0.0)
        s_wins = s * closeness[rows, best_s] >= c * closeness[rows, best_c]
        ok_s, ok_c = s >= rule.support, c >= rule.contradict
        return self.VERDICT[np.where(ok_s & (~ok_c | s_wins), 1, np.where(ok_c, 2, 0))]


def _verdicts(rule: DecisionRule, checks: Sequence[TuningCheck]) -> list[str]:
    return [aggregate(c.evidence, rule).verdict for c in checks]


def candidate_rules() -> list[DecisionRule]:
    return [DecisionRule(s, c, r, min_overlap=o, overlap_weight=w) for s, c, r, o, w in product(*RULE_GRID.values())]


def choose_rule(
    checks: Sequence[TuningCheck],
    description: str = "",
    rules: Sequence[DecisionRule] | None = None,
    max_gated: float | None = None,
) -> DecisionRule:
    """The rule (of the grid, or of ``rules``) with the best macro-F1 on ``checks`` (ties: the
    earlier, lower thresholds); with ``max_gated``, only among the rules whose gate passes at most that
    many sentences per check (``RuleScorer.gated_per_check``)."""
    scorer = RuleScorer(checks)
    allowed = [
        rule for rule in rules or candidate_rules() if max_gated is None or scorer.gated_per_check(rule) <= max_gated
    ]
    if not allowed:
        raise ValueError(f"no rule of the grid passes at most {max_gated} sentences per check through its gate")
    best = max(allowed, key=lambda rule: macro_f1(scorer.gold, scorer.verdicts(rule)))
    return replace(best, chosen_on=description)


def scores(rule: DecisionRule, checks: Sequence[TuningCheck]) -> dict:
    gold, predicted = [c.gold for c in checks], _verdicts(rule, checks)
    by_source = {}
    for source in sorted({c.source for c in checks}):
        rows = [(g, p) for g, p, c in zip(gold, predicted, checks, strict=True) if c.source == source]
        by_source[source] = round(sum(g == p for g, p in rows) / len(rows), 4)
    return {
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold)), 4),
        "macro_f1": round(macro_f1(gold, predicted), 4),
        "accuracy_by_source": by_source,
        "checks": len(gold),
    }


def cross_validated(
    checks: Sequence[TuningCheck], rules: Sequence[DecisionRule] | None = None, max_gated: float | None = None
) -> dict:
    """Choose the rule (of the grid, or of ``rules``, within ``max_gated``) and fit the calibration on
    one half of the claims, score the other half."""
    gold, predicted, confidences = [], [], []
    for fold in (0, 1):
        train = [c for c in checks if c.group % 2 != fold]
        test = [c for c in checks if c.group % 2 == fold]
        rule = choose_rule(train, rules=rules, max_gated=max_gated)
        calibration = fit_calibration(rule, train)
        for check in test:
            verdict = aggregate(check.evidence, rule)
            gold.append(check.gold)
            predicted.append(verdict.verdict)
            confidences.append(calibration.score(verdict, check.claim))
    correct = [g == p for g, p in zip(gold, predicted, strict=True)]
    return {
        "accuracy": round(sum(correct) / max(1, len(correct)), 4),
        "macro_f1": round(macro_f1(gold, predicted), 4),
        "ece": expected_calibration_error(confidences, correct)["ece"],
    }


def fit_calibration(rule: DecisionRule, checks: Sequence[TuningCheck], description: str = "") -> LogisticCalibration:
    verdicts = [aggregate(c.evidence, rule) for c in checks]
    correct = [v.verdict == c.gold for v, c in zip(verdicts, checks, strict=True)]
    return fit_calibration_map(verdicts, [c.claim for c in checks], correct, description)


def tuning_pipeline(nli_dir: str, embed_dir: str):
    """A fresh pipeline that scores every retrieved sentence and serves raw confidences: the rules and
    the calibration are applied to its checks afterwards. (No sentence is under a gate of -1, so none
    gets relevance.py's title context: the pool's texts have no titles anyway.)"""
    from factcheck_lab.evaluation.pipeline import EvalPipeline

    return EvalPipeline(nli_dir, embed_dir, CheckSettings(rule=DecisionRule(0.5, 0.5, -1.0), calibrate=False))


def tune(
    pool: Path,
    nli_dir: str,
    embed_dir: str,
    fever_limit: int | None = None,
    scifact_limit: int | None = None,
    top_k: int = 8,
    progress: Callable[[str], None] = print,
    max_gated: float | None = MAX_GATED_SENTENCES,
) -> dict:
    """Build and run the tuning set; return the rule chosen within the ``max_gated`` budget (None: no
    budget), its calibration and the evidence for both, with what the grid's best rule would score
    without the budget."""
    claims, texts = tuning_claims(pool, fever_limit, scifact_limit)
    checks = run_tuning_checks(tuning_pipeline(nli_dir, embed_dir), claims, texts, top_k, progress)
    progress(f"choosing the decision rule among {len(candidate_rules())} on {len(checks)} checks")
    described = _described(claims, max_gated)
    rule = choose_rule(checks, described, max_gated=max_gated)
    calibration = fit_calibration(rule, checks, described)
    served = [aggregate(c.evidence, rule) for c in checks]
    correct = [v.verdict == c.gold for v, c in zip(served, checks, strict=True)]
    return {
        "rule": rule,
        "calibration": calibration,
        "chosen": _scored(rule, checks),
        "defaults": scores(DecisionRule(), checks),
        "cross_validated": cross_validated(checks, max_gated=max_gated),
        "without_budget": {
            **_scored(unbudgeted := choose_rule(checks), checks),
            "rule": unbudgeted.numbers(),
            "cross_validated": cross_validated(checks),
        },
        "ece_raw": expected_calibration_error([v.confidence for v in served], correct)["ece"],
        "ece_fitted_in_sample": expected_calibration_error(
            [calibration.score(v, c.claim) for v, c in zip(served, checks, strict=True)], correct
        )["ece"],
    }


def _described(claims: Sequence[TuningClaim], max_gated: float | None) -> str:
    """How the rule and the map were chosen, as their files state it."""
    n = {source: sum(c.source == source for c in claims) for source in ("fever", "scifact", "general")}
    described = (
        f"factcheck-lab calibrate: tuning set of {n['fever']} held-out fever_paper_test claims and"
        f" {n['scifact']} scifact_train claims (the tuning half) of nli-train with their evidence,"
        f" the scifact claims also without it, and {n['general']} held-out mnli_mismatched/xnli_en_dev"
        f" pairs (general prose, each with its premise)"
    )
    if max_gated is not None:
        described += f"; best macro-F1 among the rules whose gate passes at most {max_gated} sentences per check"
    return described


def _scored(rule: DecisionRule, checks: Sequence[TuningCheck]) -> dict:
    """``scores`` with the sentences per check that pass the rule's gate."""
    return {**scores(rule, checks), "gated_sentences_per_check": round(RuleScorer(checks).gated_per_check(rule), 3)}
