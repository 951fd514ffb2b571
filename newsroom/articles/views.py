"""The reader's pages: home, an article, a service's and a tag's news.

They are rendered for every reader alike; newsroom/delivery keeps them
whole for readers without a session, and their templates keep their parts
with `{% cache %}`, so what a view passes is read from the database only
when a part is rendered anew (lazy objects and callables).
"""

import hashlib
from urllib.parse import unquote

import jdatetime
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from newsroom.articles import front_page, images, reading, seo
from newsroom.delivery import frames, versions
from newsroom.models import Article, OfficePage, Service, Tag, TaggedArticle
from newsroom.site.context_processors import menu_services
from newsroom.text import persian

RELATED_COUNT = 5
RELATED_CANDIDATES = 200
# Lists count their articles no further than this many pages: counting a
# whole archive of a hundred thousand articles on every page would make the
# home page slower as the years pass. Older articles are in the monthly archive.
LIST_PAGES = 50


class ListPage(Page):
    @property
    def archive_url(self):
        """On the last page a list offers, where the older articles are: the month of its last."""
        if self.has_next() or not self.paginator.is_capped or not self.object_list:
            return None
        moment = jdatetime.datetime.fromgregorian(
            datetime=timezone.localtime(self[-1].published_at)
        )
        return reverse("newsroom:archive", kwargs={"year": moment.year, "month": moment.month})


class ListPaginator(Paginator):
    """A paginator that counts at most `LIST_PAGES` pages of articles.

    `counted`, when given, is a cheaper queryset with as many rows as the
    list, counted in its place. `kept_as`, when given, is the cache key the
    count is kept under (`kept_count_key`), so that a page whose list is
    kept reads no article to know its pages.
    """

    def __init__(self, object_list, per_page, *, counted=None, kept_as=None):
        super().__init__(object_list, per_page)
        self.counted = object_list if counted is None else counted
        self.kept_as = kept_as

    @property
    def count(self):
        if "_count" not in self.__dict__:

            def counted():
                return self.counted[: self.per_page * LIST_PAGES].count()

            self._count = kept(self.kept_as, counted) if self.kept_as else counted()
        return self._count

    @property
    def is_capped(self):
        return self.count >= self.per_page * LIST_PAGES

    def _get_page(self, *args, **kwargs):
        return ListPage(*args, **kwargs)


class CountedPaginator(ListPaginator):
    """A paginator given one page's articles and the list's count, read together elsewhere."""

    def __init__(self, page_articles, per_page, *, count):
        super().__init__(page_articles, per_page)
        self._count = count

    def _check_object_list_is_ordered(self):
        """Nothing to check, and nothing to read: the page's articles are read when shown."""

    def page(self, number):
        return self._get_page(self.object_list, self.validate_number(number), self)


def page_number(value) -> int | None:
    """The page a `?page=` (or `?comments=`) value names: none or empty is the first.

    None when it names no page: not a positive number in ASCII digits, or
    too long to be one. Such an address is a 404, never a page of its own.
    """
    if value is None or value == "":
        return 1
    digits = value.lstrip("0")
    if value.isascii() and value.isdigit() and 0 < len(digits) <= 6:
        return int(digits)
    return None


def site_key(request, name):
    """A cache key under the site's version, which any change of an article, service or tag
    renews, and an article falling due too."""
    return f"{name}:{versions.of_request(request)[versions.SITE]}"


def kept(key, compute):
    """`compute()`, kept under `key` for PAGE_CACHE_SECONDS. None is not kept: an address
    that names nothing cannot fill the cache."""
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def kept_count_key(request, name):
    """The cache key of a list's count, which changes only when the site's version does."""
    return site_key(request, f"list-count:{name}:{settings.ARTICLES_PER_PAGE}")


def paginate(request, queryset, *, counted=None, kept_as=None):
    """One page of a list; a page that is not one (`?page=0`, past the last) is a 404.

    `kept_as` names the list when its count may be kept (`kept_count_key`).
    """
    number = page_number(request.GET.get("page"))
    paginator = ListPaginator(
        queryset,
        settings.ARTICLES_PER_PAGE,
        counted=counted,
        kept_as=kept_count_key(request, kept_as) if kept_as else None,
    )
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404("no such page") from None


