"""Countries and nationalities named in a text: the named-entity kind of the mismatch check.

"an American actor" and "a British actor", "born in France" and "born in Italy": an NLI model reads
such pairs as the same fact more often than it should. A name is read as a country only when it is
capitalised as written here and unambiguous: names that are as often a person, a US state or a
region (Jordan, Georgia, Chad, Guinea) are left out, so a country the list misses is simply not
seen (no mismatch) rather than read wrongly. Parts of one state share a group (England, Scotland,
Wales and Northern Ireland are all the United Kingdom; North and South Korea are both "Korea"), so
"English" against "British" is no mismatch. The list is fixed by construction, not tuned on any
data set.
"""

from __future__ import annotations

import re
from functools import lru_cache

# group -> the names and adjectives that name it, as they are capitalised in running text
COUNTRIES: dict[str, tuple[str, ...]] = {
    "afghanistan": ("Afghanistan", "Afghan"),
    "albania": ("Albania", "Albanian"),
    "algeria": ("Algeria", "Algerian"),
    "argentina": ("Argentina", "Argentine", "Argentinian"),
    "armenia": ("Armenia", "Armenian"),
    "australia": ("Australia", "Australian"),
    "austria": ("Austria", "Austrian"),
    "azerbaijan": ("Azerbaijan", "Azerbaijani"),
    "bangladesh": ("Bangladesh", "Bangladeshi"),
    "belarus": ("Belarus", "Belarusian"),
    "belgium": ("Belgium", "Belgian"),
    "bolivia": ("Bolivia", "Bolivian"),
    "bosnia": ("Bosnia and Herzegovina", "Bosnia", "Bosnian"),
    "brazil": ("Brazil", "Brazilian"),
    "bulgaria": ("Bulgaria", "Bulgarian"),
    "cambodia": ("Cambodia", "Cambodian"),
    "cameroon": ("Cameroon", "Cameroonian"),
    "canada": ("Canada", "Canadian"),
    "chile": ("Chile", "Chilean"),
    "china": ("People's Republic of China", "China", "Chinese"),
    "colombia": ("Colombia", "Colombian"),
    "croatia": ("Croatia", "Croatian"),
    "cuba": ("Cuba", "Cuban"),
    "cyprus": ("Cyprus", "Cypriot"),
    "czechia": ("Czech Republic", "Czechia", "Czech", "Czechoslovakia", "Czechoslovak"),
    "denmark": ("Denmark", "Danish"),
    "ecuador": ("Ecuador", "Ecuadorian"),
    "egypt": ("Egypt", "Egyptian"),
    "estonia": ("Estonia", "Estonian"),
    "ethiopia": ("Ethiopia", "Ethiopian"),
    "finland": ("Finland", "Finnish"),
    "france": ("France", "French"),
    "germany": ("Germany", "German", "West Germany", "West German", "East Germany", "East German"),
    "ghana": ("Ghana", "Ghanaian"),
    "greece": ("Greece", "Greek"),
    "hungary": ("Hungary", "Hungarian"),
    "iceland": ("Iceland", "Icelandic"),
    "india": ("India", "Indian"),
    "indonesia": ("Indonesia", "Indonesian"),
    "iran": ("Iran", "Iranian", "Persia", "Persian"),
    "iraq": ("Iraq", "Iraqi"),
    "ireland": ("Republic of Ireland", "Ireland", "Irish", "Northern Ireland", "Northern Irish"),
    "israel": ("Israel", "Israeli"),
    "italy": ("Italy", "Italian"),
    "jamaica": ("Jamaica", "Jamaican"),
    "japan": ("Japan", "Japanese"),
    "kazakhstan": ("Kazakhstan", "Kazakh"),
    "kenya": ("Kenya", "Kenyan"),
    "korea": ("South Korea", "South Korean", "North Korea", "North Korean", "Korea", "Korean"),
    "latvia": ("Latvia", "Latvian"),
    "lebanon": ("Lebanon", "Lebanese"),
    "libya": ("Libya", "Libyan"),
    "lithuania": ("Lithuania", "Lithuanian"),
    "malaysia": ("Malaysia", "Malaysian"),
    "mexico": ("Mexico", "Mexican"),
    "mongolia": ("Mongolia", "Mongolian"),
    "morocco": ("Morocco", "Moroccan"),
    "nepal": ("Nepal", "Nepalese", "Nepali"),
    "netherlands": ("Netherlands", "Dutch", "Holland"),
    "new zealand": ("New Zealand", "New Zealander"),
    "nigeria": ("Nigeria", "Nigerian"),
    "norway": ("Norway", "Norwegian"),
    "pakistan": ("Pakistan", "Pakistani"),
    "peru": ("Peru", "Peruvian"),
    "philippines": ("Philippines", "Filipino", "Philippine"),
    "poland": ("Poland", "Polish"),
    "portugal": ("Portugal", "Portuguese"),
    "romania": ("Romania", "Romanian"),
    "russia": ("Russia", "Russian", "Soviet Union", "Soviet", "USSR"),
    "saudi arabia": ("Saudi Arabia", "Saudi"),
    "serbia": ("Serbia", "Serbian", "Yugoslavia", "Yugoslav"),
    "singapore": ("Singapore", "Singaporean"),
    "slovakia": ("Slovakia", "Slovak", "Czechoslovakia", "Czechoslovak"),
    "slovenia": ("Slovenia", "Slovenian", "Yugoslavia", "Yugoslav"),
    "south africa": ("South Africa", "South African"),
    "spain": ("Spain", "Spanish"),
    "sri lanka": ("Sri Lanka", "Sri Lankan"),
    "sweden": ("Sweden", "Swedish"),
    "switzerland": ("Switzerland", "Swiss"),
    "syria": ("Syria", "Syrian"),
    "taiwan": ("Taiwan", "Taiwanese"),
    "thailand": ("Thailand", "Thai"),
    "tunisia": ("Tunisia", "Tunisian"),
    "turkey": ("Turkey", "Turkish", "Ottoman Empire", "Ottoman"),
    "ukraine": ("Ukraine", "Ukrainian"),
    "united kingdom": ("United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "British", "England", "English",
                       "Scotland", "Scottish", "Wales", "Welsh", "Northern Ireland", "Northern Irish"),
    "united states": ("United States of America", "United States", "USA", "U.S.A.", "US", "U.S.", "America",
                      "American"),
    "uruguay": ("Uruguay", "Uruguayan"),
    "venezuela": ("Venezuela", "Venezuelan"),
    "vietnam": ("Vietnam", "Vietnamese"),
}

