"""Entity coverage beside the NLI model: a sentence can decide a claim only if it is about the
claim's named things.

An NLI model given "Turkey announced a withdrawal from Syria" and a sentence about Russia's
withdrawal often answers *contradiction*, confidently: the archive does not say, and the right answer
is neutral. So the claim's key named entities (people, organisations, places, nationalities,
facilities, events, products: spaCy's PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT) are looked up
in the sentence and its context: the article's title and first sentence (they name what a news or
encyclopedia article is about) and the sentence before it (what "he" or "the base" refers to).
- The claim's **subject** or named source missing ("Turkey announced", "according to X") while the
  sentence names a *rival*, an entity of the same kind that the claim does not mention ("Russia"): the
  sentence is about something else and cannot decide the claim either way. Its ``mismatch`` says
  ``"subject: Turkey not in evidence (it names Russia)"``. A sentence that names no rival ("The film
  was a failure", "He said ...") may be about the claim's subject by a description or a pronoun; the
  model decides it.
- **Another** of the claim's entities missing ("... from Libya") is left to the model and to the
  number, date and nationality checks (mismatch.py): holding such sentences back from support cost the
  FEVER part of the tuning set 1.5 points where the rule allows one (lab/experiments/entity-policy).

Mentions are matched loosely, to err towards letting the model decide:
- accents, case and possessives are ignored, dotted initials are joined (U.N.), and an entity of
  several words is mentioned when any of its distinctive words is (a surname for a person, "Fox" for
  "the Fox Broadcasting Company");
- spelling variants and transliterations match (Hmeimim / Hmeymim / Khmeimim / Hemeimeem,
  Sergei / Sergey) by a letter skeleton or a close string match;
- a country is mentioned by its name, its demonym, its capital or its seat of government ("Moscow" and
  "the Kremlin" for Russia): ``COUNTRY_NAMES``.

The rules and tables are fixed by construction; no data set chose them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from factcheck.pipeline.nationalities import NATIONALITIES
from factcheck.records import Entity, SentenceHit

# The kind of each key entity label: a rival of a claim's subject is an entity of the same kind. A
# government, a state and its people act alike in news copy, so ORG, GPE and NORP are one kind.
KINDS = {
    "PERSON": "person",
    "ORG": "actor",
    "GPE": "actor",
    "NORP": "actor",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "PRODUCT": "product",
}
KEY_LABELS = frozenset(KINDS)
SPEAKER_KIND = "speaker"  # another speaker is quoted (attribution.py): it cannot decide either
SUBJECT_KIND = "subject"  # the claim's subject (or named source) is not mentioned: it cannot decide at all

# Country -> other names that mean it in news copy: short forms, capitals, seats of government.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "russia": ("russian federation", "moscow", "kremlin"),
    "united states": ("us", "u s", "usa", "america", "washington", "white house", "pentagon"),
    "united kingdom": ("uk", "britain", "great britain", "england", "scotland", "wales", "london", "downing street"),
    "syria": ("syrian arab republic", "damascus"),
    "ukraine": ("kyiv", "kiev"),
    "china": ("beijing", "prc"),
    "turkey": ("turkiye", "ankara"),
    "iran": ("tehran",),
    "iraq": ("baghdad",),
    "israel": ("jerusalem", "tel aviv"),
    "libya": ("tripoli",),
    "lebanon": ("beirut",),
    "egypt": ("cairo",),
    "jordan": ("amman",),
    "saudi arabia": ("riyadh",),
    "afghanistan": ("kabul",),
    "pakistan": ("islamabad",),
    "india": ("new delhi", "delhi"),
    "japan": ("tokyo",),
    "germany": ("berlin",),
    "france": ("paris", "elysee"),
    "italy": ("rome",),
    "spain": ("madrid",),
    "belarus": ("minsk",),
    "poland": ("warsaw",),
    "north korea": ("pyongyang",),
    "south korea": ("seoul",),
    "qatar": ("doha",),
}
# Words that do not tell one entity from another of its kind.
GENERIC = frozenset(
    (
        "the",
        "of",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "al",
        "el",
        "de",
        "la",
        "le",
        "company",
        "corporation",
        "inc",
        "ltd",
        "group",
        "party",
        "university",
        "college",
        "ministry",
        "department",
        "government",
        "army",
        "forces",
        "force",
        "air",
        "naval",
        "navy",
        "base",
        "bases",
        "republic",
        "state",
        "states",
        "federation",
        "national",
        "international",
        "council",
        "committee",
        "agency",
        "news",
        "network",
        "union",
        "front",
        "movement",
        "organisation",
        "organization",
        "president",
        "minister",
        "mr",
        "mrs",
        "ms",
        "dr",
        "general",
        "city",
        "province",
        "region",
        "north",
        "south",
        "east",
        "west",
        "new",
    )
)
_WORD = re.compile(r"[a-z0-9]+")
_PRONOUN = r"(?:He|She|It|They|His|Her|Its|Their|This|These|Those|That)\b"
_DESCRIPTION = r"(?:The|This|These|That|Those|Its|His|Her|Their)\s+[a-z]"  # a determiner and a common noun
ANAPHORIC = re.compile(rf"^[\W_]*(?:{_PRONOUN}|{_DESCRIPTION}|[a-z])")


_CONNECTORS = frozenset(("of", "the", "and", "for", "de", "du", "la", "al"))
_CAPITALS = re.compile(r"\b[A-Z]{2,6}\b")  # UN, NATO, SSR
_NAME_RUN = re.compile(rf"[A-Z][\w']*(?:[\s-]+(?:(?:{'|'.join(_CONNECTORS)})[\s-]+)*[A-Z][\w']*)+")


def _fold(text: str) -> str:
    """Lower case, accents and possessives dropped, dotted initials joined (U.N. -> un), punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", text)
    return " ".join(_WORD.findall(re.sub(r"'s\b", "", text)))


