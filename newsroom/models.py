"""The app's models, where Django looks for them; each is defined with its part of the site."""

from newsroom.articles.models import Article, DailyViews, Photo, Service, Tag, TaggedArticle
from newsroom.search.models import SearchWord, Synonym

__all__ = [
    "Article",
    "DailyViews",
    "Photo",
    "SearchWord",
    "Service",
    "Synonym",
    "Tag",
    "TaggedArticle",
]
