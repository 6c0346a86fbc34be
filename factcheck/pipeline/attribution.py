"""Attribution beside the NLI model: a sentence that quotes someone else cannot decide who said it.

An NLI model given "Sergey Lavrov said some contingents would stay" and "Some contingents will stay,
Kremlin spokesman Dmitry Peskov said" answers *entailment*: the content matches, the speaker does
not. So for a claim of the form "X said / told / warned / announced / denied ..." or "according to X,
...", the sentence's named speakers are found from its stored entities (ingest tags them): a person,
organisation, place or group named right before a verb of saying ("Peskov said", "Peskov, the
spokesman, told"), after one that follows a comma or quote (", said Peskov"), or after "according to".
When the sentence names speakers and none of them is X, it cannot decide the claim either way; its
``mismatch`` says ``"speaker: Dmitry Peskov vs Sergey Lavrov"``.

A speaker counts as X when X is mentioned in the speaker's name or in the words before it that give
its role ("Kremlin spokesman Dmitry Peskov" for a claim about the Kremlin, or about Russia). A
sentence that names no speaker ("he said", "the ministry said", or no verb of saying) is left to the
subject rule of ``entities.py``: the claim's speaker must be mentioned in it or its context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.pipeline.entities import SPEAKER_KIND, FoldedText
from factcheck.records import Entity, SentenceHit

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_SAY = (
    r"(?:said|says|say|told|tells|tell|warned|warns|warn|announced|announces|announce|denied|denies|deny"
    r"|claimed|claims|claim|added|adds|stated|states|insisted|insists|argued|argues|noted|notes|wrote|writes"
    r"|explained|explains|confirmed|confirms|acknowledged|admitted|admits|declared|declares|predicted"
    r"|suggested|urged|urges|vowed|vows|promised|accused|alleged|called|calls)"
)
SAYING = re.compile(rf"\b{_SAY}\b|\baccording to\b|\bquoted\b", re.IGNORECASE)
# after a name: "Peskov said", "Peskov also told", "Peskov, the Kremlin spokesman, said"
_AFTER_NAME = re.compile(rf"^(?:'s)?(?:\s*,[^,]{{1,60}},)?\s+(?:\w+\s+){{0,2}}?{_SAY}\b", re.IGNORECASE)
# before a name: ", said Kremlin spokesman Dmitry Peskov", "according to Russian officials"
_BEFORE_NAME = re.compile(rf"(?:[,\"”']\s*{_SAY}|\baccording to|\bquoted)\s+(?:[\w.'-]+\s+){{0,4}}$", re.IGNORECASE)
_ROLE_WORDS = 4  # words before a speaker's name that may give its role ("Kremlin spokesman")
_PHRASE_BREAK = re.compile(r"[,;:.!?()\"“”]|\b(?:said|says|told|according to)\b", re.IGNORECASE)


def reports_speech(text: str) -> bool:
    """Whether a sentence has a verb of saying or "according to": the sentences whose speakers matter."""
    return SAYING.search(text) is not None


def claim_speaker(claim: str, entities: Sequence[Entity]) -> Entity | None:
    """The named speaker a claim attributes its content to, when it is an attribution."""
    return next((e for e in entities if e.subject and _speaks(claim, e)), None)


def sentence_speakers(hit: SentenceHit) -> list[tuple[Entity, str]] | None:
    """The speakers a sentence names, each with its name and the words before it that may give its role;
    None when it names none or its entities were not stored (the speaker is unknown)."""
    if hit.entities is None or not reports_speech(hit.text):
        return None
    speakers = [
        (e, " ".join([*_PHRASE_BREAK.split(hit.text[: e.start])[-1].split()[-_ROLE_WORDS:], e.text]))
        for e in hit.entities
        if e.label in SPEAKER_LABELS and _speaks(hit.text, e)
    ]
    return speakers or None


def speaker_mismatches(claim: str, entities: Sequence[Entity], hit: SentenceHit) -> tuple[str, ...]:
    """``("speaker: <in evidence> vs <in claim>",)`` when the claim is an attribution and the sentence
    names speakers, none of them the claim's."""
    speaker = claim_speaker(claim, entities)
    found = sentence_speakers(hit) if speaker is not None else None
    if speaker is None or found is None or any(FoldedText(role).mentions(speaker) for _, role in found):
        return ()
    return (f"{SPEAKER_KIND}: {found[0][0].text} vs {speaker.text}",)


def _speaks(text: str, entity: Entity) -> bool:
    return bool(_AFTER_NAME.match(text[entity.end :]) or _BEFORE_NAME.search(text[: entity.start]))
