"""Fragments in context: a list item is read with its heading, a pronoun's sentence after the one
before it (antecedents.py), while the citation stays the sentence itself."""

from __future__ import annotations

from factcheck.pipeline.antecedents import antecedents, with_antecedent

LIST = [
    "In a statement, the Syrian government said the plan was agreed.",
    "Russian aircraft flew more than 9,000 sorties",
    "Destroyed 209 oil production and transfer facilities",
    "Helped Syrian government troops to retake 400 settlements",
    "In Geneva, talks continue.",
    "He said there was no plan B.",
]


def test_list_items_need_their_heading_and_pronoun_sentences_the_sentence_before():
    assert antecedents(LIST) == [None, None, 1, 1, None, 4]
    assert antecedents(["He left."]) == [None]  # nothing before it


def test_a_list_item_is_read_as_one_sentence_with_its_heading():
    assert with_antecedent(LIST[2], LIST[1]) == (
        "Russian aircraft flew more than 9,000 sorties, destroyed 209 oil production and transfer facilities"
    )
    assert with_antecedent(LIST[5], LIST[4]) == "In Geneva, talks continue. He said there was no plan B."
    assert with_antecedent("Alone.", None) == "Alone."


ARTICLE = {
    "id": "campaign",
    "title": "The campaign in numbers",
    "text": "The defence ministry gave figures on Tuesday.\n" + "\n".join(LIST[1:4]) + "\nTalks continue in Geneva.",
}


def test_a_list_item_under_a_heading_supports_the_fact_it_states_and_is_cited_alone(entity_client):
    entity_client.post("/v1/articles", json=ARTICLE)
    stored = entity_client.get("/v1/articles/campaign").get_json()["sentences"]
    assert [s["text"] for s in stored][2] == LIST[2]
    body = entity_client.post(
        "/v1/checks", json={"claim": "Russian aircraft destroyed 209 oil production and transfer facilities."}
    ).get_json()
    assert body["verdict"] == "support"
    assert body["evidence"][0]["text"] == LIST[2]  # the citation is the item itself
