"""What each change invalidates: the one subscriber to the articles domain's signals.

Pages and their parts are kept under the versions of what they show
(newsroom/delivery/versions.py); a change renews versions, never deletes
anything, so it reaches every worker and app server sharing the cache on
their next request.

- An article published, unpublished, edited, rescheduled or deleted, or a
  service or tag changed: lists, menus, related and next news, and the
  article pages themselves may all show it, so the site's version is
  renewed, and with it the time of the next scheduled publication.
- An article's comments changed (approved, rejected, answered, deleted):
  its page, and the week's rankings that home and every article page show.
  A reader's new comment waits for a moderator and changes nothing.
- A page that says, while it renders, when what it shows ends (comments
  closing by themselves): it is not kept past that moment.
"""

from django.dispatch import receiver

from newsroom.articles.signals import article_changed, article_comments_changed, page_changes_at
from newsroom.delivery import versions
from newsroom.models import Article


@receiver(article_changed, dispatch_uid="newsroom.delivery.article_changed")
def article_changed_renews_the_site(sender, **kwargs):
    versions.renew(versions.SITE)


@receiver(article_comments_changed, dispatch_uid="newsroom.delivery.comments_changed")
def comments_renew_their_article_and_the_rankings(sender, article_ids, **kwargs):
    codes = Article.objects.filter(pk__in=set(article_ids)).values_list("code", flat=True)
    versions.renew(versions.RANKINGS, *(versions.article(code) for code in codes))


@receiver(page_changes_at, dispatch_uid="newsroom.delivery.page_changes_at")
def page_is_kept_until(sender, request, moment, **kwargs):
    page_versions = versions.of_request(request)
    ends = moment.timestamp()
    page_versions.changes_at = min(ends, page_versions.changes_at or ends)
