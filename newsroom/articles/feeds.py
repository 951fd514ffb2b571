"""RSS 2.0 and Atom feeds of the latest articles: of the whole site, a service, a tag."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from newsroom.articles import images
from newsroom.articles.seo import modified_time
from newsroom.models import Article, Service, Tag

FEED_LENGTH = 30


@dataclass
class FeedScope:
    """Which articles a feed carries, and the request that asked for it."""

    request: HttpRequest
    service: Service | None = None
    tag: Tag | None = None

    @property
    def subject(self):
        return self.service or self.tag


class LatestArticlesFeed(Feed):
    """The latest published articles of the whole site."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        return FeedScope(request)

    def title(self, scope):
        if scope.subject is None:
            return str(settings.SITE_NAME)
        return f"{scope.subject.name} | {settings.SITE_NAME}"

    def link(self, scope):
        if scope.subject is None:
            return reverse("newsroom:home")
        return scope.subject.get_absolute_url()

    def description(self, scope):
        if scope.service is not None:
            return _("The latest news of %(service)s.") % {"service": scope.service.name}
        if scope.tag is not None:
            return _("The latest news tagged %(tag)s.") % {"tag": scope.tag.name}
        return _("News and announcements of the Social Security Organization")

    subtitle = description

    def items(self, scope):
        articles = Article.objects.published().select_related("service").prefetch_related("tags")
        if scope.service is not None:
            articles = articles.filter(service=scope.service)
        if scope.tag is not None:
            articles = articles.filter(tags=scope.tag)
        articles = list(articles[:FEED_LENGTH])
        absolute = scope.request.build_absolute_uri
        for article in articles:
            # A guid that survives a corrected title: the short address, not the slug.
            article.short_url = absolute(
                reverse("newsroom:article-by-code", kwargs={"code": article.code})
            )
            # The picture's desktop-width JPEG copy, not the uploaded original.
            article.enclosure = images.enclosure(article.image, article.image_width)
            if article.enclosure:
                article.enclosure = (absolute(article.enclosure[0]), *article.enclosure[1:])
        return articles

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.lead

    def item_guid(self, article):
        return article.short_url

    def item_guid_is_permalink(self, article):
        return True

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return modified_time(article)

    def item_author_name(self, article):
        return article.source or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article):
        if article.enclosure is None:
            return []  # no picture, or the file is gone: a feed must not point at it
        url, length, mime_type = article.enclosure
        return [Enclosure(url, str(length), mime_type)]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed


class ServiceArticlesFeed(LatestArticlesFeed):
    """The latest articles of one service."""

    def get_object(self, request, slug):
        return FeedScope(request, service=get_object_or_404(Service, slug=slug))


class ServiceArticlesAtomFeed(ServiceArticlesFeed):
    feed_type = Atom1Feed


class TagArticlesFeed(LatestArticlesFeed):
    """The latest articles with one tag."""

    def get_object(self, request, slug):
        return FeedScope(request, tag=get_object_or_404(Tag, slug=slug))


class TagArticlesAtomFeed(TagArticlesFeed):
    feed_type = Atom1Feed
