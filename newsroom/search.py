"""Search over the articles' normalised search document.

Each word of the query, in the matching form, must occur in the document;
the spelling variants that readers type (Arabic letters, ZWNJ, digits,
diacritics) are equal there because both sides are normalised alike.
"""

from django.db.models import Q

from . import persian
from .models import Article

MAX_QUERY_WORDS = 8


def search_articles(query: str):
    words = persian.words(query)[:MAX_QUERY_WORDS]
    if not words:
        return Article.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(search_document__contains=word)
    return Article.objects.published().for_lists().filter(condition)
