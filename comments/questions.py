"""Whether a reader's comment is a question, read from its text alone.

The comment's model records it at save (`Comment.is_question`), so that the
accountability figures (comments/accountability.py) count unanswered
questions with a query; this module needs nothing else of the app.
"""

import re

from newsroom.text import persian

# Words a Persian question starts with, in the matching form.
QUESTION_WORDS = frozenset(
    persian.normalize(word)
    for word in (
        "چرا",
        "چه",
        "چگونه",
        "چطور",
        "کی",
        "کجا",
        "کدام",
        "آیا",
        "چقدر",
        "چند",
        "چندم",
        "مگر",
        "کو",
        "چی",
        "چیست",
        "کیست",
    )
)
_FIRST_WORD_RE = re.compile(r"\w+")


def is_question(text: str) -> bool:
    """A reader's question: it ends with a question mark or starts with a question word."""
    text = (text or "").strip()
    if text.endswith(("؟", "?")):
        return True
    first = _FIRST_WORD_RE.search(persian.normalize(text))
    return bool(first) and first.group(0) in QUESTION_WORDS