def list_page_meta(request, address, page=None, *, title, trail=()):
    """The canonical address, title and breadcrumbs of a list page, for its head.

    `trail` is the (name, address) pairs after the home page; the
    BreadcrumbList is made only when the head is rendered anew.
    """
    origin = seo.site_origin(request)
    number = page.number if page is not None else 1
    canonical = origin + address + (f"?page={number}" if number > 1 else "")
    home = (_("Home"), reverse("newsroom:home"))
    return {
        "canonical_url": canonical,
        "page_title": title,
        "breadcrumbs": (lambda: seo.breadcrumbs(origin, [home, *trail])) if trail else None,
    }


def _home_page(request, articles):
    """The home's page of latest news, or a 404 for a page past the last.

    Its count is read with its articles (`HomeArticles`) and kept with the
    site's version, which changes whenever the count can: a home page whose
    parts are kept reads no article to know its pages.
    """
    per_page = settings.ARTICLES_PER_PAGE
    count = kept(kept_count_key(request, "home"), lambda: articles.count)
    if count is None:
        raise Http404("no such page")
    paginator = CountedPaginator(SimpleLazyObject(lambda: articles.latest), per_page, count=count)
    try:
        return paginator.page(articles.number)
    except InvalidPage:
        raise Http404("no such page") from None


def home(request):
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("no such page")
    first = number == 1
    articles = front_page.HomeArticles(
        number,
        per_page=settings.ARTICLES_PER_PAGE,
        counted=settings.ARTICLES_PER_PAGE * LIST_PAGES,
        # The menu's services, read once for the menu and the service sections.
        services=SimpleLazyObject(lambda: menu_services(request)) if first else (),
    )
    page = _home_page(request, articles)
    # Kept with the site's version, which is renewed when a line begins or ends.
    breaking = SimpleLazyObject(front_page.breaking_news) if first else []
    placed = SimpleLazyObject(lambda: articles.placed) if first else (None, [])
    sections = SimpleLazyObject(lambda: articles.service_sections) if first else []
    return render(
        request,
        "newsroom/home.html",
        {
            "page": page,
            "breaking": breaking,
            "placed": placed,
            # What the lists show, for one count of their comments when rendered together.
            "listed_articles": lambda: _listed_articles(placed, page, sections),
            "site_json_ld": lambda: seo.site_structured_data(seo.site_origin(request)),
            **list_page_meta(request, reverse("newsroom:home"), page, title=settings.SITE_NAME),
            # Read only when the side boxes are rendered anew.
            "service_sections": sections,
            # Every article the sections list, for one count of their comments.
            "section_articles": lambda: [article for _s, listed in sections for article in listed],
        },
    )


def _listed_articles(placed, page, sections):
    """Every article the home page lists, lead to service sections."""
    lead, featured = placed
    in_sections = [article for _service, listed in sections for article in listed]
    return [*([lead] if lead else []), *featured, *page.object_list, *in_sections]


def _visible_article(request, code, *, also=()):
    """The article and its service, as its page needs them (its search text is never read).

    Readers get a 404 for what is not published; staff see it as a preview.
    The keys `also` names are read from the cache in the same round trip;
    what was found of them is returned with the article.
    """
    article, found = _kept_article(request, code, also)
    if article is None or (not article.is_published and not request.user.is_staff):
        raise Http404("no such article, or not published")
    return article, found


def _kept_article(request, code, also=()):
    """The article with this code, kept with the site's version (which any change of it renews).

    Kept whether published or not: who may see it is decided on every
    request. A code that names no article is not kept.
    """
    key = site_key(request, f"article:{code}")
    found = cache.get_many([key, *also])
    article = found.pop(key, None)
    if article is None:
        article = (
            Article.objects.select_related("service")
            .defer("search_document")
            .filter(code=code)
            .first()
        )
        if article is not None:
            cache.set(key, article, settings.PAGE_CACHE_SECONDS)
    return article, found


def article_by_code(request, code):
    """The short address of an article: /news/77759/ → its canonical address."""
    article, _found = _visible_article(request, code)
    return redirect(article.get_absolute_url(), permanent=article.is_published)


def article_detail(request, code, slug):
    """The article page, at its one address: another slug, or zeros before the code, redirect."""
    # The same page for every reader without a session; a signed-in editor's
    # has an edit link, and is rendered for them alone.
    shared = settings.SESSION_COOKIE_NAME not in request.COOKIES
    keys = {"popular": _popular_key(request)}
    if shared:
        keys["frame"] = _frame_key(request, code)
    # The page's kept parts are read with the article, in one round trip.
    article, found = _visible_article(request, code, also=keys.values())
    address = article.get_absolute_url()
    if request.path != unquote(address):
        return redirect(address, permanent=article.is_published)
    if not article.is_published:
        keys.pop("frame", None)  # a preview is never kept
    return render_article(request, article, keys=keys, found=found)


