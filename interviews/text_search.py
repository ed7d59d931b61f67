"""Text as the findings search compares it, in Japanese and English.

Both sides of a match go through `normalize`: NFKC folds full-width letters and digits
and half-width katakana into one form (full-width ABC, half-width katakana) and casefold ignores
case, so what was typed and what was stored meet whatever the keyboard did. Matching is
by substring, because Japanese has no spaces between words: on PostgreSQL a trigram (GIN,
pg_trgm) index serves `LIKE '%term%'` for words of three characters or more, and a word
of one or two characters (税, 価格, 評価: common in Japanese, and without a trigram) is
looked up in the finding's one- and two-character pieces (`grams`, GIN-indexed too);
SQLite scans.
"""

from __future__ import annotations

import unicodedata

# More words than this in one search are ignored: each is one more LIKE to check.
MAX_TERMS = 6


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\x00", "")
    return " ".join(text.casefold().split())


def terms(query: str) -> list[str]:
    """The words of a search, each to be found somewhere in a finding (all of them)."""
    words = dict.fromkeys(normalize(query).split())
    return [w for w in words if w][:MAX_TERMS]


def grams(text: str) -> str:
    """Every one- and two-character piece of the words of `text` (already normalised),
    once each, space-separated: a finding contains a word of one or two characters
    exactly when the word is one of its grams."""
    pieces: set[str] = set()
    for word in text.split():
        pieces.update(word)
        pieces.update(word[i : i + 2] for i in range(len(word) - 1))
    return " ".join(sorted(pieces))


def like_escape(term: str) -> str:
    """A term for LIKE: its own % and _ match themselves."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
