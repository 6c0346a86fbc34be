"""Nationality adjectives that name the same kind of thing: the named-entity kind of the mismatch check.

"an American actor" and "a British actor", "Russian jets" and "Syrian jets": an NLI model reads such
pairs as the same fact more often than it should. The check compares a nationality adjective with the
noun right after it: only when the claim and a sentence put different nationalities on the same noun
("actor", "jets") do they conflict. Country names are not compared: in news a country is as often the
actor as the place ("Russia will close its base" against "Moscow's base in Syria"), and comparing them
flagged sentences that support the claim. An adjective is read only when capitalised as written here;
parts of one state share a group (English, Scottish, Welsh and British are all the United Kingdom;
North and South Korean are both "korea"), so "English actor" against "British actor" is no mismatch.
The list is fixed by construction, not tuned on any data set.
"""

from __future__ import annotations

import re
from functools import lru_cache

from factcheck.pipeline.relevance import STEM
from factcheck.pipeline.retrieve import STOPWORDS

# group -> the adjectives that name it, as they are capitalised in running text
NATIONALITIES: dict[str, tuple[str, ...]] = {
    "afghanistan": ("Afghan",),
    "albania": ("Albanian",),
    "algeria": ("Algerian",),
    "argentina": ("Argentine", "Argentinian"),
    "armenia": ("Armenian",),
    "australia": ("Australian",),
    "austria": ("Austrian",),
    "azerbaijan": ("Azerbaijani",),
    "bangladesh": ("Bangladeshi",),
    "belarus": ("Belarusian",),
    "belgium": ("Belgian",),
    "bolivia": ("Bolivian",),
    "bosnia": ("Bosnian",),
    "brazil": ("Brazilian",),
    "bulgaria": ("Bulgarian",),
    "cambodia": ("Cambodian",),
    "cameroon": ("Cameroonian",),
    "canada": ("Canadian",),
    "chile": ("Chilean",),
    "china": ("Chinese",),
    "colombia": ("Colombian",),
    "croatia": ("Croatian",),
    "cuba": ("Cuban",),
    "cyprus": ("Cypriot",),
    "czechia": ("Czech", "Czechoslovak"),
    "denmark": ("Danish",),
    "ecuador": ("Ecuadorian",),
    "egypt": ("Egyptian",),
    "estonia": ("Estonian",),
    "ethiopia": ("Ethiopian",),
    "finland": ("Finnish",),
    "france": ("French",),
    "germany": ("German", "West German", "East German"),
    "ghana": ("Ghanaian",),
    "greece": ("Greek",),
    "hungary": ("Hungarian",),
    "iceland": ("Icelandic",),
    "india": ("Indian",),
    "indonesia": ("Indonesian",),
    "iran": ("Iranian", "Persian"),
    "iraq": ("Iraqi",),
    "ireland": ("Irish", "Northern Irish"),
    "israel": ("Israeli",),
    "italy": ("Italian",),
    "jamaica": ("Jamaican",),
    "japan": ("Japanese",),
    "kazakhstan": ("Kazakh",),
    "kenya": ("Kenyan",),
    "korea": ("South Korean", "North Korean", "Korean"),
    "latvia": ("Latvian",),
    "lebanon": ("Lebanese",),
    "libya": ("Libyan",),
    "lithuania": ("Lithuanian",),
    "malaysia": ("Malaysian",),
    "mexico": ("Mexican",),
    "mongolia": ("Mongolian",),
    "morocco": ("Moroccan",),
    "nepal": ("Nepalese", "Nepali"),
    "netherlands": ("Dutch",),
    "new zealand": ("New Zealander",),
    "nigeria": ("Nigerian",),
    "norway": ("Norwegian",),
    "pakistan": ("Pakistani",),
    "peru": ("Peruvian",),
    "philippines": ("Filipino", "Philippine"),
    "poland": ("Polish",),
    "portugal": ("Portuguese",),
    "romania": ("Romanian",),
    "russia": ("Russian", "Soviet"),
    "saudi arabia": ("Saudi",),
    "serbia": ("Serbian", "Yugoslav"),
    "singapore": ("Singaporean",),
    "slovakia": ("Slovak", "Czechoslovak"),
    "slovenia": ("Slovenian", "Yugoslav"),
    "south africa": ("South African",),
    "spain": ("Spanish",),
    "sri lanka": ("Sri Lankan",),
    "sweden": ("Swedish",),
    "switzerland": ("Swiss",),
    "syria": ("Syrian",),
    "taiwan": ("Taiwanese",),
    "thailand": ("Thai",),
    "tunisia": ("Tunisian",),
    "turkey": ("Turkish", "Ottoman"),
    "ukraine": ("Ukrainian",),
    "united kingdom": ("British", "English", "Scottish", "Welsh", "Northern Irish"),
    "united states": ("American",),
    "uruguay": ("Uruguayan",),
    "venezuela": ("Venezuelan",),
    "vietnam": ("Vietnamese",),
}