def _skeleton(word: str) -> str:
    """A transliteration-blind form: kh -> h, y -> i, doubled letters and ee -> one."""
    word = word.replace("kh", "h").replace("y", "i").replace("ee", "i")
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded name, demonym, capital or alias -> country."""
    names = {country: country for country in NATIONALITIES}
    for country, adjectives in NATIONALITIES.items():
        names.update({_fold(adjective): country for adjective in adjectives})
    for country, aliases in COUNTRY_NAMES.items():
        names.update({alias: country for alias in aliases})
        names[country] = country
    return names


def _country(folded: str) -> str | None:
    return _countries().get(folded)


def _countries_in(words: list[str]) -> set[str]:
    """Countries named by single words or pairs of words of a text."""
    countries = _countries()
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return {countries[g] for g in grams if g in countries}


def key_entities(entities: Sequence[Entity]) -> list[Entity]:
    """The claim's entities that a deciding sentence must mention, each once."""
    seen: set[str] = set()
    out = []
    for entity in entities:
        folded = _fold(entity.text)
        if entity.label in KEY_LABELS and folded and folded not in seen:
            seen.add(folded)
            out.append(entity)
    return out


def _initials(words: Sequence[str]) -> str:
    """The initials of a name's words, its small words left out: United Nations -> un."""
    return "".join(w[0] for w in words if w.lower() not in _CONNECTORS).lower()


def _acronyms(text: str) -> set[str]:
    """The initials of every run of two or more capitalised words in ``text`` (United Nations -> un,
    Latter-day Saints -> lds), small words inside a run allowed, and the words written in capitals."""
    found = {w.lower() for w in _CAPITALS.findall(text)}
    for run in _NAME_RUN.finditer(text):
        words = [w for w in re.split(r"[\s-]+", run.group()) if w]
        found.update(_initials(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1))
    return found


class FoldedText:
    """A text folded once, for looking up several entities in it (see the module docstring for how
    loosely ``mentions`` matches): its words, their transliteration-blind skeletons, and the long words
    by first letter for the close-string match."""

    def __init__(self, text: str):
        self.words = _fold(text).split()
        self.countries = _countries_in(self.words)
        self.acronyms = _acronyms(text)
        self._words = set(self.words)
        self._skeletons = {_skeleton(w) for w in self.words}
        self._long: dict[str, list[str]] = {}
        for word in set(self.words):
            if len(word) >= 5:
                self._long.setdefault(word[0], []).append(_skeleton(word))

    def mentions(self, entity: Entity) -> bool:
        name = _fold(entity.text)
        country = _country(name) or _country(name.removeprefix("the "))
        if country is not None:
            return country in self.countries
        distinctive = [w for w in name.split() if w not in GENERIC and len(w) > 1]
        if not distinctive:
            return True  # nothing to tell it by: the model decides
        return any(self._has(w) for w in distinctive) or self._abbreviated(entity.text)

    def _has(self, word: str) -> bool:
        """Whether the text has ``word``: itself, a word of the same skeleton (the same name in another
        transliteration), or, for words of five letters or more, a word of the same first letter and as
        long whose skeleton is a close string match."""
        skeleton = _skeleton(word)
        if word in self._words or skeleton in self._skeletons:
            return True
        if len(word) < 5:
            return False
        return any(SequenceMatcher(None, skeleton, other).ratio() >= 0.8 for other in self._long.get(word[0], ()))

    def _abbreviated(self, name: str) -> bool:
        """Whether the text writes ``name`` as initials (UN for the United Nations) or spells out the
        name that ``name``'s initials stand for (the United Nations for UN)."""
        if _CAPITALS.fullmatch(name.strip()):
            return name.strip().lower() in self.acronyms
        words = [w for w in re.split(r"[\s-]+", name) if w]
        return len(words) >= 2 and _initials(words) in self.words


