from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from . import images, reading, seo
from .models import Article, Service, Tag

SERVICE_LATEST_COUNT = 4
RELATED_COUNT = 5


def paginate(request, queryset):
    """One page of a list; a page number that is not one gives the nearest page, never a 500."""
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def home(request):
    page = paginate(request, Article.objects.published().for_lists())
    by_service = {}
    if page.number == 1:
        # Each service's latest articles in one query, whatever the number of services.
        ranked = (
            Article.objects.published()
            .for_lists()
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("service_id")],
                    order_by=[F("published_at").desc(), F("code").desc()],
                )
            )
            .filter(rank__lte=SERVICE_LATEST_COUNT)
            .order_by("service__position", "service__name", "rank")
        )
        for article in ranked:
            by_service.setdefault(article.service, []).append(article)
    return render(
        request,
        "newsroom/home.html",
        {
            "page": page,
            "service_sections": list(by_service.items()),
            "most_viewed": reading.most_viewed() if page.number == 1 else [],
        },
    )


def _visible_article(request, code):
    article = get_object_or_404(Article.objects.select_related("service"), code=code)
    if not article.is_published and not request.user.is_staff:
        raise Http404("not published")
    return article


def article_by_code(request, code):
    """The short address of an article: /news/77759/ → its canonical address."""
    article = _visible_article(request, code)
    return redirect(article.get_absolute_url(), permanent=article.is_published)


def article_detail(request, code, slug):
    article = _visible_article(request, code)
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=article.is_published)
    return render_article(request, article)


def render_article(request, article, extra_context=None, status=200):
    """The article page; the comments app calls it to show a refused comment in place."""
    tags = list(article.tags.all())
    related = []
    if tags:
        related = list(
            Article.objects.published()
            .filter(tags__in=tags)
            .exclude(pk=article.pk)
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-published_at")
            .only("code", "title", "published_at")[:RELATED_COUNT]
        )
    if article.is_published and request.method == "GET":
        reading.count_view(article.pk)
    image = images.responsive(article.image)
    context = {
        "article": article,
        "tags": tags,
        "related": related,
        "is_preview": not article.is_published,
        "current_service": article.service,
        "image": image,
        "body_html": images.lazy_body_images(article.body),
        "meta": seo.article_page_meta(request, article, tags, image),
        "reading_minutes": reading.reading_minutes(article),
        "neighbours": reading.service_neighbours(article),
        "most_viewed": reading.most_viewed(),
        **(extra_context or {}),
    }
    response = render(request, "newsroom/article.html", context, status=status)
    if not article.is_published:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


def service_articles(request, slug):
    service = get_object_or_404(Service, slug=slug)
    page = paginate(request, Article.objects.published().for_lists().filter(service=service))
    return render(
        request,
        "newsroom/service.html",
        {"service": service, "current_service": service, "page": page},
    )


def tag_articles(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().for_lists().filter(tags=tag))
    return render(request, "newsroom/tag.html", {"tag": tag, "page": page})


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
