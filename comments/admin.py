from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.articles.admin import ArticleAdmin
from newsroom.models import Article
from newsroom.site.network import address_filter_is_valid
from newsroom.text import persian

from . import admin_outbox, learning, rules  # noqa: F401 (admin_outbox registers the outbox)
from .admin_accountability import AccountabilityAdminMixin
from .admin_privacy import CommenterPrivacyMixin
from .admin_queue import REJECT_ACTIONS, LikenessFilter, ModerationQueueMixin
from .models import BlockedTerm, Comment, Refusal, RuleException
from .services import (
    ANSWER_NEEDS_PUBLISHED_MESSAGE,
    AnswerRefused,
    answer_officially,
    may_moderate,
    moderate_comments,
)

# Flags a held comment may carry, in the order the filter lists them.
HELD_FLAGS = ("accusation", "advert", "contact", "link", "links", "language-unsure", "returned")

# How much of a comment the lists show: most comments whole, enough of the
# longest to decide from the list.
EXCERPT_CHARACTERS = 240


class FlagFilter(admin.SimpleListFilter):
    """Comments by what the posting rules flagged, every flag by its Persian name."""

    title = _("flag")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [*((flag, rules.flag_label(flag)) for flag in HELD_FLAGS), ("none", _("no flag"))]

    def queryset(self, request, queryset):
        flag = self.value()
        if flag == "none":
            return queryset.filter(flags="")
        if flag:
            # Flags are space-separated words: «link» must not find «links».
            return queryset.filter(
                Q(flags=flag)
                | Q(flags__startswith=f"{flag} ")
                | Q(flags__endswith=f" {flag}")
                | Q(flags__contains=f" {flag} ")
            )
        return queryset


