"""Comments posted before likeness and questions were read from the text get them now."""

from django.db import migrations


def fill(apps, schema_editor):
    from comments.questions import is_question
    from comments.grouping import likeness

    Comment = apps.get_model("comments", "Comment")
    batch = []
    for comment in Comment.objects.filter(is_official=False, likeness="").only("pk", "text").iterator(
        chunk_size=1000
    ):
        comment.likeness = likeness(comment.text)
        comment.is_question = is_question(comment.text)
        batch.append(comment)
        if len(batch) == 1000:
            Comment.objects.bulk_update(batch, ["likeness", "is_question"])
            batch = []
    Comment.objects.bulk_update(batch, ["likeness", "is_question"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0010_tracking_codes_votes_and_mail_outbox")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
