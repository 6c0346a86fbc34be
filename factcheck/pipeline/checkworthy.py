"""Which sentences of a draft state a fact the archive could confirm or refute: check-worthiness.

A sentence is **skipped**, with the first reason that applies:
- ``question``: it ends with a question mark;
- ``boilerplate``: page furniture ("Advertisement", "Share this article", "Sign up for our newsletter",
  "Image copyright", "Click here");
- ``byline``: who wrote or edited it ("By Jane Doe", "Reporting by ...", "Editing by ...");
- ``heading``: a line without closing punctuation of at most ``HEADING_WORDS`` words;
- ``opinion``: the writer's own view ("I think", "we believe", "in my view", "should", "ought to");
- ``speculation``: what might happen, not what did or was said ("may", "might", "could", "would",
  "is likely to"), unless someone is quoted saying it;
- ``no checkable fact``: none of the signals below.

It is **check-worthy**, with every signal it has as the reason:
- ``attribution``: someone said, told, announced ... (a verb of saying with a named speaker, or
  "according to");
- ``number``: a figure, a number word, a percentage or an amount;
- ``date``: a year, a month or a weekday;
- ``named entity``: a capitalised word after the first that is not a month or a weekday, or a known
  country or nationality;
- ``comparison``: "more than", "the largest", "fewer", "-est than".

Rules, not a trained model: no check-worthiness model can be fetched here, and rules say why. They
were written from the kinds the drafts endpoint must tell apart, before any labelled set was read;
``lab/data/checkworthy.jsonl`` measures them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.pipeline.attribution import reports_speech
from factcheck.pipeline.nationalities import NATIONALITIES

HEADING_WORDS = 12

_BOILERPLATE = re.compile(
    r"^\W*(?:advertisement|advertising|share(?: this)?(?: article| story| on \w+)?|sign up\b|subscribe\b"
    r"|follow us\b|click here\b|read more\b|related:|image copyright|image caption|photo:|photograph:"
    r"|(?:all )?rights reserved|copyright\b|©|newsletter\b|listen to this article|watch:|video:"
    r"|this article (?:was|is|has been)|skip to|continue reading|more on this story)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\W*(?:[Bb]y\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:[,|]|$)"  # "By Jane Doe", not "By then, ..."
    r"|(?i:(?:additional )?reporting by|(?:writing|editing|edited|compiled|updated) by"
    r"|contact (?:the )?(?:author|reporter))\b)"
)
_OPINION = re.compile(
    r"\b(?:I|we) (?:think|believe|feel|hope|suspect|doubt|guess|reckon)\b|\bin (?:my|our) (?:view|opinion)\b"
    r"|\b(?:should|ought to|must not|shouldn't)\b|\bit is (?:time|clear|obvious) (?:to|that)\b",
    re.IGNORECASE,
)
_SPECULATION = re.compile(r"\b(?:may|might|could|would|perhaps|possibly|probably|likely|unlikely|if)\b", re.IGNORECASE)
_CLOSED = re.compile(r"[.!?\"'”’)\]]\s*$")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|dozen|dozens|half"
    r"|once|twice|percent|per cent|first|second|third|fourth|fifth|tenth)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow|last (?:week|month|year))\b"
)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|larger|smaller|bigger|biggest|largest|smallest|highest"
    r"|lowest|most|least|than|record|double|doubled|tripled|halved|rose|fell|increased|decreased)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=\s)(?:[A-Z][a-z]+|[A-Z]{2,})")  # a capitalised word after the first one
_SPEAKER = re.compile(r"\baccording to\b|[A-Z][\w'-]+,?\s+(?:\w+\s+)?(?:said|says|told|announced|added)\b")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Worthiness:
    checkworthy: bool
    reason: str


def worthiness(sentence: str) -> Worthiness:
    """Whether ``sentence`` states a fact worth checking against the archive, and why (module docstring)."""
    text = sentence.strip()
    words = text.split()
    quoted = _quoted(text)
    skipped = _skip_reason(text, words, quoted)
    if skipped:
        return Worthiness(False, skipped)
    signals = _signals(text, quoted)
    if not signals:
        return Worthiness(False, "no checkable fact")
    return Worthiness(True, ", ".join(signals))


def _quoted(text: str) -> bool:
    """Whether a named speaker is quoted: a verb of saying with a name before it, or "according to"."""
    return reports_speech(text) and _SPEAKER.search(text) is not None


def _skip_reason(text: str, words: list[str], quoted: bool) -> str | None:
    checks = (
        ("question", text.endswith("?")),
        ("boilerplate", _BOILERPLATE.search(text) is not None),
        ("byline", _BYLINE.search(text) is not None),
        ("heading", len(words) <= HEADING_WORDS and not _CLOSED.search(text)),
        ("opinion", not quoted and _OPINION.search(text) is not None),
        ("speculation", not quoted and _SPECULATION.search(text) is not None),
    )
    return next((reason for reason, applies in checks if applies), None)


def _signals(text: str, quoted: bool) -> list[str]:
    found = []
    if quoted:
        found.append("attribution")
    if _NUMBER.search(text):
        found.append("number")
    if _DATE.search(text):
        found.append("date")
    if any(not _DATE.fullmatch(name) for name in _NAME.findall(text)) or _nationality(text):
        found.append("named entity")
    if _COMPARISON.search(text):
        found.append("comparison")
    return found


def _nationality(text: str) -> bool:
    words = {w.lower() for w in _WORD.findall(text)}
    return any(
        country in words or any(a.lower() in words for a in adjectives) for country, adjectives in NATIONALITIES.items()
    )
