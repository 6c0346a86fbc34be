"""Split a claim into its coordinated clauses with spaCy's dependency parse ("A, and B", "A but B",
"A after B", "A, B and C").

Each part is a span of the claim (character offsets into it) and the hypothesis it is checked as: a
clause that shares the first clause's subject ("Russia withdrew its jets and kept its base") or
names it by a pronoun ("..., but it was blindsided") is checked with that subject written out
("Russia kept its base"). Coordinated nouns ("Russia, Iran and Turkey met") are one fact and stay
together, as does a clause with no verb of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from factcheck.records import ClaimPart, Entity

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you"})
TEMPORAL = frozenset({"after", "before", "while", "whereas"})  # "A after B": both A and B are stated
# dependents only a verb has: a clause coordinated with the root has one of them
VERBAL = SUBJECTS | {"dobj", "aux", "auxpass", "xcomp", "ccomp", "attr", "acomp", "neg", "prt", "dative", "agent"}
MIN_TOKENS = 2  # a clause shorter than this (punctuation aside) is not a fact of its own


def claim_parts(doc: Any, entities: Sequence[Entity] = ()) -> tuple[ClaimPart, ...]:
    """The parts of a parsed claim; one part (the whole claim) when it has a single clause. Each part
    carries the claim's ``entities`` that fall in its hypothesis, moved to their offsets there."""
    whole = (ClaimPart(0, len(doc.text), doc.text, doc.text, tuple(entities)),)
    sentences = list(doc.sents)
    if len(sentences) != 1:
        return whole
    heads = _clause_heads(sentences[0].root)
    if len(heads) < 2:
        return whole
    spans = [_clause_tokens(head, heads) for head in heads]
    if any(sum(not t.is_punct for t in span) < MIN_TOKENS for span in spans):
        return whole
    subject = _subject(heads[0])
    parts = [_part(doc, span, head, subject, entities) for span, head in zip(spans, heads, strict=True)]
    return tuple(sorted(parts, key=lambda p: p.start))


def _clause_heads(root: Any) -> list[Any]:
    """The root verb, the verbs coordinated with it, and temporal clauses hanging from them (told by
    their dependents: the tagger, which gives parts of speech, does not run)."""
    if _subject(root) is None:
        return [root]
    heads = [root] + [t for t in root.conjuncts if t.i > root.i and _verbal(t)]
    for head in list(heads):
        heads += [
            child
            for child in head.children
            if child.dep_ == "advcl"
            and _subject(child) is not None
            and any(m.dep_ == "mark" and m.lower_ in TEMPORAL for m in child.children)
        ]
    return heads


def _verbal(token: Any) -> bool:
    return any(child.dep_ in VERBAL for child in token.children)


def _subject(head: Any) -> Any | None:
    return next((child for child in head.children if child.dep_ in SUBJECTS), None)


def _clause_tokens(head: Any, heads: list[Any]) -> list[Any]:
    """The tokens of ``head``'s clause: its subtree without the other clauses, the conjunctions and
    marks that join them, and punctuation at its edges."""
    others = {t.i for other in heads if other.i != head.i and not other.is_ancestor(head) for t in other.subtree}
    tokens = [t for t in head.subtree if t.i not in others]
    tokens = [t for t in tokens if not (t.dep_ in ("cc", "preconj") and t.head in heads)]
    tokens = [t for t in tokens if not (t.dep_ == "mark" and t.head.i == head.i and t.lower_ in TEMPORAL)]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "cc"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _part(doc: Any, tokens: list[Any], head: Any, shared: Any | None, entities: Sequence[Entity]) -> ClaimPart:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc.text[start:end]
    own = _subject(head)
    as_is = ClaimPart(start, end, text, text, _moved(entities, start, end, -start))
    if shared is None or (own is not None and own.i == shared.i):
        return as_is
    first, last = shared.left_edge.idx, shared.right_edge.idx + len(shared.right_edge.text)
    subject, of_subject = doc.text[first:last], _moved(entities, first, last, -first)
    if own is None:
        rest = _moved(entities, start, end, len(subject) + 1 - start)
        return ClaimPart(start, end, text, f"{subject} {text}", of_subject + rest)
    if own.lower_ in PRONOUNS and len(list(own.subtree)) == 1:
        offset, after = own.idx - start, own.idx + len(own.text)
        found = (
            _moved(entities, start, own.idx, -start)
            + _moved(of_subject, 0, len(subject), offset)
            + _moved(entities, after, end, len(subject) - len(own.text) - start)
        )
        return ClaimPart(start, end, text, text[:offset] + subject + text[offset + len(own.text) :], found)
    return as_is


def _moved(entities: Sequence[Entity], start: int, end: int, shift: int) -> tuple[Entity, ...]:
    """The entities within ``[start, end)``, their offsets moved by ``shift``."""
    return tuple(
        replace(e, start=e.start + shift, end=e.end + shift) for e in entities if e.start >= start and e.end <= end
    )
