from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from newsroom.articles.signals import article_changed
from newsroom.text import persian
from newsroom.text.sanitize import body_text, clean_body

# The address of a name with no letter or digit in it («***», «!!!»): the
# word for what it is, numbered when taken.
SERVICE_SLUG_FALLBACK = "سرویس"
TAG_SLUG_FALLBACK = "برچسب"
# A slug is at most 100 characters; the stem leaves room for a "-12" that
# tells two names with the same stem apart.
SLUG_STEM_LENGTH = 90


def slug_stem(name: str, fallback: str) -> str:
    """The part of an address made from a name, never empty."""
    return persian.slugify(name)[:SLUG_STEM_LENGTH].strip("-") or fallback


class Service(models.Model):
    """A section of the site (اخبار، اطلاعیه‌ها، استان‌ها …) with its own page and feed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the address; made from the name when left empty."),
    )
    position = models.PositiveSmallIntegerField(_("position in the menu"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            # The menu on every page links to every service by its slug.
            models.CheckConstraint(condition=~Q(slug=""), name="service_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = persian.fold(self.name).strip()
        self._fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:service", kwargs={"slug": self.slug})

    def clean(self):
        # Before the constraints are checked: a slug left empty is made here.
        self._fill_slug()

    def _fill_slug(self):
        if not self.slug:
            self.slug = self._free_slug(slug_stem(self.name, SERVICE_SLUG_FALLBACK))

    def _free_slug(self, stem):
        taken = set(
            Service.objects.filter(slug__startswith=stem)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        number, slug = 1, stem
        while slug in taken:
            number += 1
            slug = f"{stem}-{number}"
        return slug


class Tag(TagBase):
    """A tag; spellings that differ only in Arabic letters or ZWNJ are one tag.

    `key` is the matching form of the name and is unique, so «بيمه‌شدگان»,
    «بیمه شدگان» and «بیمهشدگان» can never become three tags.
    """

    key = models.CharField(_("matching form"), max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            # An article's page links to each of its tags by its slug.
            models.CheckConstraint(condition=~Q(slug=""), name="tag_slug_not_empty"),
        ]

    @staticmethod
    def key_for(name: str) -> str:
        return persian.normalize(name).replace(" ", "")

    def save(self, *args, **kwargs):
        self.name = persian.fold(self.name).strip()
        self.key = self.key_for(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        # taggit numbers a slug that is taken (i = 1, 2 …).
        stem = slug_stem(tag, TAG_SLUG_FALLBACK)
        return f"{stem}-{i}" if i is not None else stem

    def get_absolute_url(self):
        return reverse("newsroom:tag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    # The article's publication time while it is published, None while it is
    # a draft; copied here (Article.save keeps it in step) so that a tag's
    # newest articles, and how many it has, are one walk down one index,
    # however large the archive and however common the tag.
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        indexes = [
            models.Index(fields=["tag", "-published_at"], name="tagged_article_tag_newest"),
            models.Index(fields=["-published_at"], name="tagged_article_newest"),
        ]

    def save(self, *args, **kwargs):
        self.published_at = self.publication_of(self.content_object)
        super().save(*args, **kwargs)

    @staticmethod
    def publication_of(article):
        """What a tagging of `article` carries: its publication time once published, else None."""
        return article.published_at if article.status == Article.Status.PUBLISHED else None


class _ArticleTagManager(_TaggableManager):
    """Adds tags by their matching form, so a variant spelling reuses the tag."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = [t for t in tags if isinstance(t, str) and persian.fold(t).strip()]
        by_key = {}
        if names:
            keys = {Tag.key_for(name) for name in names}
            by_key = {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}
        resolved = []
        for tag in tags:
            if isinstance(tag, str):
                name = persian.fold(tag).strip()
                if not name:
                    continue
                key = Tag.key_for(name)
                if key not in by_key:
                    by_key[key] = _create_tag(name, key)
                tag = by_key[key]
            resolved.append(tag)
        return super()._to_tag_model_instances(resolved, tag_kwargs)


def _create_tag(name: str, key: str) -> Tag:
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name)
    except IntegrityError:
        # Another editor created the same tag a moment ago.
        return Tag.objects.get(key=key)


# What readers see of an article's text: a change to one of these once the
# article is public is an update («به‌روزرسانی») with its own time.
REVISED_FIELDS = ("title", "lead", "body")


