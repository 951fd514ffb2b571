"""Sitemaps of what readers may see: articles, services, tags, and the news of the last two days.

`/sitemap.xml` is an index of the sections (`/sitemap-articles.xml` …); a
section longer than SITEMAP_PAGE_SIZE addresses continues on `?p=2` pages,
each listed in the index. `/sitemap-news.xml` follows Google's news-sitemap
format.

Crawlers ask for these often and all at once, and a sitemap covers the
whole archive, so each page is small enough to render in a fraction of a
second at a hundred thousand articles (bench/sitemaps.py), costs the same
wherever it is in the archive (`NewsCodePages`), and is kept in the cache
for SITEMAP_CACHE_SECONDS: a new article reaches the sitemaps within that
time (the news sitemap within a tenth of it), which crawlers do not notice,
while a burst of crawling costs one rendering per page.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Max, OuterRef, Subquery, Window
from django.db.models.functions import Mod, RowNumber
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_page

from newsroom.articles.seo import modified_time, site_origin
from newsroom.articles.views import page_number
from newsroom.models import Article, Service, Tag, TaggedArticle

NEWS_DAYS = 2
# Google reads at most this many addresses from one news sitemap.
NEWS_LIMIT = 1000


def _latest_publication(**filters):
    """The publication time of the newest published article matching `filters`, as a subquery."""
    return Subquery(
        Article.objects.published()
        .filter(**filters)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class PagedSitemap(Sitemap):
    """A section that continues on `?p=` pages of SITEMAP_PAGE_SIZE addresses."""

    @property
    def limit(self):
        return settings.SITEMAP_PAGE_SIZE


class NewsCodePages(Paginator):
    """Pages of articles that are ranges of news codes, each holding `per_page` articles.

    Django's paginator counts the articles for every page, and reads page p
    by passing over the (p - 1) × per_page articles before it (OFFSET): at
    100,000 articles every page cost a pass over the archive, and the
    planner, when its statistics were stale, sorted all of it each time.
    Here the first news code of every page is found in one pass, kept in
    the cache as long as the pages themselves, and a page is the articles
    from its first code to the next page's: a short walk of the code index.
    """

    def __init__(self, object_list, per_page):
        super().__init__(object_list.order_by("code"), per_page)

    @cached_property
    def first_codes(self) -> list[int]:
        key = f"sitemap:news-code-pages:{self.per_page}"
        codes = cache.get(key)
        if codes is None:
            codes = list(
                self.object_list.alias(position=Window(RowNumber(), order_by=F("code").asc()))
                .annotate(place=Mod(F("position") - 1, self.per_page))
                .filter(place=0)
                .values_list("code", flat=True)
            )
            cache.set(key, codes, settings.SITEMAP_CACHE_SECONDS)
        return codes

    @cached_property
    def num_pages(self):
        return max(len(self.first_codes), 1)

    def page(self, number):
        number = self.validate_number(number)
        codes = self.first_codes
        articles = self.object_list
        if codes:
            articles = articles.filter(code__gte=codes[number - 1])
            if number < len(codes):
                articles = articles.filter(code__lt=codes[number])
        return self._get_page(articles, number, self)


class ArticleSitemap(PagedSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("code", "title", "published_at", "updated_at")

    @property
    def paginator(self):
        return NewsCodePages(self._items(), self.limit)

    def lastmod(self, article):
        return modified_time(article)

    def get_latest_lastmod(self):
        # One aggregate instead of reading every article for the index.
        latest = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        moments = [moment for moment in latest.values() if moment is not None]
        return max(moments, default=None)


class ServiceSitemap(PagedSitemap):
    changefreq = "hourly"

    def items(self):
        return Service.objects.annotate(
            latest=_latest_publication(service=OuterRef("pk"))
        ).order_by("position", "name")

    def lastmod(self, service):
        return service.latest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(PagedSitemap):
    changefreq = "daily"

    def items(self):
        # Only tags that lead to at least one published article. A tagging
        # carries its article's publication time while the article is
        # published (as the tag's page reads it), so a tag's newest article
        # is the first entry of the tag's own index: one short descent per
        # tag, whatever the planner believes about the tables. Joining the
        # articles instead left the plan to the statistics, and before they
        # were refreshed after a large import it scanned the archive per tag.
        newest = (
            TaggedArticle.objects.filter(tag=OuterRef("pk"), published_at__lte=timezone.now())
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return (
            Tag.objects.annotate(latest=Subquery(newest))
            .filter(latest__isnull=False)
            .order_by("name", "pk")
        )

    def lastmod(self, tag):
        return tag.latest

    def get_latest_lastmod(self):
        # The newest tagging of a published article: the top of one index.
        return TaggedArticle.objects.filter(published_at__lte=timezone.now()).aggregate(
            latest=Max("published_at")
        )["latest"]


class NewsSitemap(Sitemap):
    """The articles of the last two days, for news search engines."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-code")
            .only("code", "title", "published_at", "updated_at")
        )

    def lastmod(self, article):
        return modified_time(article)


SECTIONS = {
    "articles": ArticleSitemap,
    "services": ServiceSitemap,
    "tags": TagSitemap,
}
NEWS = {"news": NewsSitemap}


def _kept(seconds, *, paged=False):
    """Kept whole in the cache under its one address; any other spelling is sent there.

    `cache_page` keys a page by its whole address, so `?p=02`, `?x=1` or a
    port in the Host header would each keep a copy (up to 190 KB, for half
    an hour), and a copy made for a Host port would carry that port in its
    links. Such a request is redirected (301) to the page's one address:
    the site's origin (`seo.site_origin`), with `?p=` only past the first
    page. A `p` that names no page is a 404. Only that address is kept.
    """

    def decorator(view):
        kept_view = cache_page(seconds, key_prefix="sitemap")(view)

        @wraps(view)
        def one_address(request, *args, **kwargs):
            query = ""
            if paged:
                number = page_number(request.GET.get("p"))
                if number is None:
                    raise Http404("not a page of this sitemap")
                query = f"?p={number}" if number > 1 else ""
            address = site_origin(request) + request.path + query
            if address != request.build_absolute_uri():
                return HttpResponsePermanentRedirect(address)
            return kept_view(request, *args, **kwargs)

        return one_address

    return decorator


@_kept(settings.SITEMAP_CACHE_SECONDS)
def index(request):
    """The sitemap index: every section, every page of a long section, and the news sitemap."""
    return sitemap_views.index(
        request,
        {**SECTIONS, **NEWS},
        template_name="sitemaps/index.xml",
        sitemap_url_name="newsroom:sitemap-section",
    )


@_kept(settings.SITEMAP_CACHE_SECONDS, paged=True)
def section(request, section):
    return sitemap_views.sitemap(
        request, SECTIONS, section=section, template_name="sitemaps/urlset.xml"
    )


@_kept(max(settings.SITEMAP_CACHE_SECONDS // 10, 1))
def news(request):
    response = sitemap_views.sitemap(
        request, NEWS, section="news", template_name="sitemaps/news.xml"
    )
    response.context_data["publication_name"] = str(settings.SITE_NAME)
    return response
