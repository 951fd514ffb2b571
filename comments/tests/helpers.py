"""What the tests of following comments share: a reader who posts, and what a page says."""

import re

from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

CLEAN_TEXT = "از اطلاع‌رسانی سریع درباره افزایش مستمری بازنشستگان سپاسگزارم."


def form_fields(html):
    """The hidden fields of the comment form as the page gives them."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def answer_of(key):
    return CaptchaStore.objects.get(hashkey=key).response


def post_comment(client, article, **typed):
    """Open the comment form's own page as a reader, fill it in and send it."""
    page = client.get(f"/comments/{article.code}/")
    fields = form_fields(page.content.decode())
    data = {
        **fields,
        "name": "مریم رضایی",
        "email": "",
        "text": CLEAN_TEXT,
        "captcha_1": answer_of(fields["captcha_0"]),
        **typed,
    }
    return client.post(f"/comments/{article.code}/", data)


def visible_text(response_or_html):
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def tracking_code_on(response):
    """The tracking code as the confirmation page shows it (Persian digits in groups)."""
    match = re.search(
        r'<span id="tracking-code" dir="ltr">([^<]+)</span>', response.content.decode()
    )
    return match.group(1) if match else None


def moderator(username="moderator"):
    user = get_user_model().objects.create_user(
        username, is_staff=True, email=f"{username}@example.ir"
    )
    user.groups.add(Group.objects.get(name="ناظر نظرات"))
    return user
