from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.articles.admin import ArticleAdmin
from newsroom.models import Article
from newsroom.site.network import address_filter_is_valid
from newsroom.text import persian

from .accountability import PERIODS, accountability_report
from .models import BlockedTerm, Comment
from .services import (
    ANSWER_NEEDS_PUBLISHED_MESSAGE,
    AnswerRefused,
    answer_officially,
    may_moderate,
    moderate_comments,
)


class FlagFilter(admin.SimpleListFilter):
    title = _("flag")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("links", _("links")), ("none", _("no flag"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(flags="")
        if self.value():
            return queryset.filter(flags__contains=self.value())
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    """Articles whose comments wait for a decision, by news code; any code works in the URL."""

    title = _("article")
    parameter_name = "article"
    listed = 30

    def lookups(self, request, model_admin):
        waiting = (
            Article.objects.filter(comments__status=Comment.Status.PENDING)
            .annotate(latest=Max("comments__created_at"))
            .order_by("-latest")
            .only("code", "title")[: self.listed]
        )
        return [(article.code, f"{article.code} — {article.title}") for article in waiting]

    def queryset(self, request, queryset):
        code = persian.parse_int(self.value() or "")
        return queryset.filter(article__code=code) if code else queryset


def _moderation_action(status, description):
    def action(modeladmin, request, queryset):
        changed = moderate_comments(comments=queryset, status=status, moderator=request.user)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d comment marked %(status)s.",
                "%(count)d comments marked %(status)s.",
                changed,
            )
            % {"count": changed, "status": Comment.Status(status).label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["moderate"])(action)


class CommentModerationForm(forms.ModelForm):
    official_answer = forms.CharField(
        label=_("Official answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published at once under this comment as the Public Relations reply, "
            "in the organisation's name."
        ),
    )

    class Meta:
        model = Comment
        fields = ["status"]

    # Who is saving the form; `CommentAdmin.get_form` sets it.
    user = None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("official_answer", "").strip():
            return cleaned
        # The status the comment will have once saved: what a moderator
        # chose, or what it is, for someone who cannot change it.
        status = cleaned.get("status", self.instance.status)
        moderator = self.user is not None and may_moderate(self.user)
        refused = status in (Comment.Status.REJECTED, Comment.Status.SPAM) or (
            status != Comment.Status.APPROVED and not moderator
        )
        if refused:
            self.add_error("official_answer", ANSWER_NEEDS_PUBLISHED_MESSAGE)
        return cleaned


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentModerationForm
    list_display = [
        "excerpt",
        "name",
        "article_code",
        "parent",
        "status",
        "flags",
        "flag_reason",
        "ip_address",
        "posted_jalali",
    ]
    list_filter = [
        "status",
        FlagFilter,
        ArticleFilter,
        "created_at",
        "is_official",
        "article__service",
    ]
    search_fields = ["name", "text", "email", "=article__code", "ip_address"]
    list_select_related = ["article", "parent"]
    raw_id_fields = ["article", "parent"]
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "text",
        "flags",
        "flag_reason",
        "ip_address",
        "created_at",
        "status",
        "moderated_by",
        "moderated_at",
        "official_answer",
    ]
    # What the reader sent and what the rules saw stay as they were; the
    # moderator decides the status and may answer.
    readonly_fields = [name for name in fields if name not in ("status", "official_answer")]
    actions = [
        _moderation_action(Comment.Status.APPROVED, _("Approve the selected comments")),
        _moderation_action(Comment.Status.REJECTED, _("Reject the selected comments")),
        _moderation_action(Comment.Status.SPAM, _("Mark the selected comments as spam")),
    ]

    def lookup_allowed(self, lookup, value, request=None):
        # `?ip_address=1` reached PostgreSQL as an address and failed there:
        # a filter the address column cannot take is a bad request (400).
        field, _separator, rest = lookup.partition("__")
        if field == "ip_address" and not address_filter_is_valid(rest, value):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_ordering(self, request):
        # Pending first, oldest first: the queue a moderator works through.
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "created_at"]

    def has_add_permission(self, request):
        return False

    # Moderating is changing a comment's status; answering officially is a
    # permission of its own, which editors have too.
    def has_moderate_permission(self, request):
        return may_moderate(request.user)

    def has_answer_permission(self, request):
        return request.user.has_perm("comments.answer_comment")

    def has_change_permission(self, request, obj=None):
        return self.has_moderate_permission(request) or self.has_answer_permission(request)

    def get_readonly_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    def get_form(self, request, obj=None, **kwargs):
        # A new class on every call: the user is this request's alone.
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if self.has_answer_permission(request):
            return self.fields
        return [name for name in self.fields if name != "official_answer"]

    def get_urls(self):
        accountability = path(
            "accountability/",
            self.admin_site.admin_view(self.accountability_view),
            name="comments_comment_accountability",
        )
        return [accountability, *super().get_urls()]

    def accountability_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = accountability_report()
        rows = [(_("All services"), [report.overall[days] for days in PERIODS])]
        rows += [
            (service, [medians[days] for days in PERIODS])
            for service, medians in sorted(report.by_service.items())
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Accountability"),
            "report": report,
            "periods": PERIODS,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/comments/accountability.html", context)

    def save_model(self, request, obj, form, change):
        # The decisions go through the same functions as the bulk actions.
        if change and "status" in form.changed_data and self.has_moderate_permission(request):
            moderate_comments(
                comments=Comment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
            )
            obj.refresh_from_db()
        answer = form.cleaned_data.get("official_answer", "").strip()
        if answer and self.has_answer_permission(request):
            try:
                answer_officially(comment=obj, text=answer, staff=request.user)
            except AnswerRefused as refusal:
                # Another moderator rejected it while the form was open.
                self.message_user(request, str(refusal), messages.ERROR)
            obj.refresh_from_db()

    @admin.display(description=_("text"))
    def excerpt(self, comment):
        return Truncator(comment.text).chars(80)

    @admin.display(description=_("news code"), ordering="article__code")
    def article_code(self, comment):
        return comment.article.code

    @admin.display(description=_("posted"), ordering="created_at")
    def posted_jalali(self, comment):
        return persian.jalali(comment.created_at)


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["term", "note"]

    def clean_term(self):
        term = self.cleaned_data["term"]
        key = persian.normalize(term)
        if not key:
            raise forms.ValidationError(_("Write a word or phrase."))
        same = BlockedTerm.objects.filter(key=key).exclude(pk=self.instance.pk).first()
        if same:
            raise forms.ValidationError(
                _("This term is already blocked as «%(term)s».") % {"term": same.term}
            )
        return term


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    form = BlockedTermForm
    list_display = ["term", "note", "created_at"]
    search_fields = ["term", "key", "note"]


class ArticleWithCommentsAdmin(ArticleAdmin):
    """The articles list, with each article's comments counted by status.

    The comments app extends the articles' admin, so that articles need not
    know comments exist.
    """

    list_display = [*ArticleAdmin.list_display, "comment_counts"]

    def get_queryset(self, request):
        counts = {
            status: Count("comments", filter=Q(comments__status=status), distinct=True)
            for status in (Comment.Status.PENDING, Comment.Status.APPROVED)
        }
        return (
            super()
            .get_queryset(request)
            .annotate(pending_comments=counts["pending"], approved_comments=counts["approved"])
        )

    @admin.display(description=_("comments (pending / approved)"))
    def comment_counts(self, article):
        return f"{persian.to_persian_digits(article.pending_comments)} / " + (
            persian.to_persian_digits(article.approved_comments)
        )


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithCommentsAdmin)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Who published, edited, approved, rejected or answered what, and when: read only."""

    list_display = [
        "action_time",
        "user",
        "content_type",
        "object_repr",
        "action_flag",
        "change_message",
    ]
    list_filter = ["action_flag", "content_type", "user"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