class ArticleQuerySet(models.QuerySet):
    # Columns readers never see: writing them changes no page.
    UNSEEN_FIELDS = frozenset({"view_count", "search_document"})

    def update(self, **kwargs):
        """`QuerySet.update()`, which sends no model signal, telling caches all the same."""
        count = super().update(**kwargs)
        if count and not kwargs.keys() <= self.UNSEEN_FIELDS:
            article_changed.send(sender=self.model, article_ids=None)
        return count

    def published(self):
        """What readers may see: published, and its publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published by an editor, with a publication time still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def placed(self):
        """Published articles editors placed on the home page, lead and featured."""
        return self.published().exclude(placement="")

    def with_any_of(self, *id_queries):
        """Those whose id one of these queries of ids (`.values("pk")`, limited or not) gives.

        One look-up by id for each, in their union: PostgreSQL can check an
        OR of `pk__in` filters only row by row through the whole table. Each
        is wrapped, as SQLite takes no limit in a member of a union.
        """
        ids = [Article.objects.filter(pk__in=query).order_by().values("pk") for query in id_queries]
        return self.filter(pk__in=ids[0].union(*ids[1:], all=True))

    def for_lists(self):
        """The columns a list of articles shows, with the service in the same query."""
        return self.select_related("service").only(
            "code",
            "title",
            "surtitle",
            "lead",
            "published_at",
            "image",
            "placement",
            "placement_position",
            "image_width",
            "image_height",
            "service__name",
            "service__slug",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Placement(models.TextChoices):
        """Where editors put an article on the home page, besides the latest news."""

        NONE = "", _("only in the latest news")
        LEAD = "lead", _("lead story")
        FEATURED = "featured", _("featured story")

    code = models.PositiveIntegerField(
        _("news code"),
        unique=True,
        blank=True,
        help_text=_("Assigned automatically (the next free number) when left empty."),
    )
    surtitle = models.CharField(_("surtitle"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=250)
    lead = models.TextField(_("lead"), max_length=1000)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("HTML; anything outside the allowed tags is removed when saved."),
    )

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        PHOTOS = "photos", _("photo report")
        VIDEO = "video", _("video")

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text=_("A photo report shows its captioned photos; a video plays its MP4 file."),
    )
    image = models.ImageField(_("image"), upload_to="articles/%Y/%m/", blank=True)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    # The picture's size as shown, read from its header when saved; empty when
    # it may not be decoded (see `images`), and then it is served as it is.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    video = models.FileField(
        _("video"),
        upload_to="videos/%Y/%m/",
        blank=True,
        help_text=_("An MP4 file; the article's image is shown before it plays."),
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(
        verbose_name=_("tags"),
        through=TaggedArticle,
        manager=_ArticleTagManager,
        blank=True,
        help_text=_("Separated by commas."),
    )
    source = models.CharField(
        _("source"), max_length=200, default=settings.DEFAULT_ARTICLE_SOURCE, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_("A time in the future schedules the article."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    placement = models.CharField(
        _("place on the home page"),
        max_length=10,
        choices=Placement.choices,
        default=Placement.NONE,
        blank=True,
        help_text=_(
            "The newest published lead story heads the home page; featured stories follow "
            "it in the order of their position."
        ),
    )
    placement_position = models.PositiveSmallIntegerField(
        _("position among featured stories"), default=0, blank=True
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    comments_open = models.BooleanField(_("comments open"), default=True)
    search_document = models.TextField(_("search document"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    text_revised_at = models.DateTimeField(
        _("text revised"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the title, lead or body last changed while readers could see it."),
    )

    objects = ArticleQuerySet.as_manager()
    # Every saved version, for the admin's history, compare and restore. The
    # search document is derived and the view count is not the editors'.
    history = HistoricalRecords(
        excluded_fields=[
            "search_document",
            "image_width",
            "image_height",
            "view_count",
            "created_at",
            "updated_at",
            "text_revised_at",
        ],
        verbose_name=_("article version"),
        verbose_name_plural=_("article versions"),
    )

    class Meta:
        ordering = ["-published_at", "-code"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(
                fields=["service", "status", "-published_at"], name="article_service_published"
            ),
            # The sitemaps: where each page of published articles starts, read
            # from the index alone, and the archive's latest change.
            models.Index(
                fields=["code", "published_at"],
                condition=Q(status="published"),
                name="article_published_code",
            ),
            models.Index(fields=["-updated_at"], name="article_updated"),
            # The home page's lead and featured stories: a few rows, however large the archive.
            models.Index(
                fields=["placement", "-published_at"],
                condition=~Q(placement=""),
                name="article_placed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(code__gt=0), name="article_code_positive"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.placement_position is None:
            self.placement_position = 0  # left empty in the form: first
        for field in ("surtitle", "title", "lead", "source", "image_caption"):
            setattr(self, field, persian.fold(getattr(self, field)).strip())
        self.body = clean_body(persian.fold(self.body))
        if self._text_revised_after_publication():
            self.text_revised_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "text_revised_at"}
        self.search_document = self.build_search_document(with_tags=self.pk is not None)
        _measure_picture(self, "image", kwargs)
        self.__dict__.pop("slug", None)
        if self.code:
            super().save(*args, **kwargs)
        else:
            self._save_with_next_code(*args, **kwargs)
        shown = TaggedArticle.publication_of(self)
        TaggedArticle.objects.filter(content_object=self).exclude(published_at=shown).update(
            published_at=shown
        )
        self._remember_stored()

    def get_absolute_url(self):
        return reverse("newsroom:article", kwargs={"code": self.code, "slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._remember_stored()
        return article

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored()

    def _remember_stored(self):
        """What the database holds of the text and publication, to tell an update from a save."""
        loaded = self.__dict__
        self._stored = {
            name: loaded[name]
            for name in (*REVISED_FIELDS, "status", "published_at")
            if name in loaded
        }

    def _text_revised_after_publication(self):
        """Whether this save changes the title, lead or body of an article readers could see.

        Publishing, scheduling, closing comments or changing tags is not an
        update; nor is a change made before the article was public.
        """
        stored = getattr(self, "_stored", None)
        if not stored or "status" not in stored or "published_at" not in stored:
            return False
        now = timezone.now()
        was_public = stored["status"] == self.Status.PUBLISHED and stored["published_at"] <= now
        if not (was_public and self.is_published):
            return False
        return any(
            name in stored and getattr(self, name) != stored[name] for name in REVISED_FIELDS
        )

    def _save_with_next_code(self, *args, **kwargs):
        # The next free number; if another editor takes it between the read
        # and the insert, the unique constraint refuses and we read again.
        for _attempt in range(5):
            latest = Article.objects.aggregate(latest=Max("code"))["latest"]
            self.code = max(latest or 0, settings.NEWS_CODE_START - 1) + 1
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                if not Article.objects.filter(code=self.code).exists():
                    raise
                self.code = None
        raise IntegrityError("could not assign a free news code")

    def build_search_document(self, with_tags=True) -> str:
        parts = [self.surtitle, self.title, self.lead, body_text(self.body)]
        if with_tags:
            parts.extend(tag.name for tag in self.tags.all())
        return persian.normalize(" ".join(parts))

    def refresh_search_document(self):
        document = self.build_search_document()
        Article.objects.filter(pk=self.pk).update(search_document=document)
        self.search_document = document

    @property
    def picture(self):
        """The picture's `<picture>` parts (`images.responsive`), None without one."""
        from newsroom.articles import images

        return images.responsive(self.image, self.image_width, self.image_height)

    @property
    def thumbnail(self):
        from newsroom.articles import images

        return images.thumbnail(self.image, self.image_width)

    @cached_property
    def slug(self):
        return persian.slugify(self.title) or str(self.code)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def updated_after_publication(self):
        """Its title, lead or body changed once readers could see it (`text_revised_at`)."""
        return self.is_published and self.text_revised_at is not None

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def state(self):
        """What readers see of it now: 'draft', 'scheduled' (published, its time to come) or
        'published'."""
        if self.status != self.Status.PUBLISHED:
            return "draft"
        return "scheduled" if self.is_scheduled else "published"

    @property
    def state_label(self):
        """The state in the editors' words: «زمان‌بندی‌شده: ۲۰ آذر ۱۴۰۵ - ۱۰:۳۰»."""
        state = self.state
        if state == "scheduled":
            return _("scheduled: %(moment)s") % {"moment": persian.jalali(self.published_at)}
        if state == "published":
            return _("published")
        return _("draft")