# "American" after these is a region, not the United States ("Latin American", "South American")
_REGION_BEFORE = {"American": ("Latin", "South", "North", "Central")}
# adjectives that also name a language: "in French", "a Spanish-language film" say nothing of a country
LANGUAGES = {"English", "French", "Spanish", "German", "Chinese", "Japanese", "Portuguese", "Italian", "Russian",
             "Dutch", "Korean", "Greek", "Turkish", "Polish", "Swedish", "Danish", "Finnish", "Norwegian", "Hungarian",
             "Czech", "Persian", "Thai", "Vietnamese", "Irish", "Welsh", "Icelandic", "Romanian", "Ukrainian",
             "Serbian", "Croatian", "Bulgarian", "Albanian", "Armenian", "Indonesian", "Mongolian", "Nepali", "Slovak",
             "Slovenian", "Latvian", "Lithuanian", "Estonian", "Filipino", "Kazakh", "Bosnian"}
_LANGUAGE_AFTER = re.compile(r"[- ](?:language|speaking|speaker|dub|subtitle)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, set[str]]]:
    groups: dict[str, set[str]] = {}
    for group, names in COUNTRIES.items():
        for name in names:
            groups.setdefault(name, set()).add(group)
    names = sorted(groups, key=len, reverse=True)  # longest first: "South Korea" before "Korea"
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w]|\.\w)"), groups


def countries(text: str) -> set[str]:
    """The country groups ``text`` names, e.g. {"united states"} for "an American actor"."""
    pattern, groups = _pattern()
    found: set[str] = set()
    for match in pattern.finditer(text):
        name = match.group(0)
        before = text[:match.start()].split()[-1:]
        if before and before[0] in _REGION_BEFORE.get(name, ()):
            continue
        if name in LANGUAGES and (before == ["in"] or _LANGUAGE_AFTER.match(text, match.end())):
            continue
        found |= groups[name]
    return found
