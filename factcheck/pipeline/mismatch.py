"""Mismatch check beside the NLI model: numbers, years, weekdays, months and nationalities.

NLI models often read "3,000 troops" and "20,000 troops", or "an American actor" and "a British
actor", as the same fact. A sentence that states a value of the same kind as the claim (a number, a
year, a weekday, a month, or a nationality put on the same noun: nationalities.py) but not the
claim's own value cannot support the claim: ``verify`` counts it as neutral and names the mismatch.
The rule is fixed by construction, not tuned on any data set.
"""

from __future__ import annotations

import re

from factcheck.pipeline.nationalities import nationalities

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "one" is left out ("one of the", "no one"): as a pronoun it is far more common than as a count.
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        (
            "zero",
            "_",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+")


def _number(token: str) -> float | None:
    if token[0].isdigit():
        digits = token.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", token) else token
        try:
            return float(digits)
        except ValueError:
            return None
    word = NUMBER_WORDS.get(token.lower())
    return None if word is None else float(word)


def quantities(text: str) -> dict[str, set]:
    """Quantities in ``text`` by kind: ``year`` (1000-2100 written as digits), ``number``, ``weekday``,
    ``month`` ("may" counts only when capitalised)."""
    found: dict[str, set] = {}
    tokens = _TOKEN.findall(text)
    for i, token in enumerate(tokens):
        lower = token.lower()
        if lower in WEEKDAYS:
            found.setdefault("weekday", set()).add(lower)
        elif lower in MONTHS and (lower != "may" or token[0].isupper()):
            found.setdefault("month", set()).add(lower)
        elif (value := _number(token)) is not None:
            scale = SCALES.get(tokens[i + 1].lower(), 1) if i + 1 < len(tokens) else 1
            is_year = token.isdigit() and len(token) == 4 and 1000 <= value <= 2100 and scale == 1
            found.setdefault("year" if is_year else "number", set()).add(value * scale)
    return found


def mismatches(claim: str, sentence: str) -> list[str]:
    """Kinds where the sentence states values of that kind but none of the claim's, e.g.
    ``["number: 3000 vs 20000"]``, ``["nationality: united kingdom vs united states (actor)"]``; empty
    when nothing conflicts."""
    return quantity_mismatches(claim, sentence) + nationality_mismatches(claim, sentence)


def quantity_mismatches(claim: str, sentence: str) -> list[str]:
    """The numbers, years, weekdays and months of ``mismatches``."""
    claimed, stated = quantities(claim), quantities(sentence)
    return [
        f"{kind}: {_show(values)} vs {_show(stated[kind])}"
        for kind, values in claimed.items()
        if kind in stated and not values & stated[kind]
    ]


def nationality_mismatches(claim: str, sentence: str) -> list[str]:
    """The nationalities of ``mismatches``: per noun both texts qualify, the claim's groups against the
    sentence's."""
    claimed, stated = nationalities(claim), nationalities(sentence)
    return [
        f"nationality: {_show(groups)} vs {_show(stated[noun])} ({noun})"
        for noun, groups in claimed.items()
        if noun in stated and not groups & stated[noun]
    ]


def _show(values: set) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else v for v in sorted(values))
