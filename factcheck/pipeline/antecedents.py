"""Which earlier sentence a sentence needs to be read: its antecedent.

- A **list item** ("Destroyed 209 oil production and transfer facilities" under "Russian aircraft flew
  more than 9,000 sorties") states its fact about the list's heading. A list is a run of two or more
  sentences without closing punctuation; each item after the first needs the run's first sentence.
- A sentence that opens with a **personal pronoun** ("He said ...", "They left ...") needs the sentence
  before it.

The NLI model reads such a sentence with its antecedent before it (``verify.premise``), while the
cited span stays the sentence itself. Fixed by construction; no data set chose these rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CLOSED = re.compile(r"[.!?:;\"'”’)\]]\s*$")
PRONOUN = re.compile(r"^[\"“‘']?(?:He|She|It|They|We)\b")


def antecedents(sentences: Sequence[str]) -> list[int | None]:
    """For each sentence of an article, in order, the index of the sentence it needs, or None."""
    open_ = [not CLOSED.search(s) for s in sentences]
    found: list[int | None] = []
    run_start = 0
    for i, sentence in enumerate(sentences):
        in_list = open_[i] and ((i > 0 and open_[i - 1]) or (i + 1 < len(sentences) and open_[i + 1]))
        if in_list and not (i > 0 and open_[i - 1]):
            run_start = i
        if in_list and i > run_start:
            found.append(run_start)
        elif PRONOUN.match(sentence) and i > 0:
            found.append(i - 1)
        else:
            found.append(None)
    return found


def with_antecedent(text: str, antecedent: str | None) -> str:
    """A sentence as the model reads it: after the sentence before it ("Putin spoke. He said ..."), or
    joined to its list's heading as one sentence ("Russian aircraft flew more than 9,000 sorties,
    destroyed 209 oil production and transfer facilities")."""
    if not antecedent:
        return text
    if CLOSED.search(antecedent):
        return f"{antecedent} {text}"
    return f"{antecedent}, {text[:1].lower()}{text[1:]}"
