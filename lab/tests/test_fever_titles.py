"""FEVER page ids as article titles in the lab's FEVER eval."""

from __future__ import annotations

from factcheck_lab.evaluation.pipeline import fever_title


def test_fever_page_ids_read_as_titles():
    assert fever_title("Soul_Food_-LRB-film-RRB-") == "Soul Food (film)"
    assert fever_title("Star_Wars-COLON-_The_Force_Awakens") == "Star Wars: The Force Awakens"
    assert fever_title("") == ""
