"""Sentence splitting on real news text: offsets are exact, news quirks are handled."""

import itertools

import pytest

from factcheck.pipeline.sentences import MAX_SENTENCE_CHARS, split_sentences
from service.files import SAMPLES_DIR

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_offsets_are_exact_on_the_sample_articles(path):
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert len(spans) >= 10
    for i, span in enumerate(spans):
        assert span.index == i
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_abbreviations_and_times_do_not_split():
    text = "The U.S. envoy met Mr. Putin at 8 p.m. on Monday. Talks resumed in Geneva."
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. envoy met Mr. Putin at 8 p.m. on Monday.",
        "Talks resumed in Geneva.",
    ]


def test_quotes_stay_with_their_sentence():
    text = '"We were not surprised," the adviser said. "We knew beforehand."'
    assert [s.text for s in split_sentences(text)] == [
        '"We were not surprised," the adviser said.',
        '"We knew beforehand."',
    ]


def test_headline_and_blank_line_paragraphs_are_separate_sentences():
    text = "Russia starts Syria pullout\n\nRussian jets left Hmeimim on Tuesday. More will follow.\n\nAdvertisement\n"
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "Russia starts Syria pullout",
        "Russian jets left Hmeimim on Tuesday.",
        "More will follow.",
        "Advertisement",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_whitespace_only_text_has_no_sentences():
    assert split_sentences(" \n\n\t ") == []


def test_a_run_without_punctuation_is_cut_into_bounded_pieces():
    text = "word " * 1000
    spans = split_sentences(text)
    assert len(spans) >= 2
    assert all(len(s.text) <= MAX_SENTENCE_CHARS and text[s.start : s.end] == s.text for s in spans)
