"""FEVER page ids as article titles in the lab's FEVER eval."""

from __future__ import annotations

from factcheck.records import SentenceHit
from factcheck_lab.evaluation.pipeline import fever_title

CLAIM = "David Attenborough was a controller of BBC Two."
PRONOUN = "He is a former senior manager at the BBC, having served as controller of BBC Two in the 1960s."
UNRELATED = "The city council approved the new budget for road repairs on Tuesday."


def _hit(embedder, text: str, title: str) -> SentenceHit:
    return SentenceHit(1, "a", title, None, None, None, 0, 0, len(text), text, vector=embedder.encode([text])[0])


def test_fever_page_ids_read_as_titles():
    assert fever_title("Soul_Food_-LRB-film-RRB-") == "Soul Food (film)"
    assert fever_title("Star_Wars-COLON-_The_Force_Awakens") == "Star Wars: The Force Awakens"
    assert fever_title("") == ""
