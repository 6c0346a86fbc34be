"""How many indexed sentences each query term is in, from SQLite FTS5's own vocabulary.

FTS5 indexes sentences with ``tokenize = 'porter unicode61'``: words lower-cased, accents removed,
then Porter-stemmed. ``fts5vocab`` gives the number of rows each stemmed term is in; query terms are
stemmed the same way (snowballstemmer's Porter, Martin Porter's original algorithm, as in FTS5). A
term's count is read once and kept until the index has grown or shrunk by a tenth: reading it means
walking the term's posting list, the cost the counts are there to avoid."""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Sequence

import snowballstemmer

VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sentence_vocab USING fts5vocab(main, 'sentence_fts', 'row')"
RECOUNT_AFTER = 0.1  # counts are read again once the sentence count has changed by this share
MAX_KEPT = 100_000  # counts kept at most (distinct query terms seen)


def _folded(term: str) -> str:
    """A term as unicode61 leaves it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", term.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class TermCounts:
    """Sentence counts per query term for one SQLite store (thread-safe)."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("porter")
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._total = 0

    def shares(self, conn: sqlite3.Connection, terms: Sequence[str], total: int) -> dict[str, float]:
        """The share of the ``total`` indexed sentences each of ``terms`` is in."""
        if not total or not terms:
            return {}
        with self._lock:
            if abs(total - self._total) > RECOUNT_AFTER * total or len(self._counts) > MAX_KEPT:
                self._counts, self._total = {}, total
            stems = self._stemmer.stemWords([_folded(t) for t in terms])
            unknown = set(stems) - self._counts.keys()
        found = dict.fromkeys(unknown, 0)
        if unknown:
            conn.execute(VOCABULARY)
            for stem in unknown:  # one lookup each: fts5vocab seeks on term = ?
                row = conn.execute("SELECT doc FROM temp.sentence_vocab WHERE term = ?", (stem,)).fetchone()
                found[stem] = int(row[0]) if row else 0
        with self._lock:
            self._counts.update(found)
            return {term: self._counts.get(stem, 0) / total for term, stem in zip(terms, stems, strict=True)}
