"""The reader's search page and the archive by Jalali month."""

from django.http import Http404
from django.shortcuts import redirect, render

from . import persian
from .models import Article
from .search import search_articles
from .views import paginate


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    code = persian.parse_int(query)
    if code is not None:
        article = Article.objects.published().filter(code=code).first()
        if article:
            return redirect(article.get_absolute_url())
    results = search_articles(query) if query else Article.objects.none()
    return render(
        request,
        "newsroom/search.html",
        {"query": query, "page": paginate(request, results) if query else None},
    )


def archive(request, year, month):
    raise Http404("the archive is not there yet")
