"""Score the entity policies of NOTE.md on the training-side tuning set (never eval/)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from factcheck.inference.language import EntityTagger
from factcheck.pipeline import entities
from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.checker import CheckSettings
from factcheck.records import Entity, Evidence
from factcheck.settings import PROJECT_ROOT, Settings
from factcheck_lab.evaluation.pipeline import EvalPipeline, label_metrics
from factcheck_lab.evaluation.tuning import TuningCheck, run_tuning_checks, tuning_claims

POLICIES = {
    "none": (),
    "subject": (entities.SUBJECT_KIND,),
    "subject+entity": (entities.SUBJECT_KIND, entities.MISMATCH_KIND),
}
PARTS = {"fever": ("fever",), "scifact": ("scifact",), "fever+scifact": ("fever", "scifact"), "general": ("general",)}


def under_policy(claim: str, evidence: list[Evidence], found: list[Entity], kinds: tuple[str, ...]) -> list[Evidence]:
    """The evidence as the service would label it with the entity mismatches of ``kinds``."""
    out = []
    for e in evidence:
        added = tuple(m for m in entities.entity_mismatches(claim, found, e.hit) if m.split(":")[0] in kinds)
        e = replace(e, mismatch=(*e.mismatch, *added))
        out.append(replace(e, probabilities=None) if entities.blocks_both_sides(e.mismatch) else e)  # never scored
    return out


def verdicts(checks: list[TuningCheck], found: dict[str, list[Entity]], kinds: tuple[str, ...], rule) -> list[str]:
    return [str(aggregate(under_policy(c.claim, c.evidence, found[c.claim], kinds), rule).verdict) for c in checks]


def main() -> None:
    settings = Settings.from_env()
    claims, texts = tuning_claims(PROJECT_ROOT.parent / "shared/data/nli-train")
    pipeline = EvalPipeline(settings.nli_model, settings.embed_model, CheckSettings(calibrate=False))
    checks = run_tuning_checks(pipeline, claims, texts, progress=lambda m: print(m, file=sys.stderr))
    distinct = sorted({c.claim for c in checks})
    tagged = EntityTagger(settings.ner_model).entities(distinct)
    found = {
        claim: entities.key_entities(ents) if entities.readable(claim) else []
        for claim, ents in zip(distinct, tagged, strict=True)
    }
    rule = pipeline.checker.rule
    result: dict = {"checks": len(checks), "rule": rule.numbers(), "policies": {}}
    for name, kinds in POLICIES.items():
        predicted = verdicts(checks, found, kinds, rule)
        result["policies"][name] = {
            part: {
                "checks": len(picked := [i for i, c in enumerate(checks) if c.source in sources]),
                **{
                    k: v
                    for k, v in label_metrics([checks[i].gold for i in picked], [predicted[i] for i in picked]).items()
                    if k in ("accuracy", "macro_f1")
                },
            }
            for part, sources in PARTS.items()
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
