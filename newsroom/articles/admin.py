from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from newsroom.articles.images import ArticleImageField
from newsroom.models import Article, Service, Tag
from newsroom.text import persian

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
# still cleans whatever arrives.
BODY_EDITOR = AdminProseEditorWidget(
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
        }
    },
)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # An image with too many pixels is refused at upload (newsroom/articles/images.py).
    formfield_overrides = {models.ImageField: {"form_class": ArticleImageField}}
    list_display = ["code", "title", "service", "status", "published_jalali", "comments_open"]
    list_display_links = ["code", "title"]
    list_filter = [PublicationStateFilter, "status", "service", "published_at", "comments_open"]
    search_fields = ["title", "surtitle", "lead", "=code"]
    list_select_related = ["service"]
    date_hierarchy = "published_at"
    readonly_fields = ["view_count", "created_at", "updated_at", "author"]
    fieldsets = [
        (None, {"fields": ["code", "surtitle", "title", "lead", "body"]}),
        (_("Image"), {"fields": ["image", "image_caption"]}),
        (
            _("Publication"),
            {"fields": ["service", "tags", "source", "status", "published_at", "comments_open"]},
        ),
        (
            _("Record"),
            {
                "fields": ["author", "view_count", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    view_on_site = True

    @admin.display(description=_("publication time"), ordering="published_at")
    def published_jalali(self, article):
        return persian.jalali(article.published_at)

    def get_search_results(self, request, queryset, search_term):
        # A news code typed in Persian digits is still a news code.
        return super().get_search_results(request, queryset, persian.to_ascii_digits(search_term))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = BODY_EDITOR
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it runs under the
        # page's content security policy only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


admin.site.site_header = _("Social Security Organization News: administration")
admin.site.site_title = _("News administration")
admin.site.index_title = _("Administration")
