import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from newsroom.demo import articles as demo
from newsroom.models import Article, Service, Tag
from newsroom.text import persian, zwnj

pytestmark = pytest.mark.django_db

SAMPLE_TITLE = "ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی"
PER_PAGE = 12


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The command hashes two passwords on every first run; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_passwords(output):
    return dict(re.findall(r"^\s*(editor|moderator) / (\S+)\s*$", output, re.MULTILINE))


def sample_paragraphs():
    text = demo.SAMPLE_FILE.read_text(encoding="utf-8")
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def counts():
    return (
        Article.objects.count(),
        Service.objects.count(),
        Tag.objects.count(),
        get_user_model().objects.count(),
    )


def test_sample_file_is_the_article_text_without_the_page_around_it():
    text = demo.SAMPLE_FILE.read_text(encoding="utf-8")
    paragraphs = sample_paragraphs()

    assert paragraphs[0] == "ضرورت بازتعریف فعالیتها و نحوه مواجهه با افکار عمومی"
    assert paragraphs[-1].startswith("در ادامه این جلسه")
    assert "کد خبر" not in text
    assert "نظر شما" not in text


def test_sample_article_has_its_title_lead_source_and_service():
    load_demo()

    article = Article.objects.get(code=77759)
    assert article.title == SAMPLE_TITLE
    assert article.lead == zwnj.apply(sample_paragraphs()[1])
    assert article.lead.startswith("سرپرست اداره‌کل روابط عمومی سازمان تأمین اجتماعی گفت")
    assert article.source == "روابط عمومی سازمان تأمین اجتماعی"
    assert article.service.name == "اخبار"


def test_sample_article_body_holds_the_later_paragraphs_each_in_a_paragraph():
    load_demo()

    body = Article.objects.get(code=77759).body
    later = sample_paragraphs()[2:]
    assert len(later) == 10
    for paragraph in later:
        assert f"<p>{zwnj.apply(paragraph)}</p>" in body
    assert zwnj.apply(sample_paragraphs()[1]) not in body
    assert body.count("<p>") == len(later)


def test_sample_article_is_published_among_the_latest_with_its_tags():
    load_demo()

    article = Article.objects.published().get(code=77759)
    assert timezone.now() - timedelta(days=1) < article.published_at <= timezone.now()
    assert {tag.name for tag in article.tags.all()} >= {"روابط عمومی", "تأمین اجتماعی"}


def test_thirty_more_articles_are_loaded_with_their_own_codes():
    load_demo()

    others = Article.objects.exclude(code=77759)
    assert others.count() >= 30
    codes = sorted(others.values_list("code", flat=True))
    assert codes == list(range(77760, 77760 + len(codes)))


def test_published_articles_have_a_lead_and_paragraphs_in_the_body():
    load_demo()

    for article in Article.objects.published():
        assert article.title and article.lead
        assert article.body.count("<p>") >= 2, article.code


def test_services_are_created_in_menu_order():
    load_demo()

    services = list(Service.objects.values_list("name", "position"))
    assert services[:5] == [
        ("اخبار", 1),
        ("اطلاعیه‌ها", 2),
        ("استان‌ها", 3),
        ("بیمه‌شدگان", 4),
        ("بازنشستگان", 5),
    ]
    assert Service.objects.get(name="اطلاعیه‌ها").slug == "اطلاعیه-ها"


def test_every_service_has_six_published_articles():
    load_demo()

    for service in Service.objects.all():
        assert Article.objects.published().filter(service=service).count() >= 6, service.name


def test_every_tag_is_used_by_two_published_articles():
    load_demo()

    assert Tag.objects.count() >= 12
    published = Article.objects.published()
    for tag in Tag.objects.all():
        assert published.filter(tags=tag).count() >= 2, tag.name


def test_home_a_tag_and_the_news_service_have_a_second_page():
    load_demo()

    published = Article.objects.published()
    assert published.count() > PER_PAGE
    assert published.filter(tags__name="تأمین اجتماعی").count() > PER_PAGE
    assert published.filter(service__name="اخبار").count() > PER_PAGE


def test_the_last_two_days_have_news():
    load_demo()

    recent = Article.objects.published().filter(
        published_at__gte=timezone.now() - timedelta(days=2)
    )
    assert recent.count() >= 3


def test_scheduled_articles_are_not_published_yet():
    load_demo()
    now = timezone.now()

    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    assert scheduled.count() >= 3
    for article in scheduled:
        assert timedelta(days=1) <= article.published_at - now <= timedelta(days=10)
        assert article.tags.exists()
    assert not Article.objects.published().filter(pk__in=scheduled).exists()


def test_drafts_are_not_published():
    load_demo()

    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert drafts.count() >= 3
    assert all(draft.tags.exists() for draft in drafts)
    assert not Article.objects.published().filter(pk__in=drafts).exists()


