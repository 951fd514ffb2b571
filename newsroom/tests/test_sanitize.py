from html.parser import HTMLParser

import ada_url
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.text.sanitize import body_text, clean_body


def test_allowed_markup_is_kept():
    body = (
        "<h2>عنوان</h2><p><strong>مهم</strong> و <em>تأکید</em></p>"
        "<ul><li>یک</li></ul><blockquote>نقل</blockquote>"
        '<figure><img src="/media/a.jpg" alt="عکس"><figcaption>شرح</figcaption></figure>'
        "<table><tr><th>ماه</th><td>مبلغ</td></tr></table>"
    )
    cleaned = clean_body(body)
    for fragment in (
        "<h2>عنوان</h2>",
        "<strong>مهم</strong>",
        "<em>تأکید</em>",
        "<li>یک</li>",
        "<blockquote>نقل</blockquote>",
        '<img src="/media/a.jpg" alt="عکس">',
        "<figcaption>شرح</figcaption>",
        "<th>ماه</th>",
    ):
        assert fragment in cleaned


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        "<style>body{display:none}</style>",
        "<svg><circle r='5'></circle><script>alert(1)</script></svg>",
        "<math><mi>x</mi></math>",
        "<iframe src='https://example.com'>بیرون</iframe>",
    ],
)
def test_active_elements_are_removed_with_their_content(dangerous):
    cleaned = clean_body(f"<p>پیش</p>{dangerous}<p>پس</p>")
    assert cleaned == "<p>پیش</p><p>پس</p>"


def test_event_attributes_and_javascript_links_are_removed():
    cleaned = clean_body('<p onclick="steal()">متن <a href="javascript:alert(1)">پیوند</a></p>')
    assert "onclick" not in cleaned
    assert "javascript" not in cleaned
    assert "پیوند" in cleaned


def test_links_keep_safe_protocols_and_open_without_opener():
    cleaned = clean_body(
        '<a href="https://www.tamin.ir">سایت</a> <a href="mailto:info@tamin.ir">نامه</a>'
        ' <a href="ftp://x.ir/f">پرونده</a>'
    )
    assert '<a href="https://www.tamin.ir" rel="noopener">سایت</a>' in cleaned
    assert '<a href="mailto:info@tamin.ir" rel="noopener">نامه</a>' in cleaned
    assert "ftp:" not in cleaned


def test_unknown_tags_are_dropped_but_their_text_kept():
    assert clean_body("<div><span>متن</span></div>") == "متن"


def test_body_text_has_words_without_markup():
    assert body_text("<p>یک</p><p>دو &amp; سه</p><script>x()</script>") == "یک دو & سه"


def test_images_from_another_host_lose_their_source():
    cleaned = clean_body(
        '<img src="https://other.example/x.png" alt="بیرونی"><img src="/media/a.png">'
    )
    assert "other.example" not in cleaned
    assert '<img src="/media/a.png">' in cleaned


# How a browser reads the addresses the body keeps -------------------------------
#
# ada-url is a WHATWG URL parser (the standard browsers implement): the tests
# resolve every address left in a cleaned body against an article's address,
# as the reader's browser would, and look at where it leads.

PAGE = "https://news.example.ir/news/77759/%D8%AE%D8%A8%D8%B1/"
SITE_ORIGIN = "https://news.example.ir"


def kept_attributes(cleaned, tag, attribute):
    """The values of `attribute` on every `tag` of a cleaned body, as a browser decodes them."""
    values = []

    class Collector(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == tag:
                values.extend(value for key, value in attrs if key == attribute)

        handle_startendtag = handle_starttag

    Collector().feed(cleaned)
    return values


def resolved(address):
    """The URL a browser makes of `address` on an article page; None if it makes none."""
    try:
        return ada_url.URL(address, PAGE)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "source",
    [
        "/\\evil.example/x.png",  # the one the security test found
        "\\\\evil.example/x.png",
        "\\/evil.example/x.png",
        "//evil.example/x.png",
        "/\t/evil.example/x.png",
        "/\n/evil.example/x.png",
        "/&#9;/evil.example/x.png",
        "&#x2F;&#x5C;evil.example/x.png",
        "/&bsol;evil.example/x.png",
        " //evil.example/x.png",
        "\x01//evil.example/x.png",
        "https:evil.example/x.png",
        "http://evil.example/x.png",
        "HTTPS://evil.example/x.png",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "javascript:alert(1)",
    ],
)
def test_an_image_a_browser_would_load_from_another_host_loses_its_source(source):
    cleaned = clean_body(f'<p>متن</p><img src="{source}" alt="تصویر">')
    assert kept_attributes(cleaned, "img", "src") == []
    assert '<img alt="تصویر">' in cleaned


@pytest.mark.parametrize(
    "source",
    ["/media/articles/2026/01/a.png", "/media/%D8%B9%DA%A9%D8%B3.jpg", "/media/عکس.png?v=2#x"],
)
def test_an_image_of_this_site_keeps_its_source(source):
    (kept,) = kept_attributes(clean_body(f'<img src="{source}">'), "img", "src")
    assert kept == source
    assert resolved(kept).origin == SITE_ORIGIN


# Pieces that change how browsers read an address: slashes and backslashes,
# tabs and newlines they delete, controls and spaces they trim, character
# references the HTML parser decodes, percent-encoding; then schemes and
# hosts. Where an address starts decides most, so it is drawn from the
# first kind more often.
LEADING_PIECES = [
    "/",
    "\\",
    "\t",
    "\n",
    "\r",
    " ",
    "\x00",
    "\x0c",
    "\x1f",
    "%2F",
    "%5C",
    "&#47;",
    "&#x5C;",
    "&bsol;",
    "&sol;",
    "&Tab;",
    "&NewLine;",
    "&#0;",
]
OTHER_PIECES = [
    ":",
    "&colon;",
    ".",
    "@",
    "?",
    "#",
    "%09",
    "evil.example",
    "news.example.ir",
    "media",
    "x.png",
    "http",
    "https",
    "HTTP",
    "java",
    "script",
    "data",
    "mailto",
    "vbscript",
    "file",
    "blob",
]
ADDRESSES = st.tuples(
    st.lists(st.sampled_from(LEADING_PIECES), max_size=4),
    st.lists(st.sampled_from(LEADING_PIECES + OTHER_PIECES), max_size=6),
).map(lambda parts: "".join(parts[0] + parts[1]))


@settings(max_examples=400, deadline=None, database=None)
@given(ADDRESSES)
def test_no_image_source_that_survives_cleaning_leads_off_the_site(address):
    cleaned = clean_body(f'<img src="{address}" alt="x">')
    for kept in kept_attributes(cleaned, "img", "src"):
        url = resolved(kept)
        assert url is None or url.origin == SITE_ORIGIN, (address, kept)


@settings(max_examples=400, deadline=None, database=None)
@given(ADDRESSES)
def test_no_link_that_survives_cleaning_runs_a_script_or_opens_a_document_scheme(address):
    cleaned = clean_body(f'<a href="{address}">پیوند</a>')
    for kept in kept_attributes(cleaned, "a", "href"):
        url = resolved(kept)
        assert url is None or url.protocol in ("http:", "https:", "mailto:"), (address, kept)