# "American" after these is a region, not the United States ("Latin American", "South American")
_REGION_BEFORE = {"American": ("Latin", "South", "North", "Central")}
# adjectives that also name a language: "in French", "a Spanish-language film" say nothing of a country
LANGUAGES = {
    "English",
    "French",
    "Spanish",
    "German",
    "Chinese",
    "Japanese",
    "Portuguese",
    "Italian",
    "Russian",
    "Dutch",
    "Korean",
    "Greek",
    "Turkish",
    "Polish",
    "Swedish",
    "Danish",
    "Finnish",
    "Norwegian",
    "Hungarian",
    "Czech",
    "Persian",
    "Thai",
    "Vietnamese",
    "Irish",
    "Welsh",
    "Icelandic",
    "Romanian",
    "Ukrainian",
    "Serbian",
    "Croatian",
    "Bulgarian",
    "Albanian",
    "Armenian",
    "Indonesian",
    "Mongolian",
    "Nepali",
    "Slovak",
    "Slovenian",
    "Latvian",
    "Lithuanian",
    "Estonian",
    "Filipino",
    "Kazakh",
    "Bosnian",
}
# nouns that make such an adjective a language: "the French language", "English speakers"
LANGUAGE_NOUNS = {
    "language",
    "languages",
    "speaking",
    "speaker",
    "speakers",
    "dub",
    "dubbed",
    "subtitles",
    "translation",
    "version",
    "word",
    "words",
}
# the noun after an adjective, past hyphenated adjectives ("British-American actor")
_NOUN_AFTER = re.compile(r"(?:-[A-Z][\w]*)*\s+([a-z]+)")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, set[str]]]:
    groups: dict[str, set[str]] = {}
    for group, adjectives in NATIONALITIES.items():
        for adjective in adjectives:
            groups.setdefault(adjective, set()).add(group)
    names = sorted(groups, key=len, reverse=True)  # longest first: "South Korean" before "Korean"
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?!\w)"), groups


def nationalities(text: str) -> dict[str, set[str]]:
    """The nationality groups ``text`` puts on each noun (by its first STEM letters), e.g.
    {"actor": {"united states"}} for "an American actor"; a language use ("in French", "the English
    language", "a Spanish-language film") or an adjective not followed by a noun counts for nothing."""
    pattern, groups = _pattern()
    found: dict[str, set[str]] = {}
    for match in pattern.finditer(text):
        adjective, before = match.group(0), text[: match.start()].split()[-1:]
        if before and before[0] in _REGION_BEFORE.get(adjective, ()):
            continue
        noun = _NOUN_AFTER.match(text, match.end())
        if noun is None or noun.group(1) in STOPWORDS:
            continue
        if adjective in LANGUAGES and (before == ["in"] or noun.group(1) in LANGUAGE_NOUNS):
            continue
        found.setdefault(noun.group(1)[:STEM], set()).update(groups[adjective])
    return found
