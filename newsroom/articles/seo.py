"""What search engines and news apps read from an article page.

The canonical and short addresses, the structured data (schema.org
`NewsArticle` as JSON-LD) and the share links. Share links are plain
addresses of the messengers' own share pages: nothing of theirs loads with
our page.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http.request import split_domain_port
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from newsroom.articles import images

# Google shows at most this many characters of a headline.
HEADLINE_LENGTH = 110

# The share page of each messenger, and how it takes the link and the title.
SHARE_TARGETS = (
    ("telegram", _("Telegram"), "https://t.me/share/url", "url_text"),
    ("whatsapp", _("WhatsApp"), "https://wa.me/", "text_only"),
    ("eitaa", _("Eitaa"), "https://eitaa.com/share/url", "url_text"),
    ("bale", _("Bale"), "https://ble.ir/share/url", "url_text"),
    ("rubika", _("Rubika"), "https://rubika.ir/share", "url_text"),
    ("soroush", _("Soroush"), "https://splus.ir/share", "url_text"),
    ("x", _("X"), "https://x.com/intent/post", "url_text"),
)

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def site_origin(request) -> str:
    """`scheme://host` of the site as the reader reached it, for the addresses pages give.

    The host is written in one way (lower case, no final dot), and a port
    in the Host header is kept only when it is the server's own and not the
    scheme's default: `Host: News.Example.:1` gives the same origin, and so
    the same page, as `Host: news.example`, and cannot be made to give
    readers links to another port or fill a cache with copies.
    """
    domain, port = split_domain_port(request.get_host())
    if port and (port != request.get_port() or port == DEFAULT_PORTS[request.scheme]):
        port = ""
    return f"{request.scheme}://{domain}{':' if port else ''}{port}"


DEFAULT_PORTS = {"http": "80", "https": "443"}


def article_page_meta(request, article, tags):
    """Everything the head and the share box of an article page need.

    The shared image is the picture's 16:9 copy, 1,200 pixels wide (or the
    widest the picture allows); JSON-LD lists the 16:9, 4:3 and 1:1 copies.
    """
    origin = site_origin(request)
    canonical_url = origin + article.get_absolute_url()
    short_url = origin + reverse("newsroom:article-by-code", kwargs={"code": article.code})
    shares = [
        {**share, "url": absolute(origin, share["url"])}
        for share in images.share_images(article.image, article.image_width, article.image_height)
    ]
    data = news_article(
        article,
        tags,
        url=canonical_url,
        image_urls=[share["url"] for share in shares],
        logo_url=origin + static(LOGO),
    )
    if article.kind == article.Kind.VIDEO and article.video:
        data["video"] = video_object(article, origin, shares)
    return {
        "canonical_url": canonical_url,
        "short_url": short_url,
        "image": shares[0] if shares else None,
        "image_url": shares[0]["url"] if shares else "",
        "modified": modified_time(article),
        "json_ld": json_ld(data),
        "share_links": share_links(short_url, article.title),
        "breadcrumbs": breadcrumbs(
            origin,
            [
                (_("Home"), reverse("newsroom:home")),
                (article.service.name, article.service.get_absolute_url()),
                (_headline(article.title), article.get_absolute_url()),
            ],
        ),
    }


def absolute(origin, url):
    return url if "://" in url else origin + url


def video_object(article, origin, shares):
    """The article's video as a schema.org VideoObject."""
    video = {
        "@type": "VideoObject",
        "name": _headline(article.title),
        "description": strip_tags(article.lead),
        "uploadDate": _iso(article.published_at),
        "contentUrl": absolute(origin, article.video.url),
    }
    if shares:
        video["thumbnailUrl"] = [share["url"] for share in shares]
    return video


def modified_time(article):
    """When the article last changed as readers know it: never before it was published."""
    return max(article.updated_at, article.published_at)


def news_article(article, tags, *, url, image_urls=(), logo_url=""):
    """The article as a schema.org NewsArticle."""
    publisher = {"@type": "Organization", "name": str(settings.SITE_NAME)}
    if logo_url:
        publisher["logo"] = {"@type": "ImageObject", "url": logo_url}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": _headline(article.title),
        "description": strip_tags(article.lead),
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified_time(article)),
        "inLanguage": "fa",
        "articleSection": article.service.name,
        "keywords": [tag.name for tag in tags],
        "publisher": publisher,
        "author": {"@type": "Organization", "name": article.source or str(settings.SITE_NAME)},
        "identifier": str(article.code),
    }
    if image_urls:
        data["image"] = list(image_urls)
    return data


def json_ld(data):
    """A JSON-LD block's content, safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))


def share_links(url, title):
    """(key, name, address) of each messenger's share page for this link and title."""
    links = []
    for key, name, page, style in SHARE_TARGETS:
        if style == "text_only":
            query = urlencode({"text": f"{title}\n{url}"})
        else:
            query = urlencode({"url": url, "text": title})
        links.append((key, name, f"{page}?{query}"))
    return links


def _headline(title):
    if len(title) <= HEADLINE_LENGTH:
        return title
    return title[: HEADLINE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _iso(moment):
    """ISO 8601 in Tehran time with its offset, whole seconds."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


# The office's logo for search engines and apps: a PNG at least 112 pixels
# square (Google accepts no SVG here).
LOGO = "img/logo.png"


def site_structured_data(origin):
    """The office as a schema.org Organization, and the site as a WebSite one can search."""
    home = origin + reverse("newsroom:home")
    search = origin + reverse("newsroom:search")
    name = str(settings.SITE_NAME)
    organization = {
        "@type": "Organization",
        "@id": home + "#organization",
        "name": name,
        "url": home,
        "logo": {"@type": "ImageObject", "url": origin + static(LOGO)},
    }
    channels = list(settings.OFFICE_CHANNELS.values())
    if channels:
        organization["sameAs"] = channels
    website = {
        "@type": "WebSite",
        "@id": home + "#website",
        "name": name,
        "url": home,
        "inLanguage": "fa",
        "publisher": {"@id": home + "#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }
    return json_ld({"@context": "https://schema.org", "@graph": [organization, website]})


def breadcrumbs(origin, trail):
    """A schema.org BreadcrumbList from (name, address) pairs, home first."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": number, "name": str(name), "item": origin + url}
                for number, (name, url) in enumerate(trail, start=1)
            ],
        }
    )
