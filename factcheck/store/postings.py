"""Lexical search on impact-ordered postings, one design for both stores.

A sentence's terms are its words folded (lower case, accents removed), without stop words and single
characters, Porter-stemmed (snowballstemmer, Martin Porter's original algorithm). Each (term,
sentence) is one row of ``postings`` holding the term's BM25 weight in that sentence, its *impact*
(k1 1.2, b 0.75, the sentence's length against AVERAGE_WORDS, fixed so that a stored impact never
goes stale as the archive grows), as an integer. The key (term, impact, sentence_id) keeps each term's
postings in impact order, so a search reads at most ``per_term`` of each query term's best postings
and sums inverse document frequency x impact: its work is bounded by the number of query terms, not
by the size of the archive. A term in fewer sentences than that is read whole (exact BM25); of a
commoner one, only the sentences it weighs most in. A filtered search reads every posting of its
terms, since a filter could leave none of the best.

A sentence's score is then completed from all its postings (a second index, by sentence), for the
best RESCORED x ``limit`` candidates: a sentence found through a rare term also gets what the
commoner terms it holds add, though it lay beyond their budget.

Postings are written and deleted in the transaction that writes or deletes their sentences, so they
are always consistent with them, across crashes too. The functions here build the rows and the SQL
(``%s`` placeholders); the stores run them.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import snowballstemmer

Execute = Callable[[str, tuple], Any]

# Function words carry no retrieval signal; they are neither indexed nor searched for.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "not",
        "no",
    ]
)
K1 = 1.2
B = 0.75
AVERAGE_WORDS = 25  # a typical news sentence's length in words: BM25's length normalisation, fixed
IMPACT_SCALE = 1000  # a stored impact is the BM25 term weight x this, rounded
POSTINGS_PER_TERM = 5000  # best postings read per query term (lab/experiments/impact-postings/NOTE.md)
RESCORED = 4  # candidates whose scores are completed from all their postings, per sentence asked for
RECOUNT_AFTER = 0.1  # term counts are read again once the sentence count has changed by this share
MAX_KEPT = 100_000  # term counts kept at most

SCHEMA = """
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL,
    impact INTEGER NOT NULL,
    sentence_id BIGINT NOT NULL,
    PRIMARY KEY (term, impact, sentence_id)
){compact};
CREATE INDEX IF NOT EXISTS postings_sentence ON postings (sentence_id, term, impact)
"""
INSERT = "INSERT INTO postings (term, impact, sentence_id) VALUES (%s, %s, %s)"
DELETE_ARTICLE = "DELETE FROM postings WHERE sentence_id IN (SELECT id FROM sentences WHERE article_pk = %s)"

_WORD = re.compile(r"\w+")


class _Stems:
    """Porter stems of folded words, kept (a news vocabulary is small; the stemmer is pure Python)."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("porter")
        self._lock = threading.Lock()  # the stemmer keeps state while it works
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._known.get(word)
        if stem is None:
            with self._lock:
                stem = self._stemmer.stemWord(word)
                if len(self._known) < MAX_KEPT:
                    self._known[word] = stem
        return stem


_stem = _Stems()


def folded(text: str) -> str:
    """Lower case, accents removed ("Cléopâtre" -> "cleopatre"), as the index and word overlaps compare words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _indexed(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS


def terms(words: Iterable[str]) -> list[str]:
    """The distinct terms of query ``words``, in order."""
    return list(dict.fromkeys(_stem(w) for w in (folded(w) for w in words) if _indexed(w)))


def sentence_postings(text: str) -> list[tuple[str, int]]:
    """(term, impact) for each distinct term of a sentence."""
    words = _WORD.findall(folded(text))
    counts = Counter(_stem(w) for w in words if _indexed(w))
    norm = K1 * (1 - B + B * len(words) / AVERAGE_WORDS)
    return [(term, max(1, round(IMPACT_SCALE * tf * (K1 + 1) / (tf + norm)))) for term, tf in counts.items()]


def rows(sentences: Iterable[tuple[int, str]]) -> list[tuple[str, int, int]]:
    """The postings rows (term, impact, sentence_id) of (sentence_id, text) pairs."""
    return [(term, impact, sid) for sid, text in sentences for term, impact in sentence_postings(text)]


def backfill(
    total: int, batches: Iterable[Sequence[tuple[int, str]]], insert: Callable[[list[tuple[str, int, int]]], object]
) -> None:
    """Give every stored sentence its postings, ``batches`` of (sentence_id, text) at a time, each written
    by ``insert``: an index from before the postings, once, after an upgrade (169 s for 605,500 sentences
    on 2 cores). Says how far it has got at every tenth."""
    log = logging.getLogger(__name__)
    if total:
        log.warning("indexing the terms of %d sentences (once, after an upgrade)", total)
    done, said = 0, 0
    for batch in batches:
        insert(rows(batch))
        done += len(batch)
        if done * 10 // total > said:
            said = done * 10 // total
            log.info("indexed the terms of %d of %d sentences", done, total)


def idf(sentences_with_term: int, total: int) -> float:
    """BM25's inverse document frequency (the form that is never negative)."""
    return math.log(1 + (total - sentences_with_term + 0.5) / (sentences_with_term + 0.5))