class RuleFlagsDisplay:
    """The flags of a comment in Persian, for the queue and the comment's page."""

    @admin.display(description=_("flags"), ordering="flags")
    def flags_in_persian(self, obj):
        return "، ".join(rules.flag_label(flag) for flag in obj.flags.split()) or "—"

    @admin.display(description=_("flags"), ordering="flags")
    def flags_and_reason(self, obj):
        """The flags, and under them why the rules raised them: one column of the list."""
        if not obj.flag_reason:
            return self.flags_in_persian(obj)
        return format_html(
            '{}<span class="flag-reason">{}</span>', self.flags_in_persian(obj), obj.flag_reason
        )


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
                "%(count)s comment marked %(status)s.",
                "%(count)s comments marked %(status)s.",
                changed,
            )
            % {"count": persian.to_persian_digits(changed), "status": Comment.Status(status).label},
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
        fields = ["status", "broken_rule"]

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
class CommentAdmin(
    AccountabilityAdminMixin,
    ModerationQueueMixin,
    RuleFlagsDisplay,
    CommenterPrivacyMixin,
    admin.ModelAdmin,
):
    form = CommentModerationForm
    # Seven columns, so that a desk's screen shows a whole row beside the
    # admin's menu and the filters: the address sits under the name, and
    # the comment a reply answers under the news code.
    list_display = [
        "excerpt",
        "name_and_address",
        "article_code",
        "status",
        "flags_and_reason",
        "near_identical",
        "posted_jalali",
    ]
    list_filter = [
        "status",
        FlagFilter,
        LikenessFilter,
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
        "flags_in_persian",
        "flag_reason",
        "ip_address",
        "created_at",
        "status",
        "broken_rule",
        "moderated_by",
        "moderated_at",
        "official_answer",
    ]
    # What the reader sent and what the rules saw stay as they were; the
    # moderator decides the status (and the posted rule a refusal broke) and may answer.
    readonly_fields = [
        name for name in fields if name not in ("status", "broken_rule", "official_answer")
    ]
    actions = [
        _moderation_action(Comment.Status.APPROVED, _("Approve the selected comments")),
        _moderation_action(Comment.Status.REJECTED, _("Reject the selected comments")),
        *REJECT_ACTIONS,
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
        return [*self.readonly_fields, "status", "broken_rule"]

    def get_form(self, request, obj=None, **kwargs):
        # A new class on every call: the user is this request's alone.
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if self.has_answer_permission(request):
            return self.fields
        return [name for name in self.fields if name != "official_answer"]

    def save_model(self, request, obj, form, change):
        # The decisions go through the same functions as the bulk actions.
        moderator = self.has_moderate_permission(request)
        if change and "status" in form.changed_data and moderator:
            moderate_comments(
                comments=Comment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
                rule=obj.broken_rule or None,
            )
            obj.refresh_from_db()
        elif change and "broken_rule" in form.changed_data and moderator:
            # The reader's tracking page names the rule; the decision stays.
            if obj.status in (Comment.Status.REJECTED, Comment.Status.SPAM):
                Comment.objects.filter(pk=obj.pk).update(broken_rule=obj.broken_rule)
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
        return Truncator(comment.text).chars(EXCERPT_CHARACTERS)

    @admin.display(description=_("name"), ordering="name")
    def name_and_address(self, comment):
        """The reader's name, and under it the address the comment came from."""
        if not comment.ip_address:
            return comment.name
        return format_html(
            '{}<span class="cell-note" dir="ltr">{}</span>', comment.name, comment.ip_address
        )

    @admin.display(description=_("news code"), ordering="article__code")
    def article_code(self, comment):
        """The article's code, and under it whose comment a reply answers."""
        if comment.parent_id is None:
            return comment.article.code
        return format_html(
            '{}<span class="cell-note">{} {}</span>',
            # In the same digits as the admin shows the code alone.
            display_for_value(comment.article.code, ""),
            _("in reply to"),
            comment.parent.name,
        )

    @admin.display(description=_("posted"), ordering="created_at")
    def posted_jalali(self, comment):
        return persian.jalali(comment.created_at)


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["term", "kind", "exact", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A term added without a kind is an insult, as every term was before kinds.
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or BlockedTerm.Kind.INSULT

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
    list_display = ["term", "kind", "exact", "note", "created_at"]
    list_filter = ["kind", "exact"]
    search_fields = ["term", "key", "note"]
    change_list_template = "admin/comments/blockedterm/change_list.html"

    def get_urls(self):
        suggestions = path(
            "suggestions/",
            self.admin_site.admin_view(self.suggestions_view),
            name="comments_blockedterm_suggestions",
        )
        return [suggestions, *super().get_urls()]

    def suggestions_view(self, request):
        """Words frequent in rejected comments and rare in approved ones; one click adds one."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            word = request.POST.get("word", "").strip()
            if word:
                term = learning.add_suggestion(word)
                self.message_user(
                    request,
                    _("«%(term)s» is now a blocked term.") % {"term": term.term},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suggested blocked terms"),
            "suggestions": learning.suggestions(),
            "can_add": self.has_add_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/blockedterm/suggestions.html", context)


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


# ---------------------------------------------------------------------------
# What the rules refused, and the exceptions moderators teach them


@admin.register(Refusal)
class RefusalAdmin(RuleFlagsDisplay, admin.ModelAdmin):
    """Comments the rules refused, kept a limited time; a wrong one goes to the queue."""

    list_display = [
        "excerpt",
        "rule_in_persian",
        "flags_in_persian",
        "reason",
        "refused_jalali",
        "article_code",
        "ip_address",
        "sent_to_queue_at",
    ]
    list_filter = ["rule", "created_at"]
    search_fields = ["text", "name", "ip_address", "=article__code"]
    list_select_related = ["article"]
    fields = [
        "article",
        "name",
        "email",
        "text",
        "rule_in_persian",
        "flags_in_persian",
        "reason",
        "ip_address",
        "created_at",
        "sent_to_queue_at",
        "comment",
    ]
    readonly_fields = fields
    actions = ["send_to_queue"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Send the selected refusals to the moderation queue"), permissions=["change"]
    )
    def send_to_queue(self, request, queryset):
        sent = sum(
            1
            for refusal in queryset.select_related("article")
            if learning.send_to_queue(refusal=refusal, moderator=request.user)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d refused comment sent to the queue.",
                "%(count)d refused comments sent to the queue.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )

    @admin.display(description=_("rule"), ordering="rule")
    def rule_in_persian(self, refusal):
        return rules.flag_label(refusal.rule)

    @admin.display(description=_("text"))
    def excerpt(self, refusal):
        return Truncator(refusal.text).chars(EXCERPT_CHARACTERS)

    @admin.display(description=_("news code"), ordering="article__code")
    def article_code(self, refusal):
        return refusal.article.code if refusal.article else "—"

    @admin.display(description=_("refused"), ordering="created_at")
    def refused_jalali(self, refusal):
        return persian.jalali(refusal.created_at)


@admin.register(RuleException)
class RuleExceptionAdmin(admin.ModelAdmin):
    """Phrases the rules should leave alone, proposed by moderators' decisions."""

    list_display = ["phrase", "rule_in_persian", "term", "status", "created_at"]
    list_filter = ["status", "rule"]
    search_fields = ["phrase", "term", "example"]
    fields = ["phrase", "rule", "term", "example", "status"]
    readonly_fields = ["rule", "term", "example"]
    actions = ["confirm", "dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm the selected exceptions"), permissions=["change"])
    def confirm(self, request, queryset):
        self._set_status(request, queryset, RuleException.Status.CONFIRMED)

    @admin.action(description=_("Dismiss the selected exceptions"), permissions=["change"])
    def dismiss(self, request, queryset):
        self._set_status(request, queryset, RuleException.Status.DISMISSED)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that every worker hears of the change (rules.py signals).
        for exception in queryset:
            exception.status = status
            exception.save(update_fields=["status"])
        self.message_user(request, _("Done."), messages.SUCCESS)

    @admin.display(description=_("rule"), ordering="rule")
    def rule_in_persian(self, exception):
        return rules.flag_label(exception.rule)
