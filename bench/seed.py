"""The archive the page benchmark reads: articles, tags, comments, and one busy article.

Articles are written by bench/search.py's `Writer`, from the vocabulary of
the demo content. Tags come from a pool whose use falls off as in a real
archive (the organisation's own name on a quarter of the articles, most tags
on a handful), except one, `MEASURED_TAG`, which is on a fixed share of the
articles whatever their number, so that its page can be compared fairly at
1,000 and at 100,000 articles. For the same reason articles appear at a
steady rate, `ARTICLES_PER_DAY`: a larger archive reaches further into the
past, and the last week, which the rankings count, holds as many articles
at any size. The news code `TARGET_CODE` is the article everyone reads:
ten tags, two hundred approved comments with replies, and a few pending and
rejected ones that readers must not see.

Everything is written with `bulk_create` in batches, so no model's `save()`
or signal runs: the values those would compute (slugs, matching forms, the
search document, threads) are filled in here.
"""

import time
from contextlib import contextmanager
from datetime import timedelta

BATCH = 2000
SERVICES = ["اخبار", "اطلاعیه‌ها", "استان‌ها", "بیمه‌شدگان", "بازنشستگان"]

TAG_POOL = 400
# How many tags an article has, and how often.
TAG_COUNTS = [0, 1, 2, 3, 4]
TAG_COUNT_WEIGHTS = [15, 30, 30, 15, 10]
MEASURED_TAG = "مستمری"
MEASURED_TAG_SHARE = 0.05

# The office publishes about this many articles a day.
ARTICLES_PER_DAY = 20

# One article in fifty is also left as a draft and one in a hundred is
# scheduled: lists must skip them, which is part of what they cost.
DRAFT_EVERY = 50
SCHEDULED_EVERY = 100
PUBLISHED_CODES = 100_000
DRAFT_CODES = 600_000
SCHEDULED_CODES = 700_000

# Readers comment on one article in seven, up to a few dozen times.
COMMENTED_SHARE = 0.15
MAX_COMMENTS = 25

TARGET_CODE = 77759
TARGET_TAGS = 10
TARGET_TOP_LEVEL = 150
TARGET_REPLIES = 50
TARGET_HIDDEN = 30  # pending and rejected: never on the page

READER_NAMES = [
    "مریم",
    "علی رضایی",
    "زهرا",
    "محمد",
    "فاطمه احمدی",
    "حسین",
    "یک بازنشسته",
    "کارگر ساختمانی",
    "سارا",
    "رضا کریمی",
    "نرگس",
    "مهدی",
    "بیمه‌شده",
    "امیر",
    "لیلا موسوی",
]


@contextmanager
def explicit_creation_times(*models):
    """Let `bulk_create` keep the creation times given, instead of stamping them all "now".

    A comment's age matters to the pages (the week's most commented), and
    an archive whose every comment was written this second would be unlike
    any real one.
    """
    fields = [model._meta.get_field("created_at") for model in models]
    try:
        for field in fields:
            field.auto_now_add = False
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def tag_pool(writer, size=TAG_POOL):
    """Tag names, most used first: the demo content's tags, then topical words."""
    from newsroom.models import Tag
    from newsroom.text import persian

    names, keys, slugs = [], set(), set()

    def offer(name):
        name = persian.fold(name).strip()
        key, slug = Tag.key_for(name), persian.slugify(name)
        if name and slug and key not in keys and slug not in slugs:
            names.append(name)
            keys.add(key)
            slugs.add(slug)

    for name in writer.tags:
        offer(name)
    # Each topic's own words, its most frequent first, taken in turn.
    topical = [
        [word for word in words if len(word) >= 5 and word not in writer.common[0]]
        for words, _cumulative in writer.topics
    ]
    rank = 0
    while len(names) < size and any(rank < len(words) for words in topical):
        for words in topical:
            if rank < len(words) and len(names) < size:
                offer(words[rank])
        rank += 1
    return names


def create_services_and_tags(writer):
    from newsroom.models import Service, Tag
    from newsroom.text import persian

    Service.objects.bulk_create(
        Service(name=name, slug=persian.slugify(name), position=position)
        for position, name in enumerate(SERVICES, start=1)
    )
    names = tag_pool(writer)
    if MEASURED_TAG not in names:
        names.append(MEASURED_TAG)
    Tag.objects.bulk_create(
        Tag(name=name, slug=persian.slugify(name), key=Tag.key_for(name)) for name in names
    )


