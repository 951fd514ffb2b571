"""The moderation queue's tools: near-identical comments decided at once, and keyboard shortcuts.

Comments whose text is the same in the rules' matching form share a
`likeness` (comments/grouping.py). The queue shows how many pending
comments each is near-identical to, filters a group, and has a page of
the groups where one decision applies to every comment of a group. The
shortcuts are a static script (static/js/moderation-queue.js) that drives
the queue's own action form.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.text import persian

from .models import Comment, PostedRule
from .services import moderate_comments

GROUPS_SHOWN = 50


def _pending_groups():
    """Likeness keys shared by more than one pending comment."""
    return (
        Comment.objects.pending()
        .exclude(likeness="")
        .values("likeness")
        .annotate(size=Count("pk"))
        .filter(size__gt=1)
    )


class LikenessFilter(admin.SimpleListFilter):
    """Pending comments in a group of near-identical ones, or one group."""

    title = _("near-identical")
    parameter_name = "likeness"
    GROUPED = "grouped"

    def lookups(self, request, model_admin):
        choices = [(self.GROUPED, _("in a group of near-identical pending comments"))]
        value = self.value()
        if value and value != self.GROUPED:
            sample = Comment.objects.filter(likeness=value).values_list("text", flat=True).first()
            if sample is not None:
                choices.append((value, Truncator(sample).chars(40)))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.GROUPED:
            return queryset.filter(likeness__in=_pending_groups().values("likeness")).order_by(
                "likeness", "created_at"
            )
        if value:
            return queryset.filter(likeness=value)
        return queryset


def _reject_breaking(rule, description):
    def action(modeladmin, request, queryset):
        changed = moderate_comments(
            comments=queryset, status=Comment.Status.REJECTED, moderator=request.user, rule=rule
        )
        modeladmin.message_user(
            request,
            ngettext("%(count)s comment rejected.", "%(count)s comments rejected.", changed)
            % {"count": persian.to_persian_digits(changed)},
            messages.SUCCESS,
        )

    action.__name__ = f"reject_{rule}"
    return admin.action(description=description, permissions=["moderate"])(action)


REJECT_ACTIONS = [
    _reject_breaking(PostedRule.INSULT, _("Reject: insult or false accusation")),
    _reject_breaking(PostedRule.LANGUAGE, _("Reject: not Persian or unrelated to the news")),
]


class ModerationQueueMixin:
    """For the comments' ModelAdmin: group sizes in the queue, the groups page, the shortcuts."""

    change_list_template = "admin/comments/comment/change_list.html"

    def get_queryset(self, request):
        same = (
            Comment.objects.pending()
            .filter(likeness=OuterRef("likeness"))
            .exclude(likeness="")
            .order_by()
            .values("likeness")
            .annotate(number=Count("pk"))
            .values("number")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(near_identical_pending=Subquery(same, output_field=IntegerField()))
        )

    @admin.display(description=_("near-identical pending"))
    def near_identical(self, comment):
        others = (comment.near_identical_pending or 0) - (comment.status == Comment.Status.PENDING)
        if others < 1:
            return "—"
        url = (
            reverse("admin:comments_comment_changelist")
            + "?"
            + urlencode({"likeness": comment.likeness, "status__exact": Comment.Status.PENDING})
        )
        return format_html('<a href="{}">{}</a>', url, persian.to_persian_digits(others))

    def get_urls(self):
        groups = path(
            "groups/",
            self.admin_site.admin_view(self.groups_view),
            name="comments_comment_groups",
        )
        return [groups, *super().get_urls()]

    def groups_view(self, request):
        """Groups of near-identical pending comments, the largest first; one decision per group."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._decide_group(request)
        groups = list(
            _pending_groups()
            .annotate(
                first=Min("created_at"),
                last=Max("created_at"),
                upto=Max("pk"),
                sample=Min("pk"),
                articles=Count("article", distinct=True),
            )
            .order_by("-size", "first")[:GROUPS_SHOWN]
        )
        samples = Comment.objects.in_bulk([group["sample"] for group in groups])
        for group in groups:
            group["text"] = samples[group["sample"]].text
            group["url"] = (
                reverse("admin:comments_comment_changelist")
                + "?"
                + urlencode(
                    {"likeness": group["likeness"], "status__exact": Comment.Status.PENDING}
                )
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Near-identical comments"),
            "groups": groups,
            "rules": PostedRule.choices,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/comment/groups.html", context)

    def _decide_group(self, request):
        decisions = {
            "approve": Comment.Status.APPROVED,
            "reject": Comment.Status.REJECTED,
            "spam": Comment.Status.SPAM,
        }
        status = decisions.get(request.POST.get("decision"))
        likeness = request.POST.get("likeness", "")
        upto = persian.parse_int(request.POST.get("upto", ""))
        rule = request.POST.get("rule") or None
        if status is None or not likeness or upto is None or rule not in (None, *PostedRule):
            self.message_user(request, _("The decision could not be read."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        # The comments the moderator saw: those that came later wait for a look.
        group = Comment.objects.pending().filter(likeness=likeness, pk__lte=upto)
        changed = moderate_comments(
            comments=group, status=status, moderator=request.user, rule=rule
        )
        self.message_user(
            request,
            ngettext(
                "%(count)s comment marked %(status)s.",
                "%(count)s comments marked %(status)s.",
                changed,
            )
            % {"count": persian.to_persian_digits(changed), "status": Comment.Status(status).label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.path)
