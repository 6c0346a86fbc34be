"""Sentence splitting with character offsets.

Lines are split first (news text puts headlines, datelines and paragraphs on their own lines),
then pysbd splits each line into sentences; offsets are found by locating each sentence in the
original text, so ``text[start:end] == sentence`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

_LINE = re.compile(r"[^\n]+")
MAX_SENTENCE_CHARS = 2_000  # longer runs (tables, lists without punctuation) are cut into pieces


@dataclass(frozen=True)
class Span:
    """One sentence: its position in the article and its character offsets."""

    index: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    try:
        return pysbd.Segmenter(language=language, clean=False)
    except ValueError:  # a language pysbd does not know: fall back to English rules
        return pysbd.Segmenter(language="en", clean=False)


def _pieces(start: int, sentence: str) -> list[tuple[int, int]]:
    """Offsets of ``sentence`` (starting at ``start``) cut to at most MAX_SENTENCE_CHARS."""
    lead = len(sentence) - len(sentence.lstrip())
    stripped = sentence.strip()
    begin = start + lead
    return [
        (begin + i, begin + min(i + MAX_SENTENCE_CHARS, len(stripped)))
        for i in range(0, len(stripped), MAX_SENTENCE_CHARS)
    ]


def split_sentences(text: str, language: str = "en") -> list[Span]:
    """Split ``text`` into sentences with offsets into ``text``.

    Args:
        text: the article's plain text, as stored.
        language: ISO 639-1 code; pysbd rules for it when known, English otherwise.

    Returns:
        Spans in order, none empty, none overlapping.
    """
    segmenter = _segmenter((language or "en")[:2].lower())
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        cursor = line.start()
        for sentence in segmenter.segment(line.group()):
            if not sentence.strip():
                continue
            found = text.find(sentence.strip(), cursor, line.end())
            if found < 0:  # pysbd changed the text: never guess an offset
                continue
            for start, end in _pieces(found, text[found : found + len(sentence.strip())]):
                spans.append(Span(len(spans), start, end, text[start:end]))
            cursor = found + len(sentence.strip())
    return spans
