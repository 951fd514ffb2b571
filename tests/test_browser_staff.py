"""Staff in a real Chromium: an editor publishes with the rich editor, a moderator answers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from comments.models import Comment
from newsroom.models import Article
from newsroom.text import persian
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory
from tests.support import needs_chromium

PASSWORD = "a-long-staff-password-42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
    # A transactional test starts from an empty database.
    pytest.mark.usefixtures("staff_roles"),
]


@pytest.fixture
def page(staff_page):
    return staff_page


def staff(username, group):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def test_editor_publishes_an_article_with_the_rich_editor(live_server, page):
    ServiceFactory(name="اطلاعیه‌ها")
    staff("editor", "ویراستار")
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    page.fill("#id_title", "تمدید مهلت ارسال فهرست بیمه")
    page.fill("#id_lead", "مهلت ارسال فهرست بیمه کارفرمایان تا پایان ماه تمدید شد.")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("کارفرمایان می‌توانند فهرست را تا پایان ماه بفرستند.")
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+b")
    page.select_option("#id_service", label="اطلاعیه‌ها")
    page.select_option("#id_status", value="published")
    page.fill("#id_tags", "کارفرمایان، حق بیمه")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/newsroom/article/")

    article = Article.objects.get(title="تمدید مهلت ارسال فهرست بیمه")
    assert "<strong>کارفرمایان می‌توانند فهرست را تا پایان ماه بفرستند.</strong>" in article.body
    assert sorted(tag.name for tag in article.tags.all()) == ["حق بیمه", "کارفرمایان"]
    page.goto(live_server.url + f"/news/{article.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.locator(".article__body strong").inner_text().startswith("کارفرمایان")
    assert page.policy_violations == []


def test_moderator_answers_a_comment_and_readers_see_it(live_server, page):
    article = ArticleFactory()
    question = CommentFactory(article=article, status="pending", text="مستمری کی واریز می‌شود؟")
    staff("moderator", "ناظر نظرات")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + f"/admin/comments/comment/{question.pk}/change/")
    page.fill("#id_official_answer", "مستمری روز ۲۵ هر ماه واریز می‌شود.")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/comments/comment/")
    assert Comment.objects.get(is_official=True).parent == question

    page.goto(live_server.url + article.get_absolute_url())
    thread = page.locator(f"#comment-{question.pk}")
    assert "مستمری کی واریز می‌شود؟" in thread.inner_text()
    answer = thread.locator(".comment--official")
    assert "پاسخ روابط عمومی" in answer.inner_text()
    assert "مستمری روز ۲۵ هر ماه واریز می‌شود." in answer.inner_text()
    assert page.policy_violations == []


def test_the_moderator_reads_waiting_comments_whole_in_the_list(live_server, page):
    text = (
        "سلام، من از اول مهر درخواست مستمری دادم و هنوز جوابی نگرفتم. شعبه میگه "
        "پرونده رفته اداره کل و اداره کل میگه باید از شعبه پیگیری کنید. لطفا بگید "
        "دقیقا کجا باید مراجعه کنم؟"
    )
    CommentFactory(status="pending", text=text)
    staff("moderator", "ناظر نظرات")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    cell = page.locator("#result_list tbody .field-excerpt")
    assert cell.inner_text() == text
    # In lines a reader can follow, not a word or two to a line.
    assert cell.bounding_box()["width"] >= 250
    assert page.policy_violations == []


def test_the_moderator_reads_why_a_comment_was_held_under_its_flag(live_server, page):
    CommentFactory(
        status="pending",
        text="آقای مدیر شعبه دروغگو است و پرونده من را گم کرده‌اند.",
        flags="accusation",
        flag_reason="واژهٔ «دروغگو» (نسبت ناروا)، نوشته‌شده به صورت «دروغگو».",
    )
    staff("moderator", "ناظر نظرات")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    # One column for the flag and its reason: the list has one column fewer to scroll past.
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert "نشان‌ها" in headers and "دلیل نشان‌گذاری" not in headers
    flag = page.locator("#result_list tbody .field-flags_and_reason")
    reason = flag.locator(".flag-reason")
    assert flag.inner_text().startswith("نسبت احتمالی")
    assert reason.inner_text() == "واژهٔ «دروغگو» (نسبت ناروا)، نوشته‌شده به صورت «دروغگو»."
    # On a line of its own, under the flag.
    assert flag.evaluate(
        """cell => {
            const label = document.createRange();
            label.selectNodeContents(cell.firstChild);
            return label.getBoundingClientRect().bottom
                <= cell.querySelector(".flag-reason").getBoundingClientRect().top;
        }"""
    )


def test_at_a_desk_the_moderation_list_shows_whole_rows_beside_the_menu_and_filters(
    live_server, page
):
    article = ArticleFactory()
    question = CommentFactory(article=article, status="approved", name="پرسنده")
    CommentFactory(
        article=article,
        parent=question,
        status="pending",
        name="خواننده‌ای با نامی نسبتاً بلند",
        ip_address="2001:db8:85a3::8a2e:370:7334",
        text="آقای مدیر شعبه دروغگو است و پرونده من را گم کرده‌اند. " * 4,
        flags="accusation",
        flag_reason="واژهٔ «دروغگو» (نسبت ناروا)، نوشته‌شده به صورت «دروغگو».",
    )
    staff("moderator", "ناظر نظرات")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    # The filters beside the list; no side menu taking a fifth of the screen.
    assert page.locator("#changelist-filter").is_visible()
    assert page.locator("#nav-sidebar").count() == 0
    # Nothing to scroll sideways, and the text keeps its readable measure.
    assert page.locator(".results").evaluate("box => box.scrollWidth <= box.clientWidth")
    font_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    excerpt = page.locator("#result_list tbody .field-excerpt")
    assert excerpt.bounding_box()["width"] >= 18 * font_size - 1
    # The address under the name, and whom the reply answers under the news code.
    name = page.locator("#result_list tbody .field-name_and_address")
    assert name.locator(".cell-note").inner_text() == "2001:db8:85a3::8a2e:370:7334"
    code = page.locator("#result_list tbody .field-article_code")
    assert code.locator(".cell-note").inner_text() == "در پاسخ به پرسنده"
    # The code in Persian digits, as on the rows that answer nobody.
    assert code.inner_text().startswith(persian.to_persian_digits(article.code))


def test_on_a_phone_the_moderators_admin_is_no_wider_than_the_screen(live_server, phone_page):
    CommentFactory.create_batch(2, status="pending")
    staff("moderator", "ناظر نظرات")
    log_in(phone_page, live_server, "moderator")
    for path in ("/admin/", "/admin/comments/comment/?status__exact=pending"):
        phone_page.goto(live_server.url + path)
        # The header counts what waits; nothing pushes the page sideways.
        assert "۲ نظر در انتظار بررسی است" in phone_page.locator("#header").inner_text()
        width = phone_page.evaluate("document.documentElement.clientWidth")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_script_the_policy_blocks_is_reported_to_the_test(live_server, page):
    # What the other tests' `policy_violations == []` rests on: a blocked script is heard.
    staff("editor", "ویراستار")
    log_in(page, live_server, "editor")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.head.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    assert any("script-src" in violation for violation in page.policy_violations)
