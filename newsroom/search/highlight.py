"""How a result shows the words it was found by: the title and a passage of the body, marked."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from newsroom.search.query import Spelling, Term
from newsroom.text import persian

# A snippet shows about this many characters of the body around the first match.
SNIPPET_LENGTH = 240
SNIPPET_BEFORE = 60
# How much of a body is read for it: the passage a reader wants is near the start.
SNIPPET_SCAN = 5000

_LETTER = r"[^\W_]"
_NOT_LETTERS = r"[\W_]+"


def spelling_pattern(spelling: Spelling) -> str:
    """A regular expression for one spelling, in a text in the matching form.

    A prefix spelling runs to the end of the word it begins, so that a
    highlight covers the whole word.
    """
    body = _NOT_LETTERS.join(re.escape(word) for word in spelling.words)
    return body + (f"(?!{_LETTER})" if spelling.whole else f"{_LETTER}*")


def spellings_pattern(spellings) -> str:
    """A regular expression that finds any of these spellings where a word begins."""
    alternatives = "|".join(spelling_pattern(spelling) for spelling in spellings)
    return f"(?<!{_LETTER})(?:{alternatives or '(?!)'})"


def term_pattern(term: Term) -> str:
    """A regular expression that finds a term, in any of its spellings."""
    return spellings_pattern(term.spellings)


class Marker:
    """Where the terms of a query are in a text in the matching form."""

    def __init__(self, terms):
        self.pattern = re.compile("|".join(f"(?:{term_pattern(term)})" for term in terms) or "(?!)")

    def spans(self, text):
        for match in self.pattern.finditer(text):
            if match.end() > match.start():
                yield match.start(), match.end()


def _matching_forms_of_characters() -> dict[int, str]:
    """Each character of the scripts an article is written in whose matching form differs.

    Spaces stay spaces (a text's matching form has single spaces between
    words); ZWNJ, diacritics and tatweel vanish; the rest become one
    character, a few (ligatures) more than one.
    """
    scripts = [(0x20, 0x250), (0x600, 0x700), (0x200B, 0x2070), (0xFB50, 0xFF00)]
    table = {}
    for first, last in scripts:
        for code in range(first, last):
            char = chr(code)
            normal = " " if char.isspace() else persian.normalize(char)
            if normal != char:
                table[code] = normal
    return table


_MATCHING_FORM = _matching_forms_of_characters()
# Characters whose matching form is not one character: where positions shift.
_RESIZED_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c, n in _MATCHING_FORM.items() if len(n) != 1) + "]"
)


def _matching_form_with_positions(text: str) -> tuple[str, list[int]]:
    """The text in the matching form, and for each of its characters the index it came from."""
    positions: list[int] = []
    done = 0
    for match in _RESIZED_RE.finditer(text):
        index = match.start()
        positions.extend(range(done, index))
        positions.extend([index] * len(_MATCHING_FORM[ord(text[index])]))
        done = index + 1
    positions.extend(range(done, len(text)))
    return text.translate(_MATCHING_FORM), positions


def _marked_spans(text: str, marker, *, passage_only=False) -> list[tuple[int, int]]:
    """Spans of `text` (as shown) where the marker finds something, merged and in order.

    With `passage_only`, the text is searched no further than the end of the
    passage a snippet shows around the first of them.
    """
    normal, positions = _matching_form_with_positions(text)
    spans, passage_end = [], None
    # The marker finds them in order, and positions only grow.
    for start, end in marker.spans(normal):
        span = (positions[start], positions[end - 1] + 1)
        if passage_only:
            if passage_end is None:
                passage_end = _passage(text, span[0])[1]
            elif span[0] >= passage_end:
                break
        spans.append(span)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans) -> SafeString:
    parts, done = [], 0
    for start, end in spans:
        parts.append(html.escape(text[done:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        done = end
    parts.append(html.escape(text[done:]))
    # Everything the article or reader wrote is escaped above; only <mark> is markup.
    return mark_safe("".join(parts))


def highlight(text: str, marker) -> SafeString:
    """The text, escaped, with the matched words in <mark>."""
    return _render(text or "", _marked_spans(text or "", marker))


_TAG_RE = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def plain_text(body_html: str) -> str:
    """The words of a stored (already cleaned) body, without markup."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", body_html or "")).split())


def snippet(article, marker) -> SafeString:
    """A short passage of the body around its first match, else of the lead, marked."""
    body = plain_text(article.body)[:SNIPPET_SCAN]
    for text in (body, article.lead):
        spans = _marked_spans(text, marker, passage_only=True)
        if spans:
            return _render_window(text, spans)
    return _render_window(body or article.lead, [])


def _passage(text: str, first: int) -> tuple[int, int]:
    """Where the passage a snippet shows begins and ends, for a first match at `first`."""
    start = 0 if first <= SNIPPET_BEFORE else text.rfind(" ", 0, first - SNIPPET_BEFORE) + 1
    end = (
        len(text) if start + SNIPPET_LENGTH >= len(text) else text.find(" ", start + SNIPPET_LENGTH)
    )
    return start, len(text) if end == -1 else end


def _render_window(text: str, spans) -> SafeString:
    start, end = _passage(text, spans[0][0] if spans else 0)
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    shown = _render(text[start:end], window)
    return mark_safe(("… " if start else "") + shown + (" …" if end < len(text) else ""))
