"""Staff sign-in: failures limited per account and per address without locking staff out
of their own browsers, and two-step sign-in with an authenticator app and recovery codes."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-9"
LOGIN = "/admin/login/"
LOCKED = "ورود ناموفق"


@pytest.fixture(autouse=True)
def _no_pause_after_a_wrong_code(settings):
    # django-otp makes a device wait 1, 2, 4… seconds after each wrong code;
    # the tests send the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    # Hashing each password a million times is for production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user("moderator", password=PASSWORD, is_staff=True)


def sign_in(client, username="moderator", password=PASSWORD, address="127.0.0.1", **extra):
    data = {"username": username, "password": password, "next": "/admin/", **extra}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def code_for(device, later=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def errors_beside_code(response):
    return " ".join(re.findall(r'id="code-error">([^<]+)<', response.content.decode()))


# --- limits -------------------------------------------------------------------


def test_many_addresses_cannot_guess_one_account_freely(client, settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    settings.ADMIN_LOGIN_ACCOUNT_RATE = "5/1h"
    for number in range(5):
        wrong = sign_in(client, password="wrong", address=f"198.51.100.{number}")
        assert wrong.status_code == 200
    refused = sign_in(client, address="198.51.100.99")
    assert refused.status_code == 200
    assert LOCKED in refused.content.decode()
    # Other accounts are not affected.
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    assert signed_in(sign_in(client, username="editor", address="198.51.100.99"))


def test_one_address_cannot_lock_staff_out_of_their_own_browsers(settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    office = "203.0.113.10"
    staff_browser = Client()
    assert signed_in(sign_in(staff_browser, address=office))
    staff_browser.post("/admin/logout/")

    attacker = Client()
    for username in ("moderator", "editor", "admin"):
        sign_in(attacker, username=username, password="wrong", address=office)
    # The attacker, and any browser new to the account, must wait...
    assert LOCKED in sign_in(attacker, address=office).content.decode()
    assert LOCKED in sign_in(Client(), address=office).content.decode()
    # ...but the moderator's own browser signs in.
    assert signed_in(sign_in(staff_browser, address=office))


def test_a_known_browser_has_a_limit_of_its_own(settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    browser = Client()
    assert signed_in(sign_in(browser))
    browser.post("/admin/logout/")
    for _ in range(3):
        sign_in(browser, password="wrong")
    assert LOCKED in sign_in(browser).content.decode()


def test_a_browser_known_to_one_account_is_new_to_another(settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    browser = Client()
    assert signed_in(sign_in(browser))
    browser.post("/admin/logout/")
    for _ in range(3):
        sign_in(browser, username="editor", password="wrong")
    assert LOCKED in sign_in(browser, username="editor").content.decode()


def test_ipv6_failures_are_counted_by_their_64(client, settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    for host in range(1, 4):
        sign_in(client, username=f"user{host}", password="wrong", address=f"2001:db8:5::{host}")
    assert LOCKED in sign_in(client, address="2001:db8:5::ffff").content.decode()


# --- two-step sign-in -----------------------------------------------------------


@pytest.fixture
def app(moderator):
    return TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)


def test_with_an_app_set_up_the_password_alone_is_not_enough(client, app):
    response = sign_in(client)
    assert response.status_code == 200
    assert "کدی را که" in errors_beside_code(response)
    wrong = sign_in(client, code="000000" if code_for(app) != "000000" else "111111")
    assert "درست نیست" in errors_beside_code(wrong)
    assert signed_in(sign_in(client, code=code_for(app)))


def test_the_code_may_be_typed_in_persian_digits(client, app):
    persian = code_for(app).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert signed_in(sign_in(client, code=persian))


def test_a_code_is_accepted_once(client, app):
    code = code_for(app)
    assert signed_in(sign_in(client, code=code))
    client.post("/admin/logout/")
    assert sign_in(client, code=code).status_code == 200


def test_a_recovery_code_works_once(client, app, moderator):
    recovery = StaticDevice.objects.create(user=moderator, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    assert signed_in(sign_in(client, code="ABCD 2345"))
    client.post("/admin/logout/")
    assert sign_in(client, code="abcd2345").status_code == 200


def test_wrong_codes_count_as_failed_sign_ins(client, settings, app):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    for _ in range(3):
        sign_in(client, code="999999")
    assert LOCKED in sign_in(client, code=code_for(app)).content.decode()


def test_when_required_staff_set_up_the_app_before_anything_else(client, settings, moderator):
    settings.STAFF_TWO_FACTOR = True
    assert signed_in(sign_in(client))
    index = client.get("/admin/")
    assert index.status_code == 302
    assert index["Location"].startswith("/admin/two-factor/?next=")
    assert client.get("/admin/comments/comment/").status_code == 302

    setup = client.get(index["Location"])
    html = setup.content.decode()
    assert setup.status_code == 200
    assert 'src="/admin/two-factor/qr.svg"' in html
    assert "<style" not in html and ' style="' not in html and "<script>" not in html
    qr = client.get("/admin/two-factor/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content

    key = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    device = TOTPDevice(key=base64.b32decode(key).hex())
    wrong = client.post("/admin/two-factor/", {"code": "12", "next": "/admin/"})
    assert "درست نیست" in errors_beside_code(wrong)
    done = client.post("/admin/two-factor/", {"code": code_for(device), "next": "/admin/"})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/two-factor/qr.svg").status_code == 404

    # The next sign-in asks for a code, and a recovery code is one.
    client.post("/admin/logout/")
    assert sign_in(client).status_code == 200
    assert signed_in(sign_in(client, code=codes[0]))
    assert client.get("/admin/").status_code == 200


def test_when_required_a_session_without_a_code_must_give_one(client, settings, app, moderator):
    settings.STAFF_TWO_FACTOR = True
    client.force_login(moderator)
    response = client.get("/admin/auth/")
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Fauth%2F"
    page = client.get(response["Location"])
    assert 'name="code"' in page.content.decode()
    passed = client.post("/admin/two-factor/", {"code": code_for(app), "next": "/admin/"})
    assert passed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_not_required_by_default(client, moderator):
    assert signed_in(sign_in(client))
    assert client.get("/admin/").status_code == 200
    # The admin offers it to those who want it.
    assert 'href="/admin/two-factor/"' in client.get("/admin/").content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, app, moderator):
    old = StaticDevice.objects.create(user=moderator, name="recovery", confirmed=True)
    StaticToken.objects.create(device=old, token="oldcode22")
    assert signed_in(sign_in(client, code=code_for(app)))
    page = client.post("/admin/two-factor/recovery-codes/")
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="oldcode22").exists()
    assert StaticToken.objects.filter(device__user=moderator).count() == 10


def test_removing_the_app_needs_a_session_that_gave_a_code(client, app, moderator):
    client.force_login(moderator)
    client.post("/admin/two-factor/remove/")
    assert TOTPDevice.objects.filter(pk=app.pk).exists()
    client.post("/admin/logout/")
    assert signed_in(sign_in(client, code=code_for(app)))
    client.post("/admin/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=moderator).exists()


def test_when_required_readers_pages_still_do_not_vary_by_cookie(client, settings):
    from tests.factories import ArticleFactory

    settings.STAFF_TWO_FACTOR = True
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