class Seeder:
    """Writes the archive, and grows it when asked for more articles."""

    def __init__(self, writer, rng):
        from django.utils import timezone

        from newsroom.models import Service, Tag

        self.writer = writer
        self.rng = rng
        self.now = timezone.now()
        if not Tag.objects.exists():
            create_services_and_tags(writer)
        self.services = list(Service.objects.order_by("position"))
        tags = {tag.name: tag for tag in Tag.objects.all()}
        self.measured_tag = tags[MEASURED_TAG]
        self.pool = [tags[name] for name in tag_pool(writer) if name != MEASURED_TAG]
        # Zipf's law: the tag of rank r is used in proportion to 1/r.
        total, self.cumulative = 0.0, []
        for rank in range(1, len(self.pool) + 1):
            total += 1 / rank
            self.cumulative.append(total)
        self.published = 0
        self.target_article = None

    def _tags_for_article(self):
        rng = self.rng
        count = rng.choices(TAG_COUNTS, TAG_COUNT_WEIGHTS)[0]
        chosen = set()
        while len(chosen) < count:
            chosen.add(rng.choices(range(len(self.pool)), cum_weights=self.cumulative)[0])
        tags = [self.pool[index] for index in sorted(chosen)]
        if rng.random() < MEASURED_TAG_SHARE:
            tags.append(self.measured_tag)
        return tags

    def _article(self, code, status, published_at, text, tags, **extra):
        from newsroom.models import Article
        from newsroom.text import persian

        return Article(
            code=code,
            surtitle=text["surtitle"],
            title=text["title"],
            lead=text["lead"],
            body="".join(f"<p>{p}</p>" for p in text["paragraphs"]),
            service=self.services[code % len(self.services)],
            status=status,
            published_at=published_at,
            # What Article.build_search_document makes, normalised once here.
            search_document=persian.normalize(
                " ".join(
                    [
                        text["surtitle"],
                        text["title"],
                        text["lead"],
                        " ".join(text["paragraphs"]),
                        *(tag.name for tag in tags),
                    ]
                )
            ),
            **extra,
        )

    def grow(self, count, deadline=None):
        """Published articles up to `count` in all; returns how many there are when it stops.

        Stops early, between batches, once `deadline` (a `time.monotonic()`
        value) has passed.
        """
        from django.db import transaction

        from newsroom.models import Article

        rng = self.rng
        while self.published < count:
            if deadline is not None and time.monotonic() > deadline:
                break
            batch, batch_tags = [], []
            for number in range(self.published, min(self.published + BATCH, count)):
                # Article n appears about n / ARTICLES_PER_DAY days ago: a
                # larger archive reaches further back, as years of work do,
                # and the last week holds as many articles at any size.
                minutes_ago = 10 + (number + rng.random()) * 24 * 60 / ARTICLES_PER_DAY
                text = self.writer.article()
                tags = self._tags_for_article()
                batch.append(
                    self._article(
                        PUBLISHED_CODES + number,
                        Article.Status.PUBLISHED,
                        self.now - timedelta(minutes=minutes_ago),
                        text,
                        tags,
                        view_count=min(int(rng.paretovariate(1.2) * 20), 500_000),
                    )
                )
                batch_tags.append(tags)
                if number % DRAFT_EVERY == 0:
                    batch.append(
                        self._article(
                            DRAFT_CODES + number,
                            Article.Status.DRAFT,
                            self.now - timedelta(minutes=rng.randint(1, 60 * 24 * 30)),
                            self.writer.article(),
                            [],
                        )
                    )
                    batch_tags.append([])
                if number % SCHEDULED_EVERY == 0:
                    batch.append(
                        self._article(
                            SCHEDULED_CODES + number,
                            Article.Status.PUBLISHED,
                            self.now + timedelta(hours=rng.randint(2, 24 * 20)),
                            self.writer.article(),
                            [],
                        )
                    )
                    batch_tags.append([])
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                self._tag(created, batch_tags)
                self._comment([a for a in created if a.status == Article.Status.PUBLISHED])
            self.published = min(self.published + BATCH, count)
        return self.published

    def _tag(self, articles, tags_of_each):
        from newsroom.models import TaggedArticle

        TaggedArticle.objects.bulk_create(
            TaggedArticle(
                content_object=article,
                tag=tag,
                published_at=TaggedArticle.publication_of(article),
            )
            for article, tags in zip(articles, tags_of_each, strict=True)
            for tag in tags
        )

    def _comment(self, articles):
        from comments.models import Comment

        rng = self.rng
        comments = []
        for article in articles:
            if article.published_at > self.now or rng.random() >= COMMENTED_SHARE:
                continue
            for _ in range(rng.randint(1, MAX_COMMENTS)):
                roll = rng.random()
                status = (
                    Comment.Status.APPROVED
                    if roll < 0.8
                    else Comment.Status.PENDING
                    if roll < 0.9
                    else Comment.Status.REJECTED
                )
                written = article.published_at + timedelta(minutes=rng.randint(1, 3 * 24 * 60))
                comments.append(
                    Comment(
                        article=article,
                        name=rng.choice(READER_NAMES),
                        text=self.writer.sentence(rng.sample(self.writer.topics, 2)),
                        status=status,
                        created_at=min(written, self.now),
                    )
                )
        with explicit_creation_times(Comment):
            Comment.objects.bulk_create(comments, batch_size=BATCH)

    def target(self):
        """The article everyone reads: published an hour ago, ten tags, two hundred comments."""
        from django.db import transaction

        from newsroom.models import Article

        # Its tags run from the most used (the organisation's name, on a
        # quarter of the archive) to rare ones: related news must look
        # through all of them.
        ranks = [0, 1, 2, 4, 7, 12, 20, 33, 54]
        tags = [self.pool[rank] for rank in ranks[: TARGET_TAGS - 1]] + [self.measured_tag]
        with transaction.atomic():
            (article,) = Article.objects.bulk_create(
                [
                    self._article(
                        TARGET_CODE,
                        Article.Status.PUBLISHED,
                        self.now - timedelta(hours=1),
                        self.writer.article(),
                        tags,
                        view_count=250_000,
                    )
                ]
            )
            self._tag([article], [tags])
            self._target_comments(article)
        return article

    def _target_comments(self, article):
        """Two hundred approved comments in the article's first hour, and some hidden ones.

        Replies go under the first comments, which are on the first page;
        one in five answers another reply, and a few are the organisation's
        official answers.
        """
        from comments.models import Comment

        rng = self.rng
        total = TARGET_TOP_LEVEL + TARGET_REPLIES + TARGET_HIDDEN
        moments = iter(
            article.published_at + timedelta(seconds=60 + number * 50 * 60 / total)
            for number in range(total)
        )

        def comment(status=Comment.Status.APPROVED, parent=None, official=False):
            return Comment(
                article=article,
                parent=parent,
                thread_id=(parent.thread_id or parent.pk) if parent else None,
                name="روابط عمومی" if official else rng.choice(READER_NAMES),
                text=self.writer.sentence(rng.sample(self.writer.topics, 2)),
                status=status,
                is_official=official,
                created_at=next(moments),
            )

        second_level = TARGET_REPLIES // 5
        with explicit_creation_times(Comment):
            top_level = Comment.objects.bulk_create(comment() for _ in range(TARGET_TOP_LEVEL))
            replies = Comment.objects.bulk_create(
                comment(parent=rng.choice(top_level[:20]), official=number % 10 == 0)
                for number in range(TARGET_REPLIES - second_level)
            )
            Comment.objects.bulk_create(
                comment(parent=rng.choice(replies)) for _ in range(second_level)
            )
            Comment.objects.bulk_create(
                comment(Comment.Status.PENDING if number % 2 else Comment.Status.REJECTED)
                for number in range(TARGET_HIDDEN)
            )


def seed_views(rng, now):
    """A week of views for the week's most read: each recent article's per-day counts."""
    from django.utils import timezone

    from newsroom.models import Article, DailyViews

    today = timezone.localdate(now)
    recent = Article.objects.filter(published_at__gte=now - timedelta(days=7)).values_list(
        "pk", "code", "published_at"
    )
    rows = []
    for pk, code, published_at in recent:
        for days_ago in range(7):
            day = today - timedelta(days=days_ago)
            if day >= timezone.localdate(published_at):
                count = 20_000 if code == TARGET_CODE else rng.randint(0, 3000)
                rows.append(DailyViews(article_id=pk, day=day, count=count))
    DailyViews.objects.bulk_create(rows, batch_size=BATCH)


def seed(writer, rng, count, deadline=None):
    """A new archive of `count` published articles (fewer by `deadline`) and the target."""
    seeder = Seeder(writer, rng)
    # The target first: archives of any size seeded alike have the same one.
    seeder.target_article = seeder.target()
    seeder.grow(count, deadline)
    seed_views(rng, seeder.now)
    return seeder
