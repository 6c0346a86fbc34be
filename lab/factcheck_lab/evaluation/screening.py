"""The screen's threshold, chosen on the tuning set (never on eval/).

The accurate model scores every pair its relevance gate passes, and the screen model scores the same
pairs. For each threshold of SCREEN_GRID, the pairs to which the screen model gives less support and
less contradiction than the threshold lose their accurate probabilities, as they would in serving,
and the verdicts are recomputed with the accurate model's decision rule. The chosen threshold is the
highest whose verdicts agree with the accurate model alone on at least MIN_AGREEMENT of the checks:
the screen may save time, not change answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from factcheck.inference.nli import NLIModel
from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.checker import CheckSettings
from factcheck.pipeline.decision import RULE_FILE, DecisionRule
from factcheck_lab.checkpoints import load_nli
from factcheck_lab.evaluation.tuning import TuningCheck, macro_f1, run_tuning_checks, scores, tuning_claims

SCREEN_GRID = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MIN_AGREEMENT = 0.99


def screen_strengths(checks: Sequence[TuningCheck], screen: NLIModel) -> dict[tuple[int, int], float]:
    """max(P(support), P(contradict)) from the screen model for every pair the accurate model scored."""
    scored = [
        (k, j) for k, check in enumerate(checks) for j, e in enumerate(check.evidence) if e.probabilities is not None
    ]
    probs = screen.predict([(checks[k].evidence[j].hit.text, checks[k].claim) for k, j in scored])
    return {key: float(max(p[0], p[2])) for key, p in zip(scored, probs, strict=True)}


def screened_verdicts(
    checks: Sequence[TuningCheck], strengths: dict[tuple[int, int], float], threshold: float, rule: DecisionRule
) -> list[str]:
    out = []
    for k, check in enumerate(checks):
        evidence = [
            e if strengths.get((k, j), 1.0) >= threshold else replace(e, probabilities=None)
            for j, e in enumerate(check.evidence)
        ]
        out.append(aggregate(evidence, rule).verdict)
    return out


def screen_table(
    checks: Sequence[TuningCheck], strengths: dict[tuple[int, int], float], rule: DecisionRule
) -> list[dict]:
    """Per threshold: agreement with the accurate model alone, accuracy, macro-F1 and the share of
    scored pairs that still reach the accurate model."""
    gold = [c.gold for c in checks]
    alone = [aggregate(c.evidence, rule).verdict for c in checks]
    rows = []
    for threshold in SCREEN_GRID:
        verdicts = screened_verdicts(checks, strengths, threshold, rule)
        rows.append(
            {
                "threshold": threshold,
                "agreement": round(sum(a == v for a, v in zip(alone, verdicts, strict=True)) / len(checks), 4),
                "accuracy": round(sum(g == v for g, v in zip(gold, verdicts, strict=True)) / len(checks), 4),
                "macro_f1": round(macro_f1(gold, verdicts), 4),
                "accurate_pairs_share": round(
                    sum(s >= threshold for s in strengths.values()) / max(1, len(strengths)), 4
                ),
            }
        )
    return rows


def choose_threshold(rows: Sequence[dict]) -> float:
    """The highest threshold whose verdicts agree with the accurate model's on MIN_AGREEMENT of the checks."""
    agreeing = [r["threshold"] for r in rows if r["agreement"] >= MIN_AGREEMENT]
    return max(agreeing) if agreeing else min(r["threshold"] for r in rows)


def tune_screen(
    pool: Path,
    nli_dir: str,
    screen_dir: str,
    embed_dir: str,
    fever_limit: int | None = None,
    scifact_limit: int | None = None,
    top_k: int = 8,
    progress: Callable[[str], None] = print,
) -> dict:
    """Run the tuning set with the accurate model and its rule, then score the screen's thresholds."""
    from factcheck_lab.evaluation.pipeline import EvalPipeline

    claims, texts = tuning_claims(pool, fever_limit, scifact_limit)
    rule = DecisionRule.load(Path(nli_dir) / RULE_FILE)
    pipeline = EvalPipeline(nli_dir, embed_dir, CheckSettings(rule=rule, calibrate=False))
    checks = run_tuning_checks(pipeline, claims, texts, top_k, progress)
    screen = load_nli(screen_dir)
    progress(f"scoring {sum(e.probabilities is not None for c in checks for e in c.evidence)} pairs with {screen.name}")
    rows = screen_table(checks, screen_strengths(checks, screen), rule)
    alone = scores(rule, checks)
    return {
        "threshold": choose_threshold(rows),
        "accurate_model": f"{pipeline.checker.nli.name} {pipeline.checker.nli.version}",
        "rule": asdict(rule),
        "checks": len(checks),
        "accurate_alone": {"accuracy": alone["accuracy"], "macro_f1": alone["macro_f1"]},
        "chosen_on": f"factcheck-lab calibrate-screen: agreement >= {MIN_AGREEMENT} with the accurate model alone on"
        f" the tuning set ({len(checks)} checks)",
        "table": rows,
    }
