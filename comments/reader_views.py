"""What readers do after posting: keep the tracking code, follow the comment, vote, read answers.

Pages here that are the reader's own (the code just given, a lookup, a
vote's confirmation) are never cached. The answered questions and a
thread's replies are the same for every reader, like the article page.
"""

import time

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.articles.views import page_number
from newsroom.models import Article
from newsroom.site.counters import Limit, address_key
from newsroom.site.network import client_ip

from . import threads, tracking, votes
from .models import Comment, PostedRule
from .services import comments_are_open

# ---------------------------------------------------------------------------
# The tracking code, given once after posting

SENT_COOKIE = "comment_sent"
_SENT_SALT = "comments.sent"
SENT_SECONDS = 24 * 3600


def remember_sent(response, comment):
    """Keep the new comment's code for its reader's confirmation page, and for nobody else's.

    A signed cookie sent only to the comments' own addresses: the article
    page, shared by every reader, never sees it.
    """
    response.set_signed_cookie(
        SENT_COOKIE,
        f"{comment.pk}.{comment.tracking_code}",
        salt=_SENT_SALT,
        max_age=SENT_SECONDS,
        path="/comments/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _sent_comment(request, article):
    value = request.get_signed_cookie(
        SENT_COOKIE, default="", salt=_SENT_SALT, max_age=SENT_SECONDS
    )
    pk, _dot, code = value.partition(".")
    if not (pk.isdigit() and tracking.typed_code(code) == code):
        return None, ""
    comment = Comment.objects.filter(
        pk=pk, article=article, tracking_digest=tracking.digest(code)
    ).first()
    return comment, code if comment else ""


@never_cache
@require_GET
def comment_sent(request, code):
    """The reader's own page after posting: received, and the code to follow it by."""
    article = get_object_or_404(Article.objects.published(), code=code)
    comment, tracking_code = _sent_comment(request, article)
    context = {
        "article": article,
        "comment": comment,
        "tracking_code": tracking.shown(tracking_code) if comment else "",
        "tracking_digits": tracking_code,
    }
    response = render(request, "comments/sent.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# ---------------------------------------------------------------------------
# Following a comment by its code


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=60,
        help_text=_("The twelve digits you were given when you sent the comment."),
        error_messages={"required": _("Please write your tracking code.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "dir": "ltr",
                "aria-describedby": "code-help",
            }
        ),
    )

    def clean_code(self):
        code = tracking.typed_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A tracking code has twelve digits; please check what you typed."),
                code="malformed",
            )
        return code

    def full_clean(self):
        super().full_clean()
        if "code" in self.errors:
            attrs = self.fields["code"].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = "code-help code-error"


UNKNOWN_CODE = _("No comment has this tracking code; please check the digits.")
TOO_MANY_LOOKUPS = _(
    "Several codes from your connection found nothing in a short time; please try again in an hour."
)


def _lookup_misses():
    return Limit("comments.track-misses", settings.COMMENT_TRACK_RATE)