@lru_cache(maxsize=1024)
def folded(text: str) -> FoldedText:
    """``FoldedText(text)``, kept for the texts a check looks entities up in more than once."""
    return FoldedText(text)


def entity_mismatches(
    claim: str, entities: Sequence[Entity], hit: SentenceHit, named: Sequence[Entity] = ()
) -> tuple[str, ...]:
    """``"subject: <name> not in evidence (it names <rival>)"`` when no entity of ``claim``'s subject
    phrase is mentioned by the sentence or its context (its article's title and first sentence, and the
    sentence before it) and ``named`` (the entities the sentence and its antecedent name) holds a rival
    of its kind. A subject missing without a rival is no mismatch: the sentence may name it by a
    description or a pronoun.

    A subject phrase is a run of subject entities with nothing but spaces and punctuation between them
    ("Charlotte, North Carolina", "the Airbus A380", "Pearl (Steven Universe)"): it names one thing, so
    one of its entities mentioned is enough. A sentence that names its subject by a pronoun or a
    description ("He served ...", "The film was ...") and has no context at all (no title, no sentence
    before it) is not held to the claim's subject: nothing tells what it is about."""
    if not hit.title and not hit.context and subject_elsewhere(hit.text):
        return ()
    return tuple(
        f"{SUBJECT_KIND}: {entity.text} not in evidence (it names {rival.text})"
        for entity in missing_entities(claim, entities, hit)
        if entity.subject and (rival := _rival(claim, entity, named))
    )


def missing_entities(claim: str, entities: Sequence[Entity], hit: SentenceHit) -> list[Entity]:
    """``claim``'s key entities that neither the sentence nor its context mentions, the entities of a
    subject phrase left out when one of them is mentioned."""
    if not entities:
        return []
    context = folded(" ".join((hit.title, *hit.context, hit.antecedent or "", hit.text)))
    missing = {e for e in entities if not context.mentions(e)}
    named = {e for phrase in _subject_phrases(claim, entities) if not phrase <= missing for e in phrase}
    return [e for e in entities if e in missing and e not in named]


def _rival(claim: str, subject: Entity, named: Sequence[Entity]) -> Entity | None:
    """The first of ``named`` of the same kind as ``subject`` that ``claim`` does not mention."""
    text = folded(claim)
    kind = KINDS.get(subject.label)
    return next((e for e in named if KINDS.get(e.label) == kind and not text.mentions(e)), None)


def _subject_phrases(claim: str, entities: Sequence[Entity]) -> list[set[Entity]]:
    """The claim's subject entities in runs that only spaces and punctuation separate."""
    phrases: list[set[Entity]] = []
    last: Entity | None = None
    for entity in sorted((e for e in entities if e.subject), key=lambda e: e.start):
        if last is not None and not claim[last.end : entity.start].strip(" ,;:()[]-–—'\""):
            phrases[-1].add(entity)
        else:
            phrases.append({entity})
        last = entity
    return phrases


def subject_elsewhere(sentence: str) -> bool:
    """Whether a sentence opens with a pronoun, a description ("The film ...", "This group ...") or in
    mid-clause, so that its subject is named in an earlier sentence."""
    return ANAPHORIC.match(sentence) is not None


def readable(claim: str) -> bool:
    """Whether the English NER can make sense of ``claim``: at least three words, not all capitals, mostly
    Latin letters. Other claims (a word, a shout, emoji, another script) are checked without entities."""
    words = claim.split()
    letters = [c for c in claim if c.isalpha()]
    latin = sum(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return len(words) >= 3 and bool(letters) and not claim.isupper() and latin >= 0.9 * len(letters)


def blocks_both_sides(mismatch: Sequence[str]) -> bool:
    """Whether a sentence's mismatches keep it from deciding either way: it does not mention the claim's
    subject, so it is about something else, or it quotes someone other than the claim's speaker
    (attribution.py)."""
    return any(m.startswith((f"{SUBJECT_KIND}:", f"{SPEAKER_KIND}:")) for m in mismatch)
