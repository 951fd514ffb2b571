"""What the home page shows besides the latest news: the lead, featured stories, breaking news.

Editors choose the lead and featured stories on the article itself
(`Article.placement`), so publishing, unpublishing or editing them reaches
caches as any article change does. Breaking news («خبر فوری») is a short
line with an end time; the site's version changes by itself when one begins
or ends, so an expired line vanishes without anyone touching a cache.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, IntegerField, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from newsroom.articles.models import Article
from newsroom.text import persian
from newsroom.text.sanitize import clean_body

FEATURED_COUNT = 4
PLACED_WINDOW = 20
SERVICE_LATEST_COUNT = 4


class BreakingNews(models.Model):
    text = models.CharField(_("text"), max_length=200)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The line links to this article when one is chosen."),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"))

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("breaking news")
        verbose_name_plural = _("breaking news")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="breaking_news_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="breaking_news_ends")]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = persian.fold(self.text).strip()
        super().save(*args, **kwargs)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The end must come after the start.")}, code="order"
            )

    @property
    def is_shown(self):
        now = timezone.now()
        return self.starts_at <= now < self.ends_at


class OfficePage(models.Model):
    """«درباره ما» and «تماس با ما»: pages editors write, at addresses of their own.

    Not django.contrib.flatpages: it needs the sites framework, which would
    make feeds and sitemaps take their host from a database row instead of
    the address the reader used, as every other page of ours does.
    """

    class Kind(models.TextChoices):
        ABOUT = "about", _("about us")
        CONTACT = "contact", _("contact us")

    kind = models.CharField(_("page"), max_length=10, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("HTML; anything outside the allowed tags is removed when saved.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("office page")
        verbose_name_plural = _("office pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = persian.fold(self.title).strip()
        self.body = clean_body(persian.fold(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"newsroom:{self.kind}")


def breaking_news():
    """The lines shown now, newest first.

    The site's version is renewed when one begins or ends
    (newsroom/delivery/versions.py), so a kept page never shows one late.
    """
    now = timezone.now()
    return list(
        BreakingNews.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("article")
        .only("text", "starts_at", "ends_at", "article__code", "article__title")
        .order_by("-starts_at")
    )


def _lead_and_featured(placed):
    """(lead, featured) among the `PLACED_WINDOW` newest placed articles, newest first.

    Only these are weighed: a lead replaced by a newer one, or a featured
    story long since pushed down by newer ones, leaves the top of the page
    without an editor unmarking it.
    """
    leads = [article for article in placed if article.placement == Article.Placement.LEAD]
    featured = sorted(
        (article for article in placed if article.placement == Article.Placement.FEATURED),
        key=lambda article: article.placement_position,
    )
    return (leads[0] if leads else None), featured[:FEATURED_COUNT]


class HomeArticles:
    """Every article the home page lists, read in one query when first asked for.

    A page of the latest news and, on the first page, the placed articles
    and each service's newest: each list is a short walk down an index (a
    limited subquery), and the query returns their union, newest first.
    Every list is then the first rows of its kind in that order, since what
    another list brings in is older than the last of its own. The query
    also counts the latest news, no further than `counted` articles, for
    the pagination.
    """

    def __init__(self, number, *, per_page, counted, services=()):
        self.number = number
        self.per_page = per_page
        self.counted = counted
        self.services = services

    @cached_property
    def _rows(self):
        published = Article.objects.published().order_by("-published_at", "-code")
        start = (self.number - 1) * self.per_page
        wanted = [published.values("pk")[start : start + self.per_page]]
        if self.number == 1:
            placed = published.exclude(placement=Article.Placement.NONE)
            wanted.append(placed.values("pk")[:PLACED_WINDOW])
            wanted.extend(
                published.filter(service=service).values("pk")[:SERVICE_LATEST_COUNT]
                for service in self.services
            )
        # Computed once for the query (it refers to none of its rows).
        latest_count = Subquery(
            Article.objects.filter(pk__in=published.values("pk")[: self.counted])
            .order_by()
            .values(number=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        )
        return list(published.for_lists().with_any_of(*wanted).annotate(latest_count=latest_count))

    @property
    def count(self):
        """How many articles the latest news has, up to `counted`; None when no page says."""
        if self._rows:
            return self._rows[0].latest_count
        return 0 if self.number == 1 else None

    @cached_property
    def latest(self):
        return self._rows[: self.per_page]

    @cached_property
    def placed(self):
        """(lead, featured): the newest lead story and the featured ones."""
        placed = [article for article in self._rows if article.placement]
        return _lead_and_featured(placed[:PLACED_WINDOW])

    @cached_property
    def service_sections(self):
        """(service, its newest articles) for each service that has any, in the menu's order."""
        by_service = {}
        for article in self._rows:
            listed = by_service.setdefault(article.service_id, [])
            if len(listed) < SERVICE_LATEST_COUNT:
                listed.append(article)
        return [
            (service, by_service[service.pk])
            for service in self.services
            if service.pk in by_service
        ]
