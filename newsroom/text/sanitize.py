"""The article body: HTML that editors write, cleaned before it is stored.

Allowed markup is what an announcement needs (paragraphs, headings, emphasis,
links, lists, quotes, figures, simple tables). Elements that can run code or
draw outside the text (script, style, svg, math, iframe …) are removed with
their content, so that nothing of them shows up as escaped text.

The cleaning is nh3's (the Ammonia sanitiser): it parses the fragment as a
browser's HTML parser would and rebuilds it from what is allowed, so markup
cannot hide an element or attribute from it.
"""

import html
import re

import nh3

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

# `rel` is not among them: every link gets rel="noopener" (LINK_REL), so the
# page it opens has no handle on ours.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Links may lead anywhere on the web or to an e-mail address; anything else
# with a scheme (javascript:, data:, vbscript: …) loses its href. nh3 reads
# the scheme as a browser does, after removing tabs and newlines.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener"

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

# A path on this site, read the way a browser reads a URL: it starts with one
# slash and not two, since `//host/x` and `/\host/x` (a backslash counts as a
# slash in http URLs) name another host. Tabs and newlines, which browsers
# delete before parsing ("/\t/host" is "//host"), controls, spaces (browsers
# trim them from either end) and backslashes anywhere are refused rather
# than interpreted: an uploaded image's address has none of them.
_SAME_ORIGIN_PATH_RE = re.compile(r"/(?![/\\])[^\\\x00-\x20\x7f]*")


def is_same_origin_path(url: str) -> bool:
    """Whether a browser would load `url` from this site, whatever page it is on."""
    return _SAME_ORIGIN_PATH_RE.fullmatch(url) is not None


def _own_images(tag, attribute, value):
    """Images come from the site itself: a page must not load anything from another host."""
    if tag == "img" and attribute == "src" and not is_same_origin_path(value):
        return None
    return value


def clean_body(body: str) -> str:
    """The body as it may be stored and shown."""
    if not body:
        return ""
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_images,
        url_schemes=ALLOWED_PROTOCOLS,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def body_text(body: str) -> str:
    """The words of a body without markup, for search and descriptions."""
    # A space before every tag, so that «<p>یک</p><p>دو</p>» is two words.
    spaced = clean_body((body or "").replace("<", " <"))
    text = nh3.clean(spaced, tags=set(), clean_content_tags=set(), strip_comments=True)
    return " ".join(html.unescape(text).split())
