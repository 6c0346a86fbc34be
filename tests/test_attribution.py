"""Attribution: a sentence that quotes someone else cannot decide who said it (attribution.py)."""

from __future__ import annotations

import pytest

from factcheck.pipeline.attribution import claim_speaker, sentence_speakers
from factcheck.pipeline.entities import key_entities
from factcheck.records import SentenceHit


@pytest.mark.parametrize(
    ("claim", "speaker"),
    [
        ("Sergey Lavrov said some contingents would stay behind.", "Sergey Lavrov"),
        ("According to Bondarev, specialists will stay in Syria.", "Bondarev"),
        ("The Kremlin told reporters the talks went well.", "Kremlin"),
        ("Russia withdrew its jets from Syria.", None),
    ],
)
def test_the_claims_speaker_is_its_subject_before_a_verb_of_saying(tagger, claim, speaker):
    ((part,),) = tagger.read([claim])
    named = claim_speaker(claim, key_entities(part.entities))
    assert (named.text if named else None) == speaker


@pytest.mark.parametrize(
    ("sentence", "speakers"),
    [
        (
            "Some contingents would stay behind, Kremlin spokesman Dmitry Peskov said.",
            ["Kremlin spokesman Dmitry Peskov"],
        ),
        ('"We will stay," said Colonel-General Viktor Bondarev.', ["Colonel-General Viktor Bondarev"]),
        ("Peskov told reporters that Putin would visit Syria.", ["Peskov"]),
        ("He said the contingents would stay.", None),  # unknown: left to the subject rule
        ("Russian jets left Syria on Tuesday.", None),  # no verb of saying
    ],
)
def test_a_sentence_names_its_speakers_with_their_role(tagger, sentence, speakers):
    (entities,) = tagger.entities([sentence], parse=False)
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, len(sentence), sentence, entities=entities)
    found = sentence_speakers(hit)
    assert ([role for _, role in found] if found else None) == speakers


ARTICLE = {
    "id": "briefing",
    "title": "Kremlin briefing",
    "text": "Sergey Lavrov met Dmitry Peskov in Moscow on Tuesday. "
    "Some military contingents would stay behind in Syria, Peskov told reporters.",
}


def test_a_quote_attributed_to_someone_else_is_neutral_and_names_both_speakers(entity_client):
    entity_client.post("/v1/articles", json=ARTICLE)
    right = entity_client.post(
        "/v1/checks", json={"claim": "Dmitry Peskov said some military contingents would stay behind in Syria."}
    ).get_json()
    wrong = entity_client.post(
        "/v1/checks", json={"claim": "Sergey Lavrov said some military contingents would stay behind in Syria."}
    ).get_json()
    assert right["verdict"] == "support"
    assert wrong["verdict"] == "neutral"
    quoted = next(e for e in wrong["evidence"] if e["sentence_index"] == 1)
    assert quoted["mismatch"] == ["speaker: Peskov vs Sergey Lavrov"] and quoted["probabilities"] is None