def _postings_sql(weights: Sequence[tuple[str, float]], per_term: int | None) -> tuple[str, list]:
    """(sentence_id, w) rows: weight x impact of each posting of ``weights``' terms, of each term its
    ``per_term`` best (None: all of them)."""
    parts: list[str] = []
    values: list[Any] = []
    for term, weight in weights:
        budget = " ORDER BY impact DESC, sentence_id DESC LIMIT %s" if per_term is not None else ""
        parts.append(
            "SELECT sentence_id, CAST(%s AS DOUBLE PRECISION) * impact AS w FROM"
            f" (SELECT sentence_id, impact FROM postings WHERE term = %s{budget}) AS t{len(parts)}"
        )
        values += [weight, term] + ([per_term] if per_term is not None else [])
    return " UNION ALL ".join(parts), values


def search_sql(
    weights: Sequence[tuple[str, float]], limit: int, per_term: int | None, where: str = "", params: Sequence = ()
) -> tuple[str, list]:
    """The query ranking sentences by BM25, the sum of weight x impact over ``weights``' terms.

    With ``per_term``, the candidates are the RESCORED x ``limit`` best by the postings read (each
    term's ``per_term`` best), and each candidate's score is then completed from all its postings
    (the index by sentence): a sentence found through a rare term also gets what the commoner terms
    it holds add, though it was beyond their budget. ``where`` (on sentences ``s`` and articles ``a``,
    with ``params``) filters the sentences; a filtered search reads every posting."""
    if per_term is None:
        joined, values = _postings_sql(weights, None)
        filtered = f" JOIN sentences s ON s.id = u.sentence_id JOIN articles a ON a.pk = s.article_pk WHERE {where}"
        sql = f"SELECT u.sentence_id, SUM(u.w) AS score FROM ({joined}) AS u{filtered if where else ''}"
        sql += " GROUP BY u.sentence_id"
        return f"{sql} ORDER BY score DESC, u.sentence_id LIMIT %s", [*values, *params, limit]
    joined, values = _postings_sql(weights, per_term)
    terms = ", ".join(["(CAST(%s AS TEXT), CAST(%s AS DOUBLE PRECISION))"] * len(weights))
    sql = (
        f"WITH q (term, w) AS (VALUES {terms}),"
        f" c AS (SELECT u.sentence_id FROM ({joined}) AS u GROUP BY u.sentence_id"
        " ORDER BY SUM(u.w) DESC, u.sentence_id LIMIT %s)"
        " SELECT p.sentence_id, SUM(q.w * p.impact) AS score FROM c"
        " JOIN postings p ON p.sentence_id = c.sentence_id JOIN q ON q.term = p.term"
        " GROUP BY p.sentence_id ORDER BY score DESC, p.sentence_id LIMIT %s"
    )
    return sql, [*(v for pair in weights for v in pair), *values, RESCORED * limit, limit]


class TermCounts:
    """How many sentences each term is in, read from the postings and kept until the index has grown or
    shrunk by RECOUNT_AFTER (thread-safe): counting a term means walking its postings, the work a
    budgeted search avoids."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._total = 0

    def counts(self, execute: Execute, terms: Sequence[str], total: int) -> dict[str, int]:
        with self._lock:
            if abs(total - self._total) > RECOUNT_AFTER * total or len(self._counts) > MAX_KEPT:
                self._counts, self._total = {}, total
            unknown = set(terms) - self._counts.keys()
        found = {t: int(execute("SELECT COUNT(*) FROM postings WHERE term = %s", (t,)).fetchone()[0]) for t in unknown}
        with self._lock:  # a term in no sentence yet is counted again next time: it may be news
            self._counts.update((t, n) for t, n in found.items() if n)
            return {t: self._counts.get(t, found.get(t, 0)) for t in terms}


class Lexical:
    """The lexical search of one store, over its ``execute`` (``%s`` placeholders)."""

    def __init__(self, per_term: int | None = POSTINGS_PER_TERM) -> None:
        self.per_term = per_term
        self._counts = TermCounts()

    def shares(self, execute: Execute, words: Sequence[str], total: int) -> dict[str, float]:
        """The share of the ``total`` indexed sentences each of ``words`` is in."""
        if not total or not words:
            return {}
        stems = {w: terms([w]) for w in words}
        counts = self._counts.counts(execute, [s for found in stems.values() for s in found], total)
        return {w: max((counts[s] for s in found), default=0) / total for w, found in stems.items()}

    def search(
        self, execute: Execute, words: Sequence[str], total: int, limit: int, where: str = "", params: Sequence = ()
    ) -> list[tuple[int, float]]:
        """(sentence_id, BM25 score) of the best ``limit`` sentences for ``words``."""
        found = terms(words)
        if not found or not total:
            return []
        counts = self._counts.counts(execute, found, total)
        weights = [(t, idf(counts[t], total) / IMPACT_SCALE) for t in found if counts[t]]
        if not weights:
            return []
        budget = self.per_term
        if where or budget is None or all(counts[t] <= budget for t, _ in weights):
            budget = None  # every posting is read anyway: no scores to complete
        sql, values = search_sql(weights, limit, budget, where, params)
        return [(int(r[0]), float(r[1])) for r in execute(sql, tuple(values)).fetchall()]