def test_first_run_prints_what_it_created():
    output = load_demo()

    total = len(demo.all_articles())
    assert f"Articles: {total} created, 0 already present" in output
    assert "services: 5 created, 0 already present" in output
    assert f"tags: {len(demo.TAGS)} created, 0 already present" in output


def test_second_run_creates_nothing():
    load_demo()
    before = counts()

    output = load_demo()

    assert counts() == before
    assert f"Articles: 0 created, {len(demo.all_articles())} already present" in output
    assert "services: 0 created" in output
    assert "tags: 0 created" in output


def test_second_run_prints_no_new_passwords():
    load_demo()

    output = load_demo()

    assert printed_passwords(output) == {}
    assert "python manage.py changepassword editor" in output


def test_second_run_keeps_a_publication_time_changed_by_an_editor():
    load_demo()
    moved = timezone.now() - timedelta(days=90)
    Article.objects.filter(code=77770).update(published_at=moved, title="عنوان ویرایش‌شده")

    load_demo()

    article = Article.objects.get(code=77770)
    assert article.published_at == moved
    assert article.title == "عنوان ویرایش‌شده"


def test_demo_users_are_staff_and_the_printed_passwords_sign_them_in(settings):
    output = load_demo()

    passwords = printed_passwords(output)
    assert set(passwords) == {"editor", "moderator"}
    assert f"http://127.0.0.1:8000/{settings.ADMIN_PATH}" in output
    for username, password in passwords.items():
        user = authenticate(username=username, password=password)
        assert user is not None and user.is_staff and not user.is_superuser


def test_each_password_is_new():
    passwords = printed_passwords(load_demo())

    assert passwords["editor"] != passwords["moderator"]
    assert all(len(password) >= 16 for password in passwords.values())


def test_editor_may_write_articles_but_not_moderate_comments():
    load_demo()

    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("newsroom.add_article")
    assert editor.has_perm("newsroom.change_article")
    assert editor.has_perm("newsroom.change_tag")
    assert not editor.has_perm("newsroom.delete_article")
    assert not editor.has_perm("comments.change_comment")


def test_moderator_may_moderate_comments_but_not_write_articles():
    load_demo()

    moderator = get_user_model().objects.get(username="moderator")
    assert moderator.has_perm("comments.change_comment")
    assert moderator.has_perm("comments.add_blockedterm")
    assert moderator.has_perm("comments.delete_blockedterm")
    assert not moderator.has_perm("newsroom.change_article")


def test_demo_users_join_their_groups_when_the_groups_exist():
    Group.objects.get_or_create(name="ویراستار")
    Group.objects.get_or_create(name="ناظر نظرات")

    load_demo()

    users = get_user_model().objects
    assert users.get(username="editor").groups.filter(name="ویراستار").exists()
    assert users.get(username="moderator").groups.filter(name="ناظر نظرات").exists()


def test_existing_service_and_a_tag_spelled_differently_are_reused():
    Service.objects.create(name="اخبار", position=9)
    Tag.objects.create(name="بیمه شدگان")

    load_demo()

    assert Service.objects.filter(name="اخبار").get().position == 9
    assert Tag.objects.filter(key=Tag.key_for("بیمه‌شدگان")).count() == 1
    assert Article.objects.get(code=77762).tags.filter(name="بیمه شدگان").exists()


def test_the_admin_address_printed_is_where_the_site_is_served():
    out = io.StringIO()
    call_command("load_demo", "--site", "http://127.0.0.1:8080/", stdout=out)
    assert re.search(r"^Admin: http://127\.0\.0\.1:8080/\S+/$", out.getvalue(), re.MULTILINE)


def test_the_sample_article_is_loaded_with_its_zero_width_non_joiners_restored():
    load_demo()

    article = Article.objects.get(code=77759)
    text = " ".join([article.lead, article.body])
    for restored in ("اداره‌کل", "نمی‌تواند", "فعالیت‌ها", "اطلاع‌رسانی", "تصمیم‌گیری‌های"):
        assert restored in text
    for lost in ("ادارهکل", "نمیتواند", "فعالیتها", "اطلاعرسانی"):
        assert lost not in text
    # Only ZWNJs were added: the text reads and matches as the original did.
    assert persian.normalize(article.lead) == persian.normalize(sample_paragraphs()[1])
    assert article.lead != sample_paragraphs()[1]


def test_no_demo_article_says_it_was_updated(client):
    load_demo()

    for article in Article.objects.published():
        assert not article.updated_after_publication
    sample = Article.objects.get(code=77759)
    assert "به‌روزرسانی" not in client.get(sample.get_absolute_url()).content.decode()


def test_the_demo_home_page_shows_a_lead_featured_stories_and_breaking_news(client):
    load_demo()
    html = client.get("/").content.decode()
    assert 'class="lead-story"' in html
    assert html.count('class="article-card"', html.index('class="front"')) >= 3
    assert 'class="breaking"' in html
    load_demo()  # a second run changes nothing the editors chose
    assert Article.objects.filter(placement="lead").count() == 1
