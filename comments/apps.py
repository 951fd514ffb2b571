from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Readers' comments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules, signals  # noqa: F401  (signal receivers)
