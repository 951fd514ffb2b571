"""The app's models, where Django looks for them; each is defined with its part of the site."""

from newsroom.articles.models import Article, DailyViews, Service, Tag, TaggedArticle

__all__ = ["Article", "DailyViews", "Service", "Tag", "TaggedArticle"]
