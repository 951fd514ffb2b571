"""The app's models, where Django looks for them; each is defined with its part of the site."""

from newsroom.articles.front_page import BreakingNews, OfficePage
from newsroom.articles.models import Article, DailyViews, Photo, Service, Tag, TaggedArticle
from newsroom.search.models import SearchWord, Synonym

__all__ = [
    "BreakingNews",
    "Article",
    "DailyViews",
    "OfficePage",
    "Photo",
    "SearchWord",
    "Service",
    "Synonym",
    "Tag",
    "TaggedArticle",
]
