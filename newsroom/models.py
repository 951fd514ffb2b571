"""The app's models, where Django looks for them; each is defined with its part of the site."""

from newsroom.articles.models import Article, Service, Tag, TaggedArticle

__all__ = ["Article", "Service", "Tag", "TaggedArticle"]
