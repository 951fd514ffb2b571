"""The app's admin, where Django's autodiscovery looks for it."""

from newsroom.articles import admin  # noqa: F401  (registers the articles' admin)
from newsroom.search import admin as search_admin  # noqa: F401  (registers the synonyms' admin)