def _frame_key(request, code):
    """The key of the article page's frame: the site's version, for the origin it links to."""
    origin = hashlib.md5(seo.site_origin(request).encode(), usedforsecurity=False).hexdigest()
    return site_key(request, f"article-frame:{code}:{origin}")


def _popular_key(request):
    """The key of the popular box beside an article: the site's and the rankings' versions."""
    page_versions = versions.of_request(request)
    return f"popular:{page_versions[versions.SITE]}:{page_versions[versions.RANKINGS]}"


def _body_html(body):
    """The body as the page shows it: Persian digits, images loaded as the reader scrolls."""
    return persian.persian_digits_in_html(images.lazy_body_images(body))


# What the article page shows that changes before the site does: the
# comments (with each moderator's decision) and the week's popular box.
ARTICLE_HOLES = ("comments", "popular")
# The popular box ranks the week's views too, which change by the minute.
POPULAR_SECONDS = 60


def render_article(request, article, *, keys=None, found=None):
    """The article page: the same for every reader, so that it can be cached.

    Everything on it but its holes (`ARTICLE_HOLES`) changes only with the
    site's version: the head's metadata, the menu, the article itself, its
    tags, related and next news. That is rendered once and kept as the
    page's frame (newsroom/delivery/frames.py); each render fills the
    holes: the comment section, kept by the comments app under its own
    version, and the popular box, kept with the rankings' version. `keys`
    names where the frame and the popular box are kept (the frame only for
    a page every reader gets) and `found` what the view read of them with
    the article. What the frame shows is read from the database only when
    it is rendered anew.
    """
    keys, found = keys or {}, found or {}
    frame = found.get(keys.get("frame"))
    if frame is None:
        frame = frames.render_frame(
            "newsroom/article.html", _article_context(request, article), request, ARTICLE_HOLES
        )
        if "frame" in keys:
            cache.set(keys["frame"], frame, settings.PAGE_CACHE_SECONDS)
    popular = found.get(keys.get("popular"))
    if popular is None:
        popular = render_to_string("includes/popular_box.html", request=request)
        if "popular" in keys:
            cache.set(keys["popular"], popular, POPULAR_SECONDS)
    comments = render_to_string("newsroom/article_comments.html", {"article": article}, request)
    response = HttpResponse(frame.fill(comments=comments, popular=popular))
    if not article.is_published:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


def _article_context(request, article):
    tags = SimpleLazyObject(lambda: list(article.tags.all()))
    image = SimpleLazyObject(lambda: article.picture)
    return {
        "article": article,
        "tags": tags,
        "related": SimpleLazyObject(lambda: _related_articles(article, list(tags))),
        "neighbours": SimpleLazyObject(lambda: reading.service_neighbours(article)),
        "is_preview": not article.is_published,
        "current_service": article.service,
        "image": image,
        "body_html": SimpleLazyObject(lambda: _body_html(article.body)),
        "photos": SimpleLazyObject(
            lambda: list(article.photos.all()) if article.kind == Article.Kind.PHOTOS else []
        ),
        "meta": SimpleLazyObject(lambda: seo.article_page_meta(request, article, tags)),
        "reading_minutes": lambda: reading.reading_minutes(article),
    }


