"""Score the entity policies of NOTE.md on the training-side tuning set (never eval/)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from factcheck.inference.language import EntityTagger
from factcheck.pipeline import entities
from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.antecedents import with_antecedent
from factcheck.pipeline.checker import CheckSettings
from factcheck.records import Entity, Evidence
from factcheck.settings import PROJECT_ROOT, Settings
from factcheck_lab.evaluation.pipeline import EvalPipeline, label_metrics
from factcheck_lab.evaluation.tuning import TuningCheck, run_tuning_checks, tuning_claims

OTHER_KIND = "entity"  # another of the claim's entities missing: the sentence cannot support it
POLICIES = {
    "none": (),
    "subject-rival": (entities.SUBJECT_KIND,),
    "subject-rival+entity": (entities.SUBJECT_KIND, OTHER_KIND),
}
PARTS = {"fever": ("fever",), "scifact": ("scifact",), "fever+scifact": ("fever", "scifact"), "general": ("general",)}


Named = dict[str, tuple[Entity, ...]]  # evidence text -> its named entities (NER alone, as a check tags them)


def under_policy(
    claim: str, evidence: list[Evidence], found: list[Entity], kinds: tuple[str, ...], named: Named
) -> list[Evidence]:
    """The evidence as the service would label it with the entity mismatches of ``kinds``."""
    out = []
    for e in evidence:
        others = [f"{OTHER_KIND}: {m.text}" for m in entities.missing_entities(claim, found, e.hit) if not m.subject]
        mismatches = (*entities.entity_mismatches(claim, found, e.hit, named[_premise(e)]), *others)
        added = tuple(m for m in mismatches if m.split(":")[0] in kinds)
        e = replace(e, mismatch=(*e.mismatch, *added))
        out.append(replace(e, probabilities=None) if entities.blocks_both_sides(e.mismatch) else e)  # never scored
    return out


def _premise(e: Evidence) -> str:
    return with_antecedent(e.hit.text, e.hit.antecedent)


def verdicts(
    checks: list[TuningCheck], found: dict[str, list[Entity]], kinds: tuple[str, ...], rule, named: Named
) -> list[str]:
    return [
        str(aggregate(under_policy(c.claim, c.evidence, found[c.claim], kinds, named), rule).verdict) for c in checks
    ]


def scored(checks: list[TuningCheck], predicted: list[str]) -> dict:
    """Accuracy and macro-F1 of ``predicted`` on each part of the tuning set."""
    return {
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


def main() -> None:
    settings = Settings.from_env()
    claims, texts = tuning_claims(PROJECT_ROOT.parent / "shared/data/nli-train")
    pipeline = EvalPipeline(settings.nli_model, settings.embed_model, CheckSettings(calibrate=False))
    checks = run_tuning_checks(pipeline, claims, texts, progress=lambda m: print(m, file=sys.stderr))
    distinct = sorted({c.claim for c in checks})
    tagger = EntityTagger(settings.ner_model)
    tagged = tagger.entities(distinct)
    found = {
        claim: entities.key_entities(ents) if entities.readable(claim) else []
        for claim, ents in zip(distinct, tagged, strict=True)
    }
    premises = sorted({_premise(e) for c in checks for e in c.evidence})
    named = dict(zip(premises, tagger.entities(premises, parse=False), strict=True))
    rule = pipeline.checker.rule
    result: dict = {"checks": len(checks), "rule": rule.numbers(), "policies": {}}
    for name, kinds in POLICIES.items():
        result["policies"][name] = scored(checks, verdicts(checks, found, kinds, rule, named))
    # the whole news reading (subject rivals, speakers, compound parts, fragments in context), through
    # the service's own pipeline with the tagger, as FACTCHECK_NER_MODEL switches it on
    reading = EvalPipeline(
        settings.nli_model, settings.embed_model, CheckSettings(calibrate=False), None, None, settings.ner_model
    )
    read = run_tuning_checks(reading, claims, texts, progress=lambda m: print(m, file=sys.stderr))
    result["news reading"] = scored(read, [c.verdict for c in read])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
