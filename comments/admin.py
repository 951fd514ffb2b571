from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Max, Value, When
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom import persian
from newsroom.models import Article

from .models import BlockedTerm, Comment
from .services import answer_officially, moderate_comments


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
    return admin.action(description=description, permissions=["change"])(action)


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
        "status", FlagFilter, ArticleFilter, "created_at", "is_official", "article__service",
    ]
    search_fields = ["name", "text", "email", "=article__code", "ip_address"]
    list_select_related = ["article", "parent"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = [
        "article",
        "parent",
        "name",
        "email",
        "text",
        "flags",
        "flag_reason",
        "ip_address",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
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
    actions = [
        _moderation_action(Comment.Status.APPROVED, _("Approve the selected comments")),
        _moderation_action(Comment.Status.REJECTED, _("Reject the selected comments")),
        _moderation_action(Comment.Status.SPAM, _("Mark the selected comments as spam")),
    ]

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

    def save_model(self, request, obj, form, change):
        # The decisions go through the same functions as the bulk actions.
        if change and "status" in form.changed_data:
            moderate_comments(
                comments=Comment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
            )
            obj.refresh_from_db()
        answer = form.cleaned_data.get("official_answer", "").strip()
        if answer:
            answer_officially(comment=obj, text=answer, staff=request.user)
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