@csrf_exempt
@require_POST
def count_view(request, code):
    """The article page's beacon: one more view, when the reader may count one (`reading`).

    Sent by the page's own script, same-origin, without the CSRF token a
    page kept for every reader cannot hold; a request another site's page
    makes a browser send says so (Sec-Fetch-Site) and is not counted.
    Always 204: what was counted is nobody's business but the rankings'.
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin":
        reading.count_view(request, code, reader=request.POST.get("reader", ""))
    return HttpResponse(status=204)


def _related_articles(article, tags):
    """The articles sharing most tags with this one, newest first among equals.

    Only the `RELATED_CANDIDATES` newest taggings of these tags are weighed:
    a common tag («بیمه») is on tens of thousands of articles, and counting
    shared tags over all of them would make every article page slower as
    the archive grows. One query.
    """
    if not tags:
        return []
    candidates = (
        TaggedArticle.objects.filter(tag__in=tags, published_at__lte=timezone.now())
        .exclude(content_object=article)
        .order_by("-published_at")
        .values("content_object_id")[:RELATED_CANDIDATES]
    )
    return list(
        Article.objects.published()
        .filter(pk__in=candidates, tags__in=tags)
        .annotate(shared_tags=Count("pk"))
        .order_by("-shared_tags", "-published_at", "-code")
        .only("code", "title", "published_at")[:RELATED_COUNT]
    )


def service_articles(request, slug):
    # Found among the menu's services, kept with the site's version.
    service = next((service for service in menu_services(request) if service.slug == slug), None)
    if service is None:
        return redirect(
            _other_spelling(slug, Service.objects.only("slug"), Service), permanent=True
        )
    page = paginate(
        request,
        Article.objects.published().for_lists().filter(service=service),
        kept_as=f"service:{service.pk}",
    )
    address = service.get_absolute_url()
    return render(
        request,
        "newsroom/service.html",
        {
            "service": service,
            "current_service": service,
            "page": page,
            **list_page_meta(
                request, address, page, title=service.name, trail=[(service.name, address)]
            ),
        },
    )


def _spelling_key(text):
    """What is left of an address typed by a reader once spelling is set aside.

    Arabic ي and ك, spaces, hyphens, non-joiners and Arabic or Persian digits
    are all spelt one way, so «بيمه شدگان» finds «بیمه‌شدگان».
    """
    return persian.normalize(text.replace("-", " ").replace("_", " ")).replace(" ", "")


def _other_spelling(slug, candidates, model):
    """The address of the service or tag `slug` names in another spelling; else a 404."""
    typed = persian.slugify(slug)
    key = _spelling_key(slug)
    if key:
        for candidate in candidates:
            if candidate.slug == typed or _spelling_key(candidate.slug) == key:
                return candidate.get_absolute_url()
    raise Http404(f"no such {model._meta.model_name}")


def _kept_tag(request, slug):
    """The tag at this address, kept with the site's version (which a tag's change renews).

    An address that names no tag is not kept: a reader cannot fill the cache.
    The slug is in the key as a digest: as typed it may hold spaces and run
    long, which Django's file cache (the embedded default's) warns of.
    """
    digest = hashlib.md5(slug.encode(), usedforsecurity=False).hexdigest()
    return kept(
        site_key(request, f"tag:{digest}"),
        lambda: Tag.objects.filter(slug=slug).only("name", "slug").first(),
    )


def tag_articles(request, slug):
    tag = _kept_tag(request, slug)
    if tag is None:
        return redirect(_tag_in_other_spelling(slug), permanent=True)
    # In the order of the taggings' own copy of the publication time: the
    # tag's index gives the newest first without sorting all its articles,
    # and, as drafts' taggings carry none, counts them without the articles.
    now = timezone.now()
    articles = (
        Article.objects.published()
        .for_lists()
        .filter(taggedarticle__tag=tag, taggedarticle__published_at__lte=now)
        .order_by("-taggedarticle__published_at", "-code")
    )
    taggings = TaggedArticle.objects.filter(tag=tag, published_at__lte=now)
    page = paginate(request, articles, counted=taggings, kept_as=f"tag:{tag.pk}")
    address = tag.get_absolute_url()
    title = _("Tag: %(name)s") % {"name": tag.name}
    return render(
        request,
        "newsroom/tag.html",
        {
            "tag": tag,
            "page": page,
            **list_page_meta(request, address, page, title=title, trail=[(tag.name, address)]),
        },
    )


def _tag_in_other_spelling(slug):
    """A tag's address typed another way: found by its matching form, or its slug's spelling."""
    key = _spelling_key(slug)
    tag = Tag.objects.filter(key=key).only("slug").first() if key else None
    if tag is not None:
        return tag.get_absolute_url()
    return _other_spelling(slug, Tag.objects.filter(slug=persian.slugify(slug)).only("slug"), Tag)


@require_safe
def robots_txt(request):
    """Where the sitemaps are, for crawlers."""
    return render(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("newsroom:sitemap")),
            "news_sitemap_url": request.build_absolute_uri(reverse("newsroom:sitemap-news")),
        },
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def opensearch(request):
    """The OpenSearch description: browsers offer the site's search in their address bar."""
    return render(
        request,
        "opensearch.xml",
        {
            # At most 16 characters, as the specification asks.
            "short_name": str(settings.SITE_NAME)[:16],
            "description": _("Search the news"),
            "origin": seo.site_origin(request),
            "icon": static("img/favicon.svg"),
            "search": reverse("newsroom:search"),
            "self": reverse("newsroom:opensearch"),
        },
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


def office_page(request, kind):
    """«درباره ما» or «تماس با ما», as editors wrote it."""
    page = get_object_or_404(OfficePage, kind=kind)
    return render(
        request,
        "newsroom/office_page.html",
        {"office_page": page, **list_page_meta(request, page.get_absolute_url(), title=page.title)},
    )