def _measure_picture(instance, name, save_kwargs):
    """Keep the size of a newly saved picture, or forget it when the picture goes.

    Read from the file's header only; a picture too large to decode keeps
    no size, and so no copies are offered for it.
    """
    from newsroom.articles import images

    file = getattr(instance, name)
    fields = (f"{name}_width", f"{name}_height")
    if not file:
        size = (None, None)
    elif not file._committed or getattr(instance, fields[0]) is None:
        size = images.decodable_size(file) or (None, None)
    else:
        return
    for field, value in zip(fields, size, strict=True):
        setattr(instance, field, value)
    if save_kwargs.get("update_fields") is not None:
        save_kwargs["update_fields"] = {*save_kwargs["update_fields"], *fields}


class Photo(models.Model):
    """One captioned photo of a photo report, in its place among the others."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="photos/%Y/%m/")
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name

    def save(self, *args, **kwargs):
        self.caption = persian.fold(self.caption).strip()
        _measure_picture(self, "image", kwargs)
        super().save(*args, **kwargs)

    @property
    def picture(self):
        from newsroom.articles import images

        return images.responsive(self.image, self.image_width, self.image_height)


class DailyViews(models.Model):
    """How many times an article was read on one day (Tehran time), for the week's rankings.

    Views are counted by the page's beacon and held in the cache until they
    are written here in batches (newsroom/articles/reading.py).
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("views of a day")
        verbose_name_plural = _("views of each day")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="daily_views_once_a_day")
        ]
        indexes = [models.Index(fields=["day", "article"], name="daily_views_by_day")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.count}"
