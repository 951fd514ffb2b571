from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.csrf import csrf_failure as default_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from newsroom.models import Article
from newsroom.site.counters import Limit, address_key
from newsroom.site.network import client_ip

from .forms import TOO_MANY_QUESTIONS, CommentForm, new_question, question_text
from .reader_views import remember_sent
from .services import (
    CommentRefused,
    comments_are_open,
    record_form_refusal,
    replyable_comment,
    submit_comment,
)


# Three limits for each reader's address (an IPv6 reader's /64): comments
# accepted, posts refused (a wrong answer, a rule), and questions asked
# (each is a row in the database). The rates are read at each request, so
# that tests and operators may change them.
def _comments_limit():
    return Limit("comments.accepted", settings.COMMENT_RATE)


def _refusals_limit():
    return Limit("comments.refused", settings.COMMENT_REFUSED_RATE)


def _questions_limit():
    return Limit("comments.questions", settings.COMMENT_QUESTION_RATE)


def _reader(request):
    return address_key(client_ip(request))


def _question_available(request):
    """Count one more question for this reader; whether it may have it."""
    return not _questions_limit().exceeded_by_hit(_reader(request))


TOO_MANY_COMMENTS = gettext_lazy(
    "You have sent several comments in a short time; please try again later."
)
TOO_MANY_REFUSALS = gettext_lazy(
    "Several of your comments could not be accepted in a short time; "
    "please wait a few minutes and send this one again."
)


def _form_context(article, form, *, fragment=False):
    parent_id = form["parent"].value()
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        parent_id = None
    return {
        "article": article,
        "form": form,
        "is_open": comments_are_open(article),
        "reply_to": replyable_comment(article=article, comment_id=parent_id),
    }


def _form_page(request, article, form, status=200):
    """The comment form on a page of its own: where a refused comment is shown again."""
    if not form.fields["captcha"].widget.question_available:
        status = 429  # the form says why it has no question
    return render(request, "comments/form_page.html", _form_context(article, form), status=status)


def _show_again(request, article, form, status=200):
    """The refused form again: the reader's text kept, the reasons beside it, a new question."""
    form.data = form.renewed()
    form.fields["captcha"].widget.question_available = _question_available(request)
    return _form_page(request, article, form, status=status)


def _commentable_article(code):
    return get_object_or_404(Article.objects.published().select_related("service"), code=code)


@never_cache
def post_comment(request, code):
    """The comment form's own page (GET), and where the form is sent (POST)."""
    article = _commentable_article(code)
    if request.method != "POST":
        form = CommentForm(
            article=article,
            initial={"parent": request.GET.get("reply_to")},
            question_available=_question_available(request),
        )
        return _form_page(request, article, form)

    form = CommentForm(request.POST, article=article)
    reader = _reader(request)
    if "refresh_question" in request.POST:
        # A new question without losing what was typed, and without JavaScript.
        typed = {key: request.POST.get(key, "") for key in ("name", "email", "text", "parent")}
        fresh = CommentForm(
            article=article, initial=typed, question_available=_question_available(request)
        )
        return _form_page(request, article, fresh)
    if not comments_are_open(article):
        form.add_error(None, _("Comments on this article are closed."))
        return _show_again(request, article, form)
    refusals, comments = _refusals_limit(), _comments_limit()
    if refusals.reached(reader):
        form.add_error(None, TOO_MANY_REFUSALS)
        return _show_again(request, article, form, status=429)
    if comments.reached(reader):
        form.add_error(None, TOO_MANY_COMMENTS)
        return _show_again(request, article, form, status=429)
    if not form.is_valid():
        refusals.hit(reader)
        record_form_refusal(form=form, article=article, ip_address=client_ip(request))
        return _show_again(request, article, form)
    # The place is taken before the comment is stored: of posts sent at
    # once, only those whose count is within the limit go on.
    if comments.exceeded_by_hit(reader):
        comments.undo(reader)
        form.add_error(None, TOO_MANY_COMMENTS)
        return _show_again(request, article, form, status=429)
    try:
        comment = submit_comment(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            parent_id=form.cleaned_data["parent"],
            ip_address=client_ip(request),
            notify=form.cleaned_data["notify"],
        )
    except CommentRefused as refusal:
        comments.undo(reader)
        refusals.hit(reader)
        form.add_error(refusal.field, refusal.message)
        return _show_again(request, article, form)
    # The code is the reader's alone: it goes to a page of theirs, never the shared article page.
    return remember_sent(redirect("comments:sent", code=article.code), comment)


@never_cache
@require_GET
def comment_form(request, code):
    """The form alone, for the article page's script to put in place.

    The article page is the same for every reader and may be cached; this
    is what is each reader's own: a security token and an arithmetic question.
    """
    article = _commentable_article(code)
    if not comments_are_open(article):
        raise Http404("comments are closed")
    form = CommentForm(
        article=article,
        initial={"parent": request.GET.get("reply_to")},
        question_available=_question_available(request),
    )
    status = 200 if form.fields["captcha"].widget.question_available else 429
    response = render(request, "comments/form.html", _form_context(article, form), status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def new_arithmetic_question(request):
    """A fresh question for the form, fetched by the page's script without a reload."""
    if not _question_available(request):
        return JsonResponse({"error": str(TOO_MANY_QUESTIONS)}, status=429)
    store = new_question()
    return JsonResponse({"key": store.hashkey, "question": question_text(store.challenge)})


def csrf_failure(request, reason=""):
    """A stale security token on the comment form shows the form again, never a bare 403."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method != "POST" or match is None or match.view_name != "comments:post":
        return default_csrf_failure(request, reason)
    article = Article.objects.published().filter(code=match.kwargs["code"]).first()
    if article is None:
        return default_csrf_failure(request, reason)
    form = CommentForm(request.POST, article=article)
    form.is_valid()
    _refusals_limit().hit(_reader(request))
    form.add_error(
        None,
        _("The page had been open too long to send safely; your text is kept, please send again."),
    )
    return _show_again(request, article, form, status=403)