@never_cache
@require_http_methods(["GET", "POST"])
def track_comment(request):
    """Where a reader types a tracking code and sees the comment's state.

    The code is sent in a POST, so that it stays out of addresses, logs and
    browsing history. Only codes that find nothing count against the limit.
    """
    found = None
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        reader = address_key(client_ip(request))
        misses = _lookup_misses()
        if misses.reached(reader):
            form.is_valid()
            form.add_error("code", TOO_MANY_LOOKUPS)
            status = 429
        elif form.is_valid():
            found = tracking.find_comment(form.cleaned_data["code"])
            if found is None:
                misses.hit(reader)
                form.add_error("code", UNKNOWN_CODE)
    else:
        form = TrackForm()
    context = {"form": form, "found": found, "rules": PostedRule}
    response = render(request, "comments/track.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


# ---------------------------------------------------------------------------
# Votes

TOO_MANY_VOTES = _("You have voted many times in a short time; please try again later.")


def _vote_limits(comment):
    return (
        Limit("comments.votes", settings.COMMENT_VOTE_RATE),
        Limit(f"comments.votes.{comment.pk}", settings.COMMENT_VOTES_PER_COMMENT_RATE),
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request, comment_id):
    """A like or a dislike (POST); without the page's script, a page that asks first (GET)."""
    comment = votes.votable(comment_id)
    if comment is None:
        raise Http404("no such comment to vote on")
    mine = votes.read_cookie(request)
    previous = mine.get(comment.pk)
    value = request.POST.get("value") if request.method == "POST" else request.GET.get("value")
    if request.method != "POST" or value not in votes.VALUES:
        return _vote_page(request, comment, value, previous, status=200 if value else 400)
    reader = address_key(client_ip(request))
    overall, this_comment = _vote_limits(comment)
    refused = overall.exceeded_by_hit(reader) or (
        previous is None and this_comment.exceeded_by_hit(reader)
    )
    if refused:
        if _wants_json(request):
            return JsonResponse({"error": str(TOO_MANY_VOTES)}, status=429)
        return _vote_page(request, comment, value, previous, status=429, error=TOO_MANY_VOTES)
    now, counts = votes.cast_vote(comment=comment, value=value, previous=previous)
    mine.pop(comment.pk, None)
    if now:
        mine[comment.pk] = now
    if _wants_json(request):
        response = JsonResponse(
            {"vote": now, "likes": counts.likes, "dislikes": counts.dislikes, "at": time.time()}
        )
    else:
        response = redirect(tracking.comment_link(comment))
    votes.write_cookie(response, mine, secure=settings.SESSION_COOKIE_SECURE)
    return response


def _vote_page(request, comment, value, previous, *, status=200, error=""):
    shown = (
        Comment.objects.filter(pk=comment.pk)
        .select_related("article", "votes")
        .only(
            "id",
            "name",
            "text",
            "created_at",
            "is_official",
            "thread_id",
            "article__code",
            "article__title",
            "votes__likes",
            "votes__dislikes",
        )
        .first()
    )
    context = {
        "comment": shown,
        "article": shown.article,
        "value": value if value in votes.VALUES else "",
        "previous": previous,
        "error": error,
        "back": tracking.comment_link(comment),
    }
    response = render(request, "comments/vote.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def vote_token(request):
    """A security token for the page's script to vote with, and the cookie it goes with."""
    return JsonResponse({"token": get_token(request)})


@require_GET
def vote_counts(request, code):
    """Likes and dislikes of an article's comments, for the page's script; the same for all."""
    article = get_object_or_404(Article.objects.published().only("id", "code"), code=code)
    response = JsonResponse(votes.counts_of(article))
    # Shared caches (nginx, a CDN) may keep it as long as we do; browsers ask each time.
    response["Cache-Control"] = f"public, max-age=0, s-maxage={votes.COUNTS_SECONDS}"
    return response


# ---------------------------------------------------------------------------
# Pages of comments the same for every reader


def _page_number(request):
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("not a page number")
    return number


def _page_of(queryset, number, per_page):
    """A page of a queryset and its rows, counted by a window column of the rows themselves."""
    rows = list(queryset.annotate(listed=Window(Count("pk")))[(number - 1) * per_page :][:per_page])
    if not rows and number > 1:
        raise Http404("past the last page")
    paginator = Paginator(queryset, per_page)
    paginator.count = rows[0].listed if rows else 0
    return paginator.page(number), rows


def _commented_article(code):
    return get_object_or_404(Article.objects.published().select_related("service"), code=code)


@require_GET
def answered_questions(request, code):
    """An article's comments the office answered, each with its answers."""
    article = _commented_article(code)
    page, comments = _page_of(
        threads.answered_comments(article), _page_number(request), settings.COMMENTS_PER_PAGE
    )
    answers = threads.answers_to(comments)
    context = {
        "article": article,
        "page": page,
        "answered": [(comment, answers[comment.pk]) for comment in comments],
        "is_open": comments_are_open(article),
    }
    return render(request, "comments/answered.html", context)


@require_GET
def comment_thread(request, code, comment_id):
    """A top-level comment with all its replies, a page at a time."""
    article = _commented_article(code)
    comment = get_object_or_404(threads.top_level(article), pk=comment_id)
    number = _page_number(request)
    replies = (
        Comment.objects.approved()
        .filter(thread=comment, is_official=False)
        .select_related("parent", "votes")
        .order_by("created_at", "pk")
    )
    page, shown = _page_of(replies, number, settings.COMMENTS_PER_PAGE)
    answers = threads.answers_to([comment, *shown])
    context = {
        "article": article,
        "comment": comment,
        "page": page,
        "answers": answers[comment.pk] if number == 1 else [],
        "replies": [(reply, answers[reply.pk]) for reply in shown],
        "is_open": comments_are_open(article),
    }
    return render(request, "comments/thread.html", context)
