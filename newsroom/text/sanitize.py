"""The article body: HTML that editors write, cleaned before it is stored.

Allowed markup is what an announcement needs (paragraphs, headings, emphasis,
links, lists, quotes, figures, simple tables). Elements that can run code or
draw outside the text (script, style, svg, math, iframe …) are removed with
their content, so that nothing of them shows up as escaped text.
"""

import html

from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
from bleach.sanitizer import BleachSanitizerFilter, Cleaner

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "hr",
    }
)


def _own_image(tag, name, value):
    """Images come from the site itself: a page must not load anything from another host."""
    if name == "src":
        return value.startswith("/") and not value.startswith("//")
    return name in ("alt", "width", "height")


ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": _own_image,
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "textarea",
        "select",
        "button",
        "form",
        "frameset",
        "frame",
        "applet",
        "audio",
        "video",
        "canvas",
        "head",
        "title",
    }
)


class _DropElements(Filter):
    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            dropped = kind in ("StartTag", "EndTag", "EmptyTag") and (
                token["name"] in DROPPED_WITH_CONTENT
            )
            if kind == "StartTag" and (dropped or depth):
                depth += 1
                continue
            if kind == "EndTag" and depth:
                depth -= 1
                continue
            if depth or (kind == "EmptyTag" and dropped):
                continue
            yield token


class _LinkRel(Filter):
    """Every link opens without handing the new page a reference to ours."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attrs = dict(token["data"])
                attrs[(None, "rel")] = "noopener"
                token["data"] = attrs
            yield token


class _BodyCleaner(Cleaner):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # bleach's parser turns tags it does not allow into text before any
        # filter sees them; it must know the dropped ones as elements so that
        # they can be removed whole.
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=self.tags | DROPPED_WITH_CONTENT,
            strip=True,
            consume_entities=False,
            namespaceHTMLElements=False,
        )

    def clean(self, text):
        if not text:
            return ""
        dom = self.parser.parseFragment(text)
        filtered = BleachSanitizerFilter(
            source=_DropElements(self.walker(dom)),
            allowed_tags=self.tags,
            attributes=self.attributes,
            strip_disallowed_tags=True,
            strip_html_comments=True,
            css_sanitizer=None,
            allowed_protocols=self.protocols,
        )
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return self.serializer.render(filtered)


_cleaner = _BodyCleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRel],
)
_text_only = Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True)


def clean_body(body: str) -> str:
    """The body as it may be stored and shown."""
    return _cleaner.clean(body or "").strip()


def body_text(body: str) -> str:
    """The words of a body without markup, for search and descriptions."""
    spaced = (body or "").replace("<", " <")
    return " ".join(html.unescape(_text_only.clean(_cleaner.clean(spaced))).split())
