from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.articles import (
            renditions,
            signals,  # noqa: F401  (signal receivers)
        )
        from newsroom.articles.models import Article, Photo
        from newsroom.delivery import invalidation  # noqa: F401  (what changes invalidate)
        from newsroom.search import signals as search_signals  # noqa: F401  (after the articles')
        from newsroom.site import auth  # noqa: F401

        renditions.connect(Article, "image", renditions.ARTICLE_SPECS)
        renditions.connect(Photo, "image", renditions.PICTURE_SPECS)
