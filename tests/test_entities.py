"""Entity coverage: a sentence decides a claim only if it mentions the claim's named things (entities.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.entities import FoldedText, entity_mismatches, readable
from factcheck.pipeline.verify import to_evidence
from factcheck.records import Entity, Evidence, SentenceHit

CLAIM = "a claim"  # the tests that do not look at subject phrases need no real claim


def _entity(text: str, label: str = "GPE", subject: bool = False) -> Entity:
    return Entity(0, len(text), label, text, subject)


@pytest.mark.parametrize(
    ("name", "label", "text"),
    [
        ("Hmeimim", "FAC", "planes left Hmeymim air base"),
        ("Hmeimim", "FAC", "the airbase in Khmeimim"),
        ("Hmeimim", "FAC", "its Hemeimeem air base"),
        ("Sergei Shoigu", "PERSON", "Defence Minister Sergey Shoigu gave the order"),
        ("Dmitry Peskov", "PERSON", "Peskov said on Monday"),
        ("Russia", "GPE", "Moscow's Hmeimim air base"),
        ("Russia", "GPE", "the Kremlin said"),
        ("Russian", "NORP", "Russia began its airstrikes"),
        ("the United States", "GPE", "US estimates suggest"),
        ("the Fox Broadcasting Company", "ORG", "in the Fox television series"),
        ("Assad", "PERSON", "President Bashar al-Assad’s forces"),
        ("UN", "ORG", "a founding member of the United Nations"),
        ("the United Nations", "ORG", "the UN Security Council"),
        ("NATO", "ORG", "the North Atlantic Treaty Organization said"),
    ],
)
def test_a_mention_counts_across_spellings_transliterations_demonyms_and_capitals(name, label, text):
    assert FoldedText(text).mentions(_entity(name, label))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Libya", "Russia withdraws from Syria"),
        ("Turkey", "Russia will pull out"),
        ("Iran", "Iraq and Syria"),
        ("UN", "under new rules"),
        ("NATO", "the North Sea Alliance"),
        ("Pierre-", "a French minister"),  # a name cut at a hyphen by the tagger
    ],
)
def test_another_entity_in_the_same_role_is_not_a_mention(name, text):
    assert not FoldedText(text).mentions(_entity(name))


def test_the_title_and_the_sentence_before_count_as_context_and_the_mismatch_names_the_missing_entity():
    hit = SentenceHit(1, "a1", "Sergei Shoigu", None, None, None, 0, 0, 30, "He gave the order to withdraw.")
    assert entity_mismatches(CLAIM, [_entity("Sergei Shoigu", "PERSON", subject=True)], hit) == ()
    assert entity_mismatches(CLAIM, [_entity("Libya")], hit, [_entity("Syria")]) == ()  # not the subject: the model's
    turkey = _entity("Turkey", subject=True)
    assert entity_mismatches(CLAIM, [turkey], hit, [_entity("Russia")]) == (
        "subject: Turkey not in evidence (it names Russia)",
    )
    after = SentenceHit(2, "a2", "", None, None, None, 3, 0, 30, "He said so.", context=("Lead.", "Peskov spoke."))
    assert entity_mismatches(CLAIM, [_entity("Dmitry Peskov", "PERSON", subject=True)], after) == ()


def _found(claim: str, *names: str) -> list[Entity]:
    """Subject entities of ``claim`` at their offsets."""
    return [Entity(claim.index(n), claim.index(n) + len(n), "GPE", n, True) for n in names]


def test_one_named_part_of_a_subject_phrase_names_the_subject():
    hit = SentenceHit(1, "a1", "Banks", None, None, None, 0, 0, 30, "Charlotte is a banking centre.")
    claim = "Charlotte, North Carolina is a banking centre."
    assert entity_mismatches(claim, _found(claim, "Charlotte", "North Carolina"), hit) == ()
    apart = "Charlotte's rival North Carolina is a banking centre."  # not one phrase: words between them
    assert entity_mismatches(apart, _found(apart, "Charlotte", "North Carolina"), hit, [_entity("Georgia")]) == (
        "subject: North Carolina not in evidence (it names Georgia)",
    )


def test_a_missing_subject_blocks_only_when_the_sentence_names_a_rival_of_its_kind():
    hit = SentenceHit(1, "a1", "Withdrawal", None, None, None, 0, 0, 30, "The ministry announced a withdrawal.")
    turkey = _entity("Turkey", subject=True)
    assert entity_mismatches(CLAIM, [turkey], hit) == ()  # "the ministry" may be Turkey's: the model decides
    assert entity_mismatches(CLAIM, [turkey], hit, [_entity("Sergei Shoigu", "PERSON")]) == ()  # not a rival
    assert entity_mismatches(CLAIM, [turkey], hit, [_entity("Russian", "NORP")]) == (
        "subject: Turkey not in evidence (it names Russian)",
    )
    claim = "Turkey and Russia announced a withdrawal."  # an entity the claim names is no rival
    assert entity_mismatches(claim, [turkey], hit, [_entity("Russia")]) == ()


def test_a_pronoun_sentence_without_any_context_is_not_held_to_the_claims_subject():
    alone = SentenceHit(1, "a1", "", None, None, None, 0, 0, 30, "He served as controller of BBC Two.")
    subject = _entity("David Attenborough", "PERSON", subject=True)
    assert entity_mismatches(CLAIM, [subject], alone) == ()
    rival = [_entity("Michael Grade", "PERSON")]
    assert entity_mismatches(CLAIM, [subject], alone, rival) == ()
    named = replace(alone, text="Michael Grade served as controller of BBC Two.")
    assert entity_mismatches(CLAIM, [subject], named, rival) == (
        "subject: David Attenborough not in evidence (it names Michael Grade)",
    )
    titled = replace(alone, title="Peter Sissons", antecedent="Michael Grade joined the BBC.")
    assert entity_mismatches(CLAIM, [subject], titled, rival) == (
        "subject: David Attenborough not in evidence (it names Michael Grade)",
    )  # with context, "he" is whoever it names


def test_a_passive_agent_is_not_the_subject(tagger):
    (entities,) = tagger.entities(["See You on the Other Side was put out by Blink 182."])
    assert [(e.text, e.subject) for e in entities if e.text == "Blink 182"] == [("Blink 182", False)]


def _scored(support: float, contradict: float, mismatch: tuple[str, ...]) -> Evidence:
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, 4, "text", retrieval_score=0.1)
    return to_evidence(hit, np.array([support, 1 - support - contradict, contradict]), 0.9, mismatch)


def test_a_rival_subject_blocks_both_sides():
    assert aggregate([_scored(0.02, 0.95, ())]).verdict == "contradict"
    assert aggregate([_scored(0.02, 0.95, ("subject: Turkey not in evidence (it names Russia)",))]).verdict == "neutral"
    assert aggregate([_scored(0.95, 0.02, ("subject: Turkey not in evidence (it names Russia)",))]).verdict == "neutral"


@pytest.mark.parametrize(
    "claim", ["Withdrawal", "RUSSIA WITHDRAWS ITS FORCES", "🙂 🙂 🙂", "Россия выводит войска из Сирии"]
)
def test_claims_the_english_ner_cannot_read_are_checked_without_entities(claim):
    assert not readable(claim)


ARTICLE = {
    "id": "pullout",
    "title": "Russian forces leave",
    "text": "Russia has begun to withdraw its forces from Syria, the defence ministry said on Tuesday.",
}


def _check(client, claim: str) -> dict:
    return client.post("/v1/checks", json={"claim": claim}).get_json()


def test_a_claim_about_another_actor_is_neutral_not_contradicted(entity_client):
    entity_client.post("/v1/articles", json=ARTICLE)
    same = entity_client.post(
        "/v1/checks", json={"claim": "Russia has begun to withdraw its forces from Syria."}
    ).get_json()
    other = entity_client.post(
        "/v1/checks", json={"claim": "Turkey has begun to withdraw its forces from Syria."}
    ).get_json()
    assert same["verdict"] == "support" and same["evidence"][0]["mismatch"] == []
    assert other["verdict"] == "neutral"
    assert other["evidence"][0]["mismatch"] == ["subject: Turkey not in evidence (it names Russia)"]
    assert other["evidence"][0]["probabilities"] is None  # it cannot decide, so the model never saw it
    assert "ner" in other["model"]


def test_a_sentence_naming_its_subject_by_a_description_is_left_to_the_model(entity_client):
    text = "The defence ministry said on Tuesday that the withdrawal from Syria had begun."
    entity_client.post("/v1/articles", json={"id": "ministry", "title": "Withdrawal begins", "text": text})
    body = _check(entity_client, "Russia's defence ministry said the withdrawal from Syria had begun.")
    (cited,) = [e for e in body["evidence"] if e["article_id"] == "ministry"]
    assert cited["mismatch"] == [] and cited["probabilities"] is not None  # no rival named: the model reads it


def test_a_claim_about_another_place_is_never_supported(entity_client):
    entity_client.post("/v1/articles", json=ARTICLE)
    body = entity_client.post(
        "/v1/checks", json={"claim": "Russia has begun to withdraw its forces from Libya."}
    ).get_json()
    assert body["verdict"] != "support"  # left to the model: it reads Syria against Libya
    assert body["evidence"][0]["mismatch"] == []


@pytest.mark.parametrize("claim", ["Withdrawal", "RUSSIA WITHDRAWS ITS FORCES FROM LIBYA", "🙂🙂🙂", "Россия уходит"])
def test_unreadable_claims_get_an_answer_without_the_entity_check(entity_client, claim):
    entity_client.post("/v1/articles", json=ARTICLE)
    body = _check(entity_client, claim)
    assert body["verdict"] in ("support", "contradict", "neutral")
    assert not any(m.startswith(("entity:", "subject:")) for e in body["evidence"] for m in e["mismatch"])


def test_ingest_stores_the_entities_of_english_sentences_that_quote_and_says_why_others_have_none(entity_client):
    text = "Russian jets left the Hmeimim air base, the Russian ministry said. Vladimir Putin ordered it."
    assert entity_client.post("/v1/articles", json={"id": "en", "title": "t", "text": text}).status_code == 201
    german = {"id": "de", "title": "t", "text": "Russische Jets verließen Syrien.", "language": "de"}
    assert entity_client.post("/v1/articles", json=german).status_code == 201
    english = entity_client.get("/v1/articles/en").get_json()
    assert english["entities"]["status"] == "tagged" and "core_web_sm" in english["entities"]["detail"]
    first, second = english["sentences"]
    assert {"label": "NORP", "text": "Russian", "start": 0, "end": 7} in first["entities"]
    assert second["entities"] is None  # it quotes no one: no check looks for its speaker
    other = entity_client.get("/v1/articles/de").get_json()
    assert other["entities"]["status"] == "skipped" and "'de'" in other["entities"]["detail"]
    assert other["sentences"][0]["entities"] is None


def test_migrate_tags_an_index_built_without_entities(tmp_path, embedder, monkeypatch):
    from click.testing import CliRunner

    from factcheck.pipeline.ingest import Indexer
    from factcheck.records import Article
    from factcheck.store.sqlite import SQLiteStore
    from service.cli import main
    from tests.conftest import ENTITY_PIPELINE

    store = SQLiteStore(tmp_path / "old.db")
    Indexer(store, embedder).upsert(Article("a1", "t", "Vladimir Putin said he visited Hmeimim. He left."))  # no tagger
    assert store.get("a1")[0].entity_status[0] == "pending"
    monkeypatch.setenv("FACTCHECK_NER_MODEL", ENTITY_PIPELINE)
    result = CliRunner().invoke(main, ["migrate", "--store", f"sqlite:///{tmp_path / 'old.db'}"])
    assert result.exit_code == 0, result.output
    assert '"entities_tagged": 1' in result.stdout and '"entities_pending": 0' in result.stdout
    article, sentences = store.get("a1")
    assert article.entity_status[0] == "tagged"
    assert [e.text for e in sentences[0].entities] == ["Vladimir Putin", "Hmeimim"] and sentences[1].entities is None
