"""A page kept whole but for its holes: the parts that change more often than the rest.

The article page shows the article, its metadata, the menu, related and
next news, all of which change only with the site's version, and two parts
that change more often: the comment section (with each moderator's
decision) and the week's popular box (with the rankings). The page is
rendered once with a marker in place of each of those (`holes`), kept as
the text between them (a `Frame`), and each render after that fills the
holes anew. Rendering the page again after a comment was approved is then
one cache read for the frame and the rendering of the comment section,
rather than the whole template with a cache read for each of its parts.

Kept with Django's low-level cache API under the site's version, like the
other parts of pages (newsroom/delivery/versions.py).
"""

import secrets
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Frame:
    """A rendered page cut at its holes: `texts` has one more item than `holes`."""

    texts: tuple
    holes: tuple

    def fill(self, **parts) -> str:
        """The page, with each hole's part in its place."""
        pieces = [self.texts[0]]
        for hole, text in zip(self.holes, self.texts[1:], strict=True):
            pieces += [parts[hole], text]
        return "".join(pieces)


def render_frame(template_name, context, request, holes) -> Frame:
    """The page rendered with a marker for each hole (`{{ holes.<name> }}`), cut at the markers.

    The markers are new on every render, so nothing a page shows (an
    article's body, a reader's comment) can be taken for one. A hole the
    template leaves out, or shows twice, is an error in the template.
    """
    token = secrets.token_hex(8)
    markers = {hole: f"<!--{hole}:{token}-->" for hole in holes}
    html = render_to_string(
        template_name,
        {**context, "holes": {hole: mark_safe(marker) for hole, marker in markers.items()}},
        request,
    )
    for hole, marker in markers.items():
        if html.count(marker) != 1:
            raise ValueError(f"{template_name} must show the hole {hole!r} once")
    in_order = sorted(holes, key=lambda hole: html.index(markers[hole]))
    texts, start = [], 0
    for hole in in_order:
        end = html.index(markers[hole])
        texts.append(html[start:end])
        start = end + len(markers[hole])
    texts.append(html[start:])
    return Frame(texts=tuple(texts), holes=tuple(in_order))
