from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Readers' comments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.delivery import pages, versions

        from . import rules, signals  # noqa: F401  (signal receivers)

        # A release's data migration may add blocked terms without saving them
        # one by one (no signal): after `migrate`, every worker reads them again.
        post_migrate.connect(
            _rules_may_have_changed, sender=self, dispatch_uid="comments.rules.migrated"
        )

        # An article's answered questions and a comment's replies are the same
        # for every reader, like the article page, and change with its comments.
        def topics(kwargs):
            return [versions.SITE, versions.article(kwargs["code"])]

        for view_name in ("comments:answered", "comments:thread"):
            pages.keep(view_name, pages.KeptPage(topics, {"page": pages.number}))


def _rules_may_have_changed(**kwargs):
    from . import rules

    rules.invalidate_blocked_terms()
