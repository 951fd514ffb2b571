"""Near-identical comments: the same words once the rules' matching form is taken.

When many readers send the same text (a campaign, a copied message), the
moderator decides once for all of them. Two texts are near-identical when
their words are the same in the form the posting rules compare words in
(comments/matching.py, comments/letters.py): look-alike letters of other
alphabets folded, letters of one sound merged, a letter held down counted
once, the object marker («را», «رو») left out, and so is everything that
is not a letter (digits, punctuation, emoji, spacing, ZWNJ, diacritics).
So «سلام!! حقوق ما را بدهید» and «سلااام حقوق ما رو بدهيد 🙏» are one
group; «حقوق ما را ندهید» is another.
"""

import hashlib

from . import letters, matching

# The object marker, written formally or as spoken.
_OBJECT_MARKERS = frozenset({"را", "رو"})


def matching_words(text: str) -> list[str]:
    """The words of a text as the rules compare them."""
    return [
        letters.collapse(letters.sound_key(word))
        for word in matching.words_of(text)
        if word not in _OBJECT_MARKERS
    ]


def likeness(text: str) -> str:
    """A short key that near-identical texts share; "" for a text without words."""
    words = matching_words(text)
    if not words:
        return ""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]
