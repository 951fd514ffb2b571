"""The app's models, where Django looks for them; each is defined with its part of the site."""

from newsroom.articles.models import Article, Service, Tag, TaggedArticle
from newsroom.search.models import SearchWord, Synonym

__all__ = ["Article", "SearchWord", "Service", "Synonym", "Tag", "TaggedArticle"]
