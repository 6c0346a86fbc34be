"""Compound claims: split into clauses by the parse (inference/clauses.py), each checked on its own,
combined by pipeline/compound.py."""

from __future__ import annotations

import pytest

from factcheck.pipeline.compound import combine
from factcheck.records import ClaimPart, Label, Verdict


@pytest.mark.parametrize(
    ("claim", "checked_as"),
    [
        (
            "Russia began withdrawing equipment from Syria, and Putin announced the move on Monday.",
            ["Russia began withdrawing equipment from Syria", "Putin announced the move on Monday"],
        ),
        (
            "Nokia dominated the dumbphone era, but it was blindsided by Apple.",
            ["Nokia dominated the dumbphone era", "Nokia was blindsided by Apple"],
        ),
        (
            "Putin visited Hmeimim, met troops and ordered a withdrawal.",
            ["Putin visited Hmeimim", "Putin met troops", "Putin ordered a withdrawal"],
        ),
        ("Russia withdrew its jets after the ceasefire began.", ["Russia withdrew its jets", "the ceasefire began"]),
        ("Russia, Iran and Turkey met in Astana.", ["Russia, Iran and Turkey met in Astana."]),
        ("Russia withdrew after meeting Assad.", ["Russia withdrew after meeting Assad."]),
    ],
)
def test_a_claim_splits_into_its_clauses_with_offsets_and_subjects_written_out(tagger, claim, checked_as):
    (parts,) = tagger.read([claim])
    assert [p.hypothesis for p in parts] == checked_as
    for part in parts:
        assert claim[part.start : part.end] == part.text


@pytest.mark.parametrize(
    ("claim", "named"),
    [
        (
            "Russia began withdrawing equipment from Syria, and Putin announced the move on Monday.",
            [["Russia", "Syria"], ["Putin", "Monday"]],
        ),
        ("Nokia dominated the dumbphone era, but it was blindsided by Apple.", [["Nokia"], ["Nokia", "Apple"]]),
        ("Putin visited Hmeimim, met troops and ordered a withdrawal.", [["Putin", "Hmeimim"], ["Putin"], ["Putin"]]),
    ],
)
def test_each_part_carries_the_claims_entities_at_their_offsets_in_its_hypothesis(tagger, claim, named):
    (parts,) = tagger.read([claim])
    assert [[e.text for e in part.entities] for part in parts] == named
    for part in parts:
        assert all(part.hypothesis[e.start : e.end] == e.text for e in part.entities)
    assert [e.subject for e in parts[1].entities][:1] == [True]


def _verdict(label: Label, confidence: float) -> Verdict:
    return Verdict(label, confidence, [], False, confidence)


PARTS = (ClaimPart(0, 1, "A", "A"), ClaimPart(6, 7, "B", "B"))


@pytest.mark.parametrize(
    ("labels", "expected", "confidence"),
    [
        ((Label.SUPPORT, Label.CONTRADICT), Label.CONTRADICT, 0.6),
        ((Label.SUPPORT, Label.SUPPORT), Label.SUPPORT, 0.6),
        ((Label.SUPPORT, Label.NEUTRAL), Label.NEUTRAL, 0.6),
        ((Label.NEUTRAL, Label.CONTRADICT), Label.CONTRADICT, 0.6),
    ],
)
def test_any_part_contradicted_contradicts_and_support_needs_every_part(labels, expected, confidence):
    verdict, _ = combine(PARTS, [_verdict(labels[0], 0.9), _verdict(labels[1], 0.6)])
    assert verdict.verdict == expected and verdict.confidence == confidence


ARTICLE = {
    "id": "pullout",
    "title": "Russian forces leave Syria",
    "text": "Russia has begun to withdraw its forces from Syria, the defence ministry said on Tuesday. "
    "The Hmeimim air base will remain open. The naval facility in Tartus will keep operating.",
}


def test_a_compound_claim_with_one_false_part_is_contradicted_and_cites_each_part(entity_client):
    entity_client.post("/v1/articles", json=ARTICLE)
    claim = "Russia has begun to withdraw its forces from Syria, and the Hmeimim air base will be closed."
    body = entity_client.post("/v1/checks", json={"claim": claim}).get_json()
    assert body["verdict"] == "contradict"
    first, second = body["parts"]
    assert (first["verdict"], second["verdict"]) == ("support", "contradict")
    assert claim[second["start"] : second["end"]] == second["text"] == "the Hmeimim air base will be closed"
    cited = [body["evidence"][i]["text"] for i in second["evidence"]]
    assert cited[0] == "The Hmeimim air base will remain open."
    assert body["evidence"][second["evidence"][0]]["label"] == "contradict"
    single = entity_client.post("/v1/checks", json={"claim": "The Hmeimim air base will remain open."}).get_json()
    assert single["verdict"] == "support" and "parts" not in single
