from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media
from simple_history.admin import SimpleHistoryAdmin

from newsroom.articles import admin_views, services
from newsroom.articles.images import ArticleImageField
from newsroom.articles.videos import Mp4FileField
from newsroom.models import Article, BreakingNews, OfficePage, Photo, Service, Tag
from newsroom.site import jalali_admin
from newsroom.text import persian

# Jalali dates and Persian digits across the whole admin (newsroom/site/jalali_admin.py).
jalali_admin.install()

BLANK_NAME_MESSAGE = _("This name shows nothing; type at least one letter, digit or sign.")


class _ShownNameForm(forms.ModelForm):
    """A service's or a tag's name must show something: the menu and tag lists print it."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        if persian.is_blank(name):
            raise forms.ValidationError(BLANK_NAME_MESSAGE, code="blank")
        return name


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = _ShownNameForm
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = _ShownNameForm
    list_display = ["name", "slug"]
    search_fields = ["name", "key"]

    def get_search_results(self, request, queryset, search_term):
        # Editors type tags as they come: find «بیمه‌شدگان» from «بيمه شدگان».
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = Tag.key_for(search_term)
        if key:
            queryset |= self.model.objects.filter(key__contains=key)
        return queryset, may_have_duplicates


# --- Articles: the editors' list, form and tools --------------------------


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", _("visible to readers")),
            ("scheduled", _("scheduled")),
            ("draft", _("draft")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            published = Article.Status.PUBLISHED
            return queryset.filter(status=published).exclude(pk__in=queryset.published())
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        return queryset


# The editor offers what the body may hold (newsroom/text/sanitize.py); nh3
# still cleans whatever arrives. Its menus and dialogs speak Persian through
# the admin's JavaScript catalogue and admin/newsroom/article-editor.js; the
# browser's spell-check stays on (NoSpellCheck is on by default).
BODY_EDITOR = AdminProseEditorWidget(
    attrs={
        "lang": "fa",
        "dir": "rtl",
        # Where admin/newsroom/article-editor.js sends images chosen in the editor.
        "data-body-image-upload": reverse_lazy("admin:newsroom_article_body_image"),
    },
    preset="configurable",
    config={
        "extensions": {
            "Bold": True,
            "Italic": True,
            "Underline": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "HardBreak": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
            "Table": True,
            "TableRow": True,
            "TableHeader": True,
            "TableCell": True,
            "Figure": True,
            "Caption": True,
            "Image": True,
            "History": True,
            "HTML": True,
            "NoSpellCheck": False,
        }
    },
)


class PhotoInline(admin.TabularInline):
    """The captioned photos of a photo report, in the order readers see them."""

    model = Photo
    fields = ["image", "caption", "order"]
    extra = 1
    formfield_overrides = {models.ImageField: {"form_class": ArticleImageField}}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    # An image with too many pixels is refused at upload (newsroom/articles/images.py);
    # a video must be an MP4 file (newsroom/articles/videos.py).
    formfield_overrides = {
        models.ImageField: {"form_class": ArticleImageField},
        models.FileField: {"form_class": Mp4FileField},
    }
    inlines = [PhotoInline]
    list_display = ["code", "title", "service", "state", "published_jalali", "comments_open"]
    list_display_links = ["code", "title"]
    list_filter = [
        PublicationStateFilter,
        "service",
        "kind",
        "placement",
        "published_at",
        "comments_open",
    ]
    # Searched in the article's search document (see get_search_results); the
    # names here only give the list its search box.
    search_fields = ["title"]
    search_help_text = _("Title, lead, body or tags, as readers search them; or a news code.")
    list_select_related = ["service"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "state",
        "view_count",
        "created_at",
        "updated_at",
        "text_revised_at",
        "author",
    ]
    fieldsets = [
        (None, {"fields": ["code", "kind", "surtitle", "title", "lead", "body"]}),
        (_("Image"), {"fields": ["image", "image_caption", "video"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "service",
                    "tags",
                    "source",
                    "status",
                    "published_at",
                    "state",
                    "comments_open",
                ]
            },
        ),
        (_("Home page"), {"fields": ["placement", "placement_position"]}),
        (
            _("Record"),
            {
                "fields": ["author", "view_count", "created_at", "updated_at", "text_revised_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    view_on_site = True
    actions = ["publish_selected", "unpublish_selected", "restore_zwnj_selected"]

    class Media:
        css = {"all": ["admin/newsroom/article-editor.css"]}
        js = ["admin/newsroom/article-editor.js", "admin/newsroom/tag-suggestions.js"]

    @admin.display(description=_("publication time"), ordering="published_at")
    def published_jalali(self, article):
        return persian.jalali(article.published_at)

    @admin.display(description=_("status"), ordering="status")
    def state(self, article):
        """«زمان‌بندی‌شده: ۲۰ آذر ۱۴۰۵ - ۱۰:۳۰», not «منتشرشده», for what readers cannot see yet."""
        if article.pk is None:
            return "-"
        return article.state_label

    def get_search_results(self, request, queryset, search_term):
        """Search as readers do: Arabic letters, ZWNJ and digit scripts folded.

        The search document holds the title, lead, body and tags in the
        matching form; every word typed must be in it. A number is also
        looked up as a news code.
        """
        words = persian.normalize(search_term).split()
        if not words:
            return queryset, False
        matches = Q()
        for word in words:
            matches &= Q(search_document__contains=word)
        code = persian.parse_int(search_term)
        if code is not None:
            matches |= Q(code=code)
        return queryset.filter(matches), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = BODY_EDITOR
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags" and formfield is not None:
            # admin/newsroom/tag-suggestions.js asks the admin's autocomplete
            # view for existing tags as the editor types.
            formfield.widget.attrs.update(
                {
                    "data-tag-suggestions": reverse("admin:autocomplete"),
                    "autocomplete": "off",
                    "spellcheck": "true",
                }
            )
        return formfield

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it runs under the
        # page's content security policy only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def render_history_view(self, request, template, context, **kwargs):
        # A version's page is the change form too: its editor needs the nonce.
        if "media" in context:
            context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    # --- Bulk publishing and the ZWNJ tool --------------------------------

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = services.publish_articles(articles=queryset, editor=request.user)
        self._report(
            request,
            ngettext(
                "%(count)s article published or scheduled.",
                "%(count)s articles published or scheduled.",
                changed,
            ),
            changed,
        )

    @admin.action(
        description=_("Take the selected articles back to drafts"), permissions=["change"]
    )
    def unpublish_selected(self, request, queryset):
        changed = services.unpublish_articles(articles=queryset, editor=request.user)
        self._report(
            request,
            ngettext(
                "%(count)s article taken back to drafts.",
                "%(count)s articles taken back to drafts.",
                changed,
            ),
            changed,
        )

    @admin.action(description=_("Restore zero-width non-joiners…"), permissions=["change"])
    def restore_zwnj_selected(self, request, queryset):
        return admin_views.zwnj_redirect(self, queryset)

    def _report(self, request, message, count):
        self.message_user(
            request,
            message % {"count": persian.to_persian_digits(count)},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        own = [
            path("preview/", wrap(admin_views.preview(self)), name=f"{prefix}_preview"),
            path("zwnj/", wrap(admin_views.zwnj(self)), name=f"{prefix}_zwnj"),
            path(
                "body-image/",
                wrap(admin_views.body_image_upload(self)),
                name=f"{prefix}_body_image",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                wrap(admin_views.compare(self)),
                name=f"{prefix}_compare",
            ),
        ]
        return own + super().get_urls()


admin.site.site_header = _("Social Security Organization News: administration")
admin.site.site_title = _("News administration")
admin.site.index_title = _("Administration")
# The side menu repeats the index's links and took a fifth of a desk's
# screen from every list: beside it and its filters, the comments' list
# scrolled sideways at 1280 pixels. The index and the breadcrumbs lead
# everywhere it did.
admin.site.enable_nav_sidebar = False


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """«خبر فوری»: a line at the top of the home page from its start until its end."""

    list_display = ["text", "starts_at", "ends_at", "is_shown"]
    search_fields = ["text"]
    autocomplete_fields = ["article"]
    fields = ["text", "article", "starts_at", "ends_at"]

    @admin.display(boolean=True, description=_("shown now"))
    def is_shown(self, breaking):
        return breaking.is_shown


@admin.register(OfficePage)
class OfficePageAdmin(admin.ModelAdmin):
    """The about and contact pages: editors change them; there is one of each."""

    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body"]
    formfield_overrides = {models.TextField: {"widget": BODY_EDITOR}}

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj is not None else []
