"""A staff member sets up two-step sign-in in a real Chromium, then signs in with a code."""

import base64
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from tests.support import needs_chromium

PASSWORD = "a-long-staff-password-42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(staff_page):
    return staff_page


def code(secret, later=0):
    """The code an authenticator app would show `later` seconds from now."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def test_staff_member_sets_up_an_app_and_signs_in_with_its_code(live_server, page, settings):
    settings.STAFF_TWO_FACTOR = True
    get_user_model().objects.create_user("sara", password=PASSWORD, is_staff=True)

    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "sara")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # Required: the admin sends her to set it up first.
    page.wait_for_url(live_server.url + "/admin/two-factor/?next=%2Fadmin%2F")
    assert page.get_by_text("دومرحله‌ای وارد شوند").is_visible()
    qr = page.locator("img.two-factor__qr")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    secret = page.locator("#two-factor-key").inner_text().replace(" ", "")

    page.get_by_label("کد برنامهٔ احراز هویت").fill(code(secret))
    page.click("input[type=submit]")
    codes = page.locator(".two-factor__codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.get_by_role("status").inner_text() == "ورود دومرحله‌ای روشن شد."
    page.get_by_role("link", name="نگهشان داشتم؛ ادامه").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.click("#logout-form button")
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "sara")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert "کدی را که برنامهٔ احراز هویت نشان می‌دهد" in page.locator("#code-error").inner_text()

    page.fill("#id_password", PASSWORD)
    # The code of the next period: the one used to set it up cannot be used again.
    page.get_by_label("کد برنامهٔ احراز هویت").fill(code(secret, later=30))
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    assert page.get_by_role("link", name="ورود دومرحله‌ای").is_visible()
    assert page.policy_violations == []
