"""Readers' comments on the demo articles: published, answered, or awaiting the moderator."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from comments import demo, services
from comments.models import Comment
from newsroom.models import Article

# How long after a demo comment was posted the moderator decided, and the office answered.
DECIDED_AFTER = timedelta(minutes=40)
ANSWERED_AFTER = timedelta(hours=3)


class Command(BaseCommand):
    help = (
        "Post the demo readers' comments through the posting rules, publish and answer "
        "some as the demo moderator, and leave the rest in the moderation queue. Run "
        "after load_demo. An article that already has comments, or whose comments are "
        "closed, is left as it is."
    )

    def handle(self, *args, **options):
        moderator = get_user_model().objects.filter(username="moderator").first()
        if moderator is None:
            raise CommandError("The demo moderator does not exist: run load_demo first.")
        posted = pending = answered = 0
        left = []
        for code, entries in demo.COMMENTS.items():
            article = Article.objects.published().filter(code=code).first()
            if article is None or article.comments.exists():
                left.append(str(code))
                continue
            if not services.comments_are_open(article):
                # A demo database loaded long ago: its articles are past commenting.
                left.append(f"{code} (comments closed)")
                continue
            with transaction.atomic():
                for entry, comment in self._post(article, entries, moderator):
                    posted += 1
                    pending += comment.status == Comment.Status.PENDING
                    answered += "answer" in entry
        self.stdout.write(
            f"Comments: {posted} posted, {pending} of them awaiting the moderator; "
            f"{answered} answered by the office"
            + (f"; articles left as they were: {', '.join(left)}." if left else ".")
        )

    def _post(self, article, entries, moderator):
        """Post the entries in order, yielding each with its comment.

        One the rules refuse is left out, with the replies to it.
        """
        now = timezone.now()
        posted = {}
        for index, entry in enumerate(entries):
            parent = posted.get(entry["reply_to"]) if "reply_to" in entry else None
            if "reply_to" in entry and parent is None:
                continue  # what it answers was left out
            try:
                comment = services.submit_comment(
                    article=article,
                    name=entry["name"],
                    email="",
                    text=entry["text"],
                    parent_id=parent.pk if parent else None,
                )
            except services.CommentRefused as refusal:
                # The demo goes on without it; the rules' message says why.
                self.stderr.write(f"Left out a demo comment on {article.code}: {refusal.message}")
                continue
            posted_at = now - timedelta(hours=entry["hours"])
            Comment.objects.filter(pk=comment.pk).update(created_at=posted_at)
            if entry["state"] == demo.PUBLISHED:
                services.moderate_comments(
                    comments=Comment.objects.filter(pk=comment.pk),
                    status=Comment.Status.APPROVED,
                    moderator=moderator,
                    notify_readers=False,
                )
                # Decided within the hour, as the accountability page will show.
                decided_at = min(now, posted_at + DECIDED_AFTER)
                Comment.objects.filter(pk=comment.pk).update(moderated_at=decided_at)
            if "answer" in entry:
                answer = services.answer_officially(
                    comment=comment, text=entry["answer"], staff=moderator
                )
                answered_at = min(now, posted_at + ANSWERED_AFTER)
                Comment.objects.filter(pk=answer.pk).update(
                    created_at=answered_at, moderated_at=answered_at
                )
            comment.refresh_from_db()
            posted[index] = comment
            yield entry, comment
