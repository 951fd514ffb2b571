from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as default_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from newsroom.models import Article
from newsroom.views import render_article

from .forms import CommentForm, new_question, question_text
from .network import client_ip
from .services import CommentRefused, submit_comment

RATE_GROUP = "comments.post"


def _comment_usage(request, *, count):
    return get_usage(
        request,
        group=RATE_GROUP,
        key=lambda _group, req: client_ip(req),
        rate=settings.COMMENT_RATE,
        method=ALL,
        increment=count,
    )


def _rate_limited(request):
    """Whether this address has posted as many comments as the rate allows."""
    usage = _comment_usage(request, count=False)
    return usage is not None and usage["count"] >= usage["limit"]


def _show_again(request, article, form, status=200):
    """The article page with the refused form: the reader's text, the reasons, a new question."""
    form.data = form.renewed()
    return render_article(request, article, {"comment_form": form}, status=status)


@never_cache
def post_comment(request, code):
    article = get_object_or_404(Article.objects.published().select_related("service"), code=code)
    if request.method != "POST":
        form = CommentForm(article=article, initial={"parent": request.GET.get("reply_to")})
        return render(request, "comments/form_page.html", {"article": article, "form": form})

    form = CommentForm(request.POST, article=article)
    if "refresh_question" in request.POST:
        # A new question without losing what was typed, and without JavaScript.
        typed = {key: request.POST.get(key, "") for key in ("name", "email", "text", "parent")}
        return render_article(
            request, article, {"comment_form": CommentForm(article=article, initial=typed)}
        )
    if _rate_limited(request):
        form.add_error(
            None, _("You have sent several comments in a short time; please try again later.")
        )
        return _show_again(request, article, form, status=429)
    if not form.is_valid():
        return _show_again(request, article, form)
    try:
        submit_comment(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            parent_id=form.cleaned_data["parent"],
            ip_address=client_ip(request),
        )
    except CommentRefused as refusal:
        form.add_error(refusal.field, refusal.message)
        return _show_again(request, article, form)
    _comment_usage(request, count=True)
    return redirect(f"{article.get_absolute_url()}?comment=received#comment-form")


@never_cache
@require_GET
def new_arithmetic_question(request):
    """A fresh question for the form, fetched by the page's script without a reload."""
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
    form.add_error(
        None,
        _("The page had been open too long to send safely; your text is kept, please send again."),
    )
    return _show_again(request, article, form, status=403)
